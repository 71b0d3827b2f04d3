/// Writes families to a target format, one at a time, as a reader hands them over (nothing is kept between
/// families but the plan). Text and OpenMetrics 1.0 here; OpenMetrics 2.0 and JSON in their own files.
public final class ExpositionWriter {
    /// The format written.
    public let target: TargetFormat
    let options: WriteOptions
    let sink: ByteSink
    var line: SampleLine
    var log: ConversionLog
    /// The next family's index in the plan.
    var index = 0
    let plans: [FamilyPlan]
    /// The whole input (for folding a family from elsewhere in it).
    let input: SourceFile?
    var wroteFamily = false
    /// Exemplars `writeSample` left out of the family being written (its type written cannot carry them).
    var exemplarsDropped = 0
    /// Sample lines the target writes as they are copied whole (`verbatimEnd`); off for the oracle in tests.
    var copiesLines = true

    init(target: TargetFormat, options: WriteOptions, sink: ByteSink, plans: [FamilyPlan], input: SourceFile?, log: ConversionLog) {
        self.target = target
        self.options = options
        self.sink = sink
        self.line = SampleLine(target: target, options: options, sink: sink)
        self.plans = plans
        self.input = input
        self.log = log
    }

    func begin() {
        if target == .json { sink.append("[") }
    }

    func finish() {
        switch target {
        case .openMetrics, .openMetrics2: sink.append("# EOF\n")
        case .json: sink.append(wroteFamily ? "\n]\n" : "]\n")
        case .text: break
        }
        sink.flush()
    }

    /// Writes the next family of the input (in the order the plan was made from).
    func write(_ family: MetricFamily) {
        let plan = index < plans.count ? plans[index] : FamilyPlan(type: family.type, inputBase: Array(family.name.utf8))
        index += 1
        write(family, planned: plan)
    }

    /// Writes a family by the plan given (a parallel pass plans each family on its own).
    func write(_ family: MetricFamily, planned plan: FamilyPlan) {
        if plan.skip { return }
        if family.format == .openMetrics2 && target != .openMetrics2 && needsExpansion(family) {
            guard let expanded = CompositeExpansion.expand(family, log: &log) else { return }
            var p = FamilyPlan(type: expanded.type, inputBase: Array(expanded.name.utf8))
            p.keepNames = plan.keepNames
            return write(expanded, plan: p)
        }
        write(family, plan: plan)
    }

    private func needsExpansion(_ family: MetricFamily) -> Bool {
        !family.extras.isEmpty || family.type == .counter || family.type == .info
    }

    func write(_ family: MetricFamily, plan: FamilyPlan) {
        switch target {
        case .text, .openMetrics: writeClassic(family, plan: plan)
        case .openMetrics2: writeOpenMetrics2(family, plan: plan)
        case .json: writeJSON(family, plan: plan)
        }
        if exemplarsDropped > 0 {
            log.note(
                .exemplarsDropped, at: Int(family.offset), family: family.name,
                "\(exemplarsDropped) exemplars of \(family.name) dropped: the family is written as \(plan.type.rawValue), which cannot carry them"
            )
            exemplarsDropped = 0
        }
    }

    // MARK: Names

    /// The family's sample-name prefix and the suffix of the name its metadata lines carry, as the target
    /// names it.
    func metadataTail(_ family: MetricFamily, plan: FamilyPlan) -> [UInt8] {
        let name = Array(family.name.utf8)
        let inputTail: [UInt8]
        if family.format == .openMetrics {
            inputTail = family.type == .counter ? ConversionPlanner.total : family.type == .info ? ConversionPlanner.info : []
        } else {
            inputTail = name.count > plan.inputBase.count ? Array(name[plan.inputBase.count...]) : []
        }
        switch target {
        case .openMetrics: return []
        case .text, .json: return plan.type == .counter || family.type == .info ? (plan.keepNames ? [] : inputTail) : []
        case .openMetrics2:
            return plan.type == .counter || plan.type == .info
                ? (plan.keepNames ? [] : (plan.type == .info && inputTail.isEmpty ? ConversionPlanner.info : inputTail)) : []
        }
    }

    /// The bytes of a sample's name after the family's base (`_total`, `_bucket`, …; empty for the base).
    @inline(__always)
    func suffix(_ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, _ s: Sample, baseCount: Int) -> UnsafeBufferPointer<UInt8> {
        if s.nameFlags.contains(.nameEscaped) {
            // Rare (a quoted name with escapes): the suffix is plain ASCII after the unescaped base.
            let full = Unescape.bytes(p, s.name)
            let tail = full.count > baseCount ? Array(full[baseCount...]) : []
            return Self.intern(tail)
        }
        let start = min(s.name.lowerBound + baseCount, s.name.upperBound)
        return UnsafeBufferPointer(rebasing: p[start..<s.name.upperBound])
    }

    /// The few suffixes there are, kept for the process (an escaped name's suffix is one of them).
    private static func intern(_ tail: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        for s in suffixes where s.elementsEqual(tail) { return s }
        return UnsafeBufferPointer(start: nil, count: 0)
    }

    nonisolated(unsafe) private static let suffixes: [UnsafeBufferPointer<UInt8>] = [
        "_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info",
    ].map {
        let b = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: $0.utf8.count)
        _ = b.initialize(from: $0.utf8)
        return UnsafeBufferPointer(b)
    }

    static func equals(_ b: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        b.count == s.utf8CodeUnitCount && (b.count == 0 || memcmpEqual(b.baseAddress!, s.utf8Start, b.count))
    }

    @inline(__always)
    static func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for i in 0..<n where a[i] != b[i] { return false }
        return true
    }

    func helpBytes(_ family: MetricFamily) -> [UInt8]? {
        guard let r = family.helpRange else { return nil }
        return family.withInput { Unescape.bytes($0, r) }
    }

    func unitBytes(_ family: MetricFamily) -> [UInt8]? {
        family.unitRange.map { r in family.withInput { Array($0[r.lowerBound..<r.upperBound]) } }
    }

    /// The key of a sample's labels without `le`/`quantile` (a metric point's series), as written, in name order
    /// (the text format lets a series' samples list their labels in any order).
    static func groupKey(_ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, _ s: Sample, into key: inout [UInt8]) {
        key.removeAll(keepingCapacity: true)
        let labels = family.labels(of: s)
        var sorted = true
        var previous: Slice<UnsafeBufferPointer<UInt8>>? = nil
        for l in labels {
            let n = p[l.name.lowerBound..<l.name.upperBound]
            if n.elementsEqual("le".utf8) || n.elementsEqual("quantile".utf8) { continue }
            if let previous, !previous.lexicographicallyPrecedes(n) { sorted = false }
            previous = n
            key.append(contentsOf: n)
            key.append(0)
            key.append(contentsOf: p[l.value.lowerBound..<l.value.upperBound])
            key.append(1)
        }
        guard !sorted else { return }
        // Rare: the same key from the labels in name order.
        key.removeAll(keepingCapacity: true)
        let ordered = labels.filter { l in
            let n = p[l.name.lowerBound..<l.name.upperBound]
            return !n.elementsEqual("le".utf8) && !n.elementsEqual("quantile".utf8)
        }.sorted { a, b in p[a.name.lowerBound..<a.name.upperBound].lexicographicallyPrecedes(p[b.name.lowerBound..<b.name.upperBound]) }
        for l in ordered {
            key.append(contentsOf: p[l.name.lowerBound..<l.name.upperBound])
            key.append(0)
            key.append(contentsOf: p[l.value.lowerBound..<l.value.upperBound])
            key.append(1)
        }
    }

    /// The samples' indices metric point by metric point (`metricGroups`), or nil when the input has them so.
    static func pointOrder(_ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, key: inout [UInt8]) -> [Int]? {
        let (runs, groups) = metricRuns(family, p, gather: true, key: &key)
        guard groups > 0 else { return nil }
        return gather(runs, groups: groups, samples: family.samples.count).flatMap { $0 }
    }

    /// A classic family's metric points: its samples grouped by their labels without `le` and `quantile`,
    /// groups in order of first appearance, each group's samples (their indices) in input order. Usually each
    /// group is a run of consecutive samples; the text format also lets a histogram's series interleave (found
    /// by fuzzing: each run became a composite value of its own, the same series twice). `key` is scratch.
    /// `interleaved`: whether the checks found a point's samples split (`MetricFamily.pointsInterleaved`); if
    /// not, the runs are the groups.
    static func metricGroups(_ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, interleaved: Bool, key: inout [UInt8])
        -> [ArraySlice<Int>]
    {
        let (runs, groups) = metricRuns(family, p, gather: interleaved, key: &key)
        if groups == 0 {
            let all = Array(family.samples.indices)
            return runs.map { all[$0.range] }
        }
        return gather(runs, groups: groups, samples: family.samples.count)
    }

    /// The runs of consecutive samples of one metric point, each with its point's number; `groups`: how many
    /// points there are when some point has several runs, else 0 (each run its own point, the usual case).
    /// Without `gather` each run is taken as a point of its own.
    private static func metricRuns(_ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, gather: Bool, key: inout [UInt8]) -> (
        runs: [(range: Range<Int>, group: Int)], groups: Int
    ) {
        let samples = family.samples
        var runs: [(range: Range<Int>, group: Int)] = []
        var groupOf: [NameKey: Int] = [:]
        var start = 0
        func close(_ end: Int) {
            guard gather else {
                runs.append((start..<end, runs.count))
                start = end
                return
            }
            groupKey(family, p, samples[start], into: &key)
            let k = NameKey(key)
            let g = groupOf[k] ?? groupOf.count
            if g == groupOf.count { groupOf[k] = g }
            runs.append((start..<end, g))
            start = end
        }
        var previousKey: [UInt8] = []
        for i in samples.indices.dropFirst() where !samePoint(family, p, samples[i - 1], samples[i], &previousKey, &key) {
            close(i)
        }
        if !samples.isEmpty { close(samples.count) }
        return (runs, !gather || groupOf.count == runs.count ? 0 : groupOf.count)
    }

    /// Whether two consecutive samples are one metric point: their labels but `le` and `quantile` the same, in
    /// the same order byte for byte (a histogram's buckets, `_sum`, `_count`: no copy made), else as keys.
    @inline(__always)
    private static func samePoint(
        _ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, _ a: Sample, _ b: Sample, _ aKey: inout [UInt8],
        _ bKey: inout [UInt8]
    ) -> Bool {
        let inOrder = family.labels.withUnsafeBufferPointer { labels -> Bool in
            @inline(__always) func isBound(_ l: Label) -> Bool {
                let n = l.name.upperBound - l.name.lowerBound, at = l.name.lowerBound
                if n == 2 { return p[at] == UInt8(ascii: "l") && p[at + 1] == UInt8(ascii: "e") }
                return n == 8 && p[at] == UInt8(ascii: "q") && equals(UnsafeBufferPointer(rebasing: p[at..<(at + 8)]), "quantile")
            }
            @inline(__always) func same(_ x: ByteRange, _ y: ByteRange) -> Bool {
                let n = x.upperBound - x.lowerBound
                return n == y.upperBound - y.lowerBound
                    && (n == 0 || memcmpEqual(p.baseAddress! + x.lowerBound, p.baseAddress! + y.lowerBound, n))
            }
            var i = Int(a.labels.lowerBound), j = Int(b.labels.lowerBound)
            let ea = Int(a.labels.upperBound), eb = Int(b.labels.upperBound)
            while true {
                while i < ea && isBound(labels[i]) { i += 1 }
                while j < eb && isBound(labels[j]) { j += 1 }
                if i == ea || j == eb { return i == ea && j == eb }
                if !same(labels[i].name, labels[j].name) || !same(labels[i].value, labels[j].value) { return false }
                i += 1
                j += 1
            }
        }
        if inOrder { return true }
        // Other labels, or the same in another order: as keys.
        groupKey(family, p, a, into: &aKey)
        groupKey(family, p, b, into: &bKey)
        return aKey == bKey
    }

    /// The runs gathered point by point (a counting sort: linear in the samples).
    private static func gather(_ runs: [(range: Range<Int>, group: Int)], groups: Int, samples: Int) -> [ArraySlice<Int>] {
        var sizes = [Int](repeating: 0, count: groups)
        for r in runs { sizes[r.group] += r.range.count }
        var starts = [Int](repeating: 0, count: groups)
        for g in 1..<max(1, groups) { starts[g] = starts[g - 1] + sizes[g - 1] }
        var members = [Int](repeating: 0, count: samples)
        var next = starts
        for r in runs {
            for s in r.range {
                members[next[r.group]] = s
                next[r.group] += 1
            }
        }
        return starts.indices.map { members[starts[$0]..<(starts[$0] + sizes[$0])] }
    }

    /// The `_created` values of a family folded in from elsewhere in the input (text `_created` gauges), by
    /// series key: their spellings.
    func foldedCreated(_ plan: FamilyPlan) -> [[UInt8]: [UInt8]] {
        guard let range = plan.fold, let input else { return [:] }
        var result: [[UInt8]: [UInt8]] = [:]
        Self.forEachSample(in: input, range) { f, p, s, key in
            result[key] = Array(p[s.valueRange.lowerBound..<s.valueRange.upperBound])
        }
        return result
    }

    /// Every sample of the text families in `range` of `input` (read on their own), with its series key.
    /// `wholeKey`: the key of every label (a sample's identity besides its name), not only the metric point's.
    static func forEachSample(
        in input: SourceFile, _ range: Range<Int>, wholeKey: Bool = false,
        _ body: (MetricFamily, UnsafeBufferPointer<UInt8>, Sample, _ key: [UInt8]) -> Void
    ) {
        let bytes = input.bytes.withUnsafeBufferPointer { Array($0[range]) }
        let sub = SourceFile(name: input.name, bytes: bytes)
        var key: [UInt8] = []
        _ = FamilyReader(source: sub, format: .text, options: ReadOptions(threads: 1)).read { f in
            f.withInput { p in
                for s in f.samples {
                    if wholeKey {
                        key.removeAll(keepingCapacity: true)
                        key.append(contentsOf: p[s.name.lowerBound..<s.name.upperBound])
                        for l in f.labels(of: s) {
                            key.append(0)
                            key.append(contentsOf: p[l.name.lowerBound..<l.name.upperBound])
                            key.append(1)
                            key.append(contentsOf: p[l.value.lowerBound..<l.value.upperBound])
                        }
                    } else {
                        groupKey(f, p, s, into: &key)
                    }
                    body(f, p, s, key)
                }
            }
        }
    }

    /// The series of the `_created` gauge at `created` that are not series of the family at `owner` (text).
    static func unmatchedCreated(in input: SourceFile, owner: Range<Int>, created: Range<Int>) -> Int {
        var series = Set<[UInt8]>()
        forEachSample(in: input, owner) { _, _, _, key in series.insert(key) }
        var unmatched = 0
        forEachSample(in: input, created) { _, _, _, key in unmatched += series.contains(key) ? 0 : 1 }
        return unmatched
    }

    /// Whether the runs of a family given (text) hold a sample of the same series twice.
    static func repeatsSeries(in input: SourceFile, _ runs: [Range<Int>]) -> Bool {
        var series = Set<[UInt8]>()
        var repeats = false
        for r in runs { forEachSample(in: input, r, wholeKey: true) { _, _, _, key in repeats = repeats || !series.insert(key).inserted } }
        return repeats
    }

    /// The samples of a family's later runs (`FamilyPlan.merged`), written as its own.
    func writeMerged(_ plan: FamilyPlan, _ sample: (MetricFamily, UnsafeBufferPointer<UInt8>, Sample) -> Void) {
        guard let input else { return }
        for range in plan.merged {
            Self.forEachSample(in: input, range) { f, p, s, _ in sample(f, p, s) }
        }
    }

    /// The family's name as the target writes it (escaped when `--escaping` or the target says so, with a
    /// note), and whether it is quoted.
    func outputName(_ family: MetricFamily, plan: FamilyPlan) -> (base: [UInt8], quoted: Bool) {
        let (base, quoted) = line.outputName(plan.inputBase)
        if base != plan.inputBase {
            log.note(
                .nameEscaped, at: Int(family.offset), family: family.name,
                "family \(family.name) written as \(String(decoding: base, as: UTF8.self)) (--escaping \(line.scheme?.rawValue ?? "underscores"))"
            )
        }
        return (base, quoted)
    }

    /// OpenMetrics reserves family names that begin with `_`: such a name (a text family `_x`, or one escaping
    /// made so, `"\"a\""` → `_a_`) cannot be written there. Found by fuzzing.
    func isReserved(_ name: [UInt8], _ family: MetricFamily) -> Bool {
        guard target == .openMetrics || target == .openMetrics2, name.first == UInt8(ascii: "_") else { return false }
        log.note(
            .nameNotRepresentable, at: Int(family.offset), family: family.name,
            "family \(family.name) would be written as \(String(decoding: name, as: UTF8.self)), a name OpenMetrics reserves (it begins with '_'): rename it"
        )
        return true
    }

    /// The same for label names (a text label `_x`, or a UTF-8 one that escaping makes begin with `_`:
    /// `"[x"` → `_x`; found by fuzzing). One scan of the family's labels, looking at their first bytes.
    func hasReservedLabel(_ family: MetricFamily) -> Bool {
        guard target == .openMetrics || target == .openMetrics2 else { return false }
        let scheme = line.scheme
        let found: (name: String, escaped: Bool)? = family.withInput { p in
            for l in family.labels where l.name.upperBound > l.name.lowerBound {
                if !l.flags.contains(.nameQuoted) {
                    // A legacy name keeps its first byte under every scheme (`dots` only doubles underscores):
                    // that byte decides, with no copy made per label.
                    if p[l.name.lowerBound] == UInt8(ascii: "_") { return (family.name(of: l), false) }
                    continue
                }
                var name = l.flags.contains(.nameEscaped) ? Unescape.bytes(p, l.name) : Array(p[l.name.lowerBound..<l.name.upperBound])
                if let scheme { name = NameEscaping.escape(name, scheme: scheme, metric: false) }
                if name.first == UInt8(ascii: "_") && NameEscaping.isLegacyName(name, metric: false) { return (family.name(of: l), true) }
            }
            return nil
        }
        guard let found else { return false }
        // (A legacy name is written as it is, or with its underscores doubled by `dots`.)
        let written = String(
            decoding: NameEscaping.escape(Array(found.name.utf8), scheme: line.scheme ?? .underscores, metric: false), as: UTF8.self)
        log.note(
            .nameNotRepresentable, at: Int(family.offset), family: family.name,
            "label \(found.name) of family \(family.name) would be written as \(written), a label name OpenMetrics reserves (it begins with '_'): rename it\(found.escaped ? ", or convert with --escaping values" : "")"
        )
        return true
    }

    // MARK: Text and OpenMetrics 1.0

    func writeClassic(_ family: MetricFamily, plan: FamilyPlan) {
        let familyName = family.name
        let offset = Int(family.offset)
        let (base, quoted) = outputName(family, plan: plan)
        // (An OpenMetrics 1.0 input carried it quoted, as promkit reads it: written back so, `fmt` keeps it.)
        if target == .openMetrics && line.scheme == nil && family.format != .openMetrics
            && !NameEscaping.isLegacyName(plan.inputBase, metric: true)
        {
            log.note(
                .nameNotRepresentable, at: offset, family: familyName,
                "family \(familyName) has a UTF-8 name, which OpenMetrics 1.0 cannot carry: choose --escaping underscores, dots or values, or --to openmetrics2"
            )
            return
        }
        if isReserved(base, family) || hasReservedLabel(family) { return }
        let toText = target == .text
        // The text format's timestamps are 64-bit milliseconds; OpenMetrics' seconds may go past them (found by
        // fuzzing: 12345678901234567890123 s). Such a family cannot be written as it is.
        if toText, let s = family.samples.first(where: { abs($0.timestamp?.seconds ?? 0) >= 9.2e15 }) {
            log.note(
                .notConvertible, at: Int(s.offset), family: familyName,
                "timestamp \(family.text(s.timestamp!.range)) s is beyond the text format's 64-bit milliseconds")
            return
        }
        var writtenType = plan.type
        var splitBySuffix = false
        if toText {
            switch plan.type {
            case .info, .stateset, .gaugehistogram:
                log.note(
                    .typeAsGauge, at: offset, family: familyName,
                    "\(plan.type.rawValue) \(familyName) has no text-format type: written as gauge\(plan.type == .gaugehistogram ? "s, one family per sample name" : "")"
                )
                splitBySuffix = plan.type == .gaugehistogram
                writtenType = .gauge
            default: break
            }
            if family.unitRange != nil {
                log.note(.unitDropped, at: offset, family: familyName, "the text format has no UNIT: unit of \(familyName) dropped")
            }
            if !family.exemplars.isEmpty {
                log.note(
                    .exemplarsDropped, at: offset, family: familyName,
                    "the text format has no exemplars: \(family.exemplars.count) of \(familyName) dropped")
            }
        }
        let tail = metadataTail(family, plan: plan)
        var help = helpBytes(family)
        // A text HELP line's docstring starts after the blanks that follow the name: leading blanks of an
        // OpenMetrics help cannot be written (found by fuzzing: `# HELP a  x` read back as `x`).
        if toText, let h = help, let first = h.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            help = Array(h.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            log.note(
                .helpTrimmed, at: offset, family: familyName,
                "the help of \(familyName) begins with blanks, which a text HELP line cannot carry: written without them")
        }
        var unit = toText ? nil : unitBytes(family)
        // OpenMetrics 1.0 requires the unit to end the family's name (2.0 only recommends it): a unit that does
        // not is dropped (found by fuzzing: `# UNIT a seconds` from 2.0 wrote an invalid 1.0 exposition).
        if target == .openMetrics, let u = unit, !u.isEmpty, !(base + tail).ends(with: [UInt8(ascii: "_")] + u) {
            log.note(
                .unitDropped, at: offset, family: familyName,
                "OpenMetrics 1.0 requires a unit to be the family name's suffix: unit \(String(decoding: u, as: UTF8.self)) of \(familyName) dropped"
            )
            unit = nil
        }
        let showType = family.typeDeclared || plan.typeChanged
        let created = foldedCreated(plan)
        let hasOwnCreated = family.format == .openMetrics && [.counter, .histogram, .summary].contains(family.type)
        let splitCreated = toText && hasOwnCreated
        family.withInput { p in
            // OpenMetrics 1.0 spells the top bucket's bound `+Inf` (its parsers refuse `Inf`, which text takes).
            line.respellsInfBounds =
                target == .openMetrics && [.histogram, .gaugehistogram].contains(family.type) && Self.hasOddInfBound(family, p)
            defer { line.respellsInfBounds = false }
            if line.respellsInfBounds {
                log.note(
                    .boundRespelled, at: offset, family: familyName,
                    "a bucket bound of \(familyName) is spelled as an infinity other than +Inf, which OpenMetrics requires: written le=\"+Inf\""
                )
            }
            if !splitBySuffix {
                line.appendMetadata(name: base + tail, quoted: quoted, help: help, type: showType ? writtenType : nil, unit: unit)
            }
            var truncated = false
            var sawCreated = false
            var key: [UInt8] = [], lastKey: [UInt8] = []
            var lastSample: Sample? = nil
            var matched = Set<[UInt8]>()
            func flushCreated() {
                guard let last = lastSample, let value = created[lastKey] else { return }
                matched.insert(lastKey)
                writeSampleName(base, Array("_created".utf8), quoted: quoted, family, p, last, skipGroupLabels: true)
                sink.append(UInt8(ascii: " "))
                sink.append(value)
                sink.append(UInt8(ascii: "\n"))
            }
            if splitBySuffix {
                // Gauge histograms to text: one gauge family per sample name, in order of first appearance.
                var order: [[UInt8]] = []
                for s in family.samples {
                    let sfx = Array(suffix(family, p, s, baseCount: plan.inputBase.count))
                    if !order.contains(sfx) { order.append(sfx) }
                }
                for sfx in order {
                    line.appendMetadata(name: base + sfx, quoted: quoted, help: help, type: .gauge, unit: nil)
                    for s in family.samples where suffix(family, p, s, baseCount: plan.inputBase.count).elementsEqual(sfx) {
                        if !writeSample(family, p, s, base: base, quoted: quoted, plan: plan) { truncated = true }
                    }
                }
            } else {
                // Sample lines the target writes as they are can be copied whole (`verbatimEnd`).
                // OpenMetrics 1.0 wants a histogram's _count beside its _sum: the +Inf bucket's value (equal by
                // definition) is written as the count where the input left it out.
                let countless = target == .openMetrics && family.type == .histogram ? sumWithoutCount(family, p, plan: plan) : []
                if !countless.isEmpty {
                    log.note(
                        .countFromBuckets, at: offset, family: familyName,
                        "histogram \(familyName) has a _sum without _count, which OpenMetrics requires beside it: its +Inf bucket written as the count (they are equal by definition)"
                    )
                }
                var countKey: [UInt8] = []
                var lastInf: Sample?
                let verbatim =
                    copiesLines && !quoted && !line.respellsInfBounds && countless.isEmpty && base == plan.inputBase && !options.sortLabels
                    && (line.scheme == nil || !line.scheme!.rewritesLegacyNames)
                // OpenMetrics 1.0 keeps each metric point's samples together; the text format lets a histogram's or
                // summary's series interleave (found by fuzzing): then the samples go out point by point.
                let order =
                    target == .openMetrics && (plan.pointsInterleaved || family.pointsInterleaved)
                    ? Self.pointOrder(family, p, key: &key) : nil
                for k in family.samples.indices {
                    let s = family.samples[order?[k] ?? k]
                    if verbatim && !splitCreated, let end = verbatimEnd(family, p, s) {
                        if !created.isEmpty {
                            Self.groupKey(family, p, s, into: &key)
                            if lastSample != nil && key != lastKey { flushCreated() }
                            swap(&key, &lastKey)
                            lastSample = s
                        }
                        sink.append(p, s.name.lowerBound, end)
                        continue
                    }
                    let sfx = suffix(family, p, s, baseCount: plan.inputBase.count)
                    if splitCreated && Self.equals(sfx, "_created") {
                        sawCreated = true
                        continue
                    }
                    if !created.isEmpty {
                        Self.groupKey(family, p, s, into: &key)
                        if lastSample != nil && key != lastKey { flushCreated() }
                        swap(&key, &lastKey)
                        lastSample = s
                    }
                    if !countless.isEmpty {
                        if Self.equals(sfx, "_bucket")
                            && family.labels(of: s).contains(where: { l in
                                p[l.name.lowerBound..<l.name.upperBound].elementsEqual("le".utf8)
                                    && NumberSyntax.parseFloat(p, l.value.lowerBound, l.value.upperBound) == .infinity
                            })
                        {
                            lastInf = s
                        } else if Self.equals(sfx, "_sum"), let inf = lastInf {
                            Self.groupKey(family, p, s, into: &countKey)
                            if countless.contains(countKey) {
                                writeSampleName(base, Array("_count".utf8), quoted: quoted, family, p, inf, skipGroupLabels: true)
                                sink.append(UInt8(ascii: " "))
                                line.appendValue(inf.value, inf.valueRange, p)
                                sink.append(UInt8(ascii: "\n"))
                            }
                        }
                    }
                    if !writeSample(family, p, s, base: base, quoted: quoted, plan: plan) { truncated = true }
                }
                if !created.isEmpty { flushCreated() }
                if let fold = plan.fold, let input, matched.count < created.count {
                    // `_created` samples of series the family lacks (the plan said so): at its end, as they are.
                    Self.forEachSample(in: input, fold) { f, q, s, key in
                        guard !matched.contains(key) else { return }
                        writeSampleName(base, ConversionPlanner.created, quoted: quoted, f, q, s, skipGroupLabels: true)
                        sink.append(UInt8(ascii: " "))
                        line.appendValue(s.value, s.valueRange, q)
                        sink.append(UInt8(ascii: "\n"))
                    }
                }
                writeMerged(plan) { f, q, s in
                    if !writeSample(f, q, s, base: base, quoted: quoted, plan: plan) { truncated = true }
                }
            }
            if sawCreated {
                log.note(
                    .createdSplit, at: offset, family: familyName,
                    "the text format has no _created samples: those of \(familyName) written as gauge \(String(decoding: base, as: UTF8.self))_created"
                )
                line.appendMetadata(name: base + ConversionPlanner.created, quoted: quoted, help: help, type: .gauge, unit: nil)
                for s in family.samples where Self.equals(suffix(family, p, s, baseCount: plan.inputBase.count), "_created") {
                    if !writeSample(family, p, s, base: base, quoted: quoted, plan: plan) { truncated = true }
                }
            }
            if truncated {
                log.note(
                    .timestampTruncated, at: offset, family: familyName,
                    "timestamps of \(familyName) finer than a millisecond truncated (the text format has integer milliseconds)")
            }
        }
    }

    /// The metric points (keys) of a classic histogram that have a `_sum` but no `_count`; cheap when the
    /// counts of both agree (the usual case).
    func sumWithoutCount(_ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, plan: FamilyPlan) -> Set<[UInt8]> {
        let baseCount = plan.inputBase.count
        var sums = 0, counts = 0
        for s in family.samples {
            let sfx = suffix(family, p, s, baseCount: baseCount)
            if Self.equals(sfx, "_sum") { sums += 1 } else if Self.equals(sfx, "_count") { counts += 1 }
        }
        guard sums > counts else { return [] }
        var result = Set<[UInt8]>()
        var key: [UInt8] = []
        for group in Self.metricGroups(family, p, interleaved: family.pointsInterleaved || plan.pointsInterleaved, key: &key) {
            var sum = false, count = false
            for index in group {
                let sfx = suffix(family, p, family.samples[index], baseCount: baseCount)
                sum = sum || Self.equals(sfx, "_sum")
                count = count || Self.equals(sfx, "_count")
            }
            if sum && !count {
                Self.groupKey(family, p, family.samples[group.first!], into: &key)
                result.insert(key)
            }
        }
        return result
    }

    /// Whether a sample's `le` is an infinity spelled other than `+Inf` (`Inf`, `+inf`, `infinity`).
    static func hasOddInfBound(_ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
        for l in family.labels {
            guard l.name.upperBound - l.name.lowerBound == 2, p[l.name.lowerBound] == UInt8(ascii: "l"),
                p[l.name.lowerBound + 1] == UInt8(ascii: "e")
            else { continue }
            if SampleLine.isOddInfinity(p, l.value) { return true }
        }
        return false
    }

    /// The sample's name and labels (`skipGroupLabels`: without `le`/`quantile`, for a `_created` sample).
    func writeSampleName(
        _ base: [UInt8], _ sfx: [UInt8], quoted: Bool, _ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>,
        _ s: Sample, skipGroupLabels: Bool = false
    ) {
        sfx.withUnsafeBufferPointer { sfx in
            if quoted {
                line.appendLabels(
                    family, p, s.labels, quotedName: { self.line.appendName(base, sfx, quoted: true) }, skipGroupLabels: skipGroupLabels)
            } else {
                line.appendName(base, sfx, quoted: false)
                line.appendLabels(family, p, s.labels, quotedName: nil, skipGroupLabels: skipGroupLabels)
            }
        }
    }

    /// The sample's labels up to its `le`/`quantile` (which writers put last).
    func groupLabels(_ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, _ s: Sample) -> Range<Int32> {
        var upper = s.labels.upperBound
        while upper > s.labels.lowerBound {
            let l = family.labels[Int(upper - 1)]
            let n = p[l.name.lowerBound..<l.name.upperBound]
            guard n.elementsEqual("le".utf8) || n.elementsEqual("quantile".utf8) else { break }
            upper -= 1
        }
        return s.labels.lowerBound..<upper
    }

    /// Where a sample line ends (after its line feed) when the target writes it exactly as the input does, so
    /// that it can be copied whole: a plain name (the family's checked by the caller: not escaped, quoted or
    /// renamed), labels with nothing to rewrite, laid out as the writer lays them out (`{a="b",c="d"}`, one
    /// space after), a value and timestamp the writer would copy, no exemplars, nothing after. Else nil.
    @inline(__always)
    func verbatimEnd(_ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, _ s: Sample) -> Int? {
        guard s.extra < 0, s.nameFlags.isEmpty else { return nil }
        var i = s.name.upperBound
        if !s.labels.isEmpty {
            guard p[i] == UInt8(ascii: "{") else { return nil }
            i += 1
            for k in Int(s.labels.lowerBound)..<Int(s.labels.upperBound) {
                let l = family.labels[k]
                guard l.flags.isEmpty || l.flags == .valueEscaped, l.name.lowerBound == i,
                    l.value.lowerBound == l.name.upperBound + 2
                else { return nil }
                i = l.value.upperBound + 1
                guard p[i] == (k + 1 < Int(s.labels.upperBound) ? UInt8(ascii: ",") : UInt8(ascii: "}")) else { return nil }
                i += 1
            }
        }
        guard p[i] == UInt8(ascii: " "), s.valueRange.lowerBound == i + 1 else { return nil }
        let v = s.valueRange
        let ok =
            options.canonicalNumbers
            ? NumberSpelling.isCanonical(p, v.lowerBound, v.upperBound)
            : s.value.isFinite && NumberSpelling.isPlainDecimal(p, v.lowerBound, v.upperBound)
        guard ok else { return nil }
        i = v.upperBound
        if let ts = s.timestamp {
            let unit: TimestampDigits.Unit = family.format == .text ? .milliseconds : .seconds
            guard (family.format == .text) == (target == .text), p[i] == UInt8(ascii: " "), ts.range.lowerBound == i + 1,
                TimestampDigits.isCanonical(p, ts.range.lowerBound, ts.range.upperBound, unit: unit)
            else { return nil }
            i = ts.range.upperBound
        }
        // (The line is whole in `p`: its line feed is there, except on a last line without one.)
        return i < p.count && p[i] == 0x0A ? i + 1 : nil
    }

    /// One sample line; false when its timestamp lost digits.
    @inline(__always)
    func writeSample(_ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, _ s: Sample, base: [UInt8], quoted: Bool, plan: FamilyPlan)
        -> Bool
    {
        let sfx = suffix(family, p, s, baseCount: plan.inputBase.count)
        if quoted {
            line.appendLabels(family, p, s.labels, quotedName: { self.line.appendName(base, sfx, quoted: true) })
        } else {
            line.appendName(base, sfx, quoted: false)
            line.appendLabels(family, p, s.labels, quotedName: nil)
        }
        sink.append(UInt8(ascii: " "))
        line.appendValue(s.value, s.valueRange, p)
        var exact = true
        if let ts = s.timestamp {
            sink.append(UInt8(ascii: " "))
            exact = line.appendTimestamp(ts.range, p, from: family.format)
        }
        if target != .text && s.extra >= 0 {
            let exemplars = family.exemplars(of: s)
            if [.counter, .histogram, .gaugehistogram].contains(plan.type) {
                exemplarsDropped += line.appendExemplars(family, p, exemplars)
            } else {
                // A family written as unknown (or as gauges) cannot carry them (found by fuzzing: a gauge
                // histogram without _gsum written to 2.0 as unknown families kept its buckets' exemplars).
                exemplarsDropped += exemplars.count
            }
        }
        sink.append(UInt8(ascii: "\n"))
        return exact
    }
}

extension Array where Element == UInt8 {
    /// Whether the bytes end with `suffix`.
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}

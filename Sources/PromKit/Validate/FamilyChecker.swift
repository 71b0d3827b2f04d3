/// The semantic checks each spec sets on one metric family's samples.
///
/// Run by the reader as each family completes. Strings are made only for messages; grouping and duplicate
/// detection hash the label bytes. Where a spec says MUST the finding is an error; where it says SHOULD (or
/// the text format's docs only describe a convention), a warning. Scratch buffers live here and are reused
/// from one family to the next.
struct FamilyChecker {
    var f: MetricFamily
    var p: UnsafeBufferPointer<UInt8>
    private(set) var om = false
    /// The suffixes this family's samples may carry.
    private(set) var allowedRoles: SampleRoles = []
    /// Whether a sample may be named exactly like the family.
    private(set) var bareAllowed = false
    var found: [Diagnostic] = []
    /// The hash set the contiguity check uses for a family of many metrics, reused across families.
    var seen = HashSet64()
    /// Per-sample columns, reused across families: plain memory, so taking them costs no reference counting.
    /// A checker's own (a copy of the checker would share them): each reading pass makes its own checker.
    let columns = SampleColumns()
    /// The scheme the body's names were escaped by, when its `Content-Type` says `escaping=underscores`,
    /// `dots` or `values`: every name is then a legacy one. Nil otherwise (`allow-utf-8`, none, or a file).
    let escapedBy: EscapingScheme?

    /// One checker per reading pass: it keeps its scratch buffers from family to family.
    init(p: UnsafeBufferPointer<UInt8>, source: SourceFile, format: ExpositionFormat) {
        self.f = MetricFamily(source: source, format: format, name: "")
        self.p = p
        if let contentType = source.contentType, case .scheme(let scheme) = EscapingScheme.declared(inContentType: contentType),
            scheme != .allowUTF8
        {
            escapedBy = scheme
        } else {
            escapedBy = nil
        }
        prepare()
    }

    /// The input's bytes now read through `bytes` (the reader's window moved).
    mutating func rebase(_ bytes: UnsafeBufferPointer<UInt8>) {
        p = bytes
    }

    /// Checks the family the reader holds. It is lent to the checker (swapped in and back), not copied: a copy
    /// would retain and release its arrays and strings for every family.
    mutating func check(_ family: inout MetricFamily, into sink: inout DiagnosticSink) {
        swap(&f, &family)
        prepare()
        run()
        swap(&f, &family)
        if !found.isEmpty {
            for d in found { sink.add(d) }
            found.removeAll(keepingCapacity: true)
        }
    }

    /// Works out what depends on the family's format and type, for the family now in `f`.
    mutating func prepare() {
        om = f.format.isOpenMetrics
        allowedRoles = FamilySuffixes.roles(of: f.type, in: f.format)
        bareAllowed = allowedRoles.contains(.bare)
    }

    private mutating func report(
        _ code: DiagnosticCode, _ severity: Severity = .error, at offset: some BinaryInteger,
        _ message: String, label: String? = nil
    ) {
        found.append(Diagnostic(code, severity, at: Int(offset), message, family: f.name, label: label))
    }

    /// Errors where OpenMetrics says MUST; warnings for the text format, whose docs only describe it.
    private var mustSeverity: Severity { om ? .error : .warning }

    mutating func run() {
        checkMetadata()
        if f.samples.isEmpty { return }
        let samples = f.samples
        columns.reserve(samples.count)
        keySamples()
        let roles = columns.roles.view
        for i in samples.indices { checkSample(samples[i], roles[i], i) }
        checkMetrics()
        if f.type == .stateset && f.format == .openMetrics2 { checkStateSetGroups() }
        if let escapedBy { checkNamesEscaped(escapedBy) }
    }

    // MARK: Names escaped as the Content-Type says

    /// With `escaping=underscores`, `dots` or `values` the producer escaped every name into the legacy set
    /// (escaping_schemes.md); a name outside it (a quoted UTF-8 name) means it did not, and a scraper that
    /// asked for that scheme would read names it cannot store. One finding per family, at its first such name.
    private mutating func checkNamesEscaped(_ scheme: EscapingScheme) {
        func finding(_ name: String, at offset: Int32, label: Bool) {
            report(
                .nameEscaping, at: offset,
                "\(label ? "label" : "metric") name \"\(name)\" is outside the legacy set [a-zA-Z_:][a-zA-Z0-9_:]*, but the response's Content-Type says escaping=\(scheme.rawValue): its names should have been escaped (only escaping=allow-utf-8 allows such names)",
                label: label ? name : nil)
        }
        if !ByteClass.isLegacyMetricName(f.name) {
            finding(f.name, at: f.offset, label: false)
            return
        }
        for s in f.samples {
            let name = UnsafeBufferPointer(rebasing: p[s.name.lowerBound..<s.name.upperBound])
            if s.nameFlags.contains(.nameEscaped) || !ByteClass.isLegacyMetricName(name) {
                finding(f.sampleName(s), at: s.offset, label: false)
                return
            }
            for k in s.labels {
                let l = f.labels[Int(k)]
                let labelName = UnsafeBufferPointer(rebasing: p[l.name.lowerBound..<l.name.upperBound])
                if l.flags.contains(.nameEscaped) || !ByteClass.isLegacyLabelName(labelName) {
                    finding(f.name(of: l), at: s.offset, label: true)
                    return
                }
            }
        }
    }

    // MARK: Metadata

    mutating func checkMetadata() {
        // "MetricFamily names beginning with underscores are RESERVED and MUST NOT be used" (OpenMetrics).
        if om && f.name.utf8.first == UInt8(ascii: "_") {
            report(
                .invalidMetricName, at: f.typeOffset ?? f.offset,
                "metric family name \"\(f.name)\" begins with '_', which OpenMetrics reserves; rename it")
        }
        if let unitRange = f.unitRange, !unitRange.isEmpty, let unitOffset = f.unitOffset {
            let unit = f.text(unitRange)
            if f.type == .info || f.type == .stateset {
                report(.unitNotAllowed, at: unitOffset, "\(f.type.rawValue) families must have no unit, found \"\(unit)\"")
            } else if f.format == .openMetrics2 {
                let name = f.name
                if !name.hasSuffix("_" + unit) && !(f.type == .counter && name.hasSuffix("_\(unit)_total")) {
                    report(
                        .unitNotSuffix, .warning, at: unitOffset,
                        "unit \"\(unit)\" should be the suffix of the name \"\(name)\" (or come before _total)")
                }
            } else if !f.name.hasSuffix("_" + unit) {
                report(
                    .unitNotSuffix, at: unitOffset,
                    "unit \"\(unit)\" must be the suffix of the family name \"\(f.name)\" (expected a name ending \"_\(unit)\")")
            }
        }
        if f.format == .openMetrics2 {
            let at = f.typeOffset ?? f.offset
            if f.type == .info && !f.name.hasSuffix("_info") {
                report(.nameConvention, at: at, "info family \"\(f.name)\" must have a name ending \"_info\"")
            }
            if f.type == .counter && !f.name.hasSuffix("_total") {
                report(.nameConvention, .warning, at: at, "counter family \"\(f.name)\" should have a name ending \"_total\"")
            }
            for suffix in ["_count", "_sum", "_gcount", "_gsum", "_bucket"] where f.name.hasSuffix(suffix) {
                report(
                    .nameConvention, .warning, at: at,
                    "family name \"\(f.name)\" should not end \"\(suffix)\"; it clashes with classic histogram and summary series")
            }
        }
    }

    // MARK: Samples

    private func expectedNames() -> String {
        let suffixes = FamilySuffixes.sampleSuffixes(of: f.type, in: f.format).map { f.name + String(decoding: $0, as: UTF8.self) }
        return suffixes.joined(separator: ", ")
    }

    mutating func checkSample(_ s: Sample, _ role: SampleRole, _ index: Int) {
        // The sample's name must be one this type produces.
        let fits: Bool =
            switch role {
            case .bare: bareAllowed
            case .other: false
            default: true  // the reader only groups names with an allowed suffix
            }
        if !fits {
            report(
                .sampleNameMismatch, at: s.offset,
                "sample \"\(f.sampleName(s))\" does not fit \(f.type.rawValue) family \"\(f.name)\"; its samples are named \(expectedNames())"
            )
            return
        }
        let value = s.value
        if f.format == .openMetrics2 {
            checkComposite(s, f.composite(of: s))
        }
        switch f.type {
        case .counter:
            if role == .total || (f.format != .openMetrics && role == .bare) {
                if value.isNaN || value < 0 {
                    report(
                        .invalidCounterValue, mustSeverity, at: s.valueRange.start,
                        "counter \"\(f.sampleName(s))\" has value \(describe(s)); a counter total must not be NaN or negative")
                }
            }
        case .histogram, .gaugehistogram:
            if f.format != .openMetrics2 { checkHistogramSample(s, role, index) }
        case .summary:
            if f.format != .openMetrics2 { checkSummarySample(s, role, index) }
        case .info:
            if value != 1 {
                report(
                    .invalidInfoValue, at: s.valueRange.start,
                    "info sample \"\(f.sampleName(s))\" has value \(describe(s)); an info value is always 1")
            }
        case .stateset:
            if value != 0 && value != 1 {
                report(
                    .invalidStateSetValue, at: s.valueRange.start,
                    "stateset sample has value \(describe(s)); a state is 1 (true) or 0 (false)")
            }
            if f.labelValue(f.name, of: s) == nil {
                report(.missingStateSetLabel, at: s.offset, "stateset sample has no label \"\(f.name)\" naming its state")
            }
        case .gauge, .unknown:
            break
        }
        // Exemplars and a start timestamp: only samples with extras have either.
        guard s.extra >= 0 else { return }
        let extra = f.extras[Int(s.extra)]
        if !extra.exemplars.isEmpty { checkExemplars(s, role, index) }
        if extra.startTimestamp != nil && !(f.type == .counter || f.type == .histogram || f.type == .summary) {
            report(
                .invalidTimestamp, at: s.offset,
                "a start timestamp (st@) is only for counters, histograms and summaries, not \(f.type.rawValue)")
        }
    }

    private mutating func checkComposite(_ s: Sample, _ composite: CompositeValue?) {
        let needsComposite = f.type == .histogram || f.type == .gaugehistogram || f.type == .summary
        guard let c = composite else {
            if needsComposite {
                report(
                    .invalidCompositeValue, at: s.valueRange.start,
                    "a \(f.type.rawValue) sample takes a composite value {count:…,sum:…,…} in OpenMetrics 2.0")
            }
            return
        }
        switch f.type {
        case .histogram, .gaugehistogram:
            if !c.quantiles.isEmpty {
                report(.invalidCompositeValue, at: s.valueRange.start, "quantiles in a \(f.type.rawValue) value; only summaries have them")
            } else if c.isGauge != (f.type == .gaugehistogram) {
                report(
                    .invalidCompositeValue, at: s.valueRange.start,
                    f.type == .gaugehistogram
                        ? "a gaugehistogram value uses gcount and gsum" : "a histogram value uses count and sum, not gcount and gsum")
            }
        case .summary:
            if !c.buckets.isEmpty || c.schema != nil || c.isGauge {
                report(.invalidCompositeValue, at: s.valueRange.start, "a summary value has count, sum and quantile only")
            }
        case .unknown:
            break
        default:
            report(.invalidCompositeValue, at: s.valueRange.start, "a \(f.type.rawValue) sample takes a number, not a composite value")
            return
        }
        let count = c.count ?? 0
        // Native histograms may hold float counts, so 2.0 asks only for a count that is not NaN or negative.
        if count.isNaN || count < 0 {
            report(.invalidCounterValue, at: s.valueRange.start, "count \(format(count)) must not be NaN or negative")
        }
        if let sum = c.sum, !c.isGauge, f.type != .unknown, sum.isNaN || sum < 0,
            !c.buckets.contains(where: { $0.bound < 0 }), c.negativeBuckets.isEmpty
        {
            report(
                .invalidCounterValue, .warning, at: s.valueRange.start,
                "sum \(format(sum)) is negative or NaN although no bucket is negative")
        }
        var previous = -Double.infinity
        var previousValue = 0.0
        for (k, b) in c.buckets.enumerated() {
            if k > 0 && b.bound <= previous {
                report(
                    .histogramBucketOrder, at: s.valueRange.start,
                    "classic buckets must be sorted by bound with no repeats: \(format(b.bound)) after \(format(previous))")
                break
            }
            if b.value < previousValue || b.value.isNaN {
                report(
                    .histogramNotCumulative, at: s.valueRange.start,
                    "bucket \(format(b.bound)) has \(format(b.value)), less than the bucket before it (\(format(previousValue))); buckets are cumulative"
                )
                break
            }
            previous = b.bound
            previousValue = b.value
        }
        if let inf = c.buckets.last, inf.bound == .infinity, inf.value != count, !count.isNaN {
            report(
                .histogramCountMismatch, at: s.valueRange.start, "count \(format(count)) differs from the +Inf bucket \(format(inf.value))")
        }
        if let schema = c.schema, !(-4...8).contains(schema) {
            report(.invalidCompositeValue, at: s.valueRange.start, "schema \(schema) is outside -4…8")
        }
        if c.negativeSpans.reduce(0, { $0 + $1.length }) != c.negativeBuckets.count
            || c.positiveSpans.reduce(0, { $0 + $1.length }) != c.positiveBuckets.count
        {
            report(.invalidCompositeValue, at: s.valueRange.start, "span lengths must add up to the number of native buckets")
        }
        var q = -1.0
        for e in c.quantiles {
            if e.quantile < 0 || e.quantile > 1 {
                report(.invalidQuantile, at: s.valueRange.start, "quantile \(format(e.quantile)) is outside [0, 1]")
                break
            }
            if e.quantile <= q {
                report(
                    .quantileOrder, at: s.valueRange.start, "quantiles must be sorted increasing: \(format(e.quantile)) after \(format(q))")
                break
            }
            q = e.quantile
        }
    }

    /// The sample's le or quantile label (found by `keySamples`).
    private func specialLabel(_ index: Int) -> LabelRef? {
        let k = columns.specialAt[index]
        return k < 0 ? nil : LabelRef(f.labels[Int(k)])
    }

    private mutating func checkHistogramSample(_ s: Sample, _ role: SampleRole, _ index: Int) {
        let gauge = f.type == .gaugehistogram
        switch role {
        case .bucket:
            guard let le = specialLabel(index) else {
                report(.missingBucketLabel, at: s.offset, "bucket sample \"\(f.sampleName(s))\" has no \"le\" label")
                return
            }
            if columns.specialValue[index].isNaN {
                report(
                    .invalidBucketBound, at: le.range.start,
                    "invalid bucket bound le=\"\(f.text(le.range))\"; expected a number\(om ? " or exactly \"+Inf\"" : "")", label: "le")
            }
            checkCount(s, what: "bucket", integer: om)
        case .count, .gcount:
            checkCount(s, what: role == .count ? "_count" : "_gcount", integer: om)
        case .sum:
            if !gauge && (s.value.isNaN || s.value < 0) && om {
                report(
                    .invalidCounterValue, at: s.valueRange.start,
                    "histogram _sum has value \(describe(s)); it must not be NaN or negative (with negative buckets leave _sum out)")
            }
        case .gsum:
            if s.value.isNaN {
                report(.invalidCounterValue, at: s.valueRange.start, "gaugehistogram _gsum must not be NaN")
            }
        default:
            break
        }
        if role != .bucket, let le = specialLabel(index) {
            report(
                .reservedLabelName, mustSeverity, at: le.nameOffset,
                "\(f.type.rawValue) sample \"\(f.sampleName(s))\" has an \"le\" label; only _bucket samples may", label: "le")
        }
    }

    private mutating func checkSummarySample(_ s: Sample, _ role: SampleRole, _ index: Int) {
        switch role {
        case .bare:
            guard let q = specialLabel(index) else {
                report(.missingQuantileLabel, at: s.offset, "summary sample \"\(f.sampleName(s))\" has no \"quantile\" label")
                return
            }
            let text = f.text(q.range)
            // Parsed once, by `keySamples`. A quantile is a number: not NaN, not spelled Inf, and not a decimal
            // beyond float64's range (NaN from the bound parser).
            let v = columns.specialValue[index]
            guard !v.isNaN, v.isFinite else {
                report(
                    .invalidQuantile, at: q.range.start, "invalid quantile=\"\(text)\"; expected a number from 0 to 1", label: "quantile")
                return
            }
            // OpenMetrics: "Quantiles MUST be between 0 and 1 inclusive". The text format sets no range (and
            // exporters write percentiles): the quantile_range lint rule's.
            if om && (v < 0 || v > 1) {
                report(.invalidQuantile, at: q.range.start, "quantile \(text) is outside [0, 1]", label: "quantile")
            }
            if om && s.value < 0 {
                report(
                    .invalidCounterValue, at: s.valueRange.start,
                    "quantile value \(describe(s)) is negative; summary quantile values must not be")
            }
        case .count:
            checkCount(s, what: "_count", integer: om)
        case .sum:
            if om && (s.value.isNaN || s.value < 0) {
                report(
                    .invalidCounterValue, at: s.valueRange.start, "summary _sum has value \(describe(s)); it must not be NaN or negative")
            }
        default:
            break
        }
        if role != .bare, let q = specialLabel(index) {
            report(
                .reservedLabelName, mustSeverity, at: q.nameOffset,
                "summary sample \"\(f.sampleName(s))\" has a \"quantile\" label; only quantile samples may", label: "quantile")
        }
    }

    private mutating func checkCount(_ s: Sample, what: String, integer: Bool) {
        let v = s.value
        if v.isNaN || v < 0 {
            report(
                .invalidCounterValue, mustSeverity, at: s.valueRange.start,
                "\(f.type.rawValue) \(what) has value \(describe(s)); it must not be NaN or negative")
        } else if integer && (v.isInfinite || !Self.isWhole(v)) {
            // OpenMetrics: "Count and bucket values MUST be integers" (+Inf is none).
            report(
                .invalidCounterValue, at: s.valueRange.start, "\(f.type.rawValue) \(what) has value \(describe(s)); counts must be integers"
            )
        }
    }

    /// Whether a finite value is a whole number, without a call into libm (`rounded()` is one, on every
    /// count of every histogram): beyond 2^52 every double is whole.
    @inline(__always)
    static func isWhole(_ v: Double) -> Bool {
        abs(v) >= 0x1p52 || Double(Int64(v)) == v
    }

    private mutating func checkExemplars(_ s: Sample, _ role: SampleRole, _ index: Int) {
        let allowed: Bool =
            switch f.format {
            case .openMetrics:
                (f.type == .counter && role == .total) || ((f.type == .histogram || f.type == .gaugehistogram) && role == .bucket)
            case .openMetrics2: f.type == .counter || f.type == .histogram || f.type == .gaugehistogram
            case .text: false
            }
        if !allowed {
            let first = f.exemplars(of: s).first!
            report(
                .exemplarNotAllowed, at: first.offset,
                "exemplar on \(f.type.rawValue) sample \"\(f.sampleName(s))\"; exemplars go only on counter totals and histogram buckets")
            return
        }
        if f.format == .openMetrics && role == .bucket, let le = specialLabel(index), !columns.specialValue[index].isNaN {
            let bound = columns.specialValue[index]
            for e in f.exemplars(of: s) where !(e.value <= bound) {
                report(
                    .invalidExemplar, at: e.offset,
                    "exemplar value \(format(e.value)) is above its bucket's bound le=\"\(f.text(le.range))\"")
            }
        }
    }

    // MARK: Metrics (samples grouped by labels)

    /// One pass over every sample's labels: the metric hash, and the le/quantile/state label that tells a
    /// metric's samples apart (not part of the metric's identity), its value parsed once.
    mutating func keySamples() {
        let n = f.samples.count
        // Every sample's entry in each column is written below, in order (`columns` holds room for `n`).
        let c = columns
        let hashOut = c.metricHash.view, valueOut = c.specialValue.view, bitsOut = c.specialBits.view, atOut = c.specialAt.view
        let roleOut = c.roles.view, sameOut = c.sameMetric.view
        // Per label position of the sample before: the running sum of label hashes before it. A sample's
        // leading labels that the reader found byte for byte the previous sample's (a histogram's buckets share
        // all but le) take their part of the hash from there.
        let prefix = c.prefix.view
        var bounds = BoundCache(c)
        // The special label's name and the role whose samples it tells apart.
        let (special, specialRole): (StaticString, SampleRole) =
            switch f.type {
            case .histogram, .gaugehistogram: ("le", .bucket)
            case .summary: ("quantile", .bare)
            default: ("", .other)
            }
        let specialCount = special.utf8CodeUnitCount, specialBytes = special.utf8Start
        let stateset = f.type == .stateset
        let p = self.p, om = self.om, base = p.baseAddress!
        f.samples.withUnsafeBufferPointer { samples in
            f.labels.withUnsafeBufferPointer { labels in
                // Position of the previous sample's le/quantile label, and of the label that set its
                // special value (the same one, when its role is the one that label tells apart).
                var previousAt = -1, previousSpecial = -1, previousCount = -1
                for i in 0..<n {
                    let s = samples[i]
                    // The reader sets every sample's role (`ReaderState.handleSample`), the only way here.
                    let role = s.role ?? .other
                    let lower = Int(s.labels.lowerBound), count = Int(s.labels.upperBound) - lower
                    let shared = i > 0 && count <= 256 ? min(Int(s.sharedLabels), count) : 0
                    var h: UInt64 = shared > 0 ? prefix[shared] : 0
                    var value = Double.nan
                    var bits: UInt64 = 0
                    var at: Int32 = -1
                    var atPosition = -1, specialPosition = -1
                    if previousAt >= 0 && previousAt < shared {
                        at = Int32(lower + previousAt)
                        atPosition = previousAt
                    }
                    if previousSpecial >= 0 && previousSpecial < shared {
                        value = valueOut[i - 1]
                        bits = bitsOut[i - 1]
                        specialPosition = previousSpecial
                    }
                    // Names as in the previous sample: the special label is where it was there.
                    let knownNames = i > 0 && s.sameLabelNames && !stateset
                    for position in shared..<count {
                        let k = lower + position
                        let label = labels[k]
                        var isSpecial = false
                        if knownNames
                            ? position == previousAt
                            : specialCount > 0 && label.name.count == specialCount
                                && memcmpBytes(base + label.name.lowerBound, specialBytes, specialCount)
                        {
                            at = Int32(k)
                            atPosition = position
                            isSpecial = role == specialRole
                        } else if stateset {
                            isSpecial = f.name(of: label) == f.name
                        }
                        if isSpecial {
                            value = bounds.value(p, label.value, om: om)
                            bits = value.isNaN ? SeriesIdentity.valueHash(p, label) : value.bitPattern
                            specialPosition = position
                        } else {
                            // The label's meaning, however it is spelled (`SeriesIdentity`). Summing keeps
                            // the hash independent of label order.
                            h &+= SeriesIdentity.labelHash(p, label)
                        }
                        if position < 256 { prefix[position + 1] = h }
                    }
                    // Every label the previous sample's bytes, but the special one, left out of both hashes (a
                    // histogram's buckets, a summary's quantiles): the same metric, without comparing.
                    sameOut[i] =
                        count == previousCount
                        && (shared == count || (shared == count - 1 && specialPosition == shared && previousSpecial == shared))
                    previousAt = atPosition
                    previousSpecial = specialPosition
                    previousCount = count
                    roleOut[i] = role
                    hashOut[i] = h
                    valueOut[i] = value
                    bitsOut[i] = bits
                    atOut[i] = at
                }
            }
        }
    }

    /// The per-sample columns the metric checks read, as buffers (valid during `checkMetrics`): indexing them
    /// costs no bounds check or reference counting, once per sample of every family.
    struct Columns {
        let samples: UnsafeBufferPointer<Sample>
        let roles: UnsafeBufferPointer<SampleRole>
        let special: UnsafeBufferPointer<Double>
        let bits: UnsafeBufferPointer<UInt64>
    }

    mutating func checkMetrics() {
        let n = f.samples.count
        let c = columns
        let hash = UnsafeBufferPointer(start: c.metricHash.base, count: n)
        var order = UnsafeMutableBufferPointer(start: c.order.base, count: n)
        let samples = f.samples
        // Group samples into metrics. OpenMetrics requires each metric's samples to be contiguous. Equal hashes are
        // trusted only where confirmed (neighbours the reader saw share their labels, or compared): where one is
        // not, or a metric's hash comes back after another's (a split metric, or a collision), the samples are
        // keyed exactly instead, so that no collision changes a verdict (issue 18).
        var contiguous = confirmRuns(hash) && checkContiguous(hash, reporting: false)
        if !contiguous {
            keyMetricsExactly()
            contiguous = checkContiguous(hash, reporting: true)
        }
        f.pointsInterleaved = !contiguous
        for i in 0..<n { order[i] = i }
        if !contiguous {
            order.sort { hash[$0] != hash[$1] ? hash[$0] < hash[$1] : $0 < $1 }
        }
        // A metric of one sample has nothing to compare unless it is a histogram (its +Inf bucket) or an
        // OpenMetrics counter (its _total).
        let singlesNeedCheck = f.type == .histogram || f.type == .gaugehistogram || (f.type == .counter && f.format == .openMetrics)
        samples.withUnsafeBufferPointer { samples in
            let columns = Columns(
                samples: samples, roles: UnsafeBufferPointer(start: c.roles.base, count: n),
                special: UnsafeBufferPointer(start: c.specialValue.base, count: n),
                bits: UnsafeBufferPointer(start: c.specialBits.base, count: n))
            let order = UnsafeBufferPointer(order)
            var i = 0
            while i < n {
                let h = hash[order[i]]
                var j = i + 1
                while j < n && hash[order[j]] == h { j += 1 }
                if j - i > 1 || singlesNeedCheck {
                    checkMetric(UnsafeBufferPointer(rebasing: order[i..<j]), columns)
                }
                i = j
            }
        }
    }

    /// Whether neighbours with equal hashes are the same metric: known from the reader, or compared.
    private func confirmRuns(_ hash: UnsafeBufferPointer<UInt64>) -> Bool {
        let same = UnsafeBufferPointer(start: columns.sameMetric.base, count: hash.count)
        var i = 1
        while i < hash.count {
            if hash[i] == hash[i - 1] && !same[i] && !sameMetric(i - 1, i) { return false }
            i += 1
        }
        return true
    }

    /// The index in `f.labels` of the label left out of sample `i`'s metric hash (`keySamples`: the le of a
    /// bucket, the quantile of a quantile sample, a stateset's state), or -1.
    private func excludedLabel(_ i: Int) -> Int {
        let role = columns.roles.view[i]
        switch f.type {
        case .histogram, .gaugehistogram: return role == .bucket ? Int(columns.specialAt.view[i]) : -1
        case .summary: return role == .bare ? Int(columns.specialAt.view[i]) : -1
        case .stateset:
            let s = f.samples[i]
            for k in Int(s.labels.lowerBound)..<Int(s.labels.upperBound) where f.name(of: f.labels[k]) == f.name { return k }
            return -1
        default: return -1
        }
    }

    /// Whether samples `a` and `b` are the same metric: the same labels but the one each leaves out. Labels in the
    /// same order and spelling compare byte for byte; otherwise as `SeriesIdentity` means them.
    private func sameMetric(_ a: Int, _ b: Int) -> Bool {
        let ra = f.samples[a].labels, rb = f.samples[b].labels
        let xa = excludedLabel(a), xb = excludedLabel(b)
        let ea = Int(ra.upperBound), eb = Int(rb.upperBound)
        guard ea - Int(ra.lowerBound) - (xa >= 0 ? 1 : 0) == eb - Int(rb.lowerBound) - (xb >= 0 ? 1 : 0) else { return false }
        // In order and byte for byte (no allocation: this runs where a histogram's _count follows its buckets).
        var i = Int(ra.lowerBound), j = Int(rb.lowerBound)
        while true {
            if i == xa { i += 1 }
            if j == xb { j += 1 }
            if i >= ea || j >= eb { return true }
            let x = f.labels[i], y = f.labels[j]
            if !bytesEqual(p, x.name, y.name) || !bytesEqual(p, x.value, y.value) { break }
            i += 1
            j += 1
        }
        let la = (Int(ra.lowerBound)..<ea).filter { $0 != xa }.map { f.labels[$0] }
        let lb = (Int(rb.lowerBound)..<eb).filter { $0 != xb }.map { f.labels[$0] }
        return SeriesIdentity.sameLabels(p, la, lb)
    }

    /// Replaces each sample's metric hash by an exact id of its metric (its labels as `SeriesIdentity` means
    /// them, the left-out one aside), in order of first appearance: grouping by id cannot merge two metrics.
    private mutating func keyMetricsExactly() {
        let hashOut = columns.metricHash.view
        var ids: [SeriesIdentity: UInt64] = [:]
        for i in f.samples.indices {
            let x = excludedLabel(i)
            let key = SeriesIdentity(of: f.samples[i], in: f, excluding: x >= 0 ? [f.name(of: f.labels[x])] : [], includeName: false)
            let next = UInt64(ids.count) &+ 1
            hashOut[i] = ids[key, default: next]
            if hashOut[i] == next { ids[key] = next }
        }
    }

    /// Whether each metric's samples (runs of one metric hash) are together; reports each run that comes
    /// after another metric's (OpenMetrics), when `reporting` (else stops at the first).
    private mutating func checkContiguous(_ hash: UnsafeBufferPointer<UInt64>, reporting: Bool) -> Bool {
        let n = hash.count
        var runs = 0, i = 0
        while i < n {
            let h = hash[i]
            i += 1
            while i < n && hash[i] == h { i += 1 }
            runs += 1
        }
        if runs <= 1 { return true }
        // A run's hash seen before: few metrics (the usual family) are looked through, many go in a hash set.
        let few = runs <= 32
        var seen = HashSet64()
        if !few {
            swap(&seen, &self.seen)  // moved out, so clearing it does not copy
            seen.reset(capacity: runs)
        }
        var contiguous = true
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: few ? runs : 0) { before in
            var m = 0
            i = 0
            while i < n {
                let h = hash[i]
                var again = false
                if few {
                    var k = 0
                    while k < m && before[k] != h { k += 1 }
                    again = k < m
                    if !again {
                        before[m] = h
                        m += 1
                    }
                } else {
                    again = !seen.insert(h)
                }
                if again {
                    contiguous = false
                    guard reporting else {
                        i = n
                        continue
                    }
                    reportSplitMetric(i)
                }
                i += 1
                while i < n && hash[i] == h { i += 1 }
            }
        }
        if !few { swap(&seen, &self.seen) }
        return contiguous
    }

    private mutating func reportSplitMetric(_ i: Int) {
        if om {
            report(
                .familyNotContiguous, at: f.samples[i].offset,
                "samples of series \(f.seriesDescription(f.samples[i])) are split by other series; a metric's samples must be together")
        }
    }

    /// OpenMetrics 2.0: "StateSet MetricGroups MUST NOT be interleaved". Besides the metric grouping, the
    /// spec's own example calls a group interleaved when a label value comes back after another value of the
    /// same label, so each label's values must form runs.
    private mutating func checkStateSetGroups() {
        var lastValue: [String: String] = [:]
        var finished: [String: Set<String>] = [:]
        for s in f.samples {
            for label in f.labels(of: s) {
                let name = f.name(of: label)
                if name == f.name { continue }
                let value = f.value(of: label)
                if let last = lastValue[name], last != value {
                    finished[name, default: []].insert(last)
                    if finished[name]!.contains(value) {
                        report(
                            .familyNotContiguous, at: s.offset,
                            "StateSet metric groups are interleaved: \(name)=\"\(value)\" comes back after \(name)=\"\(last)\"; keep each group's states together",
                            label: name)
                        return
                    }
                }
                lastValue[name] = value
            }
        }
    }

    /// One metric: duplicate series, timestamps, and the histogram's buckets against its count. `group`: the
    /// indices of its samples.
    private mutating func checkMetric(_ group: UnsafeBufferPointer<Int>, _ c: Columns) {
        if group.count == 1 && f.type != .histogram && f.type != .gaugehistogram && f.type != .counter { return }
        // Timestamps: all or none within a metric (OpenMetrics).
        if om {
            let withTS = group.reduce(0) { $0 + (c.samples[$1].timestamp != nil ? 1 : 0) }
            if withTS != 0 && withTS != group.count {
                let first = group.first { c.samples[$0].timestamp == nil }!
                report(
                    .timestampMixed, at: c.samples[first].offset,
                    "some samples of \(f.seriesDescription(c.samples[first])) have timestamps and some do not; give all or none")
            }
        }
        if group.count > 1 { checkRepeats(group, c) }
        switch f.type {
        case .histogram, .gaugehistogram:
            if f.format != .openMetrics2 { checkBuckets(group, c) }
        case .counter:
            if f.format == .openMetrics && !group.contains(where: { c.roles[$0] == .total }) {
                report(
                    .sampleNameMismatch, at: c.samples[group[0]].offset,
                    "counter \(f.seriesDescription(c.samples[group[0]])) has no \(f.name)_total sample")
            }
        default:
            break
        }
    }

    /// Duplicate series: same role (name) and same le/quantile. Small groups compare pairwise, only for a
    /// sample whose (role, le/quantile) lands on a bit of a 64-bit filter already set: a histogram's
    /// buckets are all different, and most never look back. A match the labels do not confirm (special values
    /// whose hashes collide, or `1` and `1.0`) has the group checked again by exact keys.
    private mutating func checkRepeats(_ group: UnsafeBufferPointer<Int>, _ c: Columns) {
        let before = found.count
        var confirmed = true
        if group.count <= 32 {
            var seen: UInt64 = 0
            for a in 0..<group.count where confirmed {
                let ia = group[a]
                let bit: UInt64 = 1 << (((c.bits[ia] ^ UInt64(c.roles[ia].rawValue)) &* 0x9E37_79B9_7F4A_7C15) >> 58)
                if seen & bit == 0 {
                    seen |= bit
                    continue
                }
                var b = a - 1
                while b >= 0 {
                    let ib = group[b]
                    if c.roles[ib] == c.roles[ia] && c.bits[ib] == c.bits[ia] {
                        confirmed = checkRepeat(ib, ia)
                        break
                    }
                    b -= 1
                }
            }
        } else {
            var lastBySeries: [SeriesKey: Int] = [:]
            for idx in group where confirmed {
                let key = SeriesKey(role: c.roles[idx], special: c.bits[idx])
                if let prev = lastBySeries[key] { confirmed = checkRepeat(prev, idx) }
                lastBySeries[key] = idx
            }
        }
        guard !confirmed else { return }
        found.removeSubrange(before...)
        var last: [ExactSeriesKey: Int] = [:]
        for idx in group {
            let key = ExactSeriesKey(role: c.roles[idx], labels: SeriesIdentity(of: f.samples[idx], in: f, includeName: false))
            if let prev = last[key] { _ = checkRepeat(prev, idx) }
            last[key] = idx
        }
    }

    /// A series seen again: a duplicate, or (OpenMetrics, with timestamps) a later point that must not go back.
    /// False when the two are not the same series after all (their labels differ).
    private mutating func checkRepeat(_ prev: Int, _ idx: Int) -> Bool {
        let a = f.samples[prev], s = f.samples[idx]
        guard sameLabels(a, s) else { return false }
        if a.timestamp == nil || s.timestamp == nil || !om {
            report(
                .duplicateSeries, at: s.offset,
                "duplicate series \(f.seriesDescription(s)); it was already given \(a.timestamp == nil ? "" : "for this timestamp ")earlier"
            )
        } else if let t0 = a.timestamp, let t1 = s.timestamp, t1.seconds < t0.seconds {
            report(
                .timestampOrder, at: t1.range.start,
                "timestamps of \(f.seriesDescription(s)) go backwards (\(f.text(t1.range)) after \(f.text(t0.range)))")
        }
        return true
    }

    /// Classic buckets of one metric point: sorted, cumulative, +Inf present and equal to the count.
    private mutating func checkBuckets(_ group: UnsafeBufferPointer<Int>, _ c: Columns) {
        // OpenMetrics points are told apart by timestamp (when every sample has one; a metric with some is
        // reported as mixed, and checked as one point). In the text format a timestamp is the sample's own:
        // a series repeated is a duplicate, never a second point, so the metric is one point.
        let firstTS = c.samples[group[0]].timestamp?.seconds
        var onePoint = true
        if om {
            for idx in group where c.samples[idx].timestamp?.seconds != firstTS {
                onePoint = false
                break
            }
            if !onePoint && group.contains(where: { c.samples[$0].timestamp == nil }) { onePoint = true }
        }
        if onePoint {
            checkPoint(group, c)
            return
        }
        // Every sample has a timestamp here. The points in order of first appearance, their members in input
        // order, gathered in one walk (a search of the points met and a filter per point were quadratic in a
        // metric's timestamps).
        var order: [UInt64] = []
        var members: [UInt64: [Int]] = [:]
        for idx in group {
            let t = c.samples[idx].timestamp?.seconds ?? 0
            let key = (t == 0 ? 0 : t).bitPattern  // -0 and 0 are one point, as == has it
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(idx)
        }
        for key in order {
            members[key]!.withUnsafeBufferPointer { checkPoint($0, c) }
        }
    }

    /// One point (one timestamp) of a classic histogram.
    private mutating func checkPoint(_ members: UnsafeBufferPointer<Int>, _ c: Columns) {
        let gauge = f.type == .gaugehistogram
        do {
            guard let first = members.first else { return }
            var previousBound = -Double.infinity
            var previousValue = -Double.infinity
            var infValue: Double?
            var negativeBucket = false
            var countIndex: Int?
            var sumIndex: Int?
            var orderReported = false, cumulativeReported = false
            for idx in members {
                let s = c.samples[idx]
                switch c.roles[idx] {
                case .bucket:
                    let bound = c.special[idx]
                    if bound.isNaN { continue }
                    if bound < 0 { negativeBucket = true }
                    if bound <= previousBound && !orderReported {
                        orderReported = true
                        report(
                            .histogramBucketOrder, mustSeverity, at: s.offset,
                            bound == previousBound
                                ? "bucket le=\"\(format(bound))\" appears twice in \(f.seriesDescription(s))"
                                : "buckets out of order: le=\"\(format(bound))\" after le=\"\(format(previousBound))\"; sort them by le")
                    } else if s.value < previousValue && !cumulativeReported {
                        cumulativeReported = true
                        report(
                            .histogramNotCumulative, at: s.valueRange.start,
                            "bucket le=\"\(format(bound))\" counts \(format(s.value)), fewer than the bucket before it (\(format(previousValue))); buckets are cumulative"
                        )
                    }
                    if bound == .infinity { infValue = s.value }
                    previousBound = max(previousBound, bound)
                    previousValue = max(previousValue, s.value)
                case .count, .gcount:
                    countIndex = idx
                case .sum, .gsum:
                    sumIndex = idx
                default:
                    break
                }
            }
            if infValue == nil {
                report(
                    .histogramMissingInf, at: f.samples[first].offset,
                    "\(f.type.rawValue) \(metricDescription(f.samples[first])) has no le=\"+Inf\" bucket")
            }
            let countName = gauge ? "_gcount" : "_count", sumName = gauge ? "_gsum" : "_sum"
            if let ci = countIndex, let inf = infValue, f.samples[ci].value != inf, !inf.isNaN {
                report(
                    .histogramCountMismatch, at: f.samples[ci].valueRange.start,
                    "\(countName) is \(describe(f.samples[ci])) but the +Inf bucket counts \(format(inf)); they must be equal")
            }
            if (countIndex == nil) != (sumIndex == nil) {
                let present = countIndex ?? sumIndex!
                report(
                    .histogramSumCount, mustSeverity, at: f.samples[present].offset,
                    countIndex == nil
                        ? "\(metricDescription(f.samples[first])) has \(sumName) but no \(countName); give both or neither"
                        : "\(metricDescription(f.samples[first])) has \(countName) but no \(sumName); give both or neither")
            }
            if let sIndex = sumIndex, negativeBucket, !gauge, f.format == .openMetrics {
                report(
                    .histogramSumCount, at: f.samples[sIndex].offset,
                    "histogram \(metricDescription(f.samples[first])) has negative buckets and a _sum; with negative buckets _sum must be left out"
                )
            }
            if let sIndex = sumIndex, gauge, !negativeBucket, f.samples[sIndex].value < 0 {
                report(.invalidCounterValue, at: f.samples[sIndex].valueRange.start, "_gsum is negative although no bucket is negative")
            }
        }
    }

}

/// Bucket bounds (and quantiles, states) parsed once per spelling: a histogram's series repeat the same few
/// `le` values, so a small direct-mapped cache keyed by the bytes (up to 7) skips nearly every parse.
struct BoundCache {
    private let keys: ScratchView<UInt64>
    private let values: ScratchView<Double>
    private var cleared = false

    /// A cache in the columns' slots, emptied on first use (a family without bounds costs nothing).
    init(_ columns: SampleColumns) {
        keys = columns.boundKeys.view
        values = columns.boundValues.view
    }

    /// The bound written at `r`; NaN when it is none (not a number, or NaN).
    mutating func value(_ p: UnsafeBufferPointer<UInt8>, _ r: ByteRange, om: Bool) -> Double {
        let n = r.count
        guard n > 0 && n < 8 else { return Self.parse(p, r, om: om) }
        if !cleared {
            // No key is 0: every key holds its length in the top byte.
            keys.base.update(repeating: 0, count: SampleColumns.boundSlots)
            cleared = true
        }
        let key = loadWord(p, r.lowerBound, n) | (UInt64(n) << 56)
        let slot = Int(truncatingIfNeeded: mix64(key) >> 58)
        if keys[slot] == key { return values[slot] }
        let v = Self.parse(p, r, om: om)
        keys[slot] = key
        values[slot] = v
        return v
    }

    /// OpenMetrics wants `+Inf` exactly; the text format takes any float spelling. A decimal beyond float64's
    /// range is no number (expfmt's ParseFloat fails on it; OpenMetrics numbers are float64s).
    static func parse(_ p: UnsafeBufferPointer<UInt8>, _ r: ByteRange, om: Bool) -> Double {
        guard !r.isEmpty else { return .nan }
        if let d = NumberSyntax.parseDecimal(p, r.lowerBound, r.upperBound) { return d.isInfinite ? .nan : d }
        if om {
            let plusInf: (UInt8, UInt8, UInt8, UInt8) = (0x2B, 0x49, 0x6E, 0x66)  // "+Inf"
            return r.count == 4 && (p[r.lowerBound], p[r.lowerBound + 1], p[r.lowerBound + 2], p[r.lowerBound + 3]) == plusInf
                ? .infinity : .nan
        }
        return NumberSyntax.parseSpecial(p, r.lowerBound, r.upperBound) ?? .nan
    }
}

// MARK: - Helpers (messages and rare paths)

extension FamilyChecker {
    struct SeriesKey: Hashable {
        var role: SampleRole
        var special: UInt64
    }

    /// A series exactly: its role and its labels as they mean (the slow path, after a collision).
    struct ExactSeriesKey: Hashable {
        var role: SampleRole
        var labels: SeriesIdentity
    }

    struct LabelRef {
        var range: ByteRange
        var nameOffset: Int32
        init(_ l: Label) {
            range = l.value
            nameOffset = l.name.start
        }
    }

    /// Exact comparison of two samples' label sets, as `SeriesIdentity` means them (confirms a hash match).
    func sameLabels(_ a: Sample, _ b: Sample) -> Bool {
        SeriesIdentity.sameLabels(p, f.labels(of: a), f.labels(of: b))
    }

    /// The metric a histogram or summary point belongs to: its series without le/quantile.
    func metricDescription(_ s: Sample) -> String {
        f.seriesDescription(s, excluding: ["le", "quantile"]).replacingSampleName(f.sampleName(s), with: f.name)
    }

    func describe(_ s: Sample) -> String {
        f.text(s.valueRange)
    }

    func format(_ v: Double) -> String { NumberFormat.text(v) }
}

extension String {
    /// The description with the family name in place of the sample name it starts with (`x_sum{…}` → `x{…}`).
    func replacingSampleName(_ sample: String, with family: String) -> String {
        if hasPrefix(sample) { return family + dropFirst(sample.count) }
        if hasPrefix("{\"" + sample + "\"") { return "{\"" + family + "\"" + dropFirst(sample.count + 3) }
        return self
    }
}

/// The checker's per-sample columns (role, metric hash, le/quantile value and identity bits, where that label
/// is, the metric order) and small fixed tables, in memory of its own that grows to the largest family and
/// is kept (`ScratchBuffer`). Used by one thread at a time (each reading pass has its own checker): the
/// properties skip the runtime's exclusivity bookkeeping.
final class SampleColumns: @unchecked Sendable {
    /// Per sample: its role, its metric's hash (labels without le/quantile/state), that special label's value
    /// as a number (NaN: none or not a number) and as identity bits, and the index of the sample's le
    /// (histogram) or quantile (summary) label in `f.labels`, whatever the sample's role (-1: none).
    @exclusivity(unchecked) private(set) var roles = ScratchBuffer<SampleRole>()
    @exclusivity(unchecked) private(set) var metricHash = ScratchBuffer<UInt64>()
    @exclusivity(unchecked) private(set) var specialValue = ScratchBuffer<Double>()
    @exclusivity(unchecked) private(set) var specialBits = ScratchBuffer<UInt64>()
    @exclusivity(unchecked) private(set) var specialAt = ScratchBuffer<Int32>()
    /// Per sample: whether its metric is, byte for byte, the previous sample's (known from the reader's shared
    /// labels), so that equal hashes there need no comparison.
    @exclusivity(unchecked) private(set) var sameMetric = ScratchBuffer<Bool>()
    /// The samples' indices, sorted by metric when a family's metrics are not each together.
    @exclusivity(unchecked) private(set) var order = ScratchBuffer<Int>()
    /// Per label position of a sample (up to 256): the running hash of the labels before it.
    let prefix = ScratchBuffer<UInt64>(capacity: 257)
    /// `BoundCache`'s slots: bound spellings (up to 7 bytes) and their values.
    static let boundSlots = 64
    let boundKeys = ScratchBuffer<UInt64>(capacity: boundSlots)
    let boundValues = ScratchBuffer<Double>(capacity: boundSlots)

    /// Room for `n` samples (contents not kept: each family writes its own before reading).
    func reserve(_ n: Int) {
        roles.reserve(n)
        metricHash.reserve(n)
        specialValue.reserve(n)
        specialBits.reserve(n)
        specialAt.reserve(n)
        sameMetric.reserve(n)
        order.reserve(n)
    }
}

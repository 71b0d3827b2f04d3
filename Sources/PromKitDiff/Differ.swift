import PromKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Two sides compared family by family, each change classed; the series a report lists described last.
struct Differ {
    let old: ComparableSide
    let new: ComparableSide
    let options: DiffOptions

    /// What to describe once the comparison is done: a listed series change and its line on one side.
    private struct Pending {
        var family: Int
        var change: Int
        var onNew: Bool
        var offset: Int32
        var part: UInt16
    }

    /// The line a listed series change is described from (one per entry of a family's `series`, in order).
    struct ListedLine {
        var onNew: Bool
        var offset: Int32
        var part: UInt16
    }

    func compare(oldPath: String, newPath: String, threads: Int = ReadOptions.availableCores) -> DiffResult {
        // Pairs of families by key; then a removed and an added family written with the same name are one
        // family whose type changed (OpenMetrics 1.0's counter `x` keyed `x_total`, its gauge `x` keyed `x`).
        var pairs: [(old: Int?, new: Int?)] = []
        pairs.reserveCapacity(new.families.count)
        var matchedOld = [Bool](repeating: false, count: old.families.count)
        for n in new.families.indices {
            if let o = old.index[new.families[n].key] {
                pairs.append((o, n))
                matchedOld[o] = true
            } else {
                pairs.append((nil, n))
            }
        }
        var removedByName: [String: Int] = [:]
        for o in old.families.indices where !matchedOld[o] { removedByName[old.families[o].name] = o }
        for k in pairs.indices where pairs[k].old == nil {
            if let o = removedByName.removeValue(forKey: new.families[pairs[k].new!].name) { pairs[k].old = o }
        }
        pairs += removedByName.values.sorted().map { (old: $0, new: nil) }
        // By name (the new side's), for a stable report whatever the input order.
        let names = pairs.map { pair -> (String, String) in
            pair.new.map { (new.families[$0].name, new.families[$0].key) }
                ?? (old.families[pair.old!].name, old.families[pair.old!].key)
        }
        pairs = Self.sortedByName(names).map { pairs[$0] }

        // Families compared in parallel, in contiguous partitions of about equal series counts; each lists up
        // to the limit of each kind, and the merge below keeps the first ones in family order.
        var bounds = [0]
        let total = pairs.reduce(0) { $0 + weight($1) }
        let partitions = threads > 1 && pairs.count > 64 ? threads * 8 : 1
        var running = 0
        for (k, pair) in pairs.enumerated() {
            running += weight(pair)
            if running * partitions >= total * bounds.count && bounds.count < partitions { bounds.append(k + 1) }
        }
        if bounds.last != pairs.count { bounds.append(pairs.count) }
        var compared = [(diff: FamilyDiff, lines: [ListedLine])?](repeating: nil, count: pairs.count)
        compared.withUnsafeMutableBufferPointer { out in
            var scratch = (0..<max(1, threads)).map { _ in SeriesScratch() }
            scratch.withUnsafeMutableBufferPointer { scratch in
                // The families read in place (a copy of each, made to pass it, retained and released its strings
                // and arrays: 3 % of the run).
                old.families.withUnsafeBufferPointer { oldFamilies in
                    new.families.withUnsafeBufferPointer { newFamilies in
                        ParallelLoop.forEach(bounds.count - 1, threads: threads) { part, worker in
                            // Only the partition's first changes of each kind can be among the report's first: no more
                            // are made (the memory stays bounded however many series changed).
                            scratch[worker].listed = (0, 0, 0)
                            for k in bounds[part]..<bounds[part + 1] {
                                let pair = pairs[k]
                                out[k] = compareFamily(
                                    pair.old.map { oldFamilies.baseAddress! + $0 }, pair.new.map { newFamilies.baseAddress! + $0 },
                                    scratch: scratch[worker])
                            }
                        }
                    }
                }
            }
        }

        var budget = (added: limit, removed: limit, changed: limit)
        var families: [FamilyDiff] = []
        families.reserveCapacity(pairs.count)
        var pending: [Pending] = []
        var summary = DiffSummary()
        for k in compared.indices {
            // Taken out, not copied (a copy retained each family's name and arrays, and the tuple's release freed
            // nothing until the end).
            guard var (diff, lines) = compared[k].take() else { continue }
            // Only the first changes of each kind, in family order, are listed.
            if !diff.series.isEmpty {
                var kept: [SeriesChange] = []
                for (change, line) in zip(diff.series, lines) {
                    switch change.kind {
                    case .added:
                        guard budget.added > 0 else { continue }
                        budget.added -= 1
                    case .removed:
                        guard budget.removed > 0 else { continue }
                        budget.removed -= 1
                    case .changed:
                        guard budget.changed > 0 else { continue }
                        budget.changed -= 1
                    }
                    pending.append(
                        Pending(family: families.count, change: kept.count, onNew: line.onNew, offset: line.offset, part: line.part))
                    kept.append(change)
                }
                diff.series = kept
                lines = []
            }
            switch diff.status {
            case .added: summary.familiesAdded += 1
            case .removed: summary.familiesRemoved += 1
            case .changed: summary.familiesChanged += 1
            case .unchanged: break
            }
            summary.seriesAdded += diff.seriesAdded
            summary.seriesRemoved += diff.seriesRemoved
            summary.seriesChanged += diff.seriesChanged
            summary.seriesUnchanged += diff.seriesUnchanged
            for change in diff.changes {
                switch change.changeClass {
                case .breaking: summary.breaking += 1
                case .risky: summary.risky += 1
                case .info: break
                }
            }
            families.append(diff)
        }
        // The listed series, described from their lines.
        let oldNames = SeriesDescriber.describe(
            old.source, format: old.format,
            lines: pending.filter { !$0.onNew }.map { ($0.offset, $0.part, families[$0.family].oldType ?? .unknown) })
        let newNames = SeriesDescriber.describe(
            new.source, format: new.format,
            lines: pending.filter(\.onNew).map { ($0.offset, $0.part, families[$0.family].newType ?? .unknown) })
        for p in pending {
            families[p.family].series[p.change].series = (p.onNew ? newNames : oldNames)[SeriesDescriber.Line(p.offset, p.part)] ?? "?"
        }
        return DiffResult(
            old: DiffInput(path: oldPath, format: old.format, families: old.families.count, series: old.seriesCount),
            new: DiffInput(path: newPath, format: new.format, families: new.families.count, series: new.seriesCount),
            families: families, summary: summary, options: options)
    }

    /// The indices of `names` (name, key) in their order: when every name is ASCII, by the first sixteen bytes
    /// of the name as two numbers first (as the strings compare, they being ASCII), the strings compared only
    /// where those are equal (comparing the strings each time was a serial 2.5 % of the run).
    static func sortedByName(_ names: [(String, String)]) -> [Int] {
        var prefixes = [(UInt64, UInt64)](repeating: (0, 0), count: names.count)
        for (k, name) in names.enumerated() {
            var high: UInt64 = 0, low: UInt64 = 0, position = 0
            for byte in name.0.utf8 {
                guard byte < 0x80 else { return names.indices.sorted { names[$0] < names[$1] } }
                if position < 8 {
                    high |= UInt64(byte) << (56 - 8 * UInt64(position))
                } else if position < 16 {
                    low |= UInt64(byte) << (56 - 8 * UInt64(position - 8))
                }
                position += 1
            }
            prefixes[k] = (high, low)
        }
        return names.indices.sorted { a, b in
            prefixes[a] != prefixes[b] ? prefixes[a] < prefixes[b] : names[a] < names[b]
        }
    }

    /// The work a pair of families costs (their series, and a little for the family itself).
    private func weight(_ pair: (old: Int?, new: Int?)) -> Int {
        8 + (pair.old.map { old.families[$0].seriesCount } ?? 0) + (pair.new.map { new.families[$0].seriesCount } ?? 0)
    }

    private var limit: Int { options.maxSeriesListed > 0 ? options.maxSeriesListed : Int.max }

    /// One family compared: its changes, every series change of each kind up to the limit, and the lines they
    /// are described from.
    private func compareFamily(
        _ oldFamily: UnsafePointer<SideFamily>?, _ newFamily: UnsafePointer<SideFamily>?, scratch: SeriesScratch
    ) -> (FamilyDiff, [ListedLine]) {
        var diff = FamilyDiff(
            name: (newFamily ?? oldFamily!).pointee.name, status: .unchanged, oldType: oldFamily?.pointee.type,
            newType: newFamily?.pointee.type, changes: [], oldSeries: oldFamily?.pointee.seriesCount ?? 0,
            newSeries: newFamily?.pointee.seriesCount ?? 0, seriesAdded: 0, seriesRemoved: 0, seriesChanged: 0,
            seriesUnchanged: 0, series: [])
        guard let oldFamily, let newFamily else {
            if let n = newFamily {
                diff.status = .added
                diff.seriesAdded = diff.newSeries
                let type = n.pointee.type.rawValue
                diff.changes.append(
                    FamilyChange(
                        kind: .familyAdded, new: type, message: "\(type) added with \(plural(diff.newSeries, "series", "series"))"))
            } else if let o = oldFamily {
                diff.status = .removed
                diff.seriesRemoved = diff.oldSeries
                let type = o.pointee.type.rawValue
                diff.changes.append(
                    FamilyChange(
                        kind: .familyRemoved, old: type, message: "\(type) removed (had \(plural(diff.oldSeries, "series", "series")))"))
            }
            return (diff, [])
        }
        diff.changes = familyChanges(oldFamily, newFamily)
        var lines: [ListedLine] = []
        compareSeries(oldFamily, newFamily, into: &diff, lines: &lines, scratch: scratch)
        if !diff.changes.isEmpty || diff.seriesAdded + diff.seriesRemoved + diff.seriesChanged > 0 { diff.status = .changed }
        // Breaking first, then risky, then info; in the order found within a class.
        if diff.changes.count > 1 {
            diff.changes = diff.changes.enumerated().sorted {
                ($1.element.changeClass, $0.offset) < ($0.element.changeClass, $1.offset)
            }.map(\.element)
        }
        return (diff, lines)
    }

    /// Changes to the family itself.
    private func familyChanges(_ oldFamily: UnsafePointer<SideFamily>, _ newFamily: UnsafePointer<SideFamily>) -> [FamilyChange] {
        // Read in place, field by field (passing a family copied it whole: its strings and arrays retained).
        let o = (type: oldFamily.pointee.type, unit: oldFamily.pointee.unit, help: oldFamily.pointee.help)
        let n = (type: newFamily.pointee.type, unit: newFamily.pointee.unit, help: newFamily.pointee.help)
        var changes: [FamilyChange] = []
        if !sameType(o.type, n.type) {
            changes.append(
                FamilyChange(
                    kind: .typeChanged, old: o.type.rawValue, new: n.type.rawValue,
                    message: "type changed: \(o.type.rawValue) → \(n.type.rawValue)"))
        }
        // A unit only OpenMetrics can state: a text side says nothing about it.
        if old.format.isOpenMetrics && new.format.isOpenMetrics && o.unit != n.unit {
            changes.append(
                FamilyChange(
                    kind: .unitChanged, old: o.unit, new: n.unit,
                    message: "unit changed: \(o.unit.map { "\"\($0)\"" } ?? "none") → \(n.unit.map { "\"\($0)\"" } ?? "none")"))
        }
        if o.help != n.help {
            changes.append(
                FamilyChange(
                    kind: .helpChanged, old: o.help, new: n.help,
                    message: "help changed: \(o.help.map(quote) ?? "none") → \(n.help.map(quote) ?? "none")"))
        }
        if oldFamily.pointee.labelNames != newFamily.pointee.labelNames {
            let oldLabels = Set(oldFamily.pointee.labelNames), newLabels = Set(newFamily.pointee.labelNames)
            for label in newFamily.pointee.labelNames where !oldLabels.contains(label) {
                changes.append(FamilyChange(kind: .labelAdded, new: label, message: "label \"\(label)\" added"))
            }
            for label in oldFamily.pointee.labelNames where !newLabels.contains(label) {
                changes.append(FamilyChange(kind: .labelRemoved, old: label, message: "label \"\(label)\" removed"))
            }
        }
        if isHistogram(o.type) && isHistogram(n.type) && !sameBounds(oldFamily.pointee.bounds, newFamily.pointee.bounds) {
            changes.append(
                FamilyChange(
                    kind: .bucketsChanged, old: bounds(oldFamily.pointee.bounds), new: bounds(newFamily.pointee.bounds),
                    message: "bucket layout changed: \(bounds(oldFamily.pointee.bounds)) → \(bounds(newFamily.pointee.bounds))"))
        }
        if o.type == .summary && n.type == .summary && !sameBounds(oldFamily.pointee.bounds, newFamily.pointee.bounds) {
            changes.append(
                FamilyChange(
                    kind: .quantilesChanged, old: bounds(oldFamily.pointee.bounds), new: bounds(newFamily.pointee.bounds),
                    message: "quantiles changed: \(bounds(oldFamily.pointee.bounds)) → \(bounds(newFamily.pointee.bounds))"))
        }
        let before = oldFamily.pointee.seriesCount, after = newFamily.pointee.seriesCount
        if before > 0, Double(after - before) * 100 > options.cardinalityThreshold * Double(before) {
            let percent = (Double(after - before) * 100 / Double(before)).rounded()
            changes.append(
                FamilyChange(
                    kind: .cardinalityIncreased, old: "\(before)", new: "\(after)",
                    message:
                        "series \(before) → \(after) (+\(Int(percent))%, above the \(DiffNumber.format(options.cardinalityThreshold))% threshold)"
                ))
        }
        return changes
    }

    /// Types equal, or the same type as two formats can state it (the text format has no info, stateset or
    /// gauge histogram: their samples are written as a gauge, a gauge, a histogram).
    private func sameType(_ a: MetricType, _ b: MetricType) -> Bool {
        if a == b { return true }
        guard old.format.isOpenMetrics != new.format.isOpenMetrics else { return false }
        let (om, text) = old.format.isOpenMetrics ? (a, b) : (b, a)
        switch (om, text) {
        case (.info, .gauge), (.stateset, .gauge), (.gaugehistogram, .histogram), (.info, .unknown), (.stateset, .unknown): return true
        default: return false
        }
    }

    private func isHistogram(_ type: MetricType) -> Bool { type == .histogram || type == .gaugehistogram }

    private func sameBounds(_ a: [Double], _ b: [Double]) -> Bool {
        a.elementsEqual(b) { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    private func bounds(_ values: [Double]) -> String {
        values.isEmpty ? "none" : values.map(DiffNumber.format).joined(separator: ", ")
    }

    private func quote(_ s: String) -> String { "\"\(s)\"" }

    /// The series of a family on both sides, matched by key: an open-addressing table over the old side's
    /// entries of the family, in the worker's scratch (reused from family to family: allocating five arrays
    /// per family was a fifth of the comparison; read and written through pointers: arrays in a struct passed
    /// inout were checked for uniqueness at each write).
    private func compareSeries(
        _ o: UnsafePointer<SideFamily>, _ n: UnsafePointer<SideFamily>, into diff: inout FamilyDiff, lines: inout [ListedLine],
        scratch: SeriesScratch
    ) {
        let limit = self.limit
        let count = o.pointee.seriesCount
        var size = 16
        while size < count * 2 { size <<= 1 }
        let mask = size - 1
        scratch.reserve(count, slots: size)
        let refs = scratch.refs, firstOf = scratch.firstOf, state = scratch.state
        let slots = scratch.slots
        // The old entries in place when they lie together in one block (nearly always: a family written in one
        // piece); else copied together, in input order, with where each came from (for its timestamp).
        let segments = o.pointee.segments
        let entries: UnsafePointer<SeriesEntry>
        var inPlace: (chunk: Int, start: Int)? = nil
        if segments.count == 1, let block = old.entries[segments[0].chunk].contiguous(segments[0].range) {
            entries = block
            inPlace = (segments[0].chunk, segments[0].range.lowerBound)
        } else {
            let copies = scratch.entries
            var k = 0
            for segment in segments {
                old.entries[segment.chunk].forEach(in: segment.range) { block, start in
                    (copies + k).update(from: block.baseAddress!, count: block.count)
                    for j in 0..<block.count { refs[k + j] = (Int32(segment.chunk), Int32(start + j)) }
                    k += block.count
                }
            }
            entries = UnsafePointer(copies)
        }
        slots.update(repeating: -1, count: size)
        // Per old entry: whether it was matched (`SeriesScratch.matched`); a duplicate's first entry (keys that
        // ignored labels merged), and whether it has duplicates (`SeriesScratch.collapsed`).
        firstOf.update(repeating: -1, count: count)
        state.update(repeating: 0, count: count)
        for k in 0..<count {
            let key = entries[k].key
            var s = Int(truncatingIfNeeded: key) & mask
            while slots[s] >= 0 {
                let other = Int(slots[s])
                if entries[other].key == key {
                    firstOf[k] = Int32(other)
                    state[other] |= SeriesScratch.collapsed
                    break
                }
                s = (s + 1) & mask
            }
            if firstOf[k] < 0 { slots[s] = Int32(k) }
        }
        let ignoreValues = options.ignoreValues
        for segment in n.pointee.segments {
            new.entries[segment.chunk].forEach(in: segment.range) { block, start in
                for j in 0..<block.count {
                    let e = block[j]
                    var s = Int(truncatingIfNeeded: e.key) & mask
                    var found = -1
                    while slots[s] >= 0 {
                        let other = Int(slots[s])
                        if entries[other].key == e.key {
                            found = other
                            break
                        }
                        s = (s + 1) & mask
                    }
                    if found < 0 {
                        diff.seriesAdded += 1
                        if scratch.listed.added < limit {
                            scratch.listed.added += 1
                            lines.append(ListedLine(onNew: true, offset: e.offset, part: e.part))
                            diff.series.append(SeriesChange(kind: .added, series: "", new: e.value))
                        }
                        continue
                    }
                    // A second new series on one old key (ignored labels merged them) is unchanged.
                    let again = state[found] & SeriesScratch.matched != 0
                    state[found] |= SeriesScratch.matched
                    let before = entries[found]
                    if again || state[found] & SeriesScratch.collapsed != 0 || ignoreValues
                        || options.sameValue(before.value, e.value)
                    {
                        diff.seriesUnchanged += 1
                        continue
                    }
                    diff.seriesChanged += 1
                    guard scratch.listed.changed < limit else { continue }
                    scratch.listed.changed += 1
                    let reset = before.flags & e.flags & SeriesEntry.counterLike != 0 && e.value < before.value
                    var rate: Double?
                    let ref =
                        inPlace.map { (chunk: $0.chunk, index: $0.start + found) } ?? (
                            chunk: Int(refs[found].chunk), index: Int(refs[found].index)
                        )
                    if before.flags & e.flags & SeriesEntry.counterLike != 0,
                        let t0 = old.timestamp(ref.chunk, ref.index), let t1 = new.timestamp(segment.chunk, start + j),
                        t1 > t0
                    {
                        rate = ((reset ? e.value : e.value - before.value)) / (t1 - t0)
                    }
                    lines.append(ListedLine(onNew: true, offset: e.offset, part: e.part))
                    diff.series.append(
                        SeriesChange(kind: .changed, series: "", old: before.value, new: e.value, counterReset: reset, rate: rate))
                }
            }
        }
        for k in 0..<count where state[k] & SeriesScratch.matched == 0 {
            // A duplicate whose first entry was matched is matched with it.
            if firstOf[k] >= 0 && state[Int(firstOf[k])] & SeriesScratch.matched != 0 {
                diff.seriesUnchanged += 1
                continue
            }
            diff.seriesRemoved += 1
            guard scratch.listed.removed < limit else { continue }
            scratch.listed.removed += 1
            let e = entries[k]
            lines.append(ListedLine(onNew: false, offset: e.offset, part: e.part))
            diff.series.append(SeriesChange(kind: .removed, series: "", old: e.value))
        }
    }

    private func plural(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
}

/// A worker's buffers for comparing the series of one family after another (kept, grown when a family needs
/// more).
final class SeriesScratch {
    /// The old side's entries of the family, and where each came from.
    private(set) var entries: UnsafeMutablePointer<SeriesEntry>
    private(set) var refs: UnsafeMutablePointer<(chunk: Int32, index: Int32)>
    /// Per old entry: the first entry with its key (a duplicate's), else -1.
    private(set) var firstOf: UnsafeMutablePointer<Int32>
    /// Per old entry: `matched`, `collapsed`.
    private(set) var state: UnsafeMutablePointer<UInt8>
    /// The table: an old entry's index, or -1.
    private(set) var slots: UnsafeMutablePointer<Int32>
    private var capacity = 64, slotCapacity = 128
    /// Series changes of each kind listed so far in the worker's current partition.
    var listed = (added: 0, removed: 0, changed: 0)

    /// A new series has the old entry's key.
    static let matched: UInt8 = 1
    /// Other old entries have the entry's key.
    static let collapsed: UInt8 = 2

    init() {
        entries = .allocate(capacity: capacity)
        refs = .allocate(capacity: capacity)
        firstOf = .allocate(capacity: capacity)
        state = .allocate(capacity: capacity)
        slots = .allocate(capacity: slotCapacity)
    }

    /// Room for `count` entries and a table of `size` slots (what was in them is not kept).
    func reserve(_ count: Int, slots size: Int) {
        if count > capacity {
            release(entries: true, slots: false)
            capacity = max(count, capacity * 2)
            entries = .allocate(capacity: capacity)
            refs = .allocate(capacity: capacity)
            firstOf = .allocate(capacity: capacity)
            state = .allocate(capacity: capacity)
        }
        if size > slotCapacity {
            release(entries: false, slots: true)
            slotCapacity = size
            slots = .allocate(capacity: slotCapacity)
        }
    }

    private func release(entries: Bool, slots: Bool) {
        if entries {
            self.entries.deallocate()
            refs.deallocate()
            firstOf.deallocate()
            state.deallocate()
        }
        if slots { self.slots.deallocate() }
    }

    deinit {
        release(entries: true, slots: true)
    }
}

/// Numbers as the exposition formats write them: integers without `.0`, `+Inf`, `-Inf`, `NaN`.
public enum DiffNumber {
    /// `v` as an exposition writes it: `3`, `0.5`, `+Inf`, `NaN`.
    public static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// A difference of two values, to 12 significant digits (`0.3 - 0.1` is `0.2`, not `0.19999999999999998`).
    public static func formatDelta(_ v: Double) -> String {
        guard v.isFinite, v != v.rounded() || abs(v) >= 1e15 else { return format(v) }
        var buffer = [CChar](repeating: 0, count: 40)
        _ = withVaList([v]) { vsnprintf(&buffer, buffer.count, "%.12g", $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

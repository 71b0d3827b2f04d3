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
    }

    func compare(oldPath: String, newPath: String) -> DiffResult {
        // Pairs of families by key; then a removed and an added family written with the same name are one
        // family whose type changed (OpenMetrics 1.0's counter `x` keyed `x_total`, its gauge `x` keyed `x`).
        var pairs: [(old: Int?, new: Int?)] = []
        var matchedOld = Set<Int>()
        for (n, family) in new.families.enumerated() {
            if let o = old.index[family.key] {
                pairs.append((o, n))
                matchedOld.insert(o)
            } else {
                pairs.append((nil, n))
            }
        }
        var removedByName: [String: Int] = [:]
        for o in old.families.indices where !matchedOld.contains(o) { removedByName[old.families[o].name] = o }
        for k in pairs.indices where pairs[k].old == nil {
            if let o = removedByName.removeValue(forKey: new.families[pairs[k].new!].name) { pairs[k].old = o }
        }
        pairs += removedByName.values.sorted().map { (old: $0, new: nil) }
        // By name (the new side's), for a stable report whatever the input order.
        let names = pairs.map { pair -> (String, String) in
            let f = pair.new.map { new.families[$0] } ?? old.families[pair.old!]
            return (f.name, f.key)
        }
        pairs = pairs.indices.sorted { names[$0] < names[$1] }.map { pairs[$0] }

        var budget = (added: limit, removed: limit, changed: limit)
        var families: [FamilyDiff] = []
        var pending: [Pending] = []
        var summary = DiffSummary()
        for pair in pairs {
            var diff = compareFamily(
                pair.old.map { old.families[$0] }, pair.new.map { new.families[$0] },
                budget: &budget, pending: &pending, index: families.count)
            // Breaking first, then risky, then info; in the order found within a class.
            if diff.changes.count > 1 {
                diff.changes = diff.changes.enumerated().sorted {
                    ($1.element.changeClass, $0.offset) < ($0.element.changeClass, $1.offset)
                }.map(\.element)
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
            summary.breaking += diff.changes.filter { $0.changeClass == .breaking }.count
            summary.risky += diff.changes.filter { $0.changeClass == .risky }.count
            families.append(diff)
        }
        // The listed series, described from their lines.
        let oldNames = SeriesDescriber.describe(old.source, format: old.format, offsets: pending.filter { !$0.onNew }.map(\.offset))
        let newNames = SeriesDescriber.describe(new.source, format: new.format, offsets: pending.filter(\.onNew).map(\.offset))
        for p in pending {
            families[p.family].series[p.change].series = (p.onNew ? newNames : oldNames)[p.offset] ?? "?"
        }
        return DiffResult(
            old: DiffInput(path: oldPath, format: old.format, families: old.families.count, series: old.seriesCount),
            new: DiffInput(path: newPath, format: new.format, families: new.families.count, series: new.seriesCount),
            families: families, summary: summary, options: options)
    }

    private var limit: Int { options.maxSeriesListed > 0 ? options.maxSeriesListed : Int.max }

    private func compareFamily(
        _ o: SideFamily?, _ n: SideFamily?, budget: inout (added: Int, removed: Int, changed: Int),
        pending: inout [Pending], index: Int
    ) -> FamilyDiff {
        let shown = n ?? o!
        var diff = FamilyDiff(
            name: shown.name, status: .unchanged, oldType: o?.type, newType: n?.type, changes: [],
            oldSeries: o?.seriesCount ?? 0, newSeries: n?.seriesCount ?? 0,
            seriesAdded: 0, seriesRemoved: 0, seriesChanged: 0, seriesUnchanged: 0, series: [])
        guard let o, let n else {
            if let n {
                diff.status = .added
                diff.seriesAdded = n.seriesCount
                diff.changes.append(
                    FamilyChange(
                        kind: .familyAdded, new: n.type.rawValue,
                        message: "\(n.type.rawValue) added with \(plural(n.seriesCount, "series", "series"))"))
            } else if let o {
                diff.status = .removed
                diff.seriesRemoved = o.seriesCount
                diff.changes.append(
                    FamilyChange(
                        kind: .familyRemoved, old: o.type.rawValue,
                        message: "\(o.type.rawValue) removed (had \(plural(o.seriesCount, "series", "series")))"))
            }
            return diff
        }
        diff.changes = familyChanges(o, n)
        compareSeries(o, n, into: &diff, budget: &budget, pending: &pending, index: index)
        if !diff.changes.isEmpty || diff.seriesAdded + diff.seriesRemoved + diff.seriesChanged > 0 { diff.status = .changed }
        return diff
    }

    /// Changes to the family itself.
    private func familyChanges(_ o: SideFamily, _ n: SideFamily) -> [FamilyChange] {
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
        let oldLabels = Set(o.labelNames), newLabels = Set(n.labelNames)
        for label in n.labelNames where !oldLabels.contains(label) {
            changes.append(FamilyChange(kind: .labelAdded, new: label, message: "label \"\(label)\" added"))
        }
        for label in o.labelNames where !newLabels.contains(label) {
            changes.append(FamilyChange(kind: .labelRemoved, old: label, message: "label \"\(label)\" removed"))
        }
        let histograms: Set<MetricType> = [.histogram, .gaugehistogram]
        if histograms.contains(o.type) && histograms.contains(n.type) && !sameBounds(o.bounds, n.bounds) {
            changes.append(
                FamilyChange(
                    kind: .bucketsChanged, old: bounds(o.bounds), new: bounds(n.bounds),
                    message: "bucket layout changed: \(bounds(o.bounds)) → \(bounds(n.bounds))"))
        }
        if o.type == .summary && n.type == .summary && !sameBounds(o.bounds, n.bounds) {
            changes.append(
                FamilyChange(
                    kind: .quantilesChanged, old: bounds(o.bounds), new: bounds(n.bounds),
                    message: "quantiles changed: \(bounds(o.bounds)) → \(bounds(n.bounds))"))
        }
        let before = o.seriesCount, after = n.seriesCount
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

    private func sameBounds(_ a: [Double], _ b: [Double]) -> Bool {
        a.elementsEqual(b) { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    private func bounds(_ values: [Double]) -> String {
        values.isEmpty ? "none" : values.map(DiffNumber.format).joined(separator: ", ")
    }

    private func quote(_ s: String) -> String { "\"\(s)\"" }

    /// The series of a family on both sides, matched by key (an open-addressing table over the old side's
    /// entries of the family, built for it and dropped after).
    private func compareSeries(
        _ o: SideFamily, _ n: SideFamily, into diff: inout FamilyDiff,
        budget: inout (added: Int, removed: Int, changed: Int), pending: inout [Pending], index: Int
    ) {
        // The old entries as (chunk, index) pairs, in input order.
        var oldRefs: [(chunk: Int, index: Int)] = []
        oldRefs.reserveCapacity(o.seriesCount)
        for segment in o.segments { for i in segment.range { oldRefs.append((segment.chunk, i)) } }
        var size = 16
        while size < oldRefs.count * 2 { size <<= 1 }
        let mask = size - 1
        var slots = [Int32](repeating: -1, count: size)
        // Per old entry: -1 not matched, 1 matched; a duplicate's first entry (keys that ignored labels merged).
        var matched = [Bool](repeating: false, count: oldRefs.count)
        var firstOf = [Int32](repeating: -1, count: oldRefs.count)
        var collapsed = [Bool](repeating: false, count: oldRefs.count)
        func entry(_ side: ComparableSide, _ ref: (chunk: Int, index: Int)) -> SeriesEntry { side.entries[ref.chunk][ref.index] }
        for (k, ref) in oldRefs.enumerated() {
            let key = entry(old, ref).key
            var s = Int(truncatingIfNeeded: key) & mask
            while slots[s] >= 0 {
                let other = Int(slots[s])
                if entry(old, oldRefs[other]).key == key {
                    firstOf[k] = Int32(other)
                    collapsed[other] = true
                    break
                }
                s = (s + 1) & mask
            }
            if firstOf[k] < 0 { slots[s] = Int32(k) }
        }
        for segment in n.segments {
            for i in segment.range {
                let e = new.entries[segment.chunk][i]
                var s = Int(truncatingIfNeeded: e.key) & mask
                var found = -1
                while slots[s] >= 0 {
                    let other = Int(slots[s])
                    if entry(old, oldRefs[other]).key == e.key {
                        found = other
                        break
                    }
                    s = (s + 1) & mask
                }
                if found < 0 {
                    diff.seriesAdded += 1
                    if budget.added > 0 {
                        budget.added -= 1
                        pending.append(Pending(family: index, change: diff.series.count, onNew: true, offset: e.offset))
                        diff.series.append(SeriesChange(kind: .added, series: "", new: e.value))
                    }
                    continue
                }
                let again = matched[found]  // a second new series on one old key (ignored labels merged them)
                matched[found] = true
                let ref = oldRefs[found]
                let before = entry(old, ref)
                if again || collapsed[found] || options.ignoreValues || options.sameValue(before.value, e.value) {
                    diff.seriesUnchanged += 1
                    continue
                }
                diff.seriesChanged += 1
                guard budget.changed > 0 else { continue }
                budget.changed -= 1
                let reset = before.flags & e.flags & SeriesEntry.counterLike != 0 && e.value < before.value
                var rate: Double?
                if before.flags & e.flags & SeriesEntry.counterLike != 0,
                    let t0 = old.timestamp(ref.chunk, ref.index), let t1 = new.timestamp(segment.chunk, i), t1 > t0
                {
                    rate = ((reset ? e.value : e.value - before.value)) / (t1 - t0)
                }
                pending.append(Pending(family: index, change: diff.series.count, onNew: true, offset: e.offset))
                diff.series.append(
                    SeriesChange(kind: .changed, series: "", old: before.value, new: e.value, counterReset: reset, rate: rate))
            }
        }
        for k in oldRefs.indices where !matched[k] {
            // A duplicate whose first entry was matched is matched with it.
            if firstOf[k] >= 0 && matched[Int(firstOf[k])] {
                diff.seriesUnchanged += 1
                continue
            }
            diff.seriesRemoved += 1
            guard budget.removed > 0 else { continue }
            budget.removed -= 1
            let e = entry(old, oldRefs[k])
            pending.append(Pending(family: index, change: diff.series.count, onNew: false, offset: e.offset))
            diff.series.append(SeriesChange(kind: .removed, series: "", old: e.value))
        }
    }

    private func plural(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
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

import PromKit

/// OpenMetrics counters: `_created` present, and not after the sample's time.
struct CounterCreated: LintRule {
    static let description = RuleDescription(
        id: "counter_created", severity: .info, summary: "OpenMetrics counters expose _created, not later than the sample",
        rationale: "_created lets rate() tell a restart from a new series; a creation time after the sample's own time is impossible.",
        good: ["# TYPE a counter\n# HELP a a\na_total 1 10\na_created 5\n# EOF\n"],
        bad: ["# TYPE a counter\n# HELP a a\na_total 1\n# EOF\n", "# TYPE a counter\n# HELP a a\na_total 1 10\na_created 20\n# EOF\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.type == .counter, f.format.isOpenMetrics else { return }
        if f.format == .openMetrics2 {
            for s in f.samples where f.startTimestamp(of: s) == nil {
                c.report(at: Int(s.offset), "counter \(f.seriesDescription(s)) has no start timestamp (st@)", family: f.name)
                return
            }
            return
        }
        // One walk: the totals' times by label set (only totals with a timestamp can be later than their
        // _created, and few carry one), then each _created looked up. A search of the totals per _created
        // was quadratic in the family's series (the Python client writes _created for every counter).
        var firstTotal: Sample?
        var sawCreated = false
        var totalTimes: [String: Double] = [:]
        for s in f.samples {
            if nameEnds(f, s, "_total") {
                if firstTotal == nil { firstTotal = s }
                if let ts = s.timestamp { totalTimes[labelKey(f, s)] = ts.seconds }
            } else if nameEnds(f, s, "_created") {
                sawCreated = true
            }
        }
        if !sawCreated, let first = firstTotal {
            c.report(at: Int(first.offset), "counter \"\(f.name)\" has no _created samples", family: f.name)
            return
        }
        guard !totalTimes.isEmpty else { return }
        for cs in f.samples where nameEnds(f, cs, "_created") {
            if let time = totalTimes[labelKey(f, cs)], cs.value > time {
                c.report(
                    at: Int(cs.valueRange.start), "\(f.seriesDescription(cs)) is \(cs.source(f)), after the sample's own time",
                    family: f.name)
            }
        }
    }

    /// Whether the sample's name ends in `suffix` (compared as bytes; escapes cannot occur in a suffix).
    private func nameEnds(_ f: MetricFamily, _ s: Sample, _ suffix: StaticString) -> Bool {
        f.withBytes(s.name) { name in
            let n = suffix.utf8CodeUnitCount
            guard name.count >= n else { return false }
            let w = suffix.utf8Start
            for k in 0..<n where name[name.count - n + k] != w[k] { return false }
            return true
        }
    }

    /// The sample's label set, names and values unescaped, in the order written.
    private func labelKey(_ f: MetricFamily, _ s: Sample) -> String {
        var key = ""
        for l in f.labels(of: s) { key += f.name(of: l) + "\u{1}" + f.value(of: l) + "\u{0}" }
        return key
    }
}

extension Sample {
    func source(_ f: MetricFamily) -> String { f.text(valueRange) }
}

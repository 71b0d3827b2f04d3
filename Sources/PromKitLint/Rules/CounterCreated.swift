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
        let totals = f.samples.filter { f.sampleName($0).hasSuffix("_total") }
        let created = f.samples.filter { f.sampleName($0).hasSuffix("_created") }
        if created.isEmpty, let first = totals.first {
            c.report(at: Int(first.offset), "counter \"\(f.name)\" has no _created samples", family: f.name)
            return
        }
        for cs in created {
            if let t = totals.first(where: { f.labels(of: $0).elementsEqual(f.labels(of: cs), by: { f.name(of: $0) == f.name(of: $1) && f.value(of: $0) == f.value(of: $1) }) }),
               let ts = t.timestamp, cs.value > ts.seconds {
                c.report(at: Int(cs.valueRange.start), "\(f.seriesDescription(cs)) is \(cs.source(f)), after the sample's own time", family: f.name)
            }
        }
    }
}

extension Sample {
    func source(_ f: MetricFamily) -> String { f.text(valueRange) }
}

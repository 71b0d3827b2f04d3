import PromKit

/// The metrics of a family carry the same label names.
struct InconsistentLabels: LintRule {
    static let description = RuleDescription(
        id: "inconsistent_labels", severity: .info, summary: "All series of a family have the same label names",
        rationale:
            "OpenMetrics asks for one set of label names per family; a missing label is an empty value, which breaks sum by() and joins.",
        good: ["# HELP r_total r\n# TYPE r_total counter\nr_total{code=\"200\"} 1\nr_total{code=\"500\"} 1\n"],
        bad: ["# HELP r_total r\n# TYPE r_total counter\nr_total{code=\"200\"} 1\nr_total{method=\"GET\"} 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.samples.count > 1 else { return }
        // The label pass compares each sample's label names (le, quantile, the state label left out) with the first's.
        let odd = c.labels(of: f).firstOddSample
        guard odd >= 0 else { return }
        let s = f.samples[odd]
        let names = f.labels(of: s).map { f.name(of: $0) }.joined(separator: ", ")
        c.report(
            at: Int(s.offset), "series \(f.seriesDescription(s)) has other label names (\(names)) than the family's first series",
            family: f.name)
    }
}

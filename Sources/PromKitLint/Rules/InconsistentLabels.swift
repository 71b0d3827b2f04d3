import PromKit

/// The metrics of a family carry the same label names.
struct InconsistentLabels: LintRule {
    static let description = RuleDescription(
        id: "inconsistent_labels", severity: .info, summary: "All series of a family have the same label names",
        rationale: "OpenMetrics asks for one set of label names per family; a missing label is an empty value, which breaks sum by() and joins.",
        good: ["# HELP r_total r\n# TYPE r_total counter\nr_total{code=\"200\"} 1\nr_total{code=\"500\"} 1\n"],
        bad: ["# HELP r_total r\n# TYPE r_total counter\nr_total{code=\"200\"} 1\nr_total{method=\"GET\"} 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        let special: Set<String> = ["le", "quantile", f.name]
        var first: Set<String>?
        for s in f.samples {
            let base = f.sampleName(s)
            if base != f.name && (f.type == .histogram || f.type == .summary) && !base.hasSuffix("_bucket") { continue }
            let names = Set(f.labels(of: s).map { f.name(of: $0) }).subtracting(special)
            guard let expected = first else {
                first = names
                continue
            }
            if names != expected {
                let differ = names.symmetricDifference(expected).sorted().joined(separator: ", ")
                c.report(at: Int(s.offset), "series \(f.seriesDescription(s)) has different label names from the family's first series (\(differ))", family: f.name)
                return
            }
        }
    }
}

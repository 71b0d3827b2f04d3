import PromKit

/// The metrics of a family carry the same label names.
struct InconsistentLabels: LintRule {
    static let description = RuleDescription(
        id: "inconsistent_labels", severity: .info, summary: "All series of a family have the same label names",
        rationale: "OpenMetrics asks for one set of label names per family; a missing label is an empty value, which breaks sum by() and joins.",
        good: ["# HELP r_total r\n# TYPE r_total counter\nr_total{code=\"200\"} 1\nr_total{code=\"500\"} 1\n"],
        bad: ["# HELP r_total r\n# TYPE r_total counter\nr_total{code=\"200\"} 1\nr_total{method=\"GET\"} 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.samples.count > 1 else { return }
        // Order-insensitive hash of each sample's label names, without le, quantile and the stateset label.
        var first: UInt64?
        for s in f.samples {
            var h: UInt64 = 0
            for l in f.labels(of: s) where !f.labelName(l, is: "le") && !f.labelName(l, is: "quantile") {
                if f.type == .stateset && f.name(of: l) == f.name { continue }
                h &+= f.hash(of: l.name) | 1
            }
            guard let expected = first else {
                first = h
                continue
            }
            if h != expected {
                let names = f.labels(of: s).map { f.name(of: $0) }.joined(separator: ", ")
                c.report(at: Int(s.offset), "series \(f.seriesDescription(s)) has other label names (\(names)) than the family's first series", family: f.name)
                return
            }
        }
    }
}

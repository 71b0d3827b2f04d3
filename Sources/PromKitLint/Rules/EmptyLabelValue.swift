import PromKit

/// An empty label value is the same as no label.
struct EmptyLabelValue: LintRule {
    static let description = RuleDescription(
        id: "empty_label_value", severity: .info, summary: "Label values are not empty",
        rationale: "Prometheus drops labels with empty values, so {a=\"\"} and {} are the same series; the label was probably meant to hold something.",
        good: ["# HELP g g\n# TYPE g gauge\ng{a=\"x\"} 1\n"],
        bad: ["# HELP g g\n# TYPE g gauge\ng{a=\"\"} 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        for s in f.samples {
            for l in f.labels(of: s) where l.value.isEmpty {
                let name = f.name(of: l)
                c.report(at: Int(l.name.start), "label \"\(name)\" of \(f.seriesDescription(s)) is empty, which Prometheus treats as absent", family: f.name, label: name)
                return
            }
        }
    }
}

import PromKit

/// An empty label value is the same as no label.
struct EmptyLabelValue: LintRule {
    static let description = RuleDescription(
        id: "empty_label_value", severity: .info, summary: "Label values are not empty",
        rationale:
            "Prometheus drops labels with empty values, so {a=\"\"} and {} are the same series; the label was probably meant to hold something.",
        good: ["# HELP g g\n# TYPE g gauge\ng{a=\"x\"} 1\n"],
        bad: ["# HELP g g\n# TYPE g gauge\ng{a=\"\"} 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        // The first empty value in the family (the label pass found each name's first).
        // (A loop, not filter and min: this runs for every family, and nearly all have none.)
        var first = Int32.max
        for k in c.labels(of: f).firstEmpty where k >= 0 && k < first { first = k }
        guard first != Int32.max, let s = f.samples.first(where: { $0.labels.contains(first) }) else { return }
        let k = Int(first)
        let name = f.name(of: f.labels[k])
        c.report(
            at: Int(f.labels[k].name.start), "label \"\(name)\" of \(f.seriesDescription(s)) is empty, which Prometheus treats as absent",
            family: f.name, label: name)
    }
}

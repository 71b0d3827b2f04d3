import PromKit

/// Label names starting `__` belong to Prometheus.
struct ReservedLabelPrefix: LintRule {
    static let description = RuleDescription(
        id: "reserved_label_prefix", severity: .error, summary: "Label names do not start with __",
        rationale: "Names starting __ are reserved for Prometheus' internal use and are dropped after relabelling.",
        good: ["# HELP g g\n# TYPE g gauge\ng{shard=\"1\"} 1\n"],
        bad: ["# HELP g g\n# TYPE g gauge\ng{__shard=\"1\"} 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        for label in c.labelNames(of: f) where label.name.hasPrefix("__") {
            c.report(
                at: label.offset, "label \"\(label.name)\" of \"\(f.name)\" starts with \"__\", which is reserved for Prometheus",
                family: f.name, label: label.name)
        }
    }
}

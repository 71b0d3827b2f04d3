import PromKit

/// UTF-8 names that need quoting: only Prometheus 3 (and scrapes negotiating UTF-8) accept them.
struct Utf8Name: LintRule {
    static let description = RuleDescription(
        id: "utf8_name", severity: .warning, summary: "Metric and label names stay within [a-zA-Z_:][a-zA-Z0-9_:]*",
        rationale:
            "Names that need quoting are accepted by Prometheus 3 with UTF-8 enabled; older servers and many tools reject or escape them.",
        good: ["# HELP http_requests_total r\n# TYPE http_requests_total counter\nhttp_requests_total 1\n"],
        bad: [
            "# HELP \"http.requests\" r\n# TYPE \"http.requests\" counter\n{\"http.requests\"} 1\n",
            "# HELP g g\n# TYPE g gauge\ng{\"service.name\"=\"a\"} 1\n",
        ])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        if !ByteClass.isLegacyMetricName(f.name) {
            c.report(
                at: Int(f.offset), "metric name \"\(f.name)\" needs quoting; Prometheus before 3.0 and many tools cannot take it",
                family: f.name)
        }
        for label in c.labelNames(of: f) where !ByteClass.isLegacyLabelName(label.name) {
            c.report(
                at: label.offset, "label name \"\(label.name)\" needs quoting; Prometheus before 3.0 and many tools cannot take it",
                family: f.name, label: label.name)
        }
    }
}

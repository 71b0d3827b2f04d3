import PromKit

/// promlint `LintCamelCase`, metric names.
struct CamelCaseName: LintRule {
    static let description = RuleDescription(
        id: "camel_case_name", severity: .warning, summary: "Metric names are snake_case",
        rationale: "Prometheus names are snake_case; mixed styles make names hard to guess when writing queries.",
        good: ["# HELP http_requests_total r\n# TYPE http_requests_total counter\nhttp_requests_total 1\n"],
        bad: ["# HELP httpRequests_total r\n# TYPE httpRequests_total counter\nhttpRequests_total 1\n"],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        if Naming.isCamelCase(f.name) {
            c.report(
                at: Int(f.offset), "metric name \"\(f.name)\" should be snake_case, not camelCase", family: f.name,
                promtool: "metric names should be written in 'snake_case' not 'camelCase'")
        }
    }
}

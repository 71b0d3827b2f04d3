import PromKit

/// promlint `LintCamelCase`, label names — and the message says which label.
struct CamelCaseLabel: LintRule {
    static let description = RuleDescription(
        id: "camel_case_label", severity: .warning, summary: "Label names are snake_case",
        rationale: "Label names are typed in every query and join; one style across exporters keeps them guessable.",
        good: ["# HELP r_total r\n# TYPE r_total counter\nr_total{status_code=\"200\"} 1\n"],
        bad: ["# HELP r_total r\n# TYPE r_total counter\nr_total{statusCode=\"200\"} 1\n"],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        for label in c.labelNames(of: f) where Naming.isCamelCase(label.name) {
            c.report(
                at: label.offset, "label \"\(label.name)\" of \"\(f.name)\" should be snake_case, not camelCase", family: f.name,
                label: label.name)
        }
    }
}

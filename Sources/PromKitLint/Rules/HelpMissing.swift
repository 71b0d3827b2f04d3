import PromKit

/// promlint `LintHelp`.
struct HelpMissing: LintRule {
    static let description = RuleDescription(
        id: "help_missing", severity: .warning, summary: "Every metric family has HELP text",
        rationale: "HELP is the only documentation a metric carries into dashboards and alerts; without it, readers guess what it measures.",
        good: ["# HELP http_requests_total Requests served.\n# TYPE http_requests_total counter\nhttp_requests_total 1\n"],
        bad: ["# TYPE http_requests_total counter\nhttp_requests_total 1\n", "# HELP x \n# TYPE x gauge\nx 1\n"],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        let help = f.help ?? ""
        if help.allSatisfy({ $0 == " " || $0 == "\t" }) {
            c.report(at: Int(f.offset), "metric family \"\(f.name)\" has no HELP text", family: f.name, promtool: "no help text")
        }
    }
}

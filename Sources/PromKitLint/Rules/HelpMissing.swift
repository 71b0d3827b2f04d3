import PromKit

/// promlint `LintHelp`.
struct HelpMissing: LintRule {
    static let description = RuleDescription(
        id: "help_missing", severity: .warning, summary: "Every metric family has HELP text",
        rationale:
            "HELP is the only documentation a metric carries into dashboards and alerts; without it, readers guess what it measures.",
        good: ["# HELP http_requests_total Requests served.\n# TYPE http_requests_total counter\nhttp_requests_total 1\n"],
        bad: ["# TYPE http_requests_total counter\nhttp_requests_total 1\n", "# HELP x \n# TYPE x gauge\nx 1\n"],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        // Blank raw bytes are a blank text (escapes never unescape to a blank).
        let blank = f.helpRange.map { r in f.withBytes(r) { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } } } ?? true
        if blank {
            c.report(at: Int(f.offset), "metric family \"\(f.name)\" has no HELP text", family: f.name, promtool: "no help text")
        }
    }
}

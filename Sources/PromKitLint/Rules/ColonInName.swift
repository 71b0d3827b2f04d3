import PromKit

/// promlint `LintReservedChars`.
struct ColonInName: LintRule {
    static let description = RuleDescription(
        id: "colon_in_name", severity: .warning, summary: "Exported names have no colons",
        rationale:
            "Colons are reserved for recording rules (level:metric:operations); an exporter using them collides with that convention.",
        good: ["# HELP http_requests_total r\n# TYPE http_requests_total counter\nhttp_requests_total 1\n"],
        bad: ["# HELP job:http_requests:rate5m r\n# TYPE job:http_requests:rate5m gauge\njob:http_requests:rate5m 1\n"],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        if Naming.contains(f.name, UInt8(ascii: ":")) {
            c.report(
                at: Int(f.offset), "\"\(f.name)\" contains ':', which is reserved for recording rules", family: f.name,
                promtool: "metric names should not contain ':'")
        }
    }
}

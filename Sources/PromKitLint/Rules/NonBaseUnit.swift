import PromKit

/// promlint `LintMetricUnits`.
struct NonBaseUnit: LintRule {
    static let description = RuleDescription(
        id: "non_base_unit", severity: .warning, summary: "Names use base units (seconds, bytes, meters…), not milliseconds or kilobytes",
        rationale:
            "Prometheus convention is base units, so that queries can combine metrics without conversions; dashboards scale for display.",
        good: ["# HELP request_duration_seconds d\n# TYPE request_duration_seconds gauge\nrequest_duration_seconds 1\n"],
        bad: [
            "# HELP request_duration_milliseconds d\n# TYPE request_duration_milliseconds gauge\nrequest_duration_milliseconds 1\n",
            "# HELP disk_size_kilobytes d\n# TYPE disk_size_kilobytes gauge\ndisk_size_kilobytes 1\n",
        ],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard let (unit, base) = Naming.nonBaseUnit(in: f.name) else { return }
        c.report(
            at: Int(f.offset), "\"\(f.name)\" uses the unit \"\(unit)\"; use the base unit \"\(base)\"", family: f.name,
            promtool: "use base unit \"\(base)\" instead of \"\(unit)\"")
    }
}

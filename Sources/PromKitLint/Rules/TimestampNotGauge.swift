import PromKit

/// `_timestamp_seconds` names a point in time: a gauge.
struct TimestampNotGauge: LintRule {
    static let description = RuleDescription(
        id: "timestamp_not_gauge", severity: .warning, summary: "Metrics ending _timestamp_seconds are gauges",
        rationale: "A Unix time is compared with time(), not rated; as a counter or untyped it invites the wrong functions.",
        good: ["# HELP last_run_timestamp_seconds l\n# TYPE last_run_timestamp_seconds gauge\nlast_run_timestamp_seconds 1.7e9\n"],
        bad: ["# HELP last_run_timestamp_seconds l\n# TYPE last_run_timestamp_seconds counter\nlast_run_timestamp_seconds 1.7e9\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        if f.type != .gauge && Naming.hasSuffix(f.name, "_timestamp_seconds") {
            c.report(
                at: Int(f.offset),
                "\"\(f.name)\" is a timestamp and should be a gauge, not \(f.type == .unknown ? "untyped" : f.type.rawValue)",
                family: f.name)
        }
    }
}

import PromKit

/// promlint `LintCounter` (second half).
struct NonCounterTotalSuffix: LintRule {
    static let description = RuleDescription(
        id: "non_counter_total_suffix", severity: .warning, summary: "Only counters end in _total",
        rationale: "A gauge or histogram named _total makes readers apply rate() to something that is not a counter.",
        good: ["# HELP queue_length q\n# TYPE queue_length gauge\nqueue_length 1\n"],
        bad: ["# HELP queue_total q\n# TYPE queue_total gauge\nqueue_total 1\n"],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.type != .counter, f.type != .unknown, Naming.hasSuffix(f.name, "_total") else { return }
        c.report(
            at: Int(f.offset), "\(f.type.rawValue) \"\(f.name)\" ends in \"_total\", which is for counters", family: f.name,
            promtool: "non-counter metrics should not have \"_total\" suffix")
    }
}

import PromKit

/// A summary without quantiles is just _sum and _count.
struct SummaryNoQuantiles: LintRule {
    static let description = RuleDescription(
        id: "summary_no_quantiles", severity: .info, summary: "Summaries expose quantiles",
        rationale:
            "Without quantiles a summary carries only _sum and _count; that is fine, but often quantiles were meant to be configured.",
        good: ["# HELP s s\n# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 1\ns_count 1\n"],
        bad: ["# HELP s s\n# TYPE s summary\ns_sum 1\ns_count 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.type == .summary, !f.samples.isEmpty else { return }
        let hasQuantile =
            f.format == .openMetrics2
            ? f.samples.contains { f.composite(of: $0).map { !$0.quantiles.isEmpty } ?? false }
            : f.samples.contains { f.labelValue("quantile", of: $0) != nil }
        if !hasQuantile {
            c.report(at: Int(f.offset), "summary \"\(f.name)\" has no quantiles", family: f.name)
        }
    }
}

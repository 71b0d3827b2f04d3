import PromKit

/// Text format: a summary quantile outside [0, 1]. The text format sets no range (OpenMetrics does, and
/// there the validator reports it as an error), and exporters do write percentiles (`quantile="99.9"`).
struct QuantileRange: LintRule {
    static let description = RuleDescription(
        id: "quantile_range", severity: .warning, summary: "Summary quantiles are fractions from 0 to 1",
        rationale:
            "A quantile is a φ in [0, 1] (0.99, not 99): PromQL, OpenMetrics and dashboards read it so, and converting to OpenMetrics fails on 99.9.",
        good: ["# HELP s s\n# TYPE s summary\ns{quantile=\"0.999\"} 1\ns_sum 1\ns_count 1\n"],
        bad: ["# HELP s s\n# TYPE s summary\ns{quantile=\"99.9\"} 1\ns_sum 1\ns_count 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.type == .summary, f.format == .text else { return }
        let facts = c.labels(of: f)
        let id = facts.id(of: "quantile")
        guard id >= 0 else { return }
        // The first quantile out of range, once per family (the others are usually the same exporter's habit).
        for s in f.samples {
            for k in Int(s.labels.lowerBound)..<Int(s.labels.upperBound) where facts.ids[k] == id {
                let l = f.labels[k]
                let v = f.withInput { NumberSyntax.parseDecimal($0, l.value.lowerBound, l.value.upperBound) }
                // Not a number: the validator's finding.
                if let v, v.isFinite, v < 0 || v > 1 {
                    c.report(
                        at: Int(l.value.start),
                        "quantile=\"\(f.value(of: l))\" of \"\(f.name)\" is outside [0, 1]; write quantiles as fractions (0.999, not 99.9)",
                        family: f.name, label: "quantile")
                    return
                }
            }
        }
    }
}

import PromKit

/// promlint `LintHistogramSummaryReserved`, the label half: `le` and `quantile` outside histograms and summaries.
struct ReservedLabel: LintRule {
    static let description = RuleDescription(
        id: "reserved_label", severity: .warning, summary: "le is only for histograms, quantile only for summaries",
        rationale:
            "Prometheus gives le (histogram and gauge histogram buckets) and quantile meaning; on other metrics they break histogram_quantile() and confuse readers.",
        good: [
            "# HELP h h\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
            "# TYPE g gaugehistogram\n# HELP g g\ng_bucket{le=\"+Inf\"} 1\ng_gcount 1\ng_gsum 1\n# EOF\n",
        ],
        bad: ["# HELP g g\n# TYPE g gauge\ng{le=\"1\"} 1\n", "# HELP g g\n# TYPE g gauge\ng{quantile=\"0.5\"} 1\n"],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.type != .unknown else { return }
        let facts = c.labels(of: f)
        for (label, allowed) in [("le", f.type == .histogram || f.type == .gaugehistogram), ("quantile", f.type == .summary)] where !allowed
        {
            let id = facts.id(of: label)
            guard id >= 0 else { continue }
            var count = 0
            var first = 0
            for s in f.samples {
                for k in Int(s.labels.lowerBound)..<Int(s.labels.upperBound) where facts.ids[k] == id {
                    let l = f.labels[k]
                    if count == 0 { first = Int(l.name.start) }
                    count += 1
                }
            }
            if count > 0 {
                c.report(
                    at: first,
                    "\(f.type.rawValue) \"\(f.name)\" has a \"\(label)\" label on \(count) series; it is reserved for \(label == "le" ? "histogram buckets" : "summary quantiles")",
                    family: f.name, label: label)
            }
        }
    }
}

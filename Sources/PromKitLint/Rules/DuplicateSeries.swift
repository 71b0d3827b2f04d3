import PromKit

/// promlint `LintDuplicateMetric`: the same series twice.
struct DuplicateSeries: LintRule {
    static let description = RuleDescription(
        id: "duplicate_series", severity: .error, summary: "Each series appears once",
        rationale: "Prometheus keeps one of the two values (which one is undefined) and counts a scrape error.",
        good: ["# HELP g g\n# TYPE g gauge\ng{a=\"1\"} 1\ng{a=\"2\"} 1\n"],
        bad: ["# HELP g g\n# TYPE g gauge\ng{a=\"1\"} 1\ng{a=\"1\"} 2\n"],
        promlint: true)

    /// The validator finds duplicates (in any label order, by `SeriesIdentity`) and `LintRun` files them under
    /// this rule; promtool's own, order-sensitive check is the drop-in's (`Promlint.duplicateMetric`).
    func check(_ f: MetricFamily, _ c: inout LintContext) {}
}

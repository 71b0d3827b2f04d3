import PromKit

/// Cardinality budgets: series per family, and in the whole input.
struct SeriesBudget: LintRule {
    static let description = RuleDescription(
        id: "series_budget", severity: .warning, summary: "Series per family and per input stay within budget (default 10000 and 100000)",
        rationale:
            "Each series costs memory in Prometheus for as long as it exists; an exporter that explodes one label can take a server down.",
        good: ["# HELP g g\n# TYPE g gauge\ng{a=\"1\"} 1\n"],
        bad: ["# HELP g g\n# TYPE g gauge\n" + (0..<10001).map { "g{a=\"\($0)\"} 1\n" }.joined()])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        let n = f.samples.count
        c.seriesTotal += n
        let limit = c.configuration.maxSeriesPerFamily
        if limit > 0 && n > limit {
            c.report(
                at: Int(f.offset), "\"\(f.name)\" has \(n) series, over the budget of \(limit) per family (max_series_per_family)",
                family: f.name)
        }
    }

    func finish(_ c: inout LintContext) {
        let limit = c.configuration.maxSeriesTotal
        if limit > 0 && c.seriesTotal > limit {
            c.report(at: 0, "the input has \(c.seriesTotal) series, over the budget of \(limit) (max_series_total)", family: nil)
        }
    }
}

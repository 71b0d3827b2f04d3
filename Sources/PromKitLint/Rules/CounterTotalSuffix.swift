import PromKit

/// promlint `LintCounter` (first half).
struct CounterTotalSuffix: LintRule {
    static let description = RuleDescription(
        id: "counter_total_suffix", severity: .warning, summary: "Counter names end in _total",
        rationale: "_total tells every reader that the series only goes up and needs rate(); OpenMetrics requires it on counter samples.",
        good: ["# HELP jobs_total j\n# TYPE jobs_total counter\njobs_total 1\n"],
        bad: ["# HELP jobs j\n# TYPE jobs counter\njobs 1\n"],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.type == .counter else { return }
        // In OpenMetrics 1.0 the family name drops _total; its samples carry it.
        if f.format == .openMetrics || Naming.hasSuffix(f.name, "_total") { return }
        c.report(
            at: Int(f.offset), "counter \"\(f.name)\" should end in \"_total\"", family: f.name,
            promtool: "counter metrics should have \"_total\" suffix")
    }
}

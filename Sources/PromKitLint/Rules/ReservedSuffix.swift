import PromKit

/// promlint `LintHistogramSummaryReserved`, the suffix half.
struct ReservedSuffix: LintRule {
    static let description = RuleDescription(
        id: "reserved_suffix", severity: .warning, summary: "_bucket, _count and _sum are left to histograms and summaries",
        rationale: "These suffixes name the series a histogram or summary generates; on other metrics they clash and mislead.",
        good: ["# HELP jobs_queued j\n# TYPE jobs_queued gauge\njobs_queued 1\n"],
        bad: ["# HELP jobs_count j\n# TYPE jobs_count gauge\njobs_count 1\n", "# HELP x_bucket x\n# TYPE x_bucket gauge\nx_bucket 1\n"],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        let t = f.type
        if t != .histogram && t != .unknown && Naming.hasSuffix(f.name, "_bucket") {
            c.report(
                at: Int(f.offset), "\(t.rawValue) \"\(f.name)\" ends in \"_bucket\", which is for histograms", family: f.name,
                promtool: "non-histogram metrics should not have \"_bucket\" suffix")
        }
        if t == .counter || t == .gauge || t == .gaugehistogram {
            for suffix: StaticString in ["_count", "_sum"] where Naming.hasSuffix(f.name, suffix) {
                c.report(
                    at: Int(f.offset), "\(t.rawValue) \"\(f.name)\" ends in \"\(suffix)\", which is for histograms and summaries",
                    family: f.name,
                    promtool: "non-histogram and non-summary metrics should not have \"\(suffix)\" suffix")
            }
        }
    }
}

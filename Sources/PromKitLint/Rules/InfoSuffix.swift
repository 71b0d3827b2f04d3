import PromKit

/// Info families are named `…_info`.
struct InfoSuffix: LintRule {
    static let description = RuleDescription(
        id: "info_suffix", severity: .warning, summary: "Info metrics (a constant 1 carrying labels) end in _info",
        rationale: "_info tells readers to join on the labels rather than graph the value; OpenMetrics 2.0 requires it.",
        good: ["# HELP build_info b\n# TYPE build_info gauge\nbuild_info{version=\"1\"} 1\n"],
        bad: [
            "# TYPE build info\n# HELP build b\nbuild{version=\"1\"} 1\n# TYPE c_total counter\n# HELP c_total c\nc_total 1 st@1\n# EOF\n"
        ])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.type == .info else { return }
        if f.format == .openMetrics { return }  // the 1.0 family name drops _info; its samples carry it
        if !Naming.hasSuffix(f.name, "_info") {
            c.report(at: Int(f.offset), "info family \"\(f.name)\" should end in \"_info\"", family: f.name)
        }
    }
}

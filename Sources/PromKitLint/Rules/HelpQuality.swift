import PromKit

/// HELP that says nothing: empty after the name, or just the name again.
struct HelpQuality: LintRule {
    static let description = RuleDescription(
        id: "help_uninformative", severity: .info, summary: "HELP says more than the metric's name",
        rationale: "HELP that repeats the name documents nothing; say what is measured, in what unit, and when it changes.",
        good: ["# HELP jobs_total Jobs processed since start.\n# TYPE jobs_total counter\njobs_total 1\n"],
        bad: ["# HELP jobs_total jobs_total\n# TYPE jobs_total counter\njobs_total 1\n", "# HELP jobs_total jobs total\n# TYPE jobs_total counter\njobs_total 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard let help = f.help, let offset = f.helpOffset else { return }
        let words = help.lowercased().filter { $0.isLetter || $0.isNumber }
        let name = f.name.lowercased().filter { $0.isLetter || $0.isNumber }
        if !words.isEmpty && words == name {
            c.report(at: Int(offset), "HELP of \"\(f.name)\" only repeats the name", family: f.name)
        }
    }
}

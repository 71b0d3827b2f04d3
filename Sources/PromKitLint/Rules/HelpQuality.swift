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
        // Compare letters and digits only, ASCII case-folded: "jobs total" repeats jobs_total.
        func key(_ s: String) -> [UInt8] {
            s.utf8.compactMap { b in
                if b >= 65 && b <= 90 { return b | 0x20 }
                return (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b >= 0x80 ? b : nil
            }
        }
        let words = key(help), name = key(f.name)
        if !words.isEmpty && words == name {
            c.report(at: Int(offset), "HELP of \"\(f.name)\" only repeats the name", family: f.name)
        }
    }
}

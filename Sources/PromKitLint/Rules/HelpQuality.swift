import PromKit

/// HELP that says nothing: empty after the name, or just the name again.
struct HelpQuality: LintRule {
    static let description = RuleDescription(
        id: "help_uninformative", severity: .info, summary: "HELP says more than the metric's name",
        rationale: "HELP that repeats the name documents nothing; say what is measured, in what unit, and when it changes.",
        good: ["# HELP jobs_total Jobs processed since start.\n# TYPE jobs_total counter\njobs_total 1\n"],
        bad: ["# HELP jobs_total jobs_total\n# TYPE jobs_total counter\njobs_total 1\n", "# HELP jobs_total jobs total\n# TYPE jobs_total counter\njobs_total 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard let range = f.helpRange, let offset = f.helpOffset else { return }
        // Compared on letters and digits only, case-insensitively: "jobs total" repeats "jobs_total".
        @inline(__always) func key(_ b: UInt8) -> UInt8? {
            if b >= 65 && b <= 90 { return b | 0x20 }
            return (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b >= 0x80 ? b : nil
        }
        var name = f.name
        let repeats = f.withBytes(range) { help -> Bool in
            // Escapes change the text: compare the unescaped HELP then (rare).
            if help.contains(UInt8(ascii: "\\")) { return Array(f.help!.utf8).compactMap(key) == Array(f.name.utf8).compactMap(key) }
            return name.withUTF8 { n in
                var i = 0, j = 0, any = false
                while true {
                    while i < help.count && key(help[i]) == nil { i += 1 }
                    while j < n.count && key(n[j]) == nil { j += 1 }
                    if i == help.count || j == n.count { return i == help.count && j == n.count && any }
                    if key(help[i]) != key(n[j]) { return false }
                    any = true
                    i += 1
                    j += 1
                }
            }
        }
        if repeats {
            c.report(at: Int(offset), "HELP of \"\(f.name)\" only repeats the name", family: f.name)
        }
    }
}

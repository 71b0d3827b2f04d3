import PromKit

/// HELP that says nothing: empty after the name, or just the name again.
struct HelpUninformative: LintRule {
    static let description = RuleDescription(
        id: "help_uninformative", severity: .info, summary: "HELP says more than the metric's name",
        rationale: "HELP that repeats the name documents nothing; say what is measured, in what unit, and when it changes.",
        good: ["# HELP jobs_total Jobs processed since start.\n# TYPE jobs_total counter\njobs_total 1\n"],
        bad: [
            "# HELP jobs_total jobs_total\n# TYPE jobs_total counter\njobs_total 1\n",
            "# HELP jobs_total jobs total\n# TYPE jobs_total counter\njobs_total 1\n",
        ])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard let range = f.helpRange, let offset = f.helpOffset else { return }
        let name = f.name
        let repeats = f.withBytes(range) { raw -> Bool in
            // Escapes change the text: compare the unescaped HELP then (rare).
            guard raw.contains(UInt8(ascii: "\\")) else { return withUTF8Bytes(name) { Self.sameWords(raw, $0) } }
            return withUTF8Bytes(f.help!) { h in withUTF8Bytes(name) { Self.sameWords(h, $0) } }
        }
        if repeats {
            c.report(at: Int(offset), "HELP of \"\(f.name)\" only repeats the name", family: f.name)
        }
    }

    /// Whether the texts have the same letters and digits, case-insensitively, and some: "jobs total" repeats
    /// "jobs_total".
    static func sameWords(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        @inline(__always) func key(_ b: UInt8) -> UInt8? {
            if b >= 65 && b <= 90 { return b | 0x20 }
            return (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b >= 0x80 ? b : nil
        }
        var i = 0, j = 0, any = false
        while true {
            while i < a.count && key(a[i]) == nil { i += 1 }
            while j < b.count && key(b[j]) == nil { j += 1 }
            if i == a.count || j == b.count { return i == a.count && j == b.count && any }
            if key(a[i]) != key(b[j]) { return false }
            any = true
            i += 1
            j += 1
        }
    }
}

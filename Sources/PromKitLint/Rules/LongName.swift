import PromKit

/// Very long metric names and label values.
struct LongName: LintRule {
    static let description = RuleDescription(
        id: "long_name", severity: .warning, summary: "Metric names stay under 200 characters and label values under 1024",
        rationale:
            "Long names and values cost memory in every series and index and usually mean free text (an error message, a URL with a query) went into a label.",
        good: ["# HELP g g\n# TYPE g gauge\ng{path=\"/api\"} 1\n"],
        bad: ["# HELP g g\n# TYPE g gauge\ng{path=\"" + String(repeating: "x", count: 1100) + "\"} 1\n"])

    static let maxName = 200
    static let maxValue = 1024

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        // Characters counted as code points, from the bytes: a grapheme count of a long name or value
        // (Swift's String.count) took seconds on a value of 100 MB.
        let nameLength = f.name.unicodeScalars.count
        if nameLength > Self.maxName {
            c.report(at: Int(f.offset), "metric name is \(nameLength) characters long (limit \(Self.maxName))", family: f.name)
        }
        // Each name's first long value (from the label pass), in input order, once per name.
        let firstLong = c.labels(of: f).firstLong
        guard firstLong.contains(where: { $0 >= 0 }) else { return }
        let long = firstLong.filter { $0 >= 0 }
        var reported = Set<String>()
        for k in long.sorted().map(Int.init) {
            let l = f.labels[k]
            let name = f.name(of: l)
            if !reported.insert(name).inserted { continue }
            c.report(
                at: Int(l.value.start),
                "label \"\(name)\" of \"\(f.name)\" has a value \(Self.codePoints(f, l)) characters long (limit \(Self.maxValue))",
                family: f.name, label: name)
        }
    }

    /// Code points in a label's value, counted from the bytes when it holds no escape (no string made).
    static func codePoints(_ f: MetricFamily, _ l: Label) -> Int {
        if l.flags.contains(.valueEscaped) { return f.value(of: l).unicodeScalars.count }
        return f.withBytes(l.value) { bytes in
            var n = 0
            for b in bytes where b & 0xC0 != 0x80 { n += 1 }
            return n
        }
    }
}

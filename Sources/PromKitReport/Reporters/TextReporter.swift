import PromKit

/// `FILE:LINE:COL: severity: message [rule]`, one finding a line, and a summary; on a terminal the source
/// line with a caret under the column, in colour unless `NO_COLOR` is set.
public struct TextReporter: Reporter {
    public static let name = "text"
    public static let summary = "FILE:LINE:COL: severity: message [rule], with the source line on a terminal (default)"
    public init() {}

    public func render(_ report: Report, context: ReportContext) throws -> [UInt8] {
        // Bytes appended piece by piece: one line per finding, a quarter of a million findings on a bad input.
        var out: [UInt8] = []
        out.reserveCapacity(report.inputs.reduce(0) { $0 + $1.findings.count } * 128 + 64)
        func add(_ s: String) { out.append(contentsOf: s.utf8) }
        // Numbers written as digits straight into the bytes (no string made per line and column).
        func add(_ n: Int) {
            if n < 0 { return add(String(n)) }
            if n >= 10 { add(n / 10) }
            out.append(UInt8(ascii: "0") + UInt8(n % 10))
        }
        let c = Colours(enabled: context.colour)
        for input in report.inputs {
            for f in input.findings {
                add(c.boldStart)
                add(f.path)
                if f.line > 0 {
                    add(":"); add(f.line); add(":"); add(f.column)
                }
                add(":")
                add(c.end)
                add(" ")
                add(c.severity(f.severity))
                add(": ")
                add(Escaping.oneLine(f.message))
                add(" ")
                add(c.dimStart)
                add("["); add(f.rule); add("]")
                add(c.end)
                add("\n")
                if context.isTerminal, f.line > 0, let excerpt = f.excerpt ?? input.source?.excerpt(at: f.offset) {
                    let before = (excerpt.cutBefore ? "…" : "") + excerpt.before
                    let line = before + excerpt.after + (excerpt.cutAfter ? "…" : "")
                    add("  " + Escaping.oneLine(line) + "\n")
                    let caret = DisplayWidth.caretOffset(in: line, column: before.unicodeScalars.count + 1)
                    add("  " + String(repeating: " ", count: caret) + c.green("^") + "\n")
                }
            }
        }
        add(summaryLine(report) + "\n")
        return out
    }

    func summaryLine(_ report: Report) -> String {
        let files = report.inputs.count == 1 ? "1 file" : "\(report.inputs.count) files"
        let errors = report.count(.error), warnings = report.count(.warning), infos = report.count(.info)
        if errors + warnings + infos == 0 { return "no problems found in \(files)" }
        func n(_ k: Int, _ s: Severity) -> String { k == 1 ? "1 \(s.rawValue)" : "\(k) \(s.plural)" }
        var parts = [n(errors, .error), n(warnings, .warning)]
        if infos > 0 { parts.append(n(infos, .info)) }
        let omitted = report.omittedCount
        return parts.joined(separator: ", ") + " in \(files)" + (omitted > 0 ? " (\(omitted) not shown; see --max-diagnostics)" : "")
    }
}

/// ANSI colours, or nothing.
struct Colours {
    var enabled: Bool
    private func wrap(_ s: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    /// The codes around a piece written in parts (empty when colour is off).
    var boldStart: String { enabled ? "\u{1B}[1m" : "" }
    var dimStart: String { enabled ? "\u{1B}[2m" : "" }
    var end: String { enabled ? "\u{1B}[0m" : "" }
    func green(_ s: String) -> String { wrap(s, "32") }
    func severity(_ s: Severity) -> String {
        switch s {
        case .error: wrap("error", "1;31")
        case .warning: wrap("warning", "1;33")
        case .info: wrap("info", "1;36")
        }
    }
}

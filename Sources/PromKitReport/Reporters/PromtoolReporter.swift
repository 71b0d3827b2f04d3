import PromKit

/// promkit's findings in the shape of `promtool check metrics`' lines, for tools that read those: `NAME MESSAGE`
/// per finding (every rule and severity of the run, promkit's messages), sorted by name then message; an input
/// with a spec error (rule `parse` in lint, any finding of validate) instead gets promtool's one line for it,
/// `error while linting: text format parsing error in line N: MESSAGE`, as promtool stops there. A finding about
/// no family is named by its rule. For promtool's own rules, texts and exit codes, use `lint --promtool`.
public struct PromtoolReporter: Reporter {
    public static let name = "promtool"
    public static let summary = "promkit's findings in promtool check metrics' line shape (promtool's own lines: lint --promtool)"
    public init() {}

    public func render(_ report: Report, context: ReportContext) throws -> [UInt8] {
        var out = ""
        for input in report.inputs {
            if let unreadable = input.findings.first(where: { $0.rule == "read_error" }) {
                out += "error: \(Escaping.oneLine(unreadable.message))\n"
                continue
            }
            // Only an error stops promtool's parser: a warning of the validator (an empty input, a text-format
            // family met twice) is listed like any other finding.
            if let parse = input.findings.first(where: { $0.severity == .error && (report.command == "validate" || $0.rule == "parse") }) {
                out += "error while linting: text format parsing error in line \(parse.line): \(Escaping.oneLine(parse.message))\n"
                continue
            }
            let problems = input.findings.map { ($0.family ?? $0.rule, Escaping.oneLine($0.message)) }
                .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            for (name, text) in problems { out += "\(name) \(text)\n" }
        }
        return Array(out.utf8)
    }
}

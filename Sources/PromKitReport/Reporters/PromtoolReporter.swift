import PromKit

/// promtool's own lines, as `promtool check metrics` prints them: `NAME TEXT` per problem, sorted by name
/// then text; a parse error as `error while linting: text format parsing error in line N: MESSAGE`.
public struct PromtoolReporter: Reporter {
    public static let name = "promtool"
    public static let summary = "promtool check metrics' own lines (lint --promtool)"
    public init() {}

    public func render(_ report: Report, context: ReportContext) throws -> [UInt8] {
        var out = ""
        for input in report.inputs {
            if let unreadable = input.findings.first(where: { $0.rule == "read_error" }) {
                out += "error: \(Escaping.oneLine(unreadable.message))\n"
                continue
            }
            if let parse = input.findings.first(where: { $0.rule == "parse" }) {
                out += "error while linting: text format parsing error in line \(parse.line): \(Escaping.oneLine(parse.message))\n"
                continue
            }
            let problems = input.findings.map { ($0.family ?? "", Escaping.oneLine($0.message)) }
                .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            for (name, text) in problems { out += "\(name) \(text)\n" }
        }
        return Array(out.utf8)
    }
}

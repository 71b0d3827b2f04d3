import PromKit

/// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), most severe first,
/// escaped as GitHub requires. GitHub shows 10 annotations of each type per step; a closing notice says how
/// many it will not display. `stepSummary` renders the Markdown table for `$GITHUB_STEP_SUMMARY`.
public struct GitHubReporter: Reporter {
    public static let name = "github"
    public static let summary = "GitHub Actions annotations, plus a table in $GITHUB_STEP_SUMMARY"
    public static let shownPerType = 10
    public init() {}

    public func render(_ report: Report, context: ReportContext) throws -> [UInt8] {
        var out = ""
        var perType: [String: Int] = [:]
        for f in report.findingsBySeverity {
            let command = Self.command(f.severity)
            perType[command, default: 0] += 1
            var properties = ["file=" + Escaping.githubProperty(f.path)]
            if f.line > 0 {
                properties += ["line=\(f.line)", "col=\(f.column)"]
            }
            properties.append("title=" + Escaping.githubProperty("promkit \(f.rule)"))
            out += "::\(command) \(properties.joined(separator: ","))::\(Escaping.githubData(f.message))\n"
        }
        let hidden = perType.filter { $0.value > Self.shownPerType }.sorted { $0.key < $1.key }
        if !hidden.isEmpty {
            let text = hidden.map { "\($0.value - Self.shownPerType) \($0.key)" }.joined(separator: ", ")
            out +=
                "::notice title=promkit::GitHub shows \(Self.shownPerType) annotations of each type per step; \(text) annotations are not displayed. See the job log or the step summary for all.\n"
        }
        return Array(out.utf8)
    }

    static func command(_ s: Severity) -> String {
        switch s {
        case .error: "error"
        case .warning: "warning"
        case .info: "notice"
        }
    }

    /// A Markdown section for the job's step summary.
    public func stepSummary(_ report: Report) -> [UInt8] {
        var out = "### promkit \(report.command)\n\n"
        out += TextReporter().summaryLine(report) + "\n\n"
        let findings = report.findingsBySeverity
        if !findings.isEmpty {
            out += "| severity | location | rule | message |\n| --- | --- | --- | --- |\n"
            for f in findings {
                let at = f.line > 0 ? "\(f.path):\(f.line):\(f.column)" : f.path
                out +=
                    "| \(f.severity.rawValue) | \(Escaping.markdownCell(at)) | \(Escaping.markdownCell(f.rule)) | \(Escaping.markdownCell(f.message)) |\n"
            }
            out += "\n"
        }
        return Array(out.utf8)
    }
}

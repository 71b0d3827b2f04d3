import PromKit

/// Checkstyle XML, as Jenkins' warnings plugin and reviewdog read it: `<file name>` per input with
/// `<error line column severity message source>` per finding.
public struct CheckstyleReporter: Reporter {
    public static let name = "checkstyle"
    public static let summary = "Checkstyle XML (Jenkins warnings plugin, reviewdog)"
    public init() {}

    public func render(_ report: Report, context: ReportContext) throws -> [UInt8] {
        let w = try XMLWriter()
        try w.start("checkstyle", [("version", "4.3")])
        for input in report.inputs {
            try w.start("file", [("name", input.path)])
            for f in input.findings {
                try w.element(
                    "error",
                    [
                        ("line", "\(f.line)"), ("column", "\(f.column)"), ("severity", f.severity.rawValue),
                        ("message", f.message), ("source", "promkit.\(f.rule)"),
                    ])
            }
            try w.end()
        }
        try w.end()
        return try w.finish()
    }
}

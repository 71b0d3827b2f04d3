import PromKit

/// `promkit lint` as a library call: read each input, lint it, gather one report and the exit status.
public struct LintRun: Sendable {
    public var linter: Linter
    public var format: FormatChoice
    /// Keep each finding's source line around its column (`Finding.excerpt`), for carets on a terminal.
    public var excerpts: Bool

    public init(linter: Linter, format: FormatChoice = .auto, excerpts: Bool = false) {
        self.linter = linter
        self.format = format
        self.excerpts = excerpts
    }

    public struct Outcome: Sendable {
        public var report: Report
        /// 0 no finding at or above fail-on, 1 some, 2 an input could not be read.
        public var exitStatus: Int32
    }

    public func run(paths: [String]) -> Outcome {
        let configuration = linter.configuration
        var inputs: [InputReport] = []
        var unreadable = false
        for path in paths {
            switch InputLoader.load(path) {
            case .failure(let failure):
                unreadable = true
                inputs.append(InputReport(path: failure.path, source: nil, findings: [
                    Finding(rule: "read_error", severity: .error, message: "cannot read input: \(failure.reason)", path: failure.path, line: 0, column: 0),
                ], rulesRun: ["read_error"]))
            case .success(let source):
                let (validation, lint, _) = linter.lint(source, format: format.resolve(for: source.bytes))
                // Validator findings are the `parse` rule; duplicate series is the lint rule's to report.
                let parse = validation.compactMap { d -> Diagnostic? in
                    if !configuration.isEnabled("parse") && d.code != .duplicateSeries { return nil }
                    if let family = d.family, configuration.ignores(family) { return nil }
                    var p = d
                    // The validator finds duplicate series in any label order: they are the duplicate_series rule's.
                    if d.code == .duplicateSeries {
                        guard configuration.isEnabled("duplicate_series") else { return nil }
                        p.severity = configuration.severity(of: DuplicateSeries.description)
                        return p
                    }
                    p.code = "parse"
                    p.severity = configuration.severities["parse"] ?? d.severity
                    return p
                }
                // The report does not keep the input: it is closed and unmapped before the next is opened.
                inputs.append(InputReport(source: source, diagnostics: parse + lint, rulesRun: linter.ruleIDs,
                                          excerpts: excerpts, keepingSource: false))
            }
        }
        let failing = inputs.contains { input in
            input.findings.contains { f in configuration.failOn.map { f.severity >= $0 } ?? false }
        }
        let status: Int32 = unreadable ? 2 : failing ? 1 : 0
        let rules = RuleRegistry.descriptions.map { d -> RuleInfo in
            var info = d.info
            info.severity = configuration.severity(of: d)
            return info
        } + [RuleInfo(id: "read_error", severity: .error, summary: "The input can be read")]
        return Outcome(report: Report(command: "lint", inputs: inputs, rules: rules), exitStatus: status)
    }
}

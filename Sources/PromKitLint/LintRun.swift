import PromKit

/// `promkit lint` as a library call: read each input, lint it, gather one report and the exit status.
public struct LintRun: Sendable {
    /// The rules and their configuration.
    public var linter: Linter
    /// The inputs' format (detected by default).
    public var format: FormatChoice
    /// Keep each finding's source line around its column (`Finding.excerpt`), for carets on a terminal.
    public var excerpts: Bool

    /// A lint run.
    public init(linter: Linter, format: FormatChoice = .auto, excerpts: Bool = false) {
        self.linter = linter
        self.format = format
        self.excerpts = excerpts
    }

    /// A run's report and exit status.
    public struct Outcome: Sendable {
        /// One report per input.
        public var report: Report
        /// 0 no finding at or above fail-on, 1 some, 2 an input could not be read.
        public var exitStatus: Int32
    }

    /// Lints each input (`-` for standard input, a path, or a URL once PromKitNet is installed), in order.
    public func run(paths: [String]) -> Outcome {
        let configuration = linter.configuration
        var inputs: [InputReport] = []
        var unreadable = false
        for path in paths {
            switch InputLoader.load(path) {
            case .failure(let failure):
                if failure.unreadable { unreadable = true }
                inputs.append(failure.report)
            case .success(let source):
                // The report does not keep the input: it is closed and unmapped before the next is opened.
                let input = lint(source, keepingSource: false)
                // A body read while it arrived that then stopped short: the input could not be read after all.
                if let failure = source.lateFailure {
                    if failure.unreadable { unreadable = true }
                    inputs.append(failure.report)
                    continue
                }
                inputs.append(input)
            }
        }
        let failing = inputs.contains { input in
            guard let failOn = configuration.failOn else { return false }
            return Severity.allCases.contains { $0 >= failOn && input.count($0) > 0 }
        }
        let status: Int32 = unreadable ? 2 : failing ? 1 : 0
        let rules =
            RuleRegistry.descriptions.map { d -> RuleInfo in
                var info = d.info
                info.severity = configuration.severity(of: d)
                return info
            } + [
                RuleInfo(id: "read_error", severity: .error, summary: "The input can be read"), InputLoader.scrapeErrorRule,
                RuleInfo(
                    id: DiagnosticCode.contentType.rawValue, severity: .error,
                    summary: "An input fetched over HTTP names its format in Content-Type, as Prometheus 3 requires"),
            ]
        return Outcome(report: Report(command: "lint", inputs: inputs, rules: rules), exitStatus: status)
    }

    /// Lints one input held in memory or loaded: the validator's findings (rule `parse`, duplicate series
    /// under `duplicate_series`) and every enabled rule's, located, in input order.
    public func lint(_ source: SourceFile, keepingSource: Bool = true) -> InputReport {
        let configuration = linter.configuration
        let resolved = format.resolve(for: source)
        let (found, lint, _) = linter.lint(source, format: resolved)
        let validation = format.hinting(found, for: source.bytes, resolved: resolved)
        let parse = validation.compactMap { d -> Diagnostic? in
            var p = d
            if d.code == .tooManyDiagnostics {
                // What the reader's limit left out, counted under the rule each would have been.
                p.omitted = []
                for o in d.omitted {
                    guard let (code, severity) = rule(for: o.code, o.severity) else { continue }
                    p.omitted.add(code, severity, o.count)
                }
                return p
            }
            // --ignore-metric skips lint rules only: what the spec forbids is reported (as validate does).
            if d.code == .duplicateSeries, let family = d.family, configuration.ignores(family) { return nil }
            guard let (code, severity) = rule(for: d.code, d.severity) else { return nil }
            p.code = code
            p.severity = severity
            return p
        }
        return InputReport(
            source: source, diagnostics: source.notes + parse + lint, rulesRun: linter.ruleIDs,
            limit: linter.readOptions.maxDiagnostics, excerpts: excerpts, keepingSource: keepingSource)
    }

    /// The rule and severity a validator finding is reported under, or nil when that rule is off: the
    /// validator finds duplicate series in any label order, and they are the duplicate_series rule's; the
    /// rest are rule `parse`.
    private func rule(for code: DiagnosticCode, _ severity: Severity) -> (DiagnosticCode, Severity)? {
        let configuration = linter.configuration
        if code == .duplicateSeries {
            guard configuration.isEnabled("duplicate_series") else { return nil }
            return (code, configuration.severity(of: DuplicateSeries.description))
        }
        guard configuration.isEnabled("parse") else { return nil }
        return ("parse", configuration.severities["parse"] ?? severity)
    }
}

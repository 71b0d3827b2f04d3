import PromKit
import PromKitLint

/// Checks a service's `/metrics` output inside its own test suite: valid against its format's specification
/// and clean of lint findings, with a failure message that points at each line and rule. No test framework is
/// imported: use it from Swift Testing, XCTest or anything else.
///
///     // Swift Testing
///     let output = registry.emitToString()
///     #expect(MetricsCheck().problems(in: output).isEmpty, "\(MetricsCheck().report(for: output))")
///
///     // XCTest
///     XCTAssertNil(MetricsCheck().failureMessage(for: output))
public struct MetricsCheck: Sendable {
    /// Rules, severities and ignored families, as `.promkit.yml` sets them (`LintConfiguration`).
    public var configuration: LintConfiguration
    /// The lowest severity that counts as a problem (default: warnings and errors; `.error` for spec
    /// violations and error rules only).
    public var failOn: Severity
    /// The format to read the output as (detected by default).
    public var format: FormatChoice

    /// A check that fails on findings at or above `failOn`, with rules set by `configuration`, reading the output as `format`.
    public init(
        configuration: LintConfiguration = LintConfiguration(), failOn: Severity = .warning,
        format: FormatChoice = .auto
    ) {
        self.configuration = configuration
        self.failOn = failOn
        self.format = format
    }

    /// Every finding on the output, spec violations (rule `parse`) and lint rules alike, in line order.
    public func findings(in output: String, name: String = "metrics") -> [Finding] {
        LintRun(linter: Linter(configuration: configuration), format: format)
            .lint(SourceFile(name: name, text: output)).findings
    }

    /// The findings at or above `failOn`: what should fail the test.
    public func problems(in output: String, name: String = "metrics") -> [Finding] {
        findings(in: output, name: name).filter { $0.severity >= failOn }
    }

    /// The problems as lines a person can act on (`metrics:LINE:COL: severity: message [rule]`, the source
    /// line below each), or nil when there is none.
    public func failureMessage(for output: String, name: String = "metrics") -> String? {
        let problems = problems(in: output, name: name)
        guard !problems.isEmpty else { return nil }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        var message = "\(problems.count) metrics \(problems.count == 1 ? "problem" : "problems"):\n"
        for p in problems {
            message += "\(p.path):\(p.line):\(p.column): \(p.severity.rawValue): \(p.message) [\(p.rule)]\n"
            if p.line >= 1 && p.line <= lines.count { message += "    \(lines[p.line - 1])\n" }
        }
        return message
    }

    /// `failureMessage(for:)`, or a line saying all is well: for a test framework's comment.
    public func report(for output: String, name: String = "metrics") -> String {
        failureMessage(for: output, name: name) ?? "no metrics problems"
    }
}

import PromKit

/// JUnit XML (valid against the strict Jenkins schema): one `<testsuite>` per input, one `<testcase>` per rule
/// run on it. A rule with error findings fails, its `<failure>` listing them as `LINE:COL: message`; warnings
/// and infos go to the test case's `<system-out>`, so the case still passes. Suite names are made unique
/// (GitLab keeps only the first of a name).
public struct JUnitReporter: Reporter {
    public static let name = "junit"
    public static let summary = "JUnit XML, valid against the Jenkins JUnit schema"
    public init() {}

    /// The GitLab/GitHub variant adds `file` and `line` to test cases (not in the schema).
    var locations = false

    public func render(_ report: Report, context: ReportContext) throws -> [UInt8] {
        let w = try XMLWriter()
        let names = report.uniqueInputNames()
        // Each input's findings grouped by rule once (in input order within a rule), and its cases.
        let grouped = report.inputs.map { input in Dictionary(grouping: input.findings, by: \.rule) }
        let caseLists = zip(report.inputs, grouped).map { cases(for: $0, grouped: $1) }
        let failing = report.inputs.map { failedRules($0).count }
        let totalTests = caseLists.reduce(0) { $0 + $1.count }
        let totalFailures = failing.reduce(0, +)
        try w.start(
            "testsuites",
            [
                ("name", "\(report.tool) \(report.command)"), ("tests", "\(totalTests)"),
                ("failures", "\(totalFailures)"), ("errors", "0"),
            ])
        for (index, input) in report.inputs.enumerated() {
            let rules = caseLists[index]
            try w.start(
                "testsuite",
                [
                    ("name", names[index]), ("tests", "\(rules.count)"),
                    ("failures", "\(failing[index])"), ("errors", "0"), ("skipped", "0"),
                ])
            for rule in rules {
                let findings = grouped[index][rule] ?? []
                let errors = findings.filter { $0.severity == .error }
                var attributes = [("name", rule), ("classname", "\(report.tool).\(report.command).\(names[index])")]
                // The line of the first failure (an error), else of the first finding.
                if locations, let first = errors.first ?? findings.first {
                    attributes += [("file", input.path), ("line", "\(first.line)")]
                }
                try w.start("testcase", attributes)
                // Errors --max-diagnostics left out fail the case too, and count in its message.
                let cut = input.omittedCount(rule: rule, severity: .error)
                if !errors.isEmpty || cut > 0 {
                    let summary = report.rule(rule)?.summary ?? rule
                    let total = errors.count + cut
                    try w.start("failure", [("message", "\(total) \(total == 1 ? "error" : "errors"): \(summary)"), ("type", rule)])
                    try w.text(listing(errors) + (cut > 0 ? "\(cut) more not listed (see --max-diagnostics)\n" : ""))
                    try w.end()
                }
                let others = findings.filter { $0.severity != .error }
                if !others.isEmpty {
                    try w.element("system-out", text: listing(others))
                }
                try w.end()
            }
            try w.end()
        }
        try w.end()
        return try w.finish()
    }

    /// The rules run on an input, plus any rule a finding names that was not listed (e.g. read errors), in
    /// the order first met.
    private func cases(for input: InputReport, grouped: [String: [Finding]]) -> [String] {
        var rules = input.rulesRun
        var listed = Set(rules)
        for f in input.findings where grouped[f.rule] != nil && listed.insert(f.rule).inserted { rules.append(f.rule) }
        for o in input.omitted where listed.insert(o.code.rawValue).inserted { rules.append(o.code.rawValue) }
        return rules
    }

    /// Rules with errors, shown or left out by --max-diagnostics.
    private func failedRules(_ input: InputReport) -> Set<String> {
        Set(
            input.findings.filter { $0.severity == .error }.map(\.rule)
                + input.omitted.filter { $0.severity == .error }.map(\.code.rawValue))
    }

    private func listing(_ findings: [Finding]) -> String {
        findings.map { f in
            let at = f.line > 0 ? "\(f.path):\(f.line):\(f.column)" : f.path
            return "\(at): \(f.severity.rawValue): \(Escaping.oneLine(f.message))"
        }.joined(separator: "\n") + "\n"
    }
}

/// JUnit with `file` and `line` on each failing test case, which GitLab and GitHub test reporters show.
/// Not valid against the strict schema (it has no such attributes); use `junit` where validity matters.
public struct JUnitGitLabReporter: Reporter {
    public static let name = "junit-gitlab"
    public static let summary = "JUnit XML with file/line attributes for GitLab and GitHub (not schema-valid)"
    public init() {}

    public func render(_ report: Report, context: ReportContext) throws -> [UInt8] {
        var base = JUnitReporter()
        base.locations = true
        return try base.render(report, context: context)
    }
}

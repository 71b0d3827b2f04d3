/// The neutral result of a command (`validate`, `lint`), handed to every reporter.
///
/// Locations are resolved here, once, so reporters are pure functions from a `Report` to bytes.
public struct Report: Sendable {
    /// The tool that made the report (`promkit`).
    public var tool: String
    /// Its version.
    public var version: String
    /// The command that produced the report: `validate`, `lint`.
    public var command: String
    /// One report per input, in the order given.
    public var inputs: [InputReport]
    /// Every rule or check that ran, for reporters that list passed checks (JUnit, SARIF).
    public var rules: [RuleInfo]

    /// A report of `inputs` with the rules that ran.
    public init(
        tool: String = "promkit", version: String = PromKitVersion.current, command: String,
        inputs: [InputReport], rules: [RuleInfo]
    ) {
        self.tool = tool
        self.version = version
        self.command = command
        self.inputs = inputs
        self.rules = rules
    }

    /// Every input's findings, one input after another.
    public var allFindings: [Finding] { inputs.flatMap(\.findings) }

    /// Findings of `severity` in all inputs, those a limit left out included (the true total).
    public func count(_ severity: Severity) -> Int {
        inputs.reduce(0) { $0 + $1.count(severity) }
    }

    /// Findings a limit left out, in all inputs.
    public var omittedCount: Int { inputs.reduce(0) { $0 + $1.omitted.total } }

    /// The rule called `id`, if it ran.
    public func rule(_ id: String) -> RuleInfo? { rules.first { $0.id == id } }

    /// Tells each input that is a fleet's target (`--from-prometheus`) its job and instance, found by the
    /// name the input is reported under.
    public func attaching(_ targets: [ScrapeTarget]?) -> Report {
        guard let targets, !targets.isEmpty else { return self }
        var byName: [String: ScrapeTarget] = [:]
        for t in targets { byName[t.name] = t }
        var report = self
        for i in report.inputs.indices { report.inputs[i].target = byName[report.inputs[i].path] }
        return report
    }
}

/// A Prometheus target an input was scraped from (`--from-prometheus`): what the JSON report shows apart
/// from the input's name.
public struct ScrapeTarget: Sendable, Equatable {
    /// The scrape URL, without a password.
    public var url: String
    /// The target's `job` label.
    public var job: String
    /// The target's `instance` label.
    public var instance: String

    /// A target scraped at `url`, labelled `job` and `instance`.
    public init(url: String, job: String, instance: String) {
        self.url = url
        self.job = job
        self.instance = instance
    }

    /// The name the input is reported under (and shown in text output): its URL, with job and instance.
    public var name: String { "\(url) (job=\(job), instance=\(instance))" }
}

/// One input's findings, in input order.
public struct InputReport: Sendable {
    /// The name the input is shown under: its path as given, or `<stdin>`.
    public var path: String
    /// The bytes, when they were read (reporters show the source line under a finding).
    public var source: SourceFile?
    /// The input's findings, in input order.
    public var findings: [Finding]
    /// The ids of the rules or checks run on this input (passed ones included).
    public var rulesRun: [String]
    /// Findings `--max-diagnostics` left out, by rule (`code`) and severity. The list then ends with a
    /// `too_many_diagnostics` note saying so, which is not itself counted.
    public var omitted: [OmittedCount]
    /// The Prometheus target the input was scraped from (`--from-prometheus`); nil for other inputs.
    public var target: ScrapeTarget?

    /// An input's report from findings already located.
    public init(path: String, source: SourceFile?, findings: [Finding], rulesRun: [String], omitted: [OmittedCount] = []) {
        self.path = path
        self.source = source
        self.findings = findings
        self.rulesRun = rulesRun
        self.omitted = omitted
    }

    /// Findings of `severity`, those left out included, the omission note not.
    public func count(_ severity: Severity) -> Int {
        var n = omitted.count(severity)
        for f in findings where f.severity == severity && f.rule != DiagnosticCode.tooManyDiagnostics.rawValue { n += 1 }
        return n
    }

    /// Findings of `rule` and `severity` left out.
    public func omittedCount(rule: String, severity: Severity) -> Int {
        omitted.reduce(0) { $0 + ($1.code.rawValue == rule && $1.severity == severity ? $1.count : 0) }
    }

    /// Resolves the diagnostics' offsets to lines and columns, sorting them into input order, and keeps the
    /// first `limit` (0: all); what is left out, here or by the reader's own limit (the
    /// `too_many_diagnostics` notes among `diagnostics`), is counted in `omitted` and told by one closing note.
    /// With `excerpts`, each finding keeps the part of its line around its column (for a caret under it on a
    /// terminal). With `keepingSource: false` the report does not hold the input: a run over thousands of
    /// files then holds one open (and mapped) at a time.
    public init(
        source: SourceFile, diagnostics: [Diagnostic], rulesRun: [String], limit: Int = 0,
        excerpts: Bool = false, keepingSource: Bool = true
    ) {
        var omitted: [OmittedCount] = []
        var sorted = diagnostics.filter { d in
            guard d.code == .tooManyDiagnostics else { return true }
            for o in d.omitted { omitted.add(o.code, o.severity, o.count) }
            return false
        }.sortedByLocation()
        if limit > 0 && sorted.count > limit {
            for d in sorted[limit...] { omitted.add(d.code, d.severity) }
            sorted.removeLast(sorted.count - limit)
        }
        if !omitted.isEmpty {
            sorted.append(Diagnostic.omissionNote(omitted, limit: limit, at: source.bytes.count))
        }
        let locations = source.locations(of: sorted.map(\.offset))
        var findings: [Finding] = []
        findings.reserveCapacity(sorted.count)
        for (d, loc) in zip(sorted, locations) {
            var f = Finding(
                rule: d.code.rawValue, severity: d.severity, message: d.message,
                path: source.name, line: loc.line, column: loc.column, offset: d.offset,
                family: d.family, label: d.label)
            if excerpts { f.excerpt = source.excerpt(at: d.offset) }
            findings.append(f)
        }
        self.init(
            path: source.name, source: keepingSource ? source : nil, findings: findings, rulesRun: rulesRun,
            omitted: omitted)
    }
}

/// A diagnostic with its location resolved: what every reporter prints.
public struct Finding: Hashable, Sendable {
    /// The rule id (lint) or diagnostic code (validate), shown in brackets.
    public var rule: String
    /// How serious it is.
    public var severity: Severity
    /// What is wrong and what to do.
    public var message: String
    /// The input's name.
    public var path: String
    /// 1-based; 0 when the finding is about the input as a whole (it could not be read).
    public var line: Int
    /// The column, from 1 (0 for a finding about the whole input).
    public var column: Int
    /// The byte offset in the input.
    public var offset: Int
    /// The metric family it is about, if any.
    public var family: String?
    /// The label it is about, if any.
    public var label: String?
    /// The source line around the column, when the run was asked to keep it (`excerpts`).
    public var excerpt: Excerpt?

    /// A finding from its parts.
    public init(
        rule: String, severity: Severity, message: String, path: String, line: Int, column: Int,
        offset: Int = 0, family: String? = nil, label: String? = nil
    ) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.offset = offset
        self.family = family
        self.label = label
    }
}

/// What a rule or check is, for reporters that describe rules (SARIF, JUnit) and for `--list-rules`.
public struct RuleInfo: Hashable, Sendable {
    /// The rule's stable id (`help_missing`, a validation code).
    public var id: String
    /// Its default severity.
    public var severity: Severity
    /// One line saying what it checks.
    public var summary: String
    /// Why it matters (may be empty).
    public var rationale: String

    /// A rule's description for reporters.
    public init(id: String, severity: Severity, summary: String, rationale: String = "") {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
    }
}

public enum PromKitVersion {
    public static let current = "0.1.0"
}

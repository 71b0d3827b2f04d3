import PromKit

/// What a rule is: its stable id, default severity, one-line summary, why a Prometheus user would agree, and
/// examples. The examples are the rule's own tests and the source of `--list-rules` and the docs.
public struct RuleDescription: Sendable {
    public var id: String
    public var severity: Severity
    public var summary: String
    public var rationale: String
    /// Expositions (text format unless they end in `# EOF`) on which the rule finds nothing.
    public var good: [String]
    /// Expositions on which the rule finds something.
    public var bad: [String]
    /// One of promtool's (client_golang promlint) checks: run in `--promtool` mode.
    public var promlint: Bool

    public init(id: String, severity: Severity, summary: String, rationale: String, good: [String], bad: [String], promlint: Bool = false) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        self.good = good
        self.bad = bad
        self.promlint = promlint
    }

    public var info: RuleInfo { RuleInfo(id: id, severity: severity, summary: summary, rationale: rationale) }
}

/// A lint rule: a small function of one metric family (promlint's shape) that describes itself (SwiftLint's).
public protocol LintRule: Sendable {
    static var description: RuleDescription { get }
    init()
    func check(_ family: MetricFamily, _ context: inout LintContext)
}

/// A rule that also sees the whole input once every family has been checked (series budgets).
public protocol DocumentRule: LintRule {
    func finish(_ context: inout LintContext)
}

/// Where a rule reports, and what it may know about the run.
public struct LintContext {
    public let configuration: LintConfiguration
    /// promtool's semantics and texts (`lint --promtool`).
    public let promtoolMode: Bool
    var findings: [LintFinding] = []
    /// Running totals for document rules.
    public var seriesTotal = 0
    var currentRule = ""
    /// The current family's label names, worked out once for all rules.
    var familyLabels: FamilyLabels?

    /// The distinct label names of `family` (computed once per family).
    public mutating func labelNames(of family: MetricFamily) -> [(name: String, offset: Int, count: Int)] {
        labels(of: family).names
    }

    /// The distinct label names and, per label of the family, which name it has (computed once per family).
    public mutating func labels(of family: MetricFamily) -> FamilyLabels {
        if let facts = familyLabels { return facts }
        let (names, ids) = family.labelNameTable()
        let facts = FamilyLabels(names: names, ids: ids)
        familyLabels = facts
        return facts
    }

    init(configuration: LintConfiguration, promtoolMode: Bool) {
        self.configuration = configuration
        self.promtoolMode = promtoolMode
    }

    /// Reports a finding of the running rule. `promtool` is promlint's exact text, where the rule has one.
    public mutating func report(at offset: Int, _ message: String, family: String?, label: String? = nil, promtool: String? = nil) {
        findings.append(LintFinding(rule: currentRule, offset: offset, message: message, family: family, label: label, promtoolText: promtool))
    }
}

/// A finding before its severity is settled by the configuration.
struct LintFinding {
    var rule: String
    var offset: Int
    var message: String
    var family: String?
    var label: String?
    var promtoolText: String?
}

/// A family's label names by index: rules compare integers instead of bytes or strings.
public struct FamilyLabels: Sendable {
    public let names: [(name: String, offset: Int, count: Int)]
    /// For each entry of `MetricFamily.labels`, the index of its name in `names`.
    public let ids: [Int32]

    /// The index of a name, or -1 when no label of the family has it.
    public func id(of name: String) -> Int32 {
        Int32(names.firstIndex { $0.name == name } ?? -1)
    }
}

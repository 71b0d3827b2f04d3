import PromKit

/// What a rule is: its stable id, default severity, one-line summary, why a Prometheus user would agree, and
/// examples. The examples are the rule's own tests and the source of `--list-rules` and the docs.
public struct RuleDescription: Sendable {
    /// The stable id (`help_missing`).
    public var id: String
    /// The default severity.
    public var severity: Severity
    /// One line saying what it checks.
    public var summary: String
    /// Why a Prometheus user would agree.
    public var rationale: String
    /// Expositions (text format unless they end in `# EOF`) on which the rule finds nothing.
    public var good: [String] { makeGood() }
    /// Expositions on which the rule finds something.
    public var bad: [String] { makeBad() }
    // Built when asked for: a run reads ids and summaries only, and some examples are large (series budgets).
    private let makeGood: @Sendable () -> [String]
    private let makeBad: @Sendable () -> [String]
    /// One of promtool's (client_golang promlint) checks: run in `--promtool` mode.
    public var promlint: Bool

    /// A rule's description; `good` and `bad` are made only when asked for.
    public init(
        id: String, severity: Severity, summary: String, rationale: String,
        good: @autoclosure @escaping @Sendable () -> [String], bad: @autoclosure @escaping @Sendable () -> [String],
        promlint: Bool = false
    ) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        self.makeGood = good
        self.makeBad = bad
        self.promlint = promlint
    }

    /// The rule as reporters list it.
    public var info: RuleInfo { RuleInfo(id: id, severity: severity, summary: summary, rationale: rationale) }
}

/// A lint rule: a small function of one metric family (promlint's shape) that describes itself (SwiftLint's).
public protocol LintRule: Sendable {
    /// What the rule is.
    static var description: RuleDescription { get }
    /// A rule (rules hold no state).
    init()
    /// Checks one family and reports through `context`.
    func check(_ family: MetricFamily, _ context: inout LintContext)
    /// The same through the type (see the default below), so the linter can hold rule types.
    static func check(_ family: MetricFamily, _ context: inout LintContext)
    /// Called once after every family has been checked, for rules about the whole input (series budgets).
    func finish(_ context: inout LintContext)
}

extension LintRule {
    public func finish(_ context: inout LintContext) {}

    /// `check` on a rule of this type, called through the type (rules hold no state).
    public static func check(_ family: MetricFamily, _ context: inout LintContext) {
        Self().check(family, &context)
    }
}

/// Where a rule reports, and what it may know about the run.
public struct LintContext {
    /// The run's configuration.
    public let configuration: LintConfiguration
    /// promtool's semantics and texts (`lint --promtool`).
    public let promtoolMode: Bool
    var findings: [LintFinding] = []
    /// Running totals for document rules.
    public var seriesTotal = 0
    /// The rule running now, by its index in `ruleIDs` (an integer: set for every rule on every family).
    var currentRule = 0
    var ruleIDs: [String] = []
    /// The current family's label names, worked out once for all rules (filled on first use per family). Each
    /// context makes its own, and a context lints on one thread: the reader makes one per chunk.
    let familyLabels = FamilyLabels()
    var familyLabelsFilled = false

    /// The distinct label names of `family` (computed once per family).
    public mutating func labelNames(of family: MetricFamily) -> [(name: String, offset: Int)] {
        labels(of: family).names
    }

    /// The distinct label names and, per label of the family, which name it has (computed once per family).
    public mutating func labels(of family: MetricFamily) -> FamilyLabels {
        if !familyLabelsFilled {
            familyLabels.fill(family)
            familyLabelsFilled = true
        }
        return familyLabels
    }

    init(configuration: LintConfiguration, promtoolMode: Bool, ruleIDs: [String] = []) {
        self.configuration = configuration
        self.promtoolMode = promtoolMode
        self.ruleIDs = ruleIDs
    }

    /// Reports a finding of the running rule. `promtool` is promlint's exact text, where the rule has one.
    public mutating func report(at offset: Int, _ message: String, family: String?, label: String? = nil, promtool: String? = nil) {
        findings.append(
            LintFinding(rule: ruleIDs[currentRule], offset: offset, message: message, family: family, label: label, promtoolText: promtool))
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

import PromKit

/// Runs the enabled rules over each family of one input (on all cores for large inputs, one consumer per
/// chunk), then the document rules, and settles each finding's severity from the configuration.
public struct Linter: Sendable {
    /// Which rules run, their severities, the families ignored.
    public var configuration: LintConfiguration
    /// promtool's rules, texts and semantics (`lint --promtool`).
    public var promtoolMode: Bool
    /// How inputs are read.
    public var readOptions: ReadOptions

    /// A linter.
    public init(
        configuration: LintConfiguration = LintConfiguration(), promtoolMode: Bool = false, readOptions: ReadOptions = ReadOptions()
    ) {
        self.configuration = configuration
        self.promtoolMode = promtoolMode
        self.readOptions = readOptions
    }

    /// The rules this run applies.
    public var rules: [any LintRule.Type] {
        RuleRegistry.all.filter { promtoolMode ? $0.description.promlint : configuration.isEnabled($0.description.id) }
    }

    /// Rule ids run on an input (the `parse` pseudo-rule first), for reporters that list passed rules.
    public var ruleIDs: [String] { (promtoolMode || !configuration.isEnabled("parse") ? [] : ["parse"]) + rules.map { $0.description.id } }

    struct Consumer: FamilyConsumer {
        /// The rules by type: a call through `any LintRule` would copy the rule out of its existential box and
        /// destroy it again, for every rule and family; through the type it is one witness call.
        let types: [any LintRule.Type]
        let configuration: LintConfiguration
        let promtoolMode: Bool
        /// In promtool mode, promlint's own version of a rule where it differs (`Promlint.checks`), by index.
        let promlintChecks: [(@Sendable (MetricFamily, inout LintContext) -> Void)?]
        var context: LintContext

        mutating func consume(_ family: MetricFamily) {
            if configuration.ignores(family.name) { return }
            // promtool's parser drops families without samples; its linter never sees them.
            if promtoolMode && family.samples.isEmpty { return }
            context.familyLabelsFilled = false
            for i in types.indices {
                context.currentRule = i
                if let promlint = promlintChecks[i] {
                    promlint(family, &context)
                } else {
                    types[i].check(family, &context)
                }
            }
        }
    }

    /// A family met again after others (or after a second metadata line split it) is linted part by part.
    /// Where a later part starts, the parse finding says so; there a family rule would only repeat what the
    /// first part got, or mislead: `help_missing` for a part whose HELP line came with the first part.
    static func withoutRepeats(_ findings: [LintFinding], _ diagnostics: [Diagnostic]) -> [LintFinding] {
        let repeats = Set(diagnostics.lazy.filter { $0.code == .familyNotContiguous || $0.code == .metadataAfterSamples }.map(\.offset))
        guard !repeats.isEmpty else { return findings }
        var seen = Set<String>()
        return findings.filter { f in
            let key = "\(f.rule)\u{0}\(f.family ?? "")\u{0}\(f.message)"
            guard repeats.contains(f.offset) else {
                seen.insert(key)
                return true
            }
            if f.rule == HelpMissing.description.id { return false }
            return seen.insert(key).inserted
        }
    }

    /// Lints one input: the validator's findings (rule `parse`) and every rule's, in input order.
    public func lint(_ source: SourceFile, format: ExpositionFormat) -> (
        diagnostics: [Diagnostic], lint: [Diagnostic], promtool: [(family: String, text: String, rule: String)]
    ) {
        let types = rules
        let instances = types.map { $0.init() }
        let ids = types.map { $0.description.id }
        // Rules look at each family while it is handed over and keep nothing of it: the input can be read
        // in stretches.
        var options = readOptions
        options.windowed = true
        let reader = FamilyReader(source: source, format: format, options: options)
        let (consumers, diagnostics) = reader.read { _ in
            Consumer(
                types: types, configuration: configuration, promtoolMode: promtoolMode,
                promlintChecks: types.map { promtoolMode ? Promlint.checks[$0.description.id] : nil },
                context: LintContext(configuration: configuration, promtoolMode: promtoolMode, ruleIDs: ids))
        }
        var context = LintContext(configuration: configuration, promtoolMode: promtoolMode)
        var findings: [LintFinding] = []
        for consumer in consumers {
            findings += consumer.context.findings
            context.seriesTotal += consumer.context.seriesTotal
        }
        context.ruleIDs = ids
        for (i, rule) in instances.enumerated() {
            context.currentRule = i
            rule.finish(&context)
        }
        findings += context.findings
        findings = Self.withoutRepeats(findings, diagnostics)
        let descriptions = Dictionary(uniqueKeysWithValues: types.map { ($0.description.id, $0.description) })
        let lint = findings.map { f in
            Diagnostic(
                DiagnosticCode(rawValue: f.rule), configuration.severity(of: descriptions[f.rule]!), at: f.offset, f.message,
                family: f.family, label: f.label)
        }
        let promtool = findings.compactMap { f in f.promtoolText.map { (family: f.family ?? "", text: $0, rule: f.rule) } }
        return (diagnostics, lint, promtool)
    }
}

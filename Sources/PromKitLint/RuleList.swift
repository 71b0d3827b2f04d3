import PromKit

/// `--list-rules`: `ID  SEVERITY  SUMMARY` one rule a line, or a Markdown table; both from the descriptions.
public enum RuleList {
    /// The rule list `--list-rules` prints (a Markdown table with `markdown`).
    public static func render(configuration: LintConfiguration = LintConfiguration(), markdown: Bool) -> String {
        let rules = RuleRegistry.descriptions
        if markdown {
            var out = "| rule | default severity | promtool | checks |\n| --- | --- | --- | --- |\n"
            for r in rules {
                out +=
                    "| `\(r.id)` | \(r.severity.rawValue) | \(r.promlint ? "yes" : "") | \(r.summary.replacingOccurrences("|", "\\|")) |\n"
            }
            return out
        }
        let width = rules.map(\.id.count).max() ?? 0
        return rules.map { r in
            let id = r.id + String(repeating: " ", count: width - r.id.count)
            let severity = configuration.severity(of: r).rawValue
            let state = configuration.isEnabled(r.id) ? "" : " (disabled)"
            return "\(id)  \(severity + String(repeating: " ", count: 7 - severity.count))  \(r.summary)\(state)\n"
        }.joined()
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// `--explain RULE`: one rule as it describes itself (id, severity, summary, rationale, examples).
public enum RuleExplanation {
    /// One rule's rationale and examples (`--explain ID`); throws for an unknown rule.
    public static func render(_ id: String, configuration: LintConfiguration = LintConfiguration()) throws -> String {
        try LintConfiguration.checkRule(id)
        let r = RuleRegistry.descriptions.first { $0.id == id }!
        let configured = configuration.severity(of: r)
        var out = "\(r.id)\n"
        out += "  severity: \(r.severity.rawValue)" + (configured != r.severity ? " (\(configured.rawValue) in this configuration)" : "")
        out += configuration.isEnabled(r.id) ? "\n" : ", disabled in this configuration\n"
        if r.promlint { out += "  promtool: one of promtool check metrics' checks (runs with --promtool)\n" }
        out += "\n\(r.summary).\n\n\(r.rationale)\n"
        func examples(_ title: String, _ list: [String]) {
            guard !list.isEmpty else { return }
            out += "\n\(title):\n"
            for (i, example) in list.enumerated() {
                if i > 0 { out += "\n" }
                for line in example.split(separator: "\n", omittingEmptySubsequences: false).dropLast(example.hasSuffix("\n") ? 1 : 0) {
                    out += "    \(line)\n"
                }
            }
        }
        examples("Finds nothing in", r.good)
        examples("Reports", r.bad)
        return out
    }
}

import PromKit

/// `--list-rules`: `ID  SEVERITY  SUMMARY` one rule a line, or a Markdown table; both from the descriptions.
public enum RuleList {
    public static func render(configuration: LintConfiguration = LintConfiguration(), markdown: Bool) -> String {
        let rules = RuleRegistry.descriptions
        if markdown {
            var out = "| rule | default severity | promtool | checks |\n| --- | --- | --- | --- |\n"
            for r in rules {
                out += "| `\(r.id)` | \(r.severity.rawValue) | \(r.promlint ? "yes" : "") | \(r.summary.replacingOccurrences("|", "\\|")) |\n"
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

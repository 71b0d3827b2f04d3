import PromKit

/// promlint `LintUnitAbbreviations`.
struct UnitAbbreviation: LintRule {
    static let description = RuleDescription(
        id: "unit_abbreviation", severity: .warning, summary: "Units are spelled out (_seconds, not _ms or _sec)",
        rationale: "Abbreviations are ambiguous (m: meters or minutes?); full base units say what the number means.",
        good: ["# HELP uptime_seconds u\n# TYPE uptime_seconds gauge\nuptime_seconds 1\n"],
        bad: ["# HELP uptime_ms u\n# TYPE uptime_ms gauge\nuptime_ms 1\n", "# HELP size_kb s\n# TYPE size_kb gauge\nsize_kb 1\n"],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        for abbreviation in Naming.abbreviationTokens(in: f.name).map({ Naming.abbreviations[$0] }) {
            c.report(
                at: Int(f.offset), "\"\(f.name)\" abbreviates a unit as \"_\(abbreviation)\"; spell the base unit out", family: f.name,
                promtool: "metric names should not contain abbreviated units")
        }
    }
}

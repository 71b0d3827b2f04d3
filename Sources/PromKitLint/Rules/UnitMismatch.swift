import PromKit

/// `# UNIT` and the name's unit suffix disagree.
struct UnitMismatch: LintRule {
    static let description = RuleDescription(
        id: "unit_mismatch", severity: .warning, summary: "# UNIT agrees with the unit the name ends in",
        rationale: "Tools read the unit from UNIT and people from the name; when they differ one of them is wrong.",
        good: ["# TYPE a_seconds gauge\n# UNIT a_seconds seconds\n# HELP a_seconds a\na_seconds 1\n# EOF\n"],
        bad: ["# TYPE a_seconds gauge\n# UNIT a_seconds bytes\n# HELP a_seconds a\na_seconds 1\n# EOF\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard let unit = f.unit, !unit.isEmpty, let offset = f.unitOffset else { return }
        let stem = f.name.hasSuffix("_total") ? String(f.name.dropLast(6)) : f.name
        if !stem.hasSuffix("_" + unit) {
            c.report(at: Int(offset), "UNIT says \"\(unit)\" but \"\(f.name)\" does not end in \"_\(unit)\"", family: f.name)
        }
    }
}

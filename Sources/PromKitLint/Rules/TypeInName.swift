import PromKit

/// promlint `LintMetricTypeInName` (current semantics: only the family's own type).
struct TypeInName: LintRule {
    static let description = RuleDescription(
        id: "type_in_name", severity: .warning, summary: "The name does not repeat the metric's type",
        rationale: "The type is metadata; a name like queue_gauge says nothing the TYPE line does not, and outlives a change of type.",
        good: ["# HELP queue_length q\n# TYPE queue_length gauge\nqueue_length 1\n"],
        bad: ["# HELP queue_gauge q\n# TYPE queue_gauge gauge\nqueue_gauge 1\n"],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        let word: String
        switch f.type {
        case .unknown, .info, .stateset: return
        case .gaugehistogram: word = "gauge_histogram"
        default: word = f.type.rawValue
        }
        if Naming.hasToken(f.name, word) {
            c.report(
                at: Int(f.offset), "\"\(f.name)\" has its type \"\(word)\" in its name", family: f.name,
                promtool: "metric name should not include type '\(word)'")
        }
    }
}

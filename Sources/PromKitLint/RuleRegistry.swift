import PromKit

/// Every rule, sorted by id. Tests check the order, the uniqueness of ids, and that the README's rule table and `--list-rules` list exactly these.
public enum RuleRegistry {
    /// Every lint rule, by id.
    public static let all: [any LintRule.Type] = [
        CamelCaseLabel.self, CamelCaseName.self, ColonInName.self, CounterCreated.self, CounterTotalSuffix.self,
        DuplicateSeries.self, EmptyLabelValue.self, HelpMissing.self, HelpUninformative.self, HistogramSingleBucket.self,
        InconsistentLabels.self, InfoSuffix.self, LeSpelling.self, LongName.self, NonBaseUnit.self,
        NonCounterTotalSuffix.self, QuantileRange.self, ReservedLabel.self, ReservedLabelPrefix.self, ReservedSuffix.self,
        SeriesBudget.self,
        SummaryNoQuantiles.self, TimestampNotGauge.self, TypeInName.self, UnboundedLabel.self,
        UnitAbbreviation.self, UnitMismatch.self, Utf8Name.self,
    ].sorted { $0.description.id < $1.description.id }

    /// Validator findings surface in lint as this pseudo-rule.
    public static let parse = RuleDescription(
        id: "parse", severity: .error, summary: "The input follows its format's specification (promkit validate)",
        rationale: "A scrape that does not parse is rejected whole by Prometheus; the other rules see what could be read.",
        good: [], bad: [])

    /// Every rule's description, `parse` first.
    public static var descriptions: [RuleDescription] { [parse] + all.map { $0.description } }

    /// The rule called `id`, if there is one.
    public static func lookup(_ id: String) -> (any LintRule.Type)? {
        all.first { $0.description.id == id }
    }

    /// Every rule id, `parse` first.
    public static var ids: [String] { descriptions.map(\.id) }
}

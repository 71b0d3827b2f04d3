/// The type of a metric family, across all formats.
///
/// The text format's `untyped` is `.unknown` (OpenMetrics' name for it); writers spell it per format.
public enum MetricType: String, Sendable, CaseIterable, Hashable {
    /// A counter: only goes up (`_total`, `_created`).
    case counter
    /// A gauge: a value that goes up and down.
    case gauge
    /// A histogram: `_bucket` samples by `le`, `_count`, `_sum`.
    case histogram
    /// A gauge histogram (OpenMetrics): `_bucket`, `_gcount`, `_gsum`.
    case gaugehistogram
    /// A summary: quantiles, `_count`, `_sum`.
    case summary
    /// An info metric (OpenMetrics): labels carried by a constant 1.
    case info
    /// A stateset (OpenMetrics): one 0-or-1 sample per state.
    case stateset
    /// No type given: the text format's `untyped`, OpenMetrics' `unknown`.
    case unknown

    /// The word a format writes in `# TYPE`.
    public func spelling(in format: ExpositionFormat) -> String {
        switch (self, format) {
        case (.unknown, .text): "untyped"
        default: rawValue
        }
    }
}

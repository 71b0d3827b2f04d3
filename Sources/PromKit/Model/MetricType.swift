/// The type of a metric family, across all formats.
///
/// The text format's `untyped` is `.unknown` (OpenMetrics' name for it); writers spell it per format.
public enum MetricType: String, Sendable, CaseIterable, Hashable {
    case counter
    case gauge
    case histogram
    case gaugehistogram
    case summary
    case info
    case stateset
    case unknown

    /// The word a format writes in `# TYPE`.
    public func spelling(in format: ExpositionFormat) -> String {
        switch (self, format) {
        case (.unknown, .text): "untyped"
        default: rawValue
        }
    }
}

/// The exposition formats promkit reads and writes.
public enum ExpositionFormat: String, Sendable, CaseIterable, Hashable {
    /// Prometheus text format 0.0.4, with Prometheus 3 quoted UTF-8 names.
    case text
    /// OpenMetrics 1.0.
    case openMetrics = "openmetrics"
    /// OpenMetrics 2.0 draft (2.0.0-rc0).
    case openMetrics2 = "openmetrics2"

    /// The format's name for people: `OpenMetrics 1.0`.
    public var displayName: String {
        switch self {
        case .text: "Prometheus text 0.0.4"
        case .openMetrics: "OpenMetrics 1.0"
        case .openMetrics2: "OpenMetrics 2.0"
        }
    }

    /// The HTTP `Content-Type` that announces the format.
    public var contentType: String {
        switch self {
        case .text: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        case .openMetrics2: "application/openmetrics-text; version=2.0.0; charset=utf-8"
        }
    }

    /// Whether the format uses OpenMetrics' strict line syntax (`# EOF`, single spaces, `# UNIT`).
    public var isOpenMetrics: Bool { self != .text }
}

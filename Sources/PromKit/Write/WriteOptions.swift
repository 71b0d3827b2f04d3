/// How a writer spells what it writes.
public struct WriteOptions: Sendable {
    /// How names outside the legacy set are written; nil: quoted where the target can quote them (text,
    /// OpenMetrics 2.0), escaped with `underscores` where it cannot (OpenMetrics 1.0).
    public var escaping: EscapingScheme?
    /// Values and timestamps spelled canonically (fmt); otherwise a plain decimal is copied as written.
    public var canonicalNumbers: Bool
    /// Labels sorted by name (fmt --sort-labels); otherwise as given.
    public var sortLabels: Bool
    /// Any loss or rename is an error (convert --strict).
    public var strict: Bool

    /// Options for writing; the defaults change nothing that need not change.
    public init(escaping: EscapingScheme? = nil, canonicalNumbers: Bool = false, sortLabels: Bool = false, strict: Bool = false) {
        self.escaping = escaping
        self.canonicalNumbers = canonicalNumbers
        self.sortLabels = sortLabels
        self.strict = strict
    }
}

/// A format a converter writes: an exposition format, or JSON.
public enum TargetFormat: String, Sendable, CaseIterable {
    /// Prometheus text 0.0.4.
    case text
    /// OpenMetrics 1.0.
    case openMetrics = "openmetrics"
    /// OpenMetrics 2.0 (draft).
    case openMetrics2 = "openmetrics2"
    /// prom2json's JSON, with units, exemplars, timestamps and `_created`.
    case json

    /// The exposition format written (nil for JSON).
    public var exposition: ExpositionFormat? {
        switch self {
        case .text: .text
        case .openMetrics: .openMetrics
        case .openMetrics2: .openMetrics2
        case .json: nil
        }
    }

    /// The target that writes `format`.
    public init(_ format: ExpositionFormat) {
        switch format {
        case .text: self = .text
        case .openMetrics: self = .openMetrics
        case .openMetrics2: self = .openMetrics2
        }
    }

    /// Whether names outside the legacy set can be written in quotes.
    var quotesNames: Bool { self != .openMetrics }
}

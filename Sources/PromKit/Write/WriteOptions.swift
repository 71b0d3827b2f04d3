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

    public init(escaping: EscapingScheme? = nil, canonicalNumbers: Bool = false, sortLabels: Bool = false, strict: Bool = false) {
        self.escaping = escaping
        self.canonicalNumbers = canonicalNumbers
        self.sortLabels = sortLabels
        self.strict = strict
    }
}

/// A format a converter writes: an exposition format, or JSON.
public enum TargetFormat: String, Sendable, CaseIterable {
    case text
    case openMetrics = "openmetrics"
    case openMetrics2 = "openmetrics2"
    case json

    public var exposition: ExpositionFormat? {
        switch self {
        case .text: .text
        case .openMetrics: .openMetrics
        case .openMetrics2: .openMetrics2
        case .json: nil
        }
    }

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

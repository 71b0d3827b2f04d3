import PromKit

/// What a diff compares, and how changes are classed.
public struct DiffOptions: Sendable {
    /// Label names left out of every series (volatile labels: `instance`, `pod`). Series that then share a
    /// label set are one series; their values are not compared.
    public var ignoreLabels: [String] = []
    /// Families whose name (as written on either side) matches one of these are left out.
    public var ignoreMetrics: [Glob] = []
    /// Compare which series exist, not their values.
    public var ignoreValues = false
    /// Values within this relative difference of each other are equal (`|a - b| <= tolerance * max(|a|, |b|)`).
    public var tolerance: Double = 0
    /// A family whose series count grows by more than this many percent is a risky change.
    public var cardinalityThreshold: Double = 20
    /// Series changes listed per kind (added, removed, changed) in the whole report, in family order; the
    /// counts are always complete. 0: all.
    public var maxSeriesListed = 1000
    /// How each input is read.
    public var oldFormat: FormatChoice = .auto
    /// The format to read the new side as (detected by default).
    public var newFormat: FormatChoice = .auto
    /// How each side is read (threads, the limit on findings).
    public var readOptions = ReadOptions()

    /// Everything compared, nothing ignored, values exact, the cardinality threshold at 20 %.
    public init() {}

    /// Whether the family is left out.
    public func ignoresFamily(_ names: String...) -> Bool {
        !ignoreMetrics.isEmpty && names.contains { name in ignoreMetrics.contains { $0.matches(name) } }
    }

    /// Whether two values are the same value (NaN equals NaN; within the tolerance).
    @inline(__always)
    public func sameValue(_ a: Double, _ b: Double) -> Bool {
        if a == b || (a.isNaN && b.isNaN) { return true }
        guard tolerance > 0, a.isFinite, b.isFinite else { return false }
        return abs(a - b) <= tolerance * max(abs(a), abs(b))
    }
}

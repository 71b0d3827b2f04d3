import PromKit

/// How much a change matters to someone who reads the metrics (Kubernetes' metric-stability rules): a
/// `breaking` change breaks queries, dashboards or alerts; a `risky` one may (cardinality, buckets,
/// quantiles); `info` is everything else. Ordered: `info < risky < breaking`.
public enum ChangeClass: String, Sendable, Comparable, CaseIterable {
    case info
    case risky
    case breaking

    private var rank: Int {
        switch self {
        case .info: 0
        case .risky: 1
        case .breaking: 2
        }
    }

    public static func < (a: ChangeClass, b: ChangeClass) -> Bool { a.rank < b.rank }
}

/// The kinds of change a diff reports, each with its class.
public enum ChangeKind: String, Sendable, CaseIterable {
    case familyAdded = "family_added"
    case familyRemoved = "family_removed"
    case typeChanged = "type_changed"
    case unitChanged = "unit_changed"
    case helpChanged = "help_changed"
    case labelAdded = "label_added"
    case labelRemoved = "label_removed"
    case cardinalityIncreased = "cardinality_increased"
    case bucketsChanged = "buckets_changed"
    case quantilesChanged = "quantiles_changed"

    public var changeClass: ChangeClass {
        switch self {
        case .familyRemoved, .typeChanged, .labelAdded, .labelRemoved: .breaking
        case .cardinalityIncreased, .bucketsChanged, .quantilesChanged: .risky
        case .familyAdded, .unitChanged, .helpChanged: .info
        }
    }
}

/// One change to a family itself (not to one of its series).
public struct FamilyChange: Hashable, Sendable {
    public var kind: ChangeKind
    public var changeClass: ChangeClass { kind.changeClass }
    /// What it was and what it is, for display (`counter` → `gauge`; the label's name for a label change).
    public var old: String?
    public var new: String?
    /// One line saying what changed.
    public var message: String

    public init(kind: ChangeKind, old: String? = nil, new: String? = nil, message: String) {
        self.kind = kind
        self.old = old
        self.new = new
        self.message = message
    }
}

/// One series added, removed or changed in value.
public struct SeriesChange: Hashable, Sendable {
    public enum Kind: String, Sendable {
        case added, removed, changed
    }
    public var kind: Kind
    /// `name{label="value",…}` as written on the new side (the old side for a removed series).
    public var series: String
    public var old: Double?
    public var new: Double?
    /// `new - old`, for a changed series.
    public var delta: Double? {
        guard let old, let new else { return nil }
        return new - old
    }
    /// A counter (a counter's total, a histogram's or summary's count or bucket) went down: it was reset.
    public var counterReset: Bool
    /// For a counter with a timestamp on both sides: its increase per second over the interval (from zero
    /// when it was reset).
    public var rate: Double?

    public init(kind: Kind, series: String, old: Double? = nil, new: Double? = nil, counterReset: Bool = false, rate: Double? = nil) {
        self.kind = kind
        self.series = series
        self.old = old
        self.new = new
        self.counterReset = counterReset
        self.rate = rate
    }
}

/// What happened to one family (a family present on either side, not ignored).
public struct FamilyDiff: Sendable {
    public enum Status: String, Sendable {
        case added, removed, changed, unchanged
    }
    /// The name as written on the new side (the old side for a removed family).
    public var name: String
    public var status: Status
    public var oldType: MetricType?
    public var newType: MetricType?
    /// Changes to the family itself: type, unit, help, label names, buckets, quantiles, cardinality; for an
    /// added or removed family, that one change.
    public var changes: [FamilyChange]
    /// Series counts on each side (0 on the side a family is missing from).
    public var oldSeries: Int
    public var newSeries: Int
    public var seriesAdded: Int
    public var seriesRemoved: Int
    public var seriesChanged: Int
    public var seriesUnchanged: Int
    /// The series changes listed (`DiffOptions.maxSeriesListed` bounds them across the report).
    public var series: [SeriesChange]

    /// The most severe class among its changes (nil: only series changes, or none).
    public var worstClass: ChangeClass? { changes.map(\.changeClass).max() }

    public var hasChanges: Bool { status != .unchanged }

    /// Listed series changes of a kind, and how many of that kind were not listed.
    public func listed(_ kind: SeriesChange.Kind) -> (shown: [SeriesChange], more: Int) {
        let shown = series.filter { $0.kind == kind }
        let total =
            switch kind {
            case .added: seriesAdded
            case .removed: seriesRemoved
            case .changed: seriesChanged
            }
        return (shown, total - shown.count)
    }
}

/// The totals of a diff (the JSON report's `summary`).
public struct DiffSummary: Hashable, Sendable {
    public var familiesAdded = 0
    public var familiesRemoved = 0
    /// Families on both sides with any change: to the family or to one of its series.
    public var familiesChanged = 0
    public var seriesAdded = 0
    public var seriesRemoved = 0
    public var seriesChanged = 0
    public var seriesUnchanged = 0
    /// Changes classed breaking, and risky.
    public var breaking = 0
    public var risky = 0

    public init() {}
}

/// One side of a diff as the report names it.
public struct DiffInput: Sendable {
    public var path: String
    public var format: ExpositionFormat
    public var families: Int
    public var series: Int
}

/// Everything a diff found: the families (sorted by name), the totals, and the two inputs.
public struct DiffResult: Sendable {
    public var old: DiffInput
    public var new: DiffInput
    public var families: [FamilyDiff]
    public var summary: DiffSummary
    public var options: DiffOptions

    /// The families with a change, breaking ones first, then risky, then the rest (each group by name).
    public var changedFamiliesBySeverity: [FamilyDiff] {
        let changed = families.filter(\.hasChanges)
        func rank(_ f: FamilyDiff) -> Int {
            switch f.worstClass {
            case .breaking: 0
            case .risky: 1
            default: 2
            }
        }
        return changed.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    /// Whether anything at or above `level` changed (`any`: any change at all, series values included).
    public func fails(_ level: FailOn) -> Bool {
        switch level {
        case .never: false
        case .breaking: summary.breaking > 0
        case .risky: summary.breaking + summary.risky > 0
        case .any: families.contains(where: \.hasChanges)
        }
    }
}

/// The least change that fails a diff (`--fail-on`).
public enum FailOn: String, Sendable, CaseIterable {
    case breaking, risky, any, never
}

import PromKit

/// How much a change matters to someone who reads the metrics (Kubernetes' metric-stability rules): a
/// `breaking` change breaks queries, dashboards or alerts; a `risky` one may (cardinality, buckets,
/// quantiles); `info` is everything else. Ordered: `info < risky < breaking`.
public enum ChangeClass: String, Sendable, Comparable, CaseIterable {
    /// Nothing a reader of the metrics depends on changed (families added, help, unit, series values).
    case info
    /// It may break a reader (cardinality up, buckets or quantiles changed).
    case risky
    /// It breaks queries, dashboards or alerts (a family removed, its type changed, a label name added or removed).
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
    /// A family is new.
    case familyAdded = "family_added"
    /// A family is gone (breaking).
    case familyRemoved = "family_removed"
    /// A family's type changed (breaking).
    case typeChanged = "type_changed"
    /// A family's unit changed.
    case unitChanged = "unit_changed"
    /// A family's HELP text changed.
    case helpChanged = "help_changed"
    /// A label name appears on the family's series (breaking: aggregations by the old labels change).
    case labelAdded = "label_added"
    /// A label name is gone from the family's series (breaking).
    case labelRemoved = "label_removed"
    /// The family's series grew by more than the cardinality threshold (risky).
    case cardinalityIncreased = "cardinality_increased"
    /// A histogram's bucket bounds changed (risky).
    case bucketsChanged = "buckets_changed"
    /// A summary's quantiles changed (risky).
    case quantilesChanged = "quantiles_changed"

    /// How much this kind of change matters.
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
    /// What changed.
    public var kind: ChangeKind
    /// How much it matters (from its kind).
    public var changeClass: ChangeClass { kind.changeClass }
    /// What it was and what it is, for display (`counter` → `gauge`; the label's name for a label change).
    public var old: String?
    /// What it is now (see `old`).
    public var new: String?
    /// One line saying what changed.
    public var message: String

    /// A change to a family (`Differ` makes them).
    public init(kind: ChangeKind, old: String? = nil, new: String? = nil, message: String) {
        self.kind = kind
        self.old = old
        self.new = new
        self.message = message
    }
}

/// One series added, removed or changed in value.
public struct SeriesChange: Hashable, Sendable {
    /// Whether a series was added, removed or changed in value.
    public enum Kind: String, Sendable {
        /// The series is new.
        case added
        /// The series is gone.
        case removed
        /// The series' value changed.
        case changed
    }
    /// Added, removed or changed.
    public var kind: Kind
    /// `name{label="value",…}` as written on the new side (the old side for a removed series).
    public var series: String
    /// The old value (nil for an added series).
    public var old: Double?
    /// The new value (nil for a removed series).
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

    /// A change to a series (`Differ` makes them).
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
    /// What happened to a family as a whole.
    public enum Status: String, Sendable {
        /// On the new side only.
        case added
        /// On the old side only.
        case removed
        /// On both sides, with a change to the family or to its series.
        case changed
        /// On both sides, the same.
        case unchanged
    }
    /// The name as written on the new side (the old side for a removed family).
    public var name: String
    /// Added, removed, changed or unchanged.
    public var status: Status
    /// The type on the old side (nil for an added family).
    public var oldType: MetricType?
    /// The type on the new side (nil for a removed family).
    public var newType: MetricType?
    /// Changes to the family itself: type, unit, help, label names, buckets, quantiles, cardinality; for an
    /// added or removed family, that one change.
    public var changes: [FamilyChange]
    /// Series counts on each side (0 on the side a family is missing from).
    public var oldSeries: Int
    /// Series on the new side (0 for a removed family).
    public var newSeries: Int
    /// Series only on the new side.
    public var seriesAdded: Int
    /// Series only on the old side.
    public var seriesRemoved: Int
    /// Series on both sides whose value changed.
    public var seriesChanged: Int
    /// Series on both sides with the same value (within the tolerance).
    public var seriesUnchanged: Int
    /// The series changes listed (`DiffOptions.maxSeriesListed` bounds them across the report).
    public var series: [SeriesChange]

    /// The most severe class among its changes (nil: only series changes, or none).
    public var worstClass: ChangeClass? { changes.map(\.changeClass).max() }

    /// Whether anything about the family changed.
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
    /// Families only on the new side.
    public var familiesAdded = 0
    /// Families only on the old side.
    public var familiesRemoved = 0
    /// Families on both sides with any change: to the family or to one of its series.
    public var familiesChanged = 0
    /// Series only on the new side, over all families.
    public var seriesAdded = 0
    /// Series only on the old side, over all families.
    public var seriesRemoved = 0
    /// Series whose value changed, over all families.
    public var seriesChanged = 0
    /// Series with the same value, over all families.
    public var seriesUnchanged = 0
    /// Changes classed breaking, and risky.
    public var breaking = 0
    /// Changes classed risky.
    public var risky = 0

    /// All zero.
    public init() {}
}

/// One side of a diff as the report names it.
public struct DiffInput: Sendable {
    /// The input's path, as given.
    public var path: String
    /// The format it was read as.
    public var format: ExpositionFormat
    /// How many families it has (ignored ones left out).
    public var families: Int
    /// How many series it has (ignored ones left out).
    public var series: Int
}

/// Everything a diff found: the families (sorted by name), the totals, and the two inputs.
public struct DiffResult: Sendable {
    /// The old side.
    public var old: DiffInput
    /// The new side.
    public var new: DiffInput
    /// Every family on either side, by name, unchanged ones included.
    public var families: [FamilyDiff]
    /// The totals.
    public var summary: DiffSummary
    /// The options the diff ran with.
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
    /// A breaking change fails (the default).
    case breaking
    /// A risky or breaking change fails.
    case risky
    /// Any change fails, series values included.
    case any
    /// Nothing fails.
    case never
}

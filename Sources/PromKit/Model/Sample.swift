/// A label as it appears in the input: byte ranges of the name and the value (between the quotes).
///
/// `nameQuoted` is set for UTF-8 names written in quotes; `nameEscaped`/`valueEscaped` when the raw bytes
/// hold a backslash escape, so readers unescape only then.
public struct Label: Hashable, Sendable, BitwiseCopyable {
    /// The name's bytes (between the quotes when it was quoted).
    public var name: ByteRange
    /// The value's bytes, between the quotes, escapes not undone.
    public var value: ByteRange
    /// How the name and value are written: quoted, escaped.
    public var flags: Flags

    /// How a name and value are written, so that readers unescape only when needed.
    public struct Flags: OptionSet, Hashable, Sendable, BitwiseCopyable {
        /// The flags as bits.
        public let rawValue: UInt8
        /// Flags from their bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The name is written in quotes (a UTF-8 name).
        public static let nameQuoted = Flags(rawValue: 1)
        /// The name holds a backslash escape.
        public static let nameEscaped = Flags(rawValue: 2)
        /// The value holds a backslash escape.
        public static let valueEscaped = Flags(rawValue: 4)
        /// The name or value holds an escape other than `\\`, `\"` and `\n` (OpenMetrics keeps it as written):
        /// its raw bytes are not its standard spelling (`SeriesIdentity`).
        package static let oddEscape = Flags(rawValue: 8)
    }

    /// A label from its ranges in the input.
    public init(name: ByteRange, value: ByteRange, flags: Flags) {
        self.name = name
        self.value = value
        self.flags = flags
    }
}

/// A timestamp exactly as written, with its value.
///
/// The text format writes integer milliseconds, OpenMetrics (fractional) seconds. `seconds` is for
/// ordering and arithmetic; converters shift the digits of `range` to stay exact.
public struct Timestamp: Hashable, Sendable {
    /// The time in seconds since the epoch (the text format's milliseconds divided by 1000).
    public var seconds: Double
    /// The timestamp's bytes as written.
    public var range: ByteRange
    /// A timestamp from its value and its bytes.
    public init(seconds: Double, range: ByteRange) {
        self.seconds = seconds
        self.range = range
    }
}

/// An exemplar: labels (indices into the family's `labels`), a value and an optional timestamp.
public struct Exemplar: Hashable, Sendable {
    /// Offset of the exemplar (its `#`) in the input.
    public var offset: Int32
    /// Its labels, as a range of the family's `labels`.
    public var labels: Range<Int32>
    /// The value.
    public var value: Double
    /// The value's bytes as written.
    public var valueRange: ByteRange
    /// The timestamp, if one is written.
    public var timestamp: Timestamp?
}

/// One line's sample: a series (name and labels) and a value at an optional time.
///
/// Labels (and, through `extra`, exemplars) are index ranges into the owning `MetricFamily`'s flat arrays, so
/// a family costs a handful of allocations whatever its size.
public struct Sample: Hashable, Sendable {
    /// Offset of the start of the line.
    public var offset: Int32
    /// The sample's metric name (without quotes when it was quoted).
    public var name: ByteRange
    /// How the name is written (quoted, escaped).
    public var nameFlags: Label.Flags
    /// Its labels, as a range of the family's `labels`.
    public var labels: Range<Int32>
    /// The value.
    public var value: Double
    /// The value's bytes as written.
    public var valueRange: ByteRange
    /// Index into the family's `extras` (exemplars, an OpenMetrics 2.0 composite value or start timestamp),
    /// else -1. What few samples carry is kept beside them, so that every sample stays small: 64 bytes, one
    /// cache line (with those fields in each, 88 bytes, lint was 4 % slower).
    public var extra: Int32
    /// What the sample is in its family (by its name's suffix), as the reader found it; nil when not known.
    var role: SampleRole?
    /// How many leading labels are byte for byte those of the family's previous sample, in the same order
    /// (the reader knows it from the line parser; up to 255): per-label work done for that sample holds.
    package internal(set) var sharedLabels: UInt8 = 0
    /// The labels' names are those of the family's previous sample, in the same order (the values may
    /// differ): per-name work done for that sample holds, position by position.
    package internal(set) var sameLabelNames = false
    // The timestamp stored flat (NaN seconds = none): samples are copied a lot, so they stay small.
    private var tsSeconds: Double
    private var tsRange: ByteRange

    /// The timestamp, if one is written.
    public var timestamp: Timestamp? {
        get { tsSeconds.isNaN ? nil : Timestamp(seconds: tsSeconds, range: tsRange) }
        set {
            tsSeconds = newValue?.seconds ?? .nan
            tsRange = newValue?.range ?? .empty
        }
    }

    /// A sample from its parts in the input (a reader makes them).
    public init(
        offset: Int32, name: ByteRange, nameFlags: Label.Flags, labels: Range<Int32>, value: Double,
        valueRange: ByteRange, timestamp: Timestamp? = nil, extra: Int32 = -1
    ) {
        self.offset = offset
        self.name = name
        self.nameFlags = nameFlags
        self.labels = labels
        self.value = value
        self.valueRange = valueRange
        self.extra = extra
        self.tsSeconds = timestamp?.seconds ?? .nan
        self.tsRange = timestamp?.range ?? .empty
    }

    /// Equal when read from the same place with the same value (NaN equal to NaN).
    public static func == (a: Sample, b: Sample) -> Bool {
        a.offset == b.offset && a.name == b.name && a.labels == b.labels && a.valueRange == b.valueRange
            && a.timestamp == b.timestamp && a.extra == b.extra && a.nameFlags == b.nameFlags
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }

    /// Hashes where the sample was read from.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(offset)
        hasher.combine(name)
        hasher.combine(labels)
    }
}

/// What few samples carry (exemplars; OpenMetrics 2.0 composite values and start timestamps), kept beside
/// the samples (`MetricFamily.extras`).
public struct SampleExtra: Sendable {
    /// The sample's exemplars, as a range of the family's `exemplars`.
    public var exemplars: Range<Int32>
    /// A composite value `{count:…,sum:…,…}`.
    public var composite: CompositeValue?
    /// The `st@` start timestamp.
    public var startTimestamp: Timestamp?

    /// What a sample carries beyond its value.
    public init(exemplars: Range<Int32> = 0..<0, composite: CompositeValue? = nil, startTimestamp: Timestamp? = nil) {
        self.exemplars = exemplars
        self.composite = composite
        self.startTimestamp = startTimestamp
    }
}

/// An OpenMetrics 2.0 composite value: `{count:…,sum:…,bucket:[…]}` and native-histogram fields.
public struct CompositeValue: Hashable, Sendable {
    /// `count` (`gcount` for a gauge histogram).
    public var count: Double?
    /// `sum` (`gsum` for a gauge histogram).
    public var sum: Double?
    /// Classic buckets or quantiles: (bound, value) in input order.
    public var buckets: [(bound: Double, value: Double)]
    /// A summary's quantiles: (quantile, value) in input order.
    public var quantiles: [(quantile: Double, value: Double)]
    /// A native histogram's `schema`.
    public var schema: Int?
    /// A native histogram's `zero_threshold`.
    public var zeroThreshold: Double?
    /// A native histogram's `zero_count`.
    public var zeroCount: Double?
    /// A native histogram's `negative_spans`.
    public var negativeSpans: [(offset: Int, length: Int)]
    /// A native histogram's `negative_buckets`.
    public var negativeBuckets: [Double]
    /// A native histogram's `positive_spans`.
    public var positiveSpans: [(offset: Int, length: Int)]
    /// A native histogram's `positive_buckets`.
    public var positiveBuckets: [Double]
    /// `gcount`/`gsum` were used (gauge histograms).
    public var isGauge: Bool

    /// An empty composite value (a parser fills it in).
    public init() {
        buckets = []
        quantiles = []
        negativeSpans = []
        negativeBuckets = []
        positiveSpans = []
        positiveBuckets = []
        isGauge = false
    }

    /// Equal when every field is equal.
    public static func == (a: CompositeValue, b: CompositeValue) -> Bool {
        a.count == b.count && a.sum == b.sum && a.schema == b.schema && a.zeroThreshold == b.zeroThreshold
            && a.zeroCount == b.zeroCount && a.isGauge == b.isGauge
            && a.buckets.elementsEqual(b.buckets, by: { $0 == $1 })
            && a.quantiles.elementsEqual(b.quantiles, by: { $0 == $1 })
            && a.negativeSpans.elementsEqual(b.negativeSpans, by: { $0 == $1 })
            && a.positiveSpans.elementsEqual(b.positiveSpans, by: { $0 == $1 })
            && a.negativeBuckets == b.negativeBuckets && a.positiveBuckets == b.positiveBuckets
    }

    /// Hashes where the sample was read from.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(sum)
        hasher.combine(buckets.count)
    }
}

import PromKit

/// One series of one side, as compared: its key, value and line, in 24 bytes (no string: a 100 MB input
/// has a million of them).
struct SeriesEntry {
    /// The series' meaning within its family (`SeriesKeying`).
    var key: UInt64
    /// The value (an OpenMetrics 2.0 composite value: its count).
    var value: Double
    /// Where the sample's line starts in the input: its description is made from it when a report lists it.
    var offset: Int32
    var flags: UInt8

    /// A counter's total, or a histogram's or summary's count or bucket: going down is a reset.
    static let counterLike: UInt8 = 1
    /// The sample has a timestamp (in the side's `timestamps`).
    static let timestamped: UInt8 = 2
}

/// A side's entries in fixed blocks of 65,536: appending never copies (an array doubling its storage held
/// its old and new copies at once, and the fresh pages of each copy cost a fault per 4 KiB: a third of the
/// run and half the peak memory on a 100 MB input).
final class EntryStore: @unchecked Sendable {
    private static let shift = 16
    private static let mask = (1 << 16) - 1
    private var blocks: [UnsafeMutablePointer<SeriesEntry>] = []
    private(set) var count = 0

    @inline(__always)
    func append(_ e: SeriesEntry) {
        if count & Self.mask == 0 { blocks.append(.allocate(capacity: Self.mask + 1)) }
        (blocks[count >> Self.shift] + (count & Self.mask)).initialize(to: e)
        count += 1
    }

    @inline(__always)
    subscript(i: Int) -> SeriesEntry { blocks[i >> Self.shift][i & Self.mask] }

    deinit {
        for b in blocks { b.deallocate() }
    }
}

/// A family of one side: its metadata as strings (one family, a few strings) and where its series are.
struct SideFamily {
    var key: String
    var name: String
    var type: MetricType
    var help: String?
    var unit: String?
    /// Label names its series carry (sorted), less `le`/`quantile` where the type gives them and ignored ones.
    var labelNames: [String]
    /// Distinct bucket bounds (histograms) or quantiles (summaries), sorted.
    var bounds: [Double]
    /// Its entries: runs of a chunk's `entries` (more than one when the family is split in the input).
    var segments: [(chunk: Int, range: Range<Int>)]
    var seriesCount: Int { segments.reduce(0) { $0 + $1.range.count } }
}

/// One input read into the comparable form: families by key, each with its series entries.
struct ComparableSide {
    let source: SourceFile
    let format: ExpositionFormat
    /// Families in input order (a family met twice is one, its entries in two segments).
    var families: [SideFamily] = []
    var index: [String: Int] = [:]
    /// Each chunk's entries and timestamps (seconds, by entry index).
    var entries: [EntryStore] = []
    var timestamps: [[Int: Double]] = []
    var diagnostics: [Diagnostic] = []

    var seriesCount: Int { entries.reduce(0) { $0 + $1.count } }

    /// Reads `source` on all cores (large inputs are split at family boundaries), keying every sample.
    init(source: SourceFile, format choice: FormatChoice, options: DiffOptions) {
        self.source = source
        let format = choice.resolve(for: source)
        self.format = format
        var readOptions = options.readOptions
        readOptions.windowed = true  // nothing is kept that reads the input after its family is handed over
        let reader = FamilyReader(source: source, format: format, options: readOptions)
        let keying = SideKeying(options: options)
        let (consumers, diagnostics) = reader.read(makeConsumer: { _ in SideConsumer(keying: keying) })
        self.diagnostics = choice.hinting(diagnostics, for: source.bytes, resolved: format)
        for (chunk, consumer) in consumers.enumerated() {
            entries.append(consumer.entries)
            timestamps.append(consumer.timestamps)
            for var family in consumer.families {
                family.segments = family.segments.map { (chunk, $0.range) }
                if let i = index[family.key] {
                    families[i].segments += family.segments
                    families[i].labelNames = Array(Set(families[i].labelNames + family.labelNames)).sorted()
                    families[i].bounds = Array(Set(families[i].bounds + family.bounds)).sorted()
                } else {
                    index[family.key] = families.count
                    families.append(family)
                }
            }
        }
    }

    func timestamp(_ chunk: Int, _ i: Int) -> Double? {
        timestamps[chunk][i]
    }
}

/// What keying needs from the options, in byte form.
struct SideKeying: Sendable {
    let options: DiffOptions
    let ignoredLabels: [[UInt8]]

    init(options: DiffOptions) {
        self.options = options
        ignoredLabels = options.ignoreLabels.map { Array($0.utf8) }
    }
}

/// Keys the families of one chunk of an input as the reader hands them over (on the chunk's thread).
struct SideConsumer: FamilyConsumer {
    let keying: SideKeying
    var families: [SideFamily] = []
    let entries = EntryStore()
    var timestamps: [Int: Double] = [:]

    private static let le = Array("le".utf8)
    private static let quantile = Array("quantile".utf8)
    private static let leTag = SeriesKeying.hash(le)
    private static let quantileTag = SeriesKeying.hash(quantile)

    init(keying: SideKeying) {
        self.keying = keying
    }

    mutating func consume(_ family: MetricFamily) {
        let type = family.type
        let key = SeriesKeying.familyKey(family.name, type)
        if keying.options.ignoresFamily(family.name, key) { return }
        let stem = Array(SeriesKeying.stem(key, type).utf8)
        let bareHash = SeriesKeying.hash(SeriesKeying.bareSuffix(type))
        let numeric = SeriesKeying.numericLabel(type)
        let counterRoles: [UInt64] =
            switch type {
            case .counter: [bareHash]
            case .histogram, .summary: [SeriesKeying.hash(Array("_count".utf8)), SeriesKeying.hash(Array("_bucket".utf8))]
            default: []
            }
        let ignored = keying.ignoredLabels
        let first = entries.count
        var names = LabelNames()
        var bounds = BoundSet()
        family.withInput { p in
            stem.withUnsafeBufferPointer { stem in
                family.labels.withUnsafeBufferPointer { labels in
                    for s in family.samples {
                        let nameHash = SeriesKeying.nameHash(p, s, family, stem: stem, bareHash: bareHash)
                        var sum: UInt64 = 0
                        for k in Int(s.labels.lowerBound)..<Int(s.labels.upperBound) {
                            let label = labels[k]
                            if !ignored.isEmpty && ignored.contains(where: { SeriesKeying.labelNamed(p, label, $0) }) { continue }
                            var h: UInt64
                            var isBound = false
                            let n = label.name.count
                            if n == 2 && SeriesKeying.isLe(p, label), let v = SeriesKeying.number(p, label) {
                                h = SeriesKeying.numberHash(Self.leTag, v)
                                if numeric?.count == 2 { isBound = true; bounds.insert(v) }
                            } else if n == 8 && SeriesKeying.labelNamed(p, label, Self.quantile), let v = SeriesKeying.number(p, label) {
                                h = SeriesKeying.numberHash(Self.quantileTag, v)
                                if numeric?.count == 8 { isBound = true; bounds.insert(v) }
                            } else {
                                h = SeriesIdentity.labelHash(p, label)
                            }
                            sum &+= mix64(h)
                            if !s.sameLabelNames && !isBound { names.insert(p, label, family) }
                        }
                        var flags: UInt8 = counterRoles.contains(nameHash) ? SeriesEntry.counterLike : 0
                        if let t = s.timestamp {
                            flags |= SeriesEntry.timestamped
                            timestamps[entries.count] = t.seconds
                        }
                        // An OpenMetrics 2.0 composite value is compared by its count.
                        let value = s.extra >= 0 ? (family.composite(of: s)?.count ?? s.value) : s.value
                        entries.append(SeriesEntry(key: mix64(nameHash &+ sum), value: value, offset: s.offset, flags: flags))
                    }
                }
            }
        }
        families.append(
            SideFamily(
                key: key, name: family.name, type: type, help: family.help, unit: family.unit,
                labelNames: names.sorted(), bounds: bounds.sorted(), segments: [(0, first..<entries.count)]))
    }
}

/// A family's label names, found as its samples go by (a few per family: a short list searched by hash).
struct LabelNames {
    private var hashes: [UInt64] = []
    private var names: [String] = []

    @inline(__always)
    mutating func insert(_ p: UnsafeBufferPointer<UInt8>, _ label: Label, _ family: MetricFamily) {
        let h = label.flags.contains(.nameEscaped) ? SeriesKeying.hash(Unescape.bytes(p, label.name)) : hashBytes(p, label.name)
        if hashes.contains(h) { return }
        hashes.append(h)
        names.append(family.name(of: label))
    }

    func sorted() -> [String] { names.sorted() }
}

/// Distinct bucket bounds or quantiles of a family: a short list, a set when there are many.
struct BoundSet {
    private var small: [Double] = []
    private var large: Set<Double>?

    @inline(__always)
    mutating func insert(_ v: Double) {
        if large == nil {
            if small.contains(v) || (v.isNaN && small.contains(where: \.isNaN)) { return }
            small.append(v)
            if small.count > 64 { large = Set(small) }
        } else {
            large!.insert(v)
        }
    }

    func sorted() -> [Double] { (large.map(Array.init) ?? small).sorted() }
}

import PromKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One series of one side, as compared: its key, value and line, in 24 bytes (no string: a 100 MB input
/// has a million of them).
struct SeriesEntry {
    /// The series' meaning within its family (`SeriesKeying`).
    var key: UInt64
    var value: Double
    /// Where the sample's line starts in the input: its description is made from it when a report lists it.
    var offset: Int32
    var flags: UInt8
    /// Which classic series of the line's sample this is (`SeriesPart`): an OpenMetrics 2.0 composite value or
    /// start timestamp is compared as the classic series it stands for.
    var part: UInt16 = SeriesPart.whole

    /// A counter's total, or a histogram's or summary's count or bucket: going down is a reset.
    static let counterLike: UInt8 = 1
    /// The sample has a timestamp (in the side's `timestamps`).
    static let timestamped: UInt8 = 2
}

/// Which classic series of a line's sample an entry is: the sample itself, or a part of an OpenMetrics 2.0
/// composite value or start timestamp (its `k`-th bucket or quantile in input order).
enum SeriesPart {
    static let whole: UInt16 = 0
    static let count: UInt16 = 1
    static let sum: UInt16 = 2
    static let created: UInt16 = 3
    static func bucket(_ k: Int) -> UInt16 { UInt16(clamping: 4 + k) }
}

/// A side's entries in fixed blocks of 262,144 (6 MiB, three huge pages): appending never copies (an array
/// doubling its storage held its old and new copies at once, and the fresh pages of each copy cost a fault per
/// 4 KiB: a third of the run and half the peak memory on a 100 MB input). Each block is aligned to 2 MiB and
/// offered to the kernel for transparent huge pages, so that writing it faults once per 2 MiB, not per 4 KiB
/// (at most one partly written huge page per store: a store per chunk, a few per input).
final class EntryStore: @unchecked Sendable {
    private static let shift = 18
    private static let mask = (1 << 18) - 1
    private static let hugePage = 2 << 20
    private var blocks: [UnsafeMutablePointer<SeriesEntry>] = []
    /// Where the next entry goes, and how many more the current block takes.
    private var next: UnsafeMutablePointer<SeriesEntry>?
    private var room = 0
    private(set) var count = 0

    @inline(__always)
    func append(_ e: SeriesEntry) {
        if room == 0 { grow() }
        next!.initialize(to: e)
        next! += 1
        room -= 1
        count += 1
    }

    private func grow() {
        let bytes = (Self.mask + 1) * MemoryLayout<SeriesEntry>.stride
        var memory: UnsafeMutableRawPointer?
        guard posix_memalign(&memory, Self.hugePage, bytes) == 0, let raw = memory else { fatalError("out of memory") }
        #if os(Linux)
            _ = madvise(raw, bytes, 14 /* MADV_HUGEPAGE */)
        #endif
        let block = raw.bindMemory(to: SeriesEntry.self, capacity: Self.mask + 1)
        blocks.append(block)
        next = block
        room = Self.mask + 1
    }

    @inline(__always)
    subscript(i: Int) -> SeriesEntry { blocks[i >> Self.shift][i & Self.mask] }

    /// Calls `body` with the entries of `range` a block at a time, each with the index of its first entry.
    @inline(__always)
    func forEach(in range: Range<Int>, _ body: (UnsafeBufferPointer<SeriesEntry>, Int) -> Void) {
        var i = range.lowerBound
        while i < range.upperBound {
            let end = min(range.upperBound, (i | Self.mask) + 1)
            body(UnsafeBufferPointer(start: blocks[i >> Self.shift] + (i & Self.mask), count: end - i), i)
            i = end
        }
    }

    /// The entries of `range` where they lie together in one block; nil when they span two (or none).
    @inline(__always)
    func contiguous(_ range: Range<Int>) -> UnsafePointer<SeriesEntry>? {
        guard !range.isEmpty, range.lowerBound >> Self.shift == (range.upperBound - 1) >> Self.shift else { return nil }
        return UnsafePointer(blocks[range.lowerBound >> Self.shift] + (range.lowerBound & Self.mask))
    }

    /// Frees the entries (none may be read after).
    func release() {
        for b in blocks { free(b) }
        blocks = []
        next = nil
        room = 0
        count = 0
    }

    deinit {
        release()
    }
}

/// The timestamps of a chunk's entries that have one, in entry order (appended as the entries are; looked up
/// by binary search, for the few changes a report lists: a dictionary of them cost a few per cent of the run).
struct Timestamps {
    private var indices: [Int] = []
    private var values: [Double] = []

    @inline(__always)
    mutating func append(_ index: Int, _ seconds: Double) {
        indices.append(index)
        values.append(seconds)
    }

    /// The timestamp of entry `index`, if it has one.
    func seconds(of index: Int) -> Double? {
        var low = 0, high = indices.count
        while low < high {
            let mid = (low + high) / 2
            if indices[mid] < index { low = mid + 1 } else { high = mid }
        }
        return low < indices.count && indices[low] == index ? values[low] : nil
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
    /// A gauge that holds samples of `x`'s family (`SeriesKeying.foldedInto`): the stem `x` and the suffix.
    var foldedInto: (stem: String, suffix: String)? = nil
    var seriesCount: Int { segments.reduce(0) { $0 + $1.range.count } }
}

/// One input read into the comparable form: families by key, each with its series entries.
struct ComparableSide {
    let source: SourceFile
    let format: ExpositionFormat
    /// Families in input order (a family met twice is one, its entries in two segments).
    var families: [SideFamily] = []
    var index: [String: Int] = [:]
    /// Each chunk's entries and timestamps (seconds, by entry index: `Timestamps`).
    var entries: [EntryStore] = []
    var timestamps: [Timestamps] = []
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
        let familyCount = consumers.reduce(0) { $0 + $1.families.count }
        families.reserveCapacity(familyCount)
        index.reserveCapacity(familyCount)
        // A family met again (in another chunk, or split in the input) gathers its label names and bounds here,
        // sorted once at the end: sorting them at each meeting was quadratic in how often a family is split.
        var merged: [Int: (names: Set<String>, bounds: BoundSet)] = [:]
        for (chunk, consumer) in consumers.enumerated() {
            entries.append(consumer.entries)
            timestamps.append(consumer.timestamps)
            for k in consumer.families.indices {
                // Segments are made for chunk 0; a family is copied only to be kept.
                let key = consumer.families[k].key
                if let i = index[key] {
                    families[i].segments += consumer.families[k].segments.map { (chunk, $0.range) }
                    merged[i, default: (Set(families[i].labelNames), BoundSet(families[i].bounds))].names
                        .formUnion(consumer.families[k].labelNames)
                    for bound in consumer.families[k].bounds { merged[i]!.bounds.insert(bound) }
                } else {
                    index[key] = families.count
                    families.append(consumer.families[k])
                    if chunk > 0 { families[families.count - 1].segments = consumer.families[k].segments.map { (chunk, $0.range) } }
                }
            }
        }
        for (i, gathered) in merged {
            families[i].labelNames = gathered.names.sorted()
            families[i].bounds = gathered.bounds.sorted()
        }
        foldGauges()
    }

    /// The text format has no `_created` samples, and no gauge histogram: the Python client writes them as
    /// gauges `x_created` beside the counter `x_total` (or histogram or summary `x`), and `x_gcount`, `x_gsum`
    /// beside the histogram `x` (and `convert --to openmetrics` keeps the last two as gauges). As `convert` does
    /// for `_created`, such a gauge is folded into that family as its own series (its entries are keyed so
    /// already), whatever the format, so that they match OpenMetrics' own.
    private mutating func foldGauges() {
        guard families.contains(where: { $0.foldedInto != nil }) else { return }
        var byName: [String: Int] = [:]
        for (i, f) in families.enumerated() where byName[f.name] == nil { byName[f.name] = i }
        var folded = Set<Int>(), owners = Set<String>()
        for (i, gauge) in families.enumerated() {
            guard let (base, suffix) = gauge.foldedInto else { continue }
            let types = SeriesKeying.ownerTypes(suffix)
            let owner = [base + "_total", base].lazy.compactMap { byName[$0] }.first {
                types.contains(self.families[$0].type) && (self.families[$0].type == .counter) == (self.families[$0].name != base)
            }
            guard let owner, owners.insert("\(owner)\(suffix)").inserted else { continue }
            families[owner].segments += gauge.segments
            families[owner].labelNames = Array(Set(families[owner].labelNames + gauge.labelNames)).sorted()
            folded.insert(i)
        }
        guard !folded.isEmpty else { return }
        families = families.enumerated().filter { !folded.contains($0.offset) }.map(\.element)
        index = [:]
        for (i, f) in families.enumerated() { index[f.key] = i }
    }

    func timestamp(_ chunk: Int, _ i: Int) -> Double? {
        timestamps[chunk].seconds(of: i)
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
    var timestamps = Timestamps()
    /// The previous sample's running sums of its labels' key parts (reused from sample to sample).
    private let labelSums = LabelSums()
    /// The key parts of the `le` and `quantile` values met (a histogram's series repeat its bounds).
    private let numbers = NumberParts()

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
        // A gauge `x_created`, `x_gcount` or `x_gsum` (the Python client's text format) is keyed as those samples
        // of `x`, so that it matches them when folded into `x`'s family (`ComparableSide.foldGauges`).
        let foldedInto = SeriesKeying.foldedInto(family.name, type)
        let stem = Array((foldedInto?.stem ?? SeriesKeying.stem(key, type)).utf8)
        // Per family only what its type picks (no array made per family: there are tens of thousands).
        let bareHash = type == .counter ? Self.totalHash : type == .info ? Self.infoHash : Self.noSuffixHash
        let boundsLe = type == .histogram || type == .gaugehistogram, boundsQuantile = type == .summary
        // The roles whose value going down is a reset.
        let resetRoles: (UInt64, UInt64)? =
            switch type {
            case .counter: (Self.noSuffixHash, Self.noSuffixHash)
            case .histogram, .summary: (Self.countHash, Self.bucketHash)
            default: nil
            }
        let hasReset = resetRoles != nil, reset0 = resetRoles?.0 ?? 0, reset1 = resetRoles?.1 ?? 0
        let ignored = keying.ignoredLabels, ignoring = !ignored.isEmpty
        let first = entries.count
        var names = LabelNames()
        var bounds = BoundSet()
        // The constants read once per family, not per sample (each static is checked for its first use).
        let leTag = Self.leTag, quantileTag = Self.quantileTag, noSuffixHash = Self.noSuffixHash
        let quantileName = Self.quantile
        let scratch = labelSums
        var sums = scratch.base
        let numbers = self.numbers
        numbers.nextFamily()
        family.withInput { p in
            stem.withUnsafeBufferPointer { stem in
                family.labels.withUnsafeBufferPointer { labels in
                    family.samples.withUnsafeBufferPointer { samples in
                        var nameHash: UInt64 = 0
                        for index in samples.indices {
                            let s = samples[index]
                            // Labels byte for byte those of the previous sample keep their part of its sum (and their
                            // names and bounds are known): `sums[j]` is the sum of its first j labels' parts. A label
                            // shared means the bytes before it, the name, are too: its hash is the previous sample's.
                            let lower = Int(s.labels.lowerBound), count = Int(s.labels.upperBound) - lower
                            let sharedLine = index > 0 ? min(Int(s.sharedLabels), count) : 0
                            if sharedLine == 0 || s.name.count != samples[index - 1].name.count {
                                nameHash = SeriesKeying.nameHash(p, s, family, stem: stem, bareHash: bareHash)
                                // A counter's total and an info family's sample are keyed as the family's name alone, as
                                // a family `x_total` or gauge `x_info` of another type keys its own (`convert` writes a
                                // counter whose OpenMetrics name would clash as unknown, a text `*_info` gauge of ones as
                                // info).
                                if nameHash == bareHash { nameHash = noSuffixHash }
                            }
                            // A line that shares no bytes with the previous one (`_sum` after `_bucket`: the name
                            // changed) often still starts with its labels: compared in place, they keep their part.
                            var shared = sharedLine
                            if shared == 0 && index > 0 {
                                let previous = samples[index - 1].labels
                                let previousLower = Int(previous.lowerBound)
                                let common = min(count, Int(previous.upperBound) - previousLower)
                                while shared < common && SeriesKeying.sameLabel(p, labels[lower + shared], labels[previousLower + shared]) {
                                    shared += 1
                                }
                            }
                            if count >= scratch.capacity { sums = scratch.grow(to: count + 1) }
                            var sum: UInt64 = sums[shared]
                            for position in shared..<count {
                                let label = labels[lower + position]
                                if ignoring && ignored.contains(where: { SeriesKeying.labelNamed(p, label, $0) }) {
                                    sums[position + 1] = sum
                                    continue
                                }
                                var part: UInt64
                                var isBound = false
                                let n = label.name.count
                                if n == 2 && SeriesKeying.isLe(p, label), let le = numbers.part(p, label, tag: leTag, kind: 0) {
                                    part = le.part
                                    if boundsLe {
                                        isBound = true
                                        if le.newInFamily { bounds.insert(le.value) }
                                    }
                                } else if n == 8 && SeriesKeying.labelNamed(p, label, quantileName),
                                    let q = numbers.part(p, label, tag: quantileTag, kind: 1)
                                {
                                    part = q.part
                                    if boundsQuantile {
                                        isBound = true
                                        if q.newInFamily { bounds.insert(q.value) }
                                    }
                                } else {
                                    part = mix64(SeriesIdentity.labelHash(p, label))
                                }
                                sum &+= part
                                sums[position + 1] = sum
                                if !s.sameLabelNames && !isBound { names.insert(p, label, family) }
                            }
                            let seconds = s.timestamp?.seconds
                            let counterLike = hasReset && (nameHash == reset0 || nameHash == reset1)
                            if s.extra >= 0 {
                                if let c = family.composite(of: s) {
                                    appendComposite(c, type: type, labelSum: sum, offset: s.offset, seconds: seconds, bounds: &bounds)
                                } else {
                                    append(nameHash, sum, s.value, s.offset, seconds, counterLike: counterLike)
                                }
                                // An OpenMetrics 2.0 start timestamp is the `_created` sample older formats write.
                                if let st = family.startTimestamp(of: s) {
                                    append(Self.createdHash, sum, st.seconds, s.offset, seconds, part: SeriesPart.created)
                                }
                                continue
                            }
                            append(nameHash, sum, s.value, s.offset, seconds, counterLike: counterLike)
                        }
                    }
                }
            }
        }
        families.append(
            SideFamily(
                key: key, name: family.name, type: type, help: family.help, unit: family.unit,
                labelNames: names.sorted(), bounds: bounds.sorted(), segments: [(0, first..<entries.count)],
                foldedInto: foldedInto))
    }

    private static let countHash = SeriesKeying.hash(Array("_count".utf8))
    private static let sumHash = SeriesKeying.hash(Array("_sum".utf8))
    private static let gcountHash = SeriesKeying.hash(Array("_gcount".utf8))
    private static let gsumHash = SeriesKeying.hash(Array("_gsum".utf8))
    private static let bucketHash = SeriesKeying.hash(Array("_bucket".utf8))
    private static let createdHash = SeriesKeying.hash(Array("_created".utf8))
    private static let noSuffixHash = SeriesKeying.hash([])
    private static let totalHash = SeriesKeying.hash(SeriesKeying.bareSuffix(.counter))
    private static let infoHash = SeriesKeying.hash(SeriesKeying.bareSuffix(.info))

    @inline(__always)
    private mutating func append(
        _ nameHash: UInt64, _ labelSum: UInt64, _ value: Double, _ offset: Int32, _ seconds: Double?,
        counterLike: Bool = false, part: UInt16 = SeriesPart.whole
    ) {
        var flags: UInt8 = counterLike ? SeriesEntry.counterLike : 0
        if let seconds {
            flags |= SeriesEntry.timestamped
            timestamps.append(entries.count, seconds)
        }
        entries.append(
            SeriesEntry(key: SeriesKeying.seriesKey(nameHash, labelSum), value: value, offset: offset, flags: flags, part: part))
    }

    /// An OpenMetrics 2.0 composite histogram or summary as the classic series it stands for (what `convert`
    /// writes for it): each bucket by its bound (`_bucket{le=…}`) or quantile (`{quantile=…}`), `_count`,
    /// `_sum` (`_gcount`, `_gsum` for a gauge histogram). A histogram without classic buckets has its count as
    /// the `+Inf` bucket; native buckets have no classic series and are not compared.
    private mutating func appendComposite(
        _ c: CompositeValue, type: MetricType, labelSum: UInt64, offset: Int32, seconds: Double?, bounds: inout BoundSet
    ) {
        let gauge = type == .gaugehistogram || c.isGauge
        let counterLike = type == .histogram || type == .summary
        if type == .summary {
            for (k, q) in c.quantiles.enumerated() {
                let v = q.quantile == 0 ? 0 : q.quantile
                bounds.insert(v)
                let h = labelSum &+ mix64(SeriesKeying.numberHash(Self.quantileTag, v))
                append(Self.noSuffixHash, h, q.value, offset, seconds, part: SeriesPart.bucket(k))
            }
        } else {
            let buckets = c.buckets.isEmpty ? [(bound: Double.infinity, value: c.count ?? 0)] : c.buckets
            for (k, b) in buckets.enumerated() {
                let v = b.bound == 0 ? 0 : b.bound
                bounds.insert(v)
                let h = labelSum &+ mix64(SeriesKeying.numberHash(Self.leTag, v))
                append(Self.bucketHash, h, b.value, offset, seconds, counterLike: counterLike, part: SeriesPart.bucket(k))
            }
        }
        if let count = c.count {
            append(
                gauge ? Self.gcountHash : Self.countHash, labelSum, count, offset, seconds, counterLike: counterLike, part: SeriesPart.count
            )
        }
        if let sum = c.sum {
            append(gauge ? Self.gsumHash : Self.sumHash, labelSum, sum, offset, seconds, part: SeriesPart.sum)
        }
    }
}

/// Running sums of a sample's label key parts, in memory of their own (an array property written per label
/// was checked for uniqueness at each write); the first is always 0.
final class LabelSums {
    private(set) var base: UnsafeMutablePointer<UInt64>
    private(set) var capacity: Int

    init() {
        capacity = 64
        base = .allocate(capacity: capacity)
        base.initialize(repeating: 0, count: capacity)
    }

    /// Room for `count` sums at least, those so far kept; the new base.
    func grow(to count: Int) -> UnsafeMutablePointer<UInt64> {
        let larger = max(count, capacity * 2)
        let grown = UnsafeMutablePointer<UInt64>.allocate(capacity: larger)
        grown.initialize(repeating: 0, count: larger)
        grown.update(from: base, count: capacity)
        base.deallocate()
        base = grown
        capacity = larger
        return grown
    }

    deinit {
        base.deallocate()
    }
}

/// The key parts of numeric label values (`le`, `quantile`) by their bytes, up to eight of them: each series
/// of a histogram or summary repeats the same few, parsed and hashed once here (a table of 256, the last value
/// met in each place; a value that does not fit is parsed and hashed as it comes).
final class NumberParts {
    private struct Slot {
        var word: UInt64 = 0
        /// The value's length and kind (`le` 0, `quantile` 1 from bit 4); -1 when empty.
        var key: Int32 = -1
        /// The family it was last met in (`nextFamily`).
        var family: UInt32 = 0
        var value: Double = 0
        var part: UInt64 = 0
    }
    private let slots: UnsafeMutablePointer<Slot>
    private var family: UInt32 = 0

    init() {
        slots = .allocate(capacity: 256)
        slots.initialize(repeating: Slot(), count: 256)
    }

    deinit {
        slots.deallocate()
    }

    /// A new family begins (each value is then new in it).
    func nextFamily() { family &+= 1 }

    /// The number the label's value spells, its key part (`mix64(SeriesKeying.numberHash(tag, value))`), and
    /// whether it is met for the first time in this family (else its bound is known); nil when not a number.
    @inline(__always)
    func part(_ p: UnsafeBufferPointer<UInt8>, _ label: Label, tag: UInt64, kind: Int32) -> (
        value: Double, part: UInt64, newInFamily: Bool
    )? {
        let r = label.value, n = r.count
        guard n <= 8 && !label.flags.contains(.valueEscaped) else {
            guard let v = SeriesKeying.number(p, label) else { return nil }
            return (v, mix64(SeriesKeying.numberHash(tag, v)), true)
        }
        let word = loadWord(p, r.lowerBound, n), key = Int32(n) | kind << 4
        let slot = slots + Int(truncatingIfNeeded: ((word ^ UInt64(key)) &* 0x9E37_79B9_7F4A_7C15) >> 56)
        if slot.pointee.key == key && slot.pointee.word == word {
            let new = slot.pointee.family != family
            slot.pointee.family = family
            return (slot.pointee.value, slot.pointee.part, new)
        }
        guard let v = SeriesKeying.number(p, label) else { return nil }
        let part = mix64(SeriesKeying.numberHash(tag, v))
        slot.pointee = Slot(word: word, key: key, family: family, value: v, part: part)
        return (v, part, true)
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

    init() {}

    init(_ values: [Double]) {
        for v in values { insert(v) }
    }

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

import PromKit

/// A family's label names by index, and per-name facts several rules need, from one pass over its labels:
/// rules compare integers instead of bytes or strings, and none of them loops over every label for these.
///
/// One instance per linting thread, refilled for each family (`fill`) in place: the tables keep their
/// storage, so a family costs no allocations (and no reference counting of the tables) here once they have
/// grown. Rules only read it, and only `fill` writes, on the instance's one thread: the properties skip the
/// runtime's exclusivity bookkeeping (a lookup in a per-thread access set for every read of a class
/// property, on every rule of every family).
public final class FamilyLabels: @unchecked Sendable {
    /// The distinct label names (raw bytes), with the offset of their first use.
    public var names: [(name: String, offset: Int)] { tables.names }
    /// For each entry of `MetricFamily.labels` (series and exemplar labels), the index of its name in `names`
    /// (valid until the next family is filled in).
    public var ids: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: idStore.base, count: idCount) }
    /// Per name: the first series label (in input order) whose value is empty, and the first whose value is
    /// longer than `LongName.maxValue` bytes, as indices into `MetricFamily.labels`; -1 when there is none
    /// (valid until the next family is filled in).
    public var firstEmpty: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: tables.firstEmpty.base, count: tables.count) }
    /// Per name: the first series label whose value is longer than `LongName.maxValue` bytes (-1: none; valid until the next family is filled in).
    public var firstLong: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: tables.firstLong.base, count: tables.count) }
    /// The first sample (index into `samples`) whose label names are not those of the family's first sample,
    /// `le`, `quantile` and a stateset's state label aside; -1 when all agree.
    @exclusivity(unchecked) public private(set) var firstOddSample = -1

    /// The ids, in memory of their own that grows to the largest family's labels.
    @exclusivity(unchecked) private var idStore = ScratchBuffer<Int32>()
    @exclusivity(unchecked) private var idCount = 0

    /// The index of a name, or -1 when no label of the family has it.
    public func id(of name: String) -> Int32 {
        Int32(names.firstIndex { $0.name == name } ?? -1)
    }

    init() {}

    /// The family's input bytes, samples, labels and each label's name id, as buffers for a rule's loop over
    /// every label (`f` is the family these facts were filled for).
    func withBuffers<R>(
        _ f: MetricFamily,
        _ body: (
            _ p: UnsafeBufferPointer<UInt8>, _ samples: UnsafeBufferPointer<Sample>,
            _ labels: UnsafeBufferPointer<Label>, _ ids: UnsafeBufferPointer<Int32>
        ) -> R
    ) -> R {
        f.withInput { p in
            f.labels.withUnsafeBufferPointer { labels in
                f.samples.withUnsafeBufferPointer { samples in body(p, samples, labels, ids) }
            }
        }
    }

    /// Works out the facts for `f`, replacing the previous family's.
    func fill(_ f: MetricFamily) {
        tables.clear()
        let n = f.labels.count
        idStore.reserve(n)
        idCount = n
        // The pass writes every label's id; zeroed first all the same, so no label can ever read garbage.
        let out = UnsafeMutableBufferPointer(start: idStore.base, count: n)
        out.update(repeating: 0)
        firstOddSample = f.withInput { p in
            f.labels.withUnsafeBufferPointer { labels in
                f.samples.withUnsafeBufferPointer { samples in
                    Self.pass(f, p, samples, labels, out, &tables)
                }
            }
        }
    }

    /// The ids of every label into `out`, the tables filled; returns the first odd sample (or -1).
    private static func pass(
        _ f: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, _ samples: UnsafeBufferPointer<Sample>,
        _ labels: UnsafeBufferPointer<Label>, _ out: UnsafeMutableBufferPointer<Int32>,
        _ t: inout Tables
    ) -> Int {
        var odd = -1
        // Each position's id in the previous sample (the first 16 positions).
        var previous = (
            Int32(-1), Int32(-1), Int32(-1), Int32(-1), Int32(-1), Int32(-1), Int32(-1), Int32(-1),
            Int32(-1), Int32(-1), Int32(-1), Int32(-1), Int32(-1), Int32(-1), Int32(-1), Int32(-1)
        )
        withUnsafeMutableBytes(of: &previous) { raw in
            let previous = raw.bindMemory(to: Int32.self)
            let remembered = previous.count
            var firstSet: UInt64 = 0
            var set: UInt64 = 0
            for si in samples.indices {
                let lower = Int(samples[si].labels.lowerBound), upper = Int(samples[si].labels.upperBound)
                // Labels the reader found the same as the previous sample's have its names and values.
                let shared = min(Int(samples[si].sharedLabels), remembered, upper - lower)
                if si > 0 && samples[si].sameLabelNames && upper - lower <= remembered {
                    // The previous sample's names, position by position (so its name sum too): only the
                    // values past the shared ones are new.
                    for k in lower..<upper {
                        let id = previous[k - lower]
                        out[k] = id
                        if k - lower >= shared { t.noteValue(labels[k].value.count, id, k) }
                    }
                    continue
                }
                // An order-insensitive sum over the sample's label-name ids.
                set = 0
                for position in 0..<shared {
                    let id = previous[position]
                    out[lower + position] = id
                    set &+= t.weights[Int(id)]
                }
                for k in (lower + shared)..<upper {
                    let position = k - lower
                    // A sample's labels usually come in the order of the sample before: the name at the same
                    // position there is tried first.
                    let hint = position < remembered ? previous[position] : -1
                    let id = hint >= 0 && sameName(p, t.ranges[Int(hint)], labels[k].name) ? hint : t.lookUp(labels[k], f, p)
                    if position < remembered { previous[position] = id }
                    out[k] = id
                    set &+= t.weights[Int(id)]
                    t.noteValue(labels[k].value.count, id, k)
                }
                if si == 0 {
                    firstSet = set
                } else if odd < 0 && set != firstSet {
                    odd = si
                }
            }
        }
        for e in f.exemplars {
            for k in Int(e.labels.lowerBound)..<Int(e.labels.upperBound) {
                out[k] = t.lookUp(labels[k], f, p)
            }
        }
        return odd
    }

    /// `bytesEqual` for names that are usually equal and short: one word compare instead of a byte loop.
    /// (`bytesEqual` itself stays a byte loop: where names mostly differ, it stops at the first byte.)
    @inline(__always)
    private static func sameName(_ p: UnsafeBufferPointer<UInt8>, _ a: ByteRange, _ b: ByteRange) -> Bool {
        let n = a.count
        guard n == b.count else { return false }
        return n <= 8 ? loadWord(p, a.lowerBound, n) == loadWord(p, b.lowerBound, n) : bytesEqual(p, a, b)
    }

    /// What the pass fills, kept between families for its storage.
    @exclusivity(unchecked) private var tables = Tables()

    /// Per name, in memory of its own that grows to the most names a family had: clearing it for the next
    /// family is setting a count (the arrays it replaced cost a uniqueness check and a call each, five per
    /// family).
    private struct Tables: ~Copyable {
        var names: [(name: String, offset: Int)] = []
        /// How many names.
        var count = 0
        /// Where each name was first seen, and what it adds to a sample's label-name sum (0 when set aside).
        var ranges = ScratchBuffer<ByteRange>()
        var weights = ScratchBuffer<UInt64>()
        var firstEmpty = ScratchBuffer<Int32>()
        var firstLong = ScratchBuffer<Int32>()
        var index: [UInt64: Int32] = [:]

        /// Notes the label `k` (name `id`) when its value is empty or longer than the limit: one unsigned
        /// comparison for the common case.
        @inline(__always)
        mutating func noteValue(_ length: Int, _ id: Int32, _ k: Int) {
            if UInt(bitPattern: length &- 1) >= UInt(LongName.maxValue) {
                if length == 0 {
                    if firstEmpty[Int(id)] < 0 { firstEmpty[Int(id)] = Int32(k) }
                } else if firstLong[Int(id)] < 0 {
                    firstLong[Int(id)] = Int32(k)
                }
            }
        }

        mutating func clear() {
            if !names.isEmpty { names.removeAll(keepingCapacity: true) }
            count = 0
            if !index.isEmpty { index.removeAll(keepingCapacity: true) }
        }

        /// The id of a name the hint did not match: a few compared directly, more through a hash index; a new
        /// name is added.
        mutating func lookUp(_ label: Label, _ f: MetricFamily, _ p: UnsafeBufferPointer<UInt8>) -> Int32 {
            let r = label.name
            if count <= 8 {
                for i in 0..<count where bytesEqual(p, ranges[i], r) { return Int32(i) }
            } else {
                if index.isEmpty {
                    for i in 0..<count { index[hashBytes(p, ranges[i])] = Int32(i) }
                }
                if let i = index[hashBytes(p, r)] {
                    if bytesEqual(p, ranges[Int(i)], r) { return i }
                    // A hash collision: look through the rest by bytes.
                    for j in 0..<count where bytesEqual(p, ranges[j], r) { return Int32(j) }
                }
            }
            let id = Int32(count)
            if !index.isEmpty { index[hashBytes(p, r)] = id }
            let name = f.name(of: label)
            names.append((name, Int(r.start)))
            ranges.reserve(count + 1, keeping: count)
            weights.reserve(count + 1, keeping: count)
            firstEmpty.reserve(count + 1, keeping: count)
            firstLong.reserve(count + 1, keeping: count)
            let setAside = name == "le" || name == "quantile" || (f.type == .stateset && name == f.name)
            ranges[count] = r
            weights[count] = setAside ? 0 : (UInt64(id) &+ 1) &* 0x9E37_79B9_7F4A_7C15
            firstEmpty[count] = -1
            firstLong[count] = -1
            count += 1
            return id
        }
    }
}

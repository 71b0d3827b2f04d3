import PromKit

/// A family's label names by index, and per-name facts several rules need, from one pass over its labels:
/// rules compare integers instead of bytes or strings, and none of them loops over every label for these.
/// A class: a dozen rules ask for it per family, and handing over one reference beats copying four arrays.
public final class FamilyLabels: Sendable {
    /// The distinct label names (raw bytes), with the offset of their first use.
    public let names: [(name: String, offset: Int)]
    /// For each entry of `MetricFamily.labels` (series and exemplar labels), the index of its name in `names`.
    public let ids: [Int32]
    /// Per name: the first series label (in input order) whose value is empty, and the first whose value is
    /// longer than `LongNames.maxValue` bytes, as indices into `MetricFamily.labels`; -1 when there is none.
    public let firstEmpty: [Int32]
    public let firstLong: [Int32]
    /// The first sample (index into `samples`) whose label names are not those of the family's first sample,
    /// `le`, `quantile` and a stateset's state label aside; -1 when all agree.
    public let firstOddSample: Int

    /// The index of a name, or -1 when no label of the family has it.
    public func id(of name: String) -> Int32 {
        Int32(names.firstIndex { $0.name == name } ?? -1)
    }

    /// What the pass keeps per distinct name.
    private struct NameFacts {
        var range: ByteRange
        var firstEmpty: Int32 = -1
        var firstLong: Int32 = -1
        /// Left out of the label-name comparison between series (le, quantile, the state label).
        var setAside: Bool
    }

    init(_ f: MetricFamily) {
        let labelCount = f.labels.count
        var names: [(name: String, offset: Int)] = []
        var index: [UInt64: Int32] = [:]
        var odd = -1
        // At most one name per label: the table never grows, so the loop works on plain pointers.
        let facts = UnsafeMutablePointer<NameFacts>.allocate(capacity: max(labelCount, 1))
        defer { facts.deallocate() }
        var count = 0
        let ids = [Int32](unsafeUninitializedCapacity: labelCount) { out, initialized in
            f.source.bytes.withUnsafeBufferPointer { p in
                f.labels.withUnsafeBufferPointer { labels in
                    f.samples.withUnsafeBufferPointer { samples in
                        /// The id of a name the hint did not match: a few compared directly, more through a hash index.
                        func lookUp(_ k: Int) -> Int32 {
                            let r = labels[k].name
                            if count <= 8 {
                                for i in 0..<count where bytesEqual(p, facts[i].range, r) { return Int32(i) }
                            } else {
                                if index.isEmpty {
                                    for i in 0..<count { index[hashBytes(p, facts[i].range)] = Int32(i) }
                                }
                                if let i = index[hashBytes(p, r)] {
                                    if bytesEqual(p, facts[Int(i)].range, r) { return i }
                                    // A hash collision: look through the rest by bytes.
                                    for j in 0..<count where bytesEqual(p, facts[j].range, r) { return Int32(j) }
                                }
                            }
                            let id = Int32(count)
                            if !index.isEmpty { index[hashBytes(p, r)] = id }
                            let name = f.name(of: labels[k])
                            names.append((name, Int(r.start)))
                            let setAside = name == "le" || name == "quantile" || (f.type == .stateset && name == f.name)
                            (facts + count).initialize(to: NameFacts(range: r, setAside: setAside))
                            count += 1
                            return id
                        }
                        let longValue = LongNames.maxValue
                        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 32) { previous in
                            previous.initialize(repeating: -1)
                            var firstSet: UInt64 = 0
                            for si in 0..<samples.count {
                                let s = samples[si]
                                let lower = Int(s.labels.lowerBound)
                                // Labels the reader found the same as the previous sample's have its names and values.
                                let shared = min(Int(s.sharedLabels), 32)
                                // An order-insensitive sum over the sample's label-name ids.
                                var set: UInt64 = 0
                                for k in lower..<Int(s.labels.upperBound) {
                                    let position = k - lower
                                    let id: Int32
                                    if position < shared {
                                        id = previous[position]
                                    } else {
                                        // A sample's labels usually come in the order of the sample before: the
                                        // name at the same position there is tried first.
                                        let hint = position < 32 ? previous[position] : -1
                                        id = hint >= 0 && bytesEqual(p, facts[Int(hint)].range, labels[k].name) ? hint : lookUp(k)
                                        if position < 32 { previous[position] = id }
                                        let value = labels[k].value
                                        if value.isEmpty && facts[Int(id)].firstEmpty < 0 { facts[Int(id)].firstEmpty = Int32(k) }
                                        if value.count > longValue && facts[Int(id)].firstLong < 0 { facts[Int(id)].firstLong = Int32(k) }
                                    }
                                    out[k] = id
                                    if !facts[Int(id)].setAside { set &+= (UInt64(id) &+ 1) &* 0x9E37_79B9_7F4A_7C15 }
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
                                out[k] = lookUp(k)
                            }
                        }
                    }
                }
            }
            initialized = labelCount
        }
        self.names = names
        self.ids = ids
        firstEmpty = (0..<count).map { facts[$0].firstEmpty }
        firstLong = (0..<count).map { facts[$0].firstLong }
        firstOddSample = odd
    }
}

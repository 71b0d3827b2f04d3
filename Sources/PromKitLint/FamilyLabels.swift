import PromKit

/// A family's label names by index, and per-name facts several rules need, from one pass over its labels:
/// rules compare integers instead of bytes or strings, and none of them loops over every label for these.
public struct FamilyLabels: Sendable {
    /// The distinct label names (raw bytes), with the offset of their first use.
    public let names: [(name: String, offset: Int)]
    /// For each entry of `MetricFamily.labels` (series and exemplar labels), the index of its name in `names`.
    public let ids: [Int32]
    /// Per name: the first series label (in input order) whose value is empty, and the first whose value is
    /// longer than `LongNames.maxValue` bytes, as indices into `MetricFamily.labels`; -1 when there is none.
    public let firstEmpty: [Int32]
    public let firstLong: [Int32]

    /// The index of a name, or -1 when no label of the family has it.
    public func id(of name: String) -> Int32 {
        Int32(names.firstIndex { $0.name == name } ?? -1)
    }

    init(_ f: MetricFamily) {
        var table = NameTable()
        var ids = [Int32](repeating: 0, count: f.labels.count)
        f.source.bytes.withUnsafeBufferPointer { p in
            f.labels.withUnsafeBufferPointer { labels in
                ids.withUnsafeMutableBufferPointer { out in
                    // Series labels in sample order; a sample's labels usually come in the order of the sample
                    // before, so the name at the same position there is tried first.
                    let longValue = LongNames.maxValue
                    withUnsafeTemporaryAllocation(of: Int32.self, capacity: 32) { previous in
                        previous.initialize(repeating: -1)
                        for s in f.samples {
                            var position = 0
                            // Labels the reader found the same as the previous sample's have its names.
                            let shared = min(Int(s.sharedLabels), 32)
                            for k in Int(s.labels.lowerBound)..<Int(s.labels.upperBound) {
                                let l = labels[k]
                                let id = position < shared ? previous[position]
                                    : table.id(of: l, p, hint: position < 32 ? previous[position] : -1, family: f)
                                out[k] = id
                                if position < 32 { previous[position] = id }
                                position += 1
                                if l.value.isEmpty && table.firstEmpty[Int(id)] < 0 { table.firstEmpty[Int(id)] = Int32(k) }
                                if l.value.count > longValue && table.firstLong[Int(id)] < 0 { table.firstLong[Int(id)] = Int32(k) }
                            }
                        }
                    }
                    for e in f.exemplars {
                        for k in Int(e.labels.lowerBound)..<Int(e.labels.upperBound) {
                            out[k] = table.id(of: labels[k], p, hint: -1, family: f)
                        }
                    }
                }
            }
        }
        names = table.names.indices.map { (table.names[$0], Int(table.ranges[$0].start)) }
        self.ids = ids
        firstEmpty = table.firstEmpty
        firstLong = table.firstLong
    }

    /// Distinct names by their bytes: the hinted one first, a few compared directly, more through a hash index.
    private struct NameTable {
        var names: [String] = []
        var ranges: [ByteRange] = []
        var firstEmpty: [Int32] = []
        var firstLong: [Int32] = []
        var index: [UInt64: Int32] = [:]

        @inline(__always)
        mutating func id(of label: Label, _ p: UnsafeBufferPointer<UInt8>, hint: Int32, family f: MetricFamily) -> Int32 {
            let r = label.name
            if hint >= 0 && bytesEqual(p, ranges[Int(hint)], r) { return hint }
            return slowID(of: label, p, family: f)
        }

        private mutating func slowID(of label: Label, _ p: UnsafeBufferPointer<UInt8>, family f: MetricFamily) -> Int32 {
            let r = label.name
            if ranges.count <= 8 {
                for i in ranges.indices where bytesEqual(p, ranges[i], r) { return Int32(i) }
            } else {
                if index.isEmpty {
                    for (i, known) in ranges.enumerated() { index[f.hash(of: known)] = Int32(i) }
                }
                if let i = index[f.hash(of: r)] {
                    if bytesEqual(p, ranges[Int(i)], r) { return i }
                    // A hash collision: look through the rest by bytes.
                    for j in ranges.indices where bytesEqual(p, ranges[j], r) { return Int32(j) }
                }
            }
            let id = Int32(ranges.count)
            if !index.isEmpty { index[f.hash(of: r)] = id }
            ranges.append(r)
            names.append(f.name(of: label))
            firstEmpty.append(-1)
            firstLong.append(-1)
            return id
        }
    }
}

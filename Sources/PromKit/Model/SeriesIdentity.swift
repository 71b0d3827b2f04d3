/// What makes two samples the same series: their metric name and label set as they *mean*, not as they are
/// written. Names and values compare unescaped; a label name written quoted (`{"x"="1"}`) is the same name
/// unquoted (`{x="1"}`); blanks around `=` (`x = "1"`, text format) are not part of it; a label set is a set
/// (order aside). The one definition validation, lint, the promtool drop-in, diff and convert use.
///
/// Two levels, with identical verdicts:
/// - `labelHash` and `sameLabel(s)`: what the per-sample checks call, on the input's bytes, no allocation.
///   A label written plainly (unquoted name, no escapes, `="` right after the name: nearly all) hashes its
///   `name="value` bytes in one run; any other spelling hashes the same bytes built from the unescaped name
///   and value, so each spelling of a label lands on the same hash.
/// - `SeriesIdentity` values: the canonical bytes of a whole series, for dictionaries and for code that keeps
///   identities beyond one family (made on demand; a few allocations each).
public struct SeriesIdentity: Hashable, Sendable {
    /// The canonical encoding: the unescaped metric name (empty when left out), then each label's unescaped
    /// name and value, every field length-prefixed, the labels sorted (unless the identity keeps input order).
    public let bytes: [UInt8]

    /// The identity of `sample` in `family`. `excluding`: label names left out (`le`, `quantile`: the metric
    /// a bucket or quantile belongs to); `includeName`: whether the sample's name is part of it; `ordered`:
    /// label order counts too (promlint compares label lists in order).
    public init(of sample: Sample, in family: MetricFamily, excluding: Set<String> = [], includeName: Bool = true,
                ordered: Bool = false) {
        bytes = family.withInput { p in
            var pairs: [[UInt8]] = []
            for label in family.labels(of: sample) {
                let name = Self.canonical(p, label.name, escaped: label.flags.contains(.nameEscaped))
                if !excluding.isEmpty, excluding.contains(String(decoding: name, as: UTF8.self)) { continue }
                var pair: [UInt8] = []
                Self.appendField(&pair, name)
                Self.appendField(&pair, Self.canonical(p, label.value, escaped: label.flags.contains(.valueEscaped)))
                pairs.append(pair)
            }
            if !ordered { pairs.sort { $0.lexicographicallyPrecedes($1) } }
            var out: [UInt8] = []
            Self.appendField(&out, includeName ? Self.canonical(p, sample.name, escaped: sample.nameFlags.contains(.nameEscaped)) : [])
            for pair in pairs { out += pair }
            return out
        }
    }

    private static func canonical(_ p: UnsafeBufferPointer<UInt8>, _ r: ByteRange, escaped: Bool) -> [UInt8] {
        escaped ? Unescape.bytes(p, r) : Array(p[r.lowerBound..<r.upperBound])
    }

    private static func appendField(_ out: inout [UInt8], _ field: [UInt8]) {
        var n = UInt32(field.count)
        for _ in 0..<4 {
            out.append(UInt8(truncatingIfNeeded: n))
            n >>= 8
        }
        out += field
    }

    // MARK: On the input's bytes (the per-sample path)

    /// Whether the label's raw bytes `name="value` are its canonical spelling: comparing or hashing them
    /// compares or hashes what the label means.
    @inline(__always)
    package static func isPlain(_ label: Label) -> Bool {
        label.flags.isEmpty && label.value.lowerBound == label.name.upperBound &+ 2
    }

    /// A hash of one label's meaning (name and value unescaped, however written). Summing these over a label
    /// set gives a hash independent of label order.
    @inline(__always)
    package static func labelHash(_ p: UnsafeBufferPointer<UInt8>, _ label: Label) -> UInt64 {
        if isPlain(label) { return hashBytes(p, ByteRange(label.name.lowerBound, label.value.upperBound)) }
        return spelledLabelHash(p, label)
    }

    /// `labelHash` of a label written otherwise: the plain spelling `name="value` is built from the unescaped
    /// name and value and hashed as the plain path would hash it. A name holding `"` has no plain spelling
    /// (and would make `name="value` ambiguous): its parts are hashed apart, under another seed.
    static func spelledLabelHash(_ p: UnsafeBufferPointer<UInt8>, _ label: Label) -> UInt64 {
        let name = canonical(p, label.name, escaped: label.flags.contains(.nameEscaped))
        let value = canonical(p, label.value, escaped: label.flags.contains(.valueEscaped))
        if name.contains(UInt8(ascii: "\"")) {
            let h = name.withUnsafeBufferPointer { hashBytes($0, ByteRange(0, $0.count), seed: 0x2545_F491_4F6C_DD1D) }
            return mix64(h ^ value.withUnsafeBufferPointer { hashBytes($0, ByteRange(0, $0.count), seed: 0x51AF_D7ED) })
        }
        let plain = name + [UInt8(ascii: "="), UInt8(ascii: "\"")] + value
        return plain.withUnsafeBufferPointer { hashBytes($0, ByteRange(0, $0.count)) }
    }

    /// A hash of a label value's meaning (for values compared on their own, such as a bucket bound that is
    /// not a number).
    @inline(__always)
    package static func valueHash(_ p: UnsafeBufferPointer<UInt8>, _ label: Label) -> UInt64 {
        if !label.flags.contains(.valueEscaped) { return hashBytes(p, label.value) }
        return Unescape.bytes(p, label.value).withUnsafeBufferPointer { hashBytes($0, ByteRange(0, $0.count)) }
    }

    /// Whether two ranges of the input mean the same text (escapes undone where either has any).
    @inline(__always)
    package static func sameText(_ p: UnsafeBufferPointer<UInt8>, _ a: ByteRange, _ aEscaped: Bool,
                                 _ b: ByteRange, _ bEscaped: Bool) -> Bool {
        if !aEscaped && !bEscaped { return bytesEqual(p, a, b) }
        return canonical(p, a, escaped: aEscaped) == canonical(p, b, escaped: bEscaped)
    }

    /// Whether two labels have the same name.
    @inline(__always)
    package static func sameName(_ p: UnsafeBufferPointer<UInt8>, _ a: Label, _ b: Label) -> Bool {
        sameText(p, a.name, a.flags.contains(.nameEscaped), b.name, b.flags.contains(.nameEscaped))
    }

    /// Whether two labels are the same label: name and value.
    @inline(__always)
    package static func sameLabel(_ p: UnsafeBufferPointer<UInt8>, _ a: Label, _ b: Label) -> Bool {
        sameName(p, a, b) && sameText(p, a.value, a.flags.contains(.valueEscaped), b.value, b.flags.contains(.valueEscaped))
    }

    /// Whether two label sets are the same set, in any order (each set's names are unique: the parser makes
    /// sure).
    package static func sameLabels(_ p: UnsafeBufferPointer<UInt8>, _ a: some Collection<Label>, _ b: some Collection<Label>) -> Bool {
        guard a.count == b.count else { return false }
        if a.count > 64 {
            // Many labels: sorted canonical pairs instead of a quadratic search.
            func pairs(_ c: some Collection<Label>) -> [[UInt8]] {
                c.map { canonical(p, $0.name, escaped: $0.flags.contains(.nameEscaped)) + [0]
                    + canonical(p, $0.value, escaped: $0.flags.contains(.valueEscaped)) }.sorted { $0.lexicographicallyPrecedes($1) }
            }
            return pairs(a) == pairs(b)
        }
        for x in a {
            guard let y = b.first(where: { sameName(p, $0, x) }),
                  sameText(p, y.value, y.flags.contains(.valueEscaped), x.value, x.flags.contains(.valueEscaped)) else { return false }
        }
        return true
    }
}

extension MetricFamily {
    /// The identity of a sample's series (see `SeriesIdentity`).
    public func seriesIdentity(of sample: Sample, excluding: Set<String> = []) -> SeriesIdentity {
        SeriesIdentity(of: sample, in: self, excluding: excluding)
    }

    /// Whether two samples of this family are the same series: same name and same label set, as they mean.
    public func sameSeries(_ a: Sample, _ b: Sample) -> Bool {
        withInput { p in
            SeriesIdentity.sameText(p, a.name, a.nameFlags.contains(.nameEscaped), b.name, b.nameFlags.contains(.nameEscaped))
                && SeriesIdentity.sameLabels(p, labels(of: a), labels(of: b))
        }
    }
}

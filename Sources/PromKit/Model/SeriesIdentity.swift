/// What makes two samples the same series: their metric name and label set as they *mean*, not as they are
/// written. Names and values compare unescaped; a label name written quoted (`{"x"="1"}`) is the same name
/// unquoted (`{x="1"}`); blanks around `=` (`x = "1"`, text format) are not part of it; a label set is a set
/// (order aside). The one definition validation, lint, the promtool drop-in, diff and convert use.
///
/// Two levels, with identical verdicts:
/// - `labelHash` and `sameLabel(s)`: what the per-sample checks call, on the input's bytes, no allocation.
///   A label written plainly (unquoted name, `="` right after it, standard escapes only: nearly all) hashes
///   its `name="value` bytes in one run; any other spelling hashes its standard spelling, built in a
///   temporary buffer, so each spelling of a label lands on the same hash. Exact comparison of the unescaped
///   forms confirms a match.
/// - `SeriesIdentity` values: the canonical bytes of a whole series, for dictionaries and for code that keeps
///   identities beyond one family (made on demand; a few allocations each).
public struct SeriesIdentity: Hashable, Sendable {
    /// The canonical encoding: the unescaped metric name (empty when left out), then each label's unescaped
    /// name and value, every field length-prefixed, the labels sorted (unless the identity keeps input order).
    public let bytes: [UInt8]

    /// The identity of `sample` in `family`. `excluding`: label names left out (`le`, `quantile`: the metric
    /// a bucket or quantile belongs to); `includeName`: whether the sample's name is part of it; `ordered`:
    /// label order counts too (promlint compares label lists in order).
    public init(
        of sample: Sample, in family: MetricFamily, excluding: Set<String> = [], includeName: Bool = true,
        ordered: Bool = false
    ) {
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

    // The hashes below are of a label's *standard spelling*: `name="value` with the name unquoted and both
    // written with the standard escapes only (`\\`, `\"`, `\n`). That spelling is unique to what the label
    // means (the standard escapes are a prefix-free code, so the `="` between name and value is unambiguous),
    // and nearly every label is already written so: its raw bytes are hashed in place, with no copy.

    /// Whether the label's raw bytes `name="value` are its standard spelling: an unquoted name, `="` right
    /// after it, and no escape other than the standard ones (the parser flags others: OpenMetrics keeps them
    /// as written, so `\q` means what `\\q` means).
    @inline(__always)
    package static func isPlain(_ label: Label) -> Bool {
        label.flags.isDisjoint(with: [.nameQuoted, .oddEscape]) && label.value.lowerBound == label.name.upperBound &+ 2
    }

    /// A hash of one label's meaning (name and value unescaped, however written). Summing these over a label
    /// set gives a hash independent of label order.
    @inline(__always)
    package static func labelHash(_ p: UnsafeBufferPointer<UInt8>, _ label: Label) -> UInt64 {
        if isPlain(label) { return hashBytes(p, ByteRange(label.name.lowerBound, label.value.upperBound)) }
        return spelledLabelHash(p, label)
    }

    /// `labelHash` of a label written otherwise (quoted name, blanks around `=`, an odd escape): its standard
    /// spelling is written to a temporary buffer (on the stack when small) and hashed as the plain path would.
    static func spelledLabelHash(_ p: UnsafeBufferPointer<UInt8>, _ label: Label) -> UInt64 {
        // A standard spelling is at most twice as long (each odd `\c` gains one byte).
        let capacity = 2 &* (label.name.count &+ label.value.count) &+ 2
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var n = writeStandard(p, label.name, into: buffer, at: 0)
            buffer[n] = UInt8(ascii: "=")
            buffer[n &+ 1] = UInt8(ascii: "\"")
            n = writeStandard(p, label.value, into: buffer, at: n &+ 2)
            return hashBytes(UnsafeBufferPointer(start: buffer.baseAddress, count: n), ByteRange(0, n))
        }
    }

    /// A hash of a label value's meaning alone (a bucket bound that is not a number).
    @inline(__always)
    package static func valueHash(_ p: UnsafeBufferPointer<UInt8>, _ label: Label) -> UInt64 {
        if !label.flags.contains(.oddEscape) { return hashBytes(p, label.value) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 &* label.value.count) { buffer in
            let n = writeStandard(p, label.value, into: buffer, at: 0)
            return hashBytes(UnsafeBufferPointer(start: buffer.baseAddress, count: n), ByteRange(0, n))
        }
    }

    /// Writes the standard spelling of the quoted-string contents at `r` (an odd escape `\c`, which means a
    /// backslash and c, becomes `\\c`); returns the offset after it.
    static func writeStandard(
        _ p: UnsafeBufferPointer<UInt8>, _ r: ByteRange, into out: UnsafeMutableBufferPointer<UInt8>,
        at start: Int
    ) -> Int {
        var n = start
        var i = r.lowerBound
        let end = r.upperBound
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "\\") {
                let c: UInt8 = i &+ 1 < end ? p[i &+ 1] : 0
                if c == UInt8(ascii: "\\") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "n") {
                    out[n] = b
                    out[n &+ 1] = c
                    n &+= 2
                    i &+= 2
                    continue
                }
                out[n] = b
                n &+= 1
            }
            out[n] = b
            n &+= 1
            i &+= 1
        }
        return n
    }

    /// Whether two ranges of the input mean the same text (escapes undone where either has any).
    @inline(__always)
    package static func sameText(
        _ p: UnsafeBufferPointer<UInt8>, _ a: ByteRange, _ aEscaped: Bool,
        _ b: ByteRange, _ bEscaped: Bool
    ) -> Bool {
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
                c.map {
                    canonical(p, $0.name, escaped: $0.flags.contains(.nameEscaped)) + [0]
                        + canonical(p, $0.value, escaped: $0.flags.contains(.valueEscaped))
                }.sorted { $0.lexicographicallyPrecedes($1) }
            }
            return pairs(a) == pairs(b)
        }
        for x in a {
            guard let y = b.first(where: { sameName(p, $0, x) }),
                sameText(p, y.value, y.flags.contains(.valueEscaped), x.value, x.flags.contains(.valueEscaped))
            else { return false }
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

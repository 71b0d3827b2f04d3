import PromKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How samples are keyed so that the same series means the same key on both sides, whatever the format and
/// the spelling: a family by its canonical name, a series by its name's role in the family and its labels'
/// meaning (`SeriesIdentity.labelHash`: unescaped, quoted or not, blanks and order aside), with `le` and
/// `quantile` compared as numbers (`1` is `1.0`). Works on the input's bytes: no string per series.
enum SeriesKeying {
    /// The family's key: its name as its samples spell it, so that formats agree. A counter is keyed by its
    /// total (`x_total`: the text format's family `x_total`, OpenMetrics 1.0's family `x`, OpenMetrics 2.0's
    /// `x_total`, a text counter `x` whose sample has no suffix); an info family by `x_info`.
    static func familyKey(_ name: String, _ type: MetricType) -> String {
        switch type {
        case .counter: name.hasSuffix("_total") ? name : name + "_total"
        case .info: name.hasSuffix("_info") ? name : name + "_info"
        default: name
        }
    }

    /// A gauge that holds samples of another family as the text format writes them (it has no place for
    /// them): `x_created`, the `_created` samples of a counter `x_total` or histogram or summary `x`;
    /// `x_gcount`, `x_gsum`, those of a gauge histogram `x` written as a histogram (the Python client does
    /// both). Its stem `x` and the suffix.
    static func foldedInto(_ name: String, _ type: MetricType) -> (stem: String, suffix: String)? {
        // (An untyped `x_created` too: `convert` folds it as it folds the gauge.)
        guard type == .gauge || (type == .unknown && name.hasSuffix("_created")) else { return nil }
        for suffix in ["_created", "_gcount", "_gsum"] where name.hasSuffix(suffix) && name.utf8.count > suffix.utf8.count {
            return (String(name.dropLast(suffix.count)), suffix)
        }
        return nil
    }

    /// The types of family a gauge `foldedInto` belongs to, with that suffix.
    static func ownerTypes(_ suffix: String) -> [MetricType] {
        suffix == "_created" ? [.counter, .histogram, .summary] : [.histogram, .gaugehistogram]
    }

    /// A series' key: its name's role in the family and the sum of its labels' mixed hashes (a sum, so that
    /// order does not matter and a composite value's parts add their `le` or `quantile` to it).
    @inline(__always)
    static func seriesKey(_ nameHash: UInt64, _ labelSum: UInt64) -> UInt64 { mix64(nameHash &+ labelSum) }

    /// The part of a family key its samples' names start with (`x` for the counter `x_total`).
    static func stem(_ key: String, _ type: MetricType) -> String {
        switch type {
        case .counter where key.hasSuffix("_total"): String(key.dropLast(6))
        case .info where key.hasSuffix("_info"): String(key.dropLast(5))
        default: key
        }
    }

    /// A counter's or info family's sample named as the stem alone is its total or info sample.
    static func bareSuffix(_ type: MetricType) -> [UInt8] {
        switch type {
        case .counter: Array("_total".utf8)
        case .info: Array("_info".utf8)
        default: []
        }
    }

    /// Hash of a byte array (names kept apart from the input).
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { hashBytes($0, ByteRange(0, $0.count)) }
    }

    /// Hash of the sample name's role: its bytes after the stem (`_bucket`, `_sum`, `_total`; the bare name
    /// of a counter counts as `_total`). A name that does not start with the stem hashes whole, marked.
    @inline(__always)
    static func nameHash(
        _ p: UnsafeBufferPointer<UInt8>, _ sample: Sample, _ family: MetricFamily,
        stem: UnsafeBufferPointer<UInt8>, bareHash: UInt64
    ) -> UInt64 {
        let r = sample.name
        if sample.nameFlags.contains(.nameEscaped) {
            return writtenNameHash(Array(family.sampleName(sample).utf8), stem: stem, bareHash: bareHash)
        }
        let n = stem.count
        if r.count >= n && (n == 0 || memcmp(p.baseAddress! + r.lowerBound, stem.baseAddress!, n) == 0) {
            if r.count == n { return bareHash }
            return hashBytes(p, ByteRange(r.lowerBound + n, r.upperBound))
        }
        return ~hashBytes(p, r)
    }

    static func writtenNameHash(_ name: [UInt8], stem: UnsafeBufferPointer<UInt8>, bareHash: UInt64) -> UInt64 {
        name.withUnsafeBufferPointer { b in
            if b.count >= stem.count && b.prefix(stem.count).elementsEqual(stem) {
                if b.count == stem.count { return bareHash }
                return hashBytes(b, ByteRange(stem.count, b.count))
            }
            return ~hashBytes(b, ByteRange(0, b.count))
        }
    }

    /// Whether the label's name is `name` (a few bytes, compared in place; an escaped name unescaped).
    @inline(__always)
    static func labelNamed(_ p: UnsafeBufferPointer<UInt8>, _ label: Label, _ name: [UInt8]) -> Bool {
        if label.flags.contains(.nameEscaped) {
            return Unescape.bytes(p, label.name) == name
        }
        guard label.name.count == name.count else { return false }
        return name.withUnsafeBufferPointer { memcmp(p.baseAddress! + label.name.lowerBound, $0.baseAddress!, name.count) == 0 }
    }

    /// Whether two labels are written byte for byte the same (name, value and how they are written).
    @inline(__always)
    static func sameLabel(_ p: UnsafeBufferPointer<UInt8>, _ a: Label, _ b: Label) -> Bool {
        a.flags == b.flags && sameBytes(p, a.name, b.name) && sameBytes(p, a.value, b.value)
    }

    @inline(__always)
    private static func sameBytes(_ p: UnsafeBufferPointer<UInt8>, _ a: ByteRange, _ b: ByteRange) -> Bool {
        let n = a.count
        guard n == b.count else { return false }
        if n <= 8 { return loadWord(p, a.lowerBound, n) == loadWord(p, b.lowerBound, n) }
        return memcmp(p.baseAddress! + a.lowerBound, p.baseAddress! + b.lowerBound, n) == 0
    }

    /// Whether the label is `le` (written plainly: the common case, two byte compares).
    @inline(__always)
    static func isLe(_ p: UnsafeBufferPointer<UInt8>, _ label: Label) -> Bool {
        if label.flags.contains(.nameEscaped) { return labelNamed(p, label, Array("le".utf8)) }
        let i = label.name.lowerBound
        return p[i] == UInt8(ascii: "l") && p[i &+ 1] == UInt8(ascii: "e")
    }

    /// The number a label value spells (`le`, `quantile`), with `-0` as `0`; nil when it is not a number.
    @inline(__always)
    static func number(_ p: UnsafeBufferPointer<UInt8>, _ label: Label) -> Double? {
        guard !label.flags.contains(.valueEscaped),
            let v = NumberSyntax.parseFloat(p, label.value.lowerBound, label.value.upperBound)
        else { return nil }
        return v == 0 ? 0 : v
    }

    /// The key part of a numeric label: its name's tag mixed with the number's bits (NaNs as one).
    @inline(__always)
    static func numberHash(_ tag: UInt64, _ v: Double) -> UInt64 {
        mix64(tag ^ (v.isNaN ? 0x7FF8_0000_0000_0000 : v.bitPattern))
    }
}

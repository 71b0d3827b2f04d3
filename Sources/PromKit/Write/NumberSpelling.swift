/// Sample values and bounds as exposition text: `+Inf`, `-Inf`, `NaN`, integers below 1e15 as digits, else the
/// shortest spelling that reads back to the same double (Swift's shortest round-trip digits, `.0` dropped).
/// Never through a lossy format; the common spellings are recognised as canonical and copied as they are.
public enum NumberSpelling {
    /// Appends the canonical spelling of `v`.
    public static func appendCanonical(_ v: Double, to sink: ByteSink) {
        if v.isNaN { return sink.append("NaN") }
        if v == .infinity { return sink.append("+Inf") }
        if v == -.infinity { return sink.append("-Inf") }
        if v == v.rounded(.towardZero) && abs(v) < 1e15 {
            if v == 0 { return v.sign == .minus ? sink.append("-0") : sink.append(UInt8(ascii: "0")) }
            appendInteger(Int64(v), to: sink)
            return
        }
        // Rare (fractions whose spelling was not canonical already): Swift's shortest round-trip digits.
        var s = v.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        sink.append(s)
    }

    /// The canonical spelling as bytes (for keys and tests).
    public static func canonical(_ v: Double) -> [UInt8] {
        let sink = ByteSink()
        appendCanonical(v, to: sink)
        sink.flush()
        return sink.kept
    }

    /// OpenMetrics' float spelling for bucket bounds made from a number (`1.0`, `0.5`, `+Inf`): an integral
    /// bound keeps `.0`, as OpenMetrics writers spell `le`.
    public static func appendBound(_ v: Double, to sink: ByteSink) {
        appendCanonical(v, to: sink)
        if v.isFinite && v == v.rounded(.towardZero) && abs(v) < 1e15 { sink.append(".0") }
    }

    /// Appends `n` in decimal.
    public static func appendInteger(_ n: Int64, to sink: ByteSink) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of room
        var m = n.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            let d = raw.bindMemory(to: UInt8.self)
            repeat {
                count += 1
                d[24 - count] = UInt8(truncatingIfNeeded: m % 10) &+ 48
                m /= 10
            } while m > 0
            if n < 0 {
                count += 1
                d[24 - count] = UInt8(ascii: "-")
            }
            sink.append(UnsafeBufferPointer(rebasing: UnsafeBufferPointer(d)[(24 - count)...]))
        }
    }

    /// Whether `p[start..<end]` is exactly the canonical spelling of the number it reads as (false when not
    /// sure: the caller then spells the value itself). Integers of up to 15 digits without leading zeros;
    /// fixed-point numbers of up to 15 significant digits, no trailing zero, at least 1e-4; `+Inf`, `-Inf`, `NaN`.
    @inline(__always)
    public static func isCanonical(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        if i < end && p[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        while i < end && p[i] &- 48 < 10 { i += 1 }
        let intDigits = i - intStart
        if intDigits == 0 {
            let n = end - start
            if n == 3 && p[start] == UInt8(ascii: "N") && p[start + 1] == UInt8(ascii: "a") && p[start + 2] == UInt8(ascii: "N") {
                return true
            }
            if n == 4 && (p[start] == UInt8(ascii: "+") || p[start] == UInt8(ascii: "-")) && p[start + 1] == UInt8(ascii: "I")
                && p[start + 2] == UInt8(ascii: "n") && p[start + 3] == UInt8(ascii: "f")
            {
                return true
            }
            return false
        }
        if intDigits > 15 || (intDigits > 1 && p[intStart] == UInt8(ascii: "0")) { return false }
        if i == end {
            // "-0" is canonical (it reads as negative zero); "-5" too.
            return true
        }
        guard p[i] == UInt8(ascii: "."), i + 1 < end else { return false }
        i += 1
        let fracStart = i
        while i < end && p[i] &- 48 < 10 { i += 1 }
        guard i == end, p[end - 1] != UInt8(ascii: "0") else { return false }
        let zeroInt = intDigits == 1 && p[intStart] == UInt8(ascii: "0")
        var significant = (zeroInt ? 0 : intDigits) + (end - fracStart)
        if zeroInt {
            var z = fracStart
            while z < end && p[z] == UInt8(ascii: "0") { z += 1 }
            if z - fracStart > 3 { return false }  // below 1e-4 Swift writes an exponent
            significant -= z - fracStart
        }
        return significant <= 15
    }

    /// Whether a spelling is a plain decimal every format reads the same way (`-`? digits, `.digits`?,
    /// exponent?), so a converter can copy it.
    @inline(__always)
    public static func isPlainDecimal(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        if i < end && p[i] == UInt8(ascii: "-") { i += 1 }
        let d0 = i
        while i < end && p[i] &- 48 < 10 { i += 1 }
        if i == d0 { return false }
        if i < end && p[i] == UInt8(ascii: ".") {
            i += 1
            let f0 = i
            while i < end && p[i] &- 48 < 10 { i += 1 }
            if i == f0 { return false }
        }
        if i < end && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            if i < end && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            let e0 = i
            while i < end && p[i] &- 48 < 10 { i += 1 }
            if i == e0 { return false }
        }
        return i == end
    }
}

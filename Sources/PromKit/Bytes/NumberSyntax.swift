#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exact number parsing for the exposition grammars, on raw bytes.
///
/// Both formats take `[+-]? (digits [. digits] | . digits) ([eE] [+-]? digits)?`, `[+-]? (inf | infinity)`
/// and `nan`, the words in any case. Hex floats, `_` separators and anything else `Double(String)` accepts
/// are refused. Short decimals take an exact fast path (a mantissa of at most 2^53 scaled by an exact power
/// of ten); the rest go to `strtod`, which rounds correctly, after the grammar has been checked here.
package enum NumberSyntax {
    /// Exact powers of ten, behind a plain pointer: no reference counting when several threads parse.
    /// (`nonisolated(unsafe)` here and below: written once by the static's thread-safe initializer, only read
    /// after, never freed.)
    private nonisolated(unsafe) static let powersOfTen: UnsafePointer<Double> = {
        let values: [Double] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        ]
        let p = UnsafeMutablePointer<Double>.allocate(capacity: values.count)
        p.initialize(from: values, count: values.count)
        return UnsafePointer(p)
    }()

    /// 5^0 … 5^27 (all below 2^64), for the 128-bit path.
    private nonisolated(unsafe) static let powersOfFive: UnsafePointer<UInt64> = {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: 28)
        var v: UInt64 = 1
        for k in 0..<28 {
            p[k] = v
            v &*= 5
        }
        return UnsafePointer(p)
    }()

    /// Parses a float value; nil when the bytes are not one.
    package static func parseFloat(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        if start >= end { return nil }
        if let d = parseDecimal(p, start, end) { return d }
        return parseSpecial(p, start, end)
    }

    /// Whether `v`, parsed from `start..<end`, is a decimal beyond float64's range (it parsed to an infinity
    /// without being spelled Inf). Go's strconv.ParseFloat, and so Prometheus and expfmt, refuse such a
    /// number with a range error; OpenMetrics numbers must be float64s.
    @inline(__always)
    package static func overflows(_ v: Double, _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        v.isInfinite && parseSpecial(p, start, end) == nil
    }

    /// `[+-]? (inf | infinity) | nan`, case-insensitive.
    package static func parseSpecial(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var negative = false
        if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        let n = end - i
        func matches(_ word: StaticString) -> Bool {
            if n != word.utf8CodeUnitCount { return false }
            let w = word.utf8Start
            for k in 0..<n where p[i + k] | 0x20 != w[k] { return false }
            return true
        }
        if matches("inf") || matches("infinity") { return negative ? -.infinity : .infinity }
        if i == start && matches("nan") { return .nan }
        return nil
    }

    /// A decimal number per the grammar; nil when it is not one.
    package static func parseDecimal(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        if let (value, stop) = scanDecimal(p, start, end) { return stop == end ? value : nil }
        return parseLongDecimal(p, start, end)
    }

    /// The decimal number at the start of `start..<end` and where it stops (the caller checks what follows).
    /// Nil when there is none, or when it has more than 19 digits (then `parseLongDecimal` takes it).
    ///
    /// Nearly every value has at most 19 digits: then the digits go into the mantissa with no checks (19
    /// digits cannot overflow 64 bits).
    @inline(__always)
    static func scanDecimal(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Double, Int)? {
        var i = start
        var negative = false
        if i < end && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        // Digits go into the mantissa unchecked: wrapped values are thrown away below (more than 19 digits).
        @inline(__always) func digits(_ mantissa: inout UInt64) -> Int {
            let from = i
            // Eight digits a step while there are eight (long values: counters, fractions).
            while i + 8 <= end, let eight = eightDigits(p, i) {
                mantissa = mantissa &* 100_000_000 &+ eight
                i += 8
            }
            while i < end {
                let d = p[i] &- UInt8(ascii: "0")
                if d >= 10 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                i += 1
            }
            return i - from
        }
        var mantissa: UInt64 = 0
        let intDigits = digits(&mantissa)
        var fractionDigits = 0
        if i < end && p[i] == UInt8(ascii: ".") {
            i += 1
            fractionDigits = digits(&mantissa)
        }
        let digits = intDigits + fractionDigits
        if digits == 0 || digits > 19 { return nil }
        guard let exponent = scanExponent(p, &i, end) else { return nil }
        if let v = exactValue(mantissa, exponent - fractionDigits) { return (negative ? -v : v, i) }
        return slowParse(p, start, i).map { ($0, i) }
    }

    /// The value of the eight ASCII digits at `i`, or nil when one of them is not a digit (SWAR: one load,
    /// three multiplies instead of eight steps).
    @inline(__always)
    static func eightDigits(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt64? {
        let w = UInt64(littleEndian: UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self))
        // Every byte 0x30...0x39: high nibble 3, and adding 6 does not carry into it.
        guard w & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
            (w &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
        else { return nil }
        var v = w & 0x0F0F_0F0F_0F0F_0F0F
        v = (v &* (10 << 8 + 1)) >> 8 & 0x00FF_00FF_00FF_00FF
        v = (v &* (100 << 16 + 1)) >> 16 & 0x0000_FFFF_0000_FFFF
        return (v &* (10_000 << 32 + 1)) >> 32
    }

    /// More than 19 digits: only the first 19 significant ones fit the mantissa; the rest decide exactness.
    static func parseLongDecimal(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var negative = false
        let first = p[i]
        if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0  // significant digits taken into the mantissa
        var dropped = 0  // integer digits past 19 significant ones (scale up)
        var fractionDigits = 0  // fraction digits taken into the mantissa (scale down)
        var intDigits = 0
        var fracSeen = 0
        var exact = true
        while i < end, p[i] &- UInt8(ascii: "0") < 10 {
            let d = UInt64(p[i] &- UInt8(ascii: "0"))
            if significant < 19 {
                if mantissa != 0 || d != 0 {
                    mantissa = mantissa &* 10 &+ d
                    significant += 1
                }
            } else {
                dropped += 1
                if d != 0 { exact = false }
            }
            intDigits += 1
            i += 1
        }
        if i < end && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, p[i] &- UInt8(ascii: "0") < 10 {
                let d = UInt64(p[i] &- UInt8(ascii: "0"))
                if significant < 19 {
                    if mantissa != 0 || d != 0 {
                        mantissa = mantissa &* 10 &+ d
                        significant += 1
                    }
                    fractionDigits += 1
                } else if d != 0 {
                    exact = false
                }
                fracSeen += 1
                i += 1
            }
        }
        if intDigits == 0 && fracSeen == 0 { return nil }
        guard let exponent = scanExponent(p, &i, end) else { return nil }
        if i != end { return nil }
        if exact, let v = exactValue(mantissa, exponent + dropped - fractionDigits) { return negative ? -v : v }
        return slowParse(p, start, end)
    }

    /// `[eE] [+-]? digits` at `i` (0 when there is none); nil when the `e` has no digits.
    @inline(__always)
    static func scanExponent(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) -> Int? {
        guard i < end && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) else { return 0 }
        i += 1
        var negative = false
        if i < end && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        let digitsStart = i
        var exponent = 0
        while i < end, p[i] &- UInt8(ascii: "0") < 10 {
            if exponent < 100_000 { exponent = exponent * 10 + Int(p[i] &- UInt8(ascii: "0")) }
            i += 1
        }
        if i == digitsStart { return nil }
        return negative ? -exponent : exponent
    }

    /// `mantissa × 10^scale` (an exact integer mantissa) when it can be had exactly here: a mantissa up to
    /// 2^53 scaled by an exact power of ten, or the 128-bit path; nil leaves it to `strtod`.
    @inline(__always)
    static func exactValue(_ mantissa: UInt64, _ scale: Int) -> Double? {
        if mantissa == 0 { return 0 }
        if mantissa <= (1 << 53) {
            if scale == 0 { return Double(mantissa) }
            if scale > 0 && scale <= 22 { return Double(mantissa) * powersOfTen[scale] }
            if scale < 0 && scale >= -22 { return Double(mantissa) / powersOfTen[-scale] }
        }
        return scale >= -22 && scale <= 22 ? wideDecimal(mantissa, scale) : nil
    }

    /// `mantissa × 10^scale`, correctly rounded, for |scale| ≤ 22: 10^k = 5^k × 2^k, and 5^22 < 2^52, so
    /// the product (or a 128-bit quotient with its remainder) is exact before one final rounding.
    static func wideDecimal(_ mantissa: UInt64, _ scale: Int) -> Double? {
        let five = powersOfFive[abs(scale)]
        if scale >= 0 {
            let (hi, lo) = mantissa.multipliedFullWidth(by: five)
            return roundToDouble(hi: hi, lo: lo, sticky: false, exponent2: scale)
        }
        // mantissa / 5^k as a 128-bit fixed-point quotient (64 fraction bits) and a remainder.
        let (qHigh, r) = mantissa.quotientAndRemainder(dividingBy: five)
        let (qLow, r2) = five.dividingFullWidth((high: r, low: 0))
        return roundToDouble(hi: qHigh, lo: qLow, sticky: r2 != 0, exponent2: scale - 64)
    }

    /// The 128-bit integer `hi:lo` (plus a sticky bit for anything below it) × 2^exponent2, rounded to
    /// nearest-even once.
    static func roundToDouble(hi: UInt64, lo: UInt64, sticky: Bool, exponent2: Int) -> Double? {
        if hi == 0 && lo == 0 { return 0 }
        // The top 64 significant bits, and whether anything below them is set.
        let top: UInt64
        var rest: Bool
        var shift: Int  // value = top × 2^shift × 2^exponent2 (before rounding)
        if hi != 0 {
            let z = hi.leadingZeroBitCount
            top = z == 0 ? hi : (hi << z) | (lo >> (64 - z))
            rest = (z == 0 ? lo : lo << z) != 0
            shift = 64 - z
        } else {
            let z = lo.leadingZeroBitCount
            top = lo << z
            rest = false
            shift = -z
        }
        rest = rest || sticky
        var significand = top >> 11  // 53 bits
        let roundBit = (top >> 10) & 1
        let below = (top & 0x3FF) != 0 || rest
        if roundBit == 1 && (below || significand & 1 == 1) {
            significand += 1
            if significand == 1 << 53 {
                significand >>= 1
                shift += 1
            }
        }
        let e = shift + 11 + exponent2
        guard e > -1000 && e < 1000 else { return nil }
        return Double(sign: .plus, exponent: e, significand: Double(significand))
    }

    static func slowParse(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let n = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf in
            for k in 0..<n { buf[k] = CChar(bitPattern: p[start + k]) }
            buf[n] = 0
            return strtod(buf.baseAddress!, nil)
        }
    }

    /// An integer timestamp in milliseconds (text format): `[+-]? digits` fitting in Int64.
    package static func parseInt64(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var i = start
        var negative = false
        if i < end && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        if i == end { return nil }
        var v: Int64 = 0
        while i < end {
            let d = p[i] &- UInt8(ascii: "0")
            if d >= 10 { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        return v
    }
}

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
public enum NumberSyntax {
    /// Exact powers of ten, behind a plain pointer: no reference counting when several threads parse.
    private nonisolated(unsafe) static let powersOfTen: UnsafePointer<Double> = {
        let values: [Double] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        ]
        let p = UnsafeMutablePointer<Double>.allocate(capacity: values.count)
        p.initialize(from: values, count: values.count)
        return UnsafePointer(p)
    }()

    /// Parses a float value; nil when the bytes are not one.
    public static func parseFloat(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        if start >= end { return nil }
        if let d = parseDecimal(p, start, end) { return d }
        return parseSpecial(p, start, end)
    }

    /// `[+-]? (inf | infinity) | nan`, case-insensitive.
    public static func parseSpecial(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
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
    public static func parseDecimal(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var negative = false
        let first = p[i]
        if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0     // significant digits taken into the mantissa
        var dropped = 0         // integer digits past 19 significant ones (scale up)
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
        var exponent = 0
        if i < end && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            var expNegative = false
            if i < end && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) {
                expNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            var expDigits = 0
            while i < end, p[i] &- UInt8(ascii: "0") < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(p[i] &- UInt8(ascii: "0")) }
                expDigits += 1
                i += 1
            }
            if expDigits == 0 { return nil }
            if expNegative { exponent = -exponent }
        }
        if i != end { return nil }
        let scale = exponent + dropped - fractionDigits
        if exact && mantissa <= (1 << 53) {
            if mantissa == 0 { return negative ? -0.0 : 0.0 }
            if scale == 0 {
                let v = Double(mantissa)
                return negative ? -v : v
            }
            if scale > 0 && scale <= 22 {
                let v = Double(mantissa) * powersOfTen[scale]
                return negative ? -v : v
            }
            if scale < 0 && scale >= -22 {
                let v = Double(mantissa) / powersOfTen[-scale]
                return negative ? -v : v
            }
        }
        return slowParse(p, start, end)
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
    public static func parseInt64(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
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

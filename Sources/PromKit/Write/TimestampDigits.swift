/// Timestamps moved between the text format's integer milliseconds and OpenMetrics' decimal seconds by
/// shifting decimal digits (1.001 s is exactly 1001 ms): never through a Double.
public enum TimestampDigits {
    /// The unit of a written timestamp.
    public enum Unit: Sendable {
        /// The text format's integer milliseconds.
        case milliseconds
        /// OpenMetrics' seconds.
        case seconds
    }

    /// Appends the timestamp spelled `p[start..<end]` in `from` units, in `to` units: milliseconds as an
    /// integer, seconds as a decimal without trailing zeros. Returns false when digits below a millisecond
    /// had to be dropped (truncated toward zero).
    @discardableResult
    public static func append(
        _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, from: Unit, to: Unit,
        sink: ByteSink
    ) -> Bool {
        if from == .milliseconds && to == .seconds && isCanonical(p, start, end, unit: .milliseconds) {
            return appendSeconds(milliseconds: p, start, end, sink: sink)
        }
        // Digits D and exponent E: value = D × 10^E.
        var negative = false
        var i = start
        if i < end && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
            negative = p[i] == UInt8(ascii: "-")
            i += 1
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(end - start)
        var exponent = 0
        var seenDot = false
        while i < end {
            let b = p[i]
            if b &- 48 < 10 {
                digits.append(b)
                if seenDot { exponent -= 1 }
            } else if b == UInt8(ascii: ".") {
                seenDot = true
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                var k = i + 1
                var eNeg = false
                if k < end && (p[k] == UInt8(ascii: "-") || p[k] == UInt8(ascii: "+")) { eNeg = p[k] == UInt8(ascii: "-"); k += 1 }
                var e = 0
                while k < end && p[k] &- 48 < 10 { e = min(e * 10 + Int(p[k] - 48), 100_000); k += 1 }
                exponent += eNeg ? -e : e
                break
            }
            i += 1
        }
        if from == .seconds && to == .milliseconds { exponent += 3 }
        if from == .milliseconds && to == .seconds { exponent -= 3 }
        return appendDecimal(negative: negative, digits: digits, exponent: exponent, integer: to == .milliseconds, sink: sink)
    }

    /// The common case (text to OpenMetrics), spelled straight from the input's bytes: canonical integer
    /// milliseconds (`-`?digits, no leading zero) as seconds, the last three digits the fraction.
    @inline(__always)
    static func appendSeconds(milliseconds p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, sink: ByteSink) -> Bool {
        var i = start
        if p[i] == UInt8(ascii: "-") {
            sink.append(UInt8(ascii: "-"))
            i += 1
        }
        let n = end - i
        let fracStart = end - min(3, n)
        var fracEnd = end
        while fracEnd > fracStart && p[fracEnd - 1] == UInt8(ascii: "0") { fracEnd -= 1 }
        if n > 3 { sink.append(p, i, end - 3) } else { sink.append(UInt8(ascii: "0")) }
        if fracEnd > fracStart {
            sink.append(UInt8(ascii: "."))
            for _ in 0..<(3 - (end - fracStart)) { sink.append(UInt8(ascii: "0")) }
            sink.append(p, fracStart, fracEnd)
        }
        return true
    }

    static func appendDecimal(negative: Bool, digits: [UInt8], exponent: Int, integer: Bool, sink: ByteSink) -> Bool {
        var intPart: ArraySlice<UInt8>
        var fracPart: ArraySlice<UInt8>
        var zerosAfterInt = 0
        var zerosBeforeFrac = 0
        if exponent >= 0 {
            intPart = digits[...]
            zerosAfterInt = exponent
            fracPart = []
        } else if -exponent >= digits.count {
            intPart = []
            zerosBeforeFrac = -exponent - digits.count
            fracPart = digits[...]
        } else {
            intPart = digits[..<(digits.count + exponent)]
            fracPart = digits[(digits.count + exponent)...]
        }
        while let f = intPart.first, f == UInt8(ascii: "0") { intPart = intPart.dropFirst() }
        if intPart.isEmpty { zerosAfterInt = 0 }
        while let l = fracPart.last, l == UInt8(ascii: "0") { fracPart = fracPart.dropLast() }
        if fracPart.isEmpty { zerosBeforeFrac = 0 }
        var exact = true
        if integer && !fracPart.isEmpty {
            exact = false
            fracPart = []
            zerosBeforeFrac = 0
        }
        let isZero = intPart.isEmpty && fracPart.isEmpty
        if negative && !isZero { sink.append(UInt8(ascii: "-")) }
        if intPart.isEmpty {
            sink.append(UInt8(ascii: "0"))
        } else {
            intPart.withUnsafeBufferPointer { sink.append($0) }
            for _ in 0..<zerosAfterInt { sink.append(UInt8(ascii: "0")) }
        }
        if !fracPart.isEmpty {
            sink.append(UInt8(ascii: "."))
            for _ in 0..<zerosBeforeFrac { sink.append(UInt8(ascii: "0")) }
            fracPart.withUnsafeBufferPointer { sink.append($0) }
        }
        return exact
    }

    /// Whether a spelling is already canonical in `unit` (so fmt and convert copy it): milliseconds as
    /// `-`?digits without leading zeros; seconds the same with an optional fraction without trailing zeros.
    @inline(__always)
    public static func isCanonical(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, unit: Unit) -> Bool {
        var i = start
        if i < end && p[i] == UInt8(ascii: "-") { i += 1 }
        let d0 = i
        while i < end && p[i] &- 48 < 10 { i += 1 }
        let n = i - d0
        if n == 0 || (n > 1 && p[d0] == UInt8(ascii: "0")) { return false }
        if n == 1 && p[d0] == UInt8(ascii: "0") && d0 != start && i == end { return false }  // "-0"
        if i == end { return true }
        guard unit == .seconds, p[i] == UInt8(ascii: "."), i + 1 < end else { return false }
        i += 1
        while i < end && p[i] &- 48 < 10 { i += 1 }
        return i == end && p[end - 1] != UInt8(ascii: "0")
    }
}

/// 256-entry byte-class table: the single source of truth for which bytes may start or continue a name.
///
/// Built once; parsers keep the pointer, so a lookup is one load.
package enum ByteClass {
    package static let metricNameStart: UInt8 = 1 << 0  // [a-zA-Z_:]
    package static let metricNameContinue: UInt8 = 1 << 1  // [a-zA-Z0-9_:]
    package static let labelNameStart: UInt8 = 1 << 2  // [a-zA-Z_]
    package static let labelNameContinue: UInt8 = 1 << 3  // [a-zA-Z0-9_]
    package static let digit: UInt8 = 1 << 4  // [0-9]
    package static let blank: UInt8 = 1 << 5  // space, tab
    /// Bytes that end a token in the text format: blank, `{`, `}`, `,`, `=`, `"`, `#`.
    package static let delimiter: UInt8 = 1 << 6

    /// (`nonisolated(unsafe)`: a pointer is not Sendable, but the table is written once, by the static's
    /// thread-safe initializer, only read after, and never freed.)
    package nonisolated(unsafe) static let table: UnsafePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        t.initialize(repeating: 0, count: 256)
        for b in 0..<256 {
            let c = UInt8(b)
            let lower = c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")
            let upper = c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")
            let dig = c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
            let under = c == UInt8(ascii: "_")
            let colon = c == UInt8(ascii: ":")
            var v: UInt8 = 0
            if lower || upper || under || colon { v |= metricNameStart }
            if lower || upper || under || colon || dig { v |= metricNameContinue }
            if lower || upper || under { v |= labelNameStart }
            if lower || upper || under || dig { v |= labelNameContinue }
            if dig { v |= digit }
            if c == 0x20 || c == 0x09 { v |= blank }
            if c == 0x20 || c == 0x09 || c == UInt8(ascii: "{") || c == UInt8(ascii: "}") || c == UInt8(ascii: ",")
                || c == UInt8(ascii: "=") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "#")
            {
                v |= delimiter
            }
            t[b] = v
        }
        return UnsafePointer(t)
    }()

    /// Whether `bytes` is a legacy metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    package static func isLegacyMetricName<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        var first = true
        for b in bytes {
            if table[Int(b)] & (first ? metricNameStart : metricNameContinue) == 0 { return false }
            first = false
        }
        return !first
    }

    /// Whether `bytes` is a legacy label name, `[a-zA-Z_][a-zA-Z0-9_]*`.
    package static func isLegacyLabelName<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        var first = true
        for b in bytes {
            if table[Int(b)] & (first ? labelNameStart : labelNameContinue) == 0 { return false }
            first = false
        }
        return !first
    }

    /// `isLegacyMetricName` on a string's bytes (borrowed, not through the generic view).
    package static func isLegacyMetricName(_ name: String) -> Bool {
        withUTF8Bytes(name) { isLegacyMetricName($0) }
    }

    /// `isLegacyLabelName` on a string's bytes (borrowed, not through the generic view).
    package static func isLegacyLabelName(_ name: String) -> Bool {
        withUTF8Bytes(name) { isLegacyLabelName($0) }
    }
}

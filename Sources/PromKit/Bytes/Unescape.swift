#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Undoing the escapes of quoted strings and HELP text.
///
/// Both formats define `\\`, `\"` and `\n`. OpenMetrics keeps any other `\c` as written (the spec tolerates
/// it); the text parser rejects such input before it gets here, so keeping it is right for both.
package enum Unescape {
    /// The bytes of `range` of the input with their escapes undone.
    package static func bytes(_ source: UnsafeBufferPointer<UInt8>, _ range: ByteRange) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = source[i]
            if b == UInt8(ascii: "\\") && i + 1 < end {
                switch source[i + 1] {
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); i += 2; continue
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\"")); i += 2; continue
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n")); i += 2; continue
                default: break
                }
            }
            out.append(b)
            i += 1
        }
        return out
    }

    package static func string(_ source: UnsafeBufferPointer<UInt8>, _ range: ByteRange, format: ExpositionFormat) -> String {
        // Most text has no escape: decoded in place (no array made and copied byte by byte first).
        let raw = UnsafeBufferPointer(rebasing: source[range.lowerBound..<range.upperBound])
        if raw.isEmpty || memchr(raw.baseAddress!, Int32(UInt8(ascii: "\\")), raw.count) == nil {
            return String(decoding: raw, as: UTF8.self)
        }
        return String(decoding: bytes(source, range), as: UTF8.self)
    }
}

/// Making input text safe to quote in a message: control characters become visible escapes.
enum Printable {
    static func byte(_ b: UInt8) -> String {
        switch b {
        case 0x0A: "\\n"
        case 0x0D: "\\r"
        case 0x09: "\\t"
        case 0x00: "\\0"
        case 0x20..<0x7F: String(UnicodeScalar(b))
        default: "\\x" + hex(b)
        }
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7F {
                out += byte(UInt8(u.value))
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }
}

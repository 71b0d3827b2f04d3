import PromKit

/// Escaping for each output syntax, in one place.
package enum Escaping {
    /// A JSON string literal: quotes, backslashes and every control character escaped; the rest as UTF-8.
    package static func json(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += "\\u00" + hex2(UInt8(u.value))
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// Text XML 1.0 can carry: characters it forbids (NUL, most C0 controls, U+FFFE, U+FFFF) become U+FFFD.
    /// The writer escapes `& < > "` itself.
    package static func xmlSafe(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            let v = u.value
            let allowed = v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000
            out.unicodeScalars.append(allowed ? u : "\u{FFFD}")
        }
        return out
    }

    /// GitHub workflow-command data: `%`, CR and LF escaped as the runner expects; other control characters
    /// (which would corrupt the log line) become U+FFFD.
    static func githubData(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case "\t": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0x7F { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// GitHub workflow-command properties: as data, plus `:` and `,`.
    static func githubProperty(_ s: String) -> String {
        githubData(s).replacingAll(":", "%3A").replacingAll(",", "%2C")
    }

    /// A Markdown table cell: pipes escaped, line breaks as spaces, control characters made visible.
    package static func markdownCell(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            default:
                if u.value < 0x20 || u.value == 0x7F { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// Control characters made visible, for plain text lines (a message must stay on one line).
    package static func oneLine(_ s: String) -> String {
        // Most messages have no control character (UTF-8 continuation and lead bytes are all >= 0x80): as is.
        if !withUTF8Bytes(s, { $0.contains { $0 < 0x20 || $0 == 0x7F } }) { return s }
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F { out += "\\x" + hex2(UInt8(u.value)) } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    static func hex2(_ b: UInt8) -> String {
        let d = Array("0123456789abcdef")
        return String([d[Int(b >> 4)], d[Int(b & 15)]])
    }
}

extension String {
    /// Replaces a character by scalars (so the CR of a CR LF pair is found, unlike with `Character`s).
    func replacingAll(_ target: Unicode.Scalar, _ replacement: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for u in unicodeScalars {
            if u == target { out += replacement } else { out.unicodeScalars.append(u) }
        }
        return out
    }
}

extension Report {
    /// Findings of every input, most severe first, then in input order (for outputs that rank).
    var findingsBySeverity: [Finding] {
        allFindings.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
    }

    /// The input paths made unique (`x`, `x (2)`), for outputs whose readers keep only the first of a name.
    /// Computed once per report (it was a property, recomputed for every use: quadratic in the inputs).
    func uniqueInputNames() -> [String] {
        var taken = Set<String>()
        var next: [String: Int] = [:]
        return inputs.map { input in
            var name = input.path
            // A later input may be called what an earlier duplicate was renamed to: count on until free.
            var n = next[input.path] ?? 1
            while !taken.insert(name).inserted {
                n += 1
                name = "\(input.path) (\(n))"
            }
            next[input.path] = n
            return name
        }
    }
}

extension Severity {
    var plural: String {
        switch self {
        case .error: "errors"
        case .warning: "warnings"
        case .info: "infos"
        }
    }
}

/// How names outside the legacy character set reach a target (`escaping_schemes.md`): kept and quoted
/// (`allow-utf-8`), or rewritten by one of the three escaping schemes.
public enum EscapingScheme: String, Sendable, CaseIterable {
    /// Names are written as they are, quoted where needed (`escaping=allow-utf-8`).
    case allowUTF8 = "allow-utf-8"
    /// Each character outside the legacy set becomes `_`.
    case underscores
    /// `.` becomes `_dot_`, `_` becomes `__`, any other character outside the set `_`.
    case dots
    /// `U__` then each character outside the set as `_HEX_`: can be undone.
    case values

    /// Whether legacy names are rewritten too (`dots` doubles every underscore, so that it can be undone).
    var rewritesLegacyNames: Bool { self == .dots }

    /// What a `Content-Type` says of the names in the body (its `escaping=` parameter,
    /// `../shared/specs/escaping_schemes.md`).
    public enum Declared: Equatable, Sendable {
        /// No `escaping=` parameter.
        case none
        /// One of the four schemes.
        case scheme(EscapingScheme)
        /// A value that is none of the four schemes.
        case unknown(String)
    }

    /// The `escaping=` parameter of a `Content-Type` (names and values compared without case, quotes taken off).
    public static func declared(inContentType value: String) -> Declared {
        for part in value.split(separator: ";").dropFirst() {
            let parameter = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: " \t") }
            guard parameter.count == 2, parameter[0].lowercased() == "escaping" else { continue }
            var given = parameter[1]
            if given.count >= 2 && given.hasPrefix("\"") && given.hasSuffix("\"") { given = String(given.dropFirst().dropLast()) }
            return EscapingScheme(rawValue: given.lowercased()).map { .scheme($0) } ?? .unknown(given)
        }
        return .none
    }
}

/// Escaping and quoting of metric and label names and of quoted strings.
public enum NameEscaping {
    @inline(__always)
    static func isLegacy(_ b: UInt8, first: Bool, metric: Bool) -> Bool {
        let c = ByteClass.table[Int(b)]
        if metric { return c & (first ? ByteClass.metricNameStart : ByteClass.metricNameContinue) != 0 }
        return c & (first ? ByteClass.labelNameStart : ByteClass.labelNameContinue) != 0
    }

    /// Whether `name` is in the legacy set (`[a-zA-Z_:][a-zA-Z0-9_:]*` for a metric, no `:` for a label).
    public static func isLegacyName(_ name: [UInt8], metric: Bool) -> Bool {
        !name.isEmpty && name.indices.allSatisfy { isLegacy(name[$0], first: $0 == 0, metric: metric) }
    }

    /// `name` escaped by `scheme`, exactly as `escaping_schemes.md` says. Legacy names are kept as they are,
    /// except by `dots`, which doubles every underscore (and so can be undone). Label names treat `:` as
    /// outside the legacy set (it is not allowed in them). `allowUTF8` returns the name unchanged.
    public static func escape(_ name: [UInt8], scheme: EscapingScheme, metric: Bool) -> [UInt8] {
        if scheme == .allowUTF8 || name.isEmpty { return name }
        if !scheme.rewritesLegacyNames && isLegacyName(name, metric: metric) { return name }
        var out: [UInt8] = []
        out.reserveCapacity(name.count + 8)
        if scheme == .values { out.append(contentsOf: "U__".utf8) }
        var position = 0
        for scalar in String(decoding: name, as: UTF8.self).unicodeScalars {
            defer { position += 1 }
            let legacy = scalar.isASCII && isLegacy(UInt8(scalar.value), first: position == 0, metric: metric)
            switch scheme {
            case .allowUTF8:
                break
            case .underscores:
                out.append(legacy ? UInt8(scalar.value) : UInt8(ascii: "_"))
            case .dots:
                if scalar == "_" {
                    out.append(contentsOf: "__".utf8)
                } else if scalar == "." {
                    out.append(contentsOf: "_dot_".utf8)
                } else {
                    out.append(legacy ? UInt8(scalar.value) : UInt8(ascii: "_"))
                }
            case .values:
                if scalar == "_" {
                    out.append(contentsOf: "__".utf8)
                } else if legacy {
                    out.append(UInt8(scalar.value))
                } else {
                    out.append(UInt8(ascii: "_"))
                    out.append(contentsOf: String(scalar.value, radix: 16, uppercase: true).utf8)
                    out.append(UInt8(ascii: "_"))
                }
            }
        }
        return out
    }

    /// Appends `bytes` (unescaped) as the inside of a quoted string: `\`, `"` and newline escaped.
    public static func appendQuotedContent(_ bytes: UnsafeBufferPointer<UInt8>, to sink: ByteSink) {
        var runStart = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") || b == UInt8(ascii: "\"") || b == 0x0A else { continue }
            sink.append(bytes, runStart, i)
            sink.append(UInt8(ascii: "\\"))
            sink.append(b == 0x0A ? UInt8(ascii: "n") : b)
            runStart = i + 1
        }
        sink.append(bytes, runStart, bytes.count)
    }

    /// HELP text (unescaped) escaped for `format`: the text format escapes `\` and newline, OpenMetrics `"` too.
    public static func appendHelp(_ bytes: UnsafeBufferPointer<UInt8>, format: ExpositionFormat, to sink: ByteSink) {
        var runStart = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") || b == 0x0A || (b == UInt8(ascii: "\"") && format.isOpenMetrics) else { continue }
            sink.append(bytes, runStart, i)
            sink.append(UInt8(ascii: "\\"))
            sink.append(b == 0x0A ? UInt8(ascii: "n") : b)
            runStart = i + 1
        }
        sink.append(bytes, runStart, bytes.count)
    }
}

/// Validation: every syntax and semantic diagnostic of one input, in input order.
public enum Validator {
    /// Every syntax and semantic diagnostic of `source` read as `format`, in input order.
    public static func validate(_ source: SourceFile, format: ExpositionFormat, options: ReadOptions = ReadOptions()) -> [Diagnostic] {
        var options = options
        options.windowed = true  // no family is kept
        let reader = FamilyReader(source: source, format: format, options: options)
        return reader.read(makeConsumer: { _ in IgnoreFamilies() }).diagnostics
    }

    /// Validation needs only the reader's own checks.
    struct IgnoreFamilies: FamilyConsumer {
        mutating func consume(_ family: MetricFamily) {}
    }
}

/// The format to read an input as: given, or detected from its content.
public enum FormatChoice: String, Sendable, CaseIterable {
    /// Detect the format from the content (or an HTTP `Content-Type`).
    case auto
    /// The text format.
    case text
    /// OpenMetrics 1.0.
    case openMetrics = "openmetrics"
    /// OpenMetrics 2.0.
    case openMetrics2 = "openmetrics2"

    /// The format of a loaded input: with `auto`, its `Content-Type` when it came with one naming a format,
    /// else detected from its content.
    public func resolve(for source: SourceFile) -> ExpositionFormat {
        resolve(for: source.bytes, contentType: source.contentType)
    }

    /// The format to read `bytes` as: the one given, or the one detected.
    public func resolve(for bytes: ByteBuffer, contentType: String? = nil) -> ExpositionFormat {
        switch self {
        case .text: .text
        case .openMetrics: .openMetrics
        case .openMetrics2: .openMetrics2
        case .auto: FormatDetector.detect(bytes, contentType: contentType)
        }
    }

    /// In auto mode, an input read as text that looks like OpenMetrics (no `# EOF` at its end: truncated?) says
    /// so on its first error, or in a warning of its own when it has none.
    public func hinting(_ diagnostics: [Diagnostic], for bytes: ByteBuffer, resolved: ExpositionFormat) -> [Diagnostic] {
        guard self == .auto, resolved == .text, FormatDetector.looksLikeOpenMetrics(bytes) else { return diagnostics }
        let hint =
            "the input looks like OpenMetrics but no \"# EOF\" ends it, so it was read as the text format (truncated? --format openmetrics reads it as OpenMetrics)"
        var result = diagnostics
        let errors = result.indices.filter { result[$0].severity == .error && result[$0].code != .tooManyDiagnostics }
        if let first = errors.min(by: { result[$0].offset < result[$1].offset }) {
            result[first].message += "; \(hint)"
        } else {
            result.append(Diagnostic(.missingEOF, .warning, at: bytes.count, hint))
        }
        return result
    }
}

/// Detecting the format of an input.
///
/// By `Content-Type` when there is one (HTTP); otherwise by content: an input whose last line is `# EOF` is
/// OpenMetrics, and OpenMetrics 2.0 when a sample value is a composite (` {count:`, ` {gcount:`) or carries a
/// start timestamp (` st@`). Anything else is the text format.
public enum FormatDetector {
    /// The format of `bytes`, from the `Content-Type` if it names one, else from the content.
    public static func detect(_ bytes: [UInt8], contentType: String? = nil) -> ExpositionFormat {
        detect(ByteBuffer(bytes), contentType: contentType)
    }

    /// The format of `bytes`, from the `Content-Type` if it names one, else from the content.
    public static func detect(_ bytes: ByteBuffer, contentType: String? = nil) -> ExpositionFormat {
        if let contentType, let format = fromContentType(contentType) { return format }
        return bytes.withUnsafeBufferPointer { p in
            guard endsWithEOF(p) else { return .text }
            return hasOpenMetrics2Markers(p) ? .openMetrics2 : .openMetrics
        }
    }

    /// The format an HTTP `Content-Type` names, or nil when it names none.
    public static func fromContentType(_ value: String) -> ExpositionFormat? {
        let parts = value.lowercased().split(separator: ";").map { $0.trimmingCharacters(in: " \t") }
        guard let media = parts.first else { return nil }
        let version = parts.dropFirst().first { $0.hasPrefix("version=") }.map { String($0.dropFirst(8)) }
        switch media {
        case "application/openmetrics-text":
            return version?.hasPrefix("2.") == true ? .openMetrics2 : .openMetrics
        case "text/plain":
            return .text
        default:
            return nil
        }
    }

    static func endsWithEOF(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var end = b.count
        while end > 0 && (b[end - 1] == 0x0A || b[end - 1] == 0x0D || b[end - 1] == 0x20) { end -= 1 }
        let eof = Array("# EOF".utf8)
        guard end >= eof.count else { return false }
        return b[(end - eof.count)..<end].elementsEqual(eof) && (end == eof.count || b[end - eof.count - 1] == 0x0A)
    }

    /// How much of the input's start the content signals are looked for in: the input is not read (or its
    /// mapped pages touched) twice; the end is looked at for `# EOF` only.
    public static let prefixScanned = 1 << 20

    /// OpenMetrics 2.0's own syntax in the input's first `prefixScanned` bytes: a composite value (` {count:`,
    /// ` {gcount:`), a start timestamp (` st@`), a quoted name (`# TYPE "a.b"`, `{"a.b"}`, `{x,"a.b"="1"}`), or a
    /// sample or `# UNIT` line naming a counter (`_total`) or info (`_info`) family by its name with the suffix,
    /// which 1.0 leaves out of the family name.
    /// `valuesOnly`: only the composite values and start timestamps, which the text format lacks (it has quoted
    /// names, and samples named as their counter family).
    static func hasOpenMetrics2Markers(_ p: UnsafeBufferPointer<UInt8>, valuesOnly: Bool = false) -> Bool {
        var found = false
        var suffixed: Slice<UnsafeBufferPointer<UInt8>>? = nil
        forEachLine(p) { line in
            if valuesOnly && line.first == UInt8(ascii: "#") {
                // Metadata tells nothing here.
            } else if line.starts(with: "# TYPE \"".utf8) || line.starts(with: "# HELP \"".utf8) || line.starts(with: "# UNIT \"".utf8) {
                found = true
            } else if let name = suffixed, line.starts(with: "# UNIT ".utf8), line.dropFirst(7).starts(with: name),
                line.count > 7 + name.count, line[line.startIndex + 7 + name.count] == 0x20
            {
                // A unit for the counter named with its _total: 1.0 wants the unit as the name's suffix.
                found = true
            } else if line.starts(with: "# TYPE ".utf8) {
                let words = line.split(separator: 0x20)
                if words.count == 4 {
                    let name = words[2], type = words[3]
                    if (type.elementsEqual("counter".utf8) && name.reversed().starts(with: "latot_".utf8))
                        || (type.elementsEqual("info".utf8) && name.reversed().starts(with: "ofni_".utf8))
                    {
                        suffixed = name
                    }
                }
            } else if line.first != UInt8(ascii: "#") {
                if line.first == UInt8(ascii: "{") && !valuesOnly { found = true }
                if let name = suffixed, line.starts(with: name), line.count > name.count,
                    line[line.startIndex + name.count] == 0x20 || line[line.startIndex + name.count] == UInt8(ascii: "{")
                {
                    found = true
                }
                var previous: UInt8 = 0
                var k = line.startIndex
                while k < line.endIndex && !found {
                    let b = line[k]
                    if b == UInt8(ascii: "\"") && (previous == UInt8(ascii: "{") || previous == UInt8(ascii: ",")) && !valuesOnly {
                        found = true
                    }
                    if previous == 0x20 && (b == UInt8(ascii: "{") || b == UInt8(ascii: "s")) {
                        let rest = line[(k - 1)...]
                        if rest.starts(with: " {count:".utf8) || rest.starts(with: " {gcount:".utf8) || rest.starts(with: " st@".utf8) {
                            found = true
                        }
                    }
                    // A quoted label value: skip it (its escaped quotes, and braces or commas in it, mean nothing).
                    if b == UInt8(ascii: "\"") && previous == UInt8(ascii: "=") {
                        k += 1
                        while k < line.endIndex && line[k] != UInt8(ascii: "\"") { k += line[k] == UInt8(ascii: "\\") ? 2 : 1 }
                    }
                    previous = b
                    k += 1
                }
            }
            return !found
        }
        return found
    }

    /// OpenMetrics syntax the text format lacks, in the input's first `prefixScanned` bytes: `# UNIT`, a type
    /// only OpenMetrics has, an exemplar (` # {`), or 2.0's signals. For an input read as text because no
    /// `# EOF` ends it (truncated?).
    public static func looksLikeOpenMetrics(_ bytes: ByteBuffer) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            if hasOpenMetrics2Markers(p, valuesOnly: true) { return true }
            var found = false
            forEachLine(p) { line in
                if line.starts(with: "# UNIT ".utf8) {
                    found = true
                } else if line.starts(with: "# TYPE ".utf8) {
                    let type = line.split(separator: 0x20).last ?? []
                    found = ["gaugehistogram", "stateset", "info", "unknown"].contains { type.elementsEqual($0.utf8) }
                } else if line.first != UInt8(ascii: "#") {
                    var k = line.startIndex
                    while k + 3 < line.endIndex && !found {
                        if line[k] == 0x20 && line[k + 1] == UInt8(ascii: "#") && line[k + 2] == 0x20 && line[k + 3] == UInt8(ascii: "{") {
                            found = true
                        }
                        k += 1
                    }
                }
                return !found
            }
            return found
        }
    }

    /// Calls `body` with each line of the input's first `prefixScanned` bytes (a line cut by that bound
    /// included) until it returns false.
    private static func forEachLine(_ p: UnsafeBufferPointer<UInt8>, _ body: (Slice<UnsafeBufferPointer<UInt8>>) -> Bool) {
        let end = min(p.count, prefixScanned)
        var start = 0
        while start < end {
            var stop = start
            while stop < end && p[stop] != 0x0A { stop += 1 }
            if !body(p[start..<stop]) { return }
            start = stop + 1
        }
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}

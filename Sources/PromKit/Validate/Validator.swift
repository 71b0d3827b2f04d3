/// Validation: every syntax and semantic diagnostic of one input, in input order.
public enum Validator {
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
    case auto
    case text
    case openMetrics = "openmetrics"
    case openMetrics2 = "openmetrics2"

    public func resolve(for bytes: ByteBuffer, contentType: String? = nil) -> ExpositionFormat {
        switch self {
        case .text: .text
        case .openMetrics: .openMetrics
        case .openMetrics2: .openMetrics2
        case .auto: FormatDetector.detect(bytes, contentType: contentType)
        }
    }
}

/// Detecting the format of an input.
///
/// By `Content-Type` when there is one (HTTP); otherwise by content: an input whose last line is `# EOF` is
/// OpenMetrics, and OpenMetrics 2.0 when a sample value is a composite (` {count:`, ` {gcount:`) or carries a
/// start timestamp (` st@`). Anything else is the text format.
public enum FormatDetector {
    public static func detect(_ bytes: [UInt8], contentType: String? = nil) -> ExpositionFormat {
        detect(ByteBuffer(bytes), contentType: contentType)
    }

    public static func detect(_ bytes: ByteBuffer, contentType: String? = nil) -> ExpositionFormat {
        if let contentType, let format = fromContentType(contentType) { return format }
        return bytes.withUnsafeBufferPointer { p in
            guard endsWithEOF(p) else { return .text }
            return hasOpenMetrics2Markers(p) ? .openMetrics2 : .openMetrics
        }
    }

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

    static func hasOpenMetrics2Markers(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let markers = [Array(" {count:".utf8), Array(" {gcount:".utf8), Array(" st@".utf8)]
        do {
            var i = 0
            let n = p.count
            while i + 4 < n {
                if p[i] == 0x20 && (p[i + 1] == UInt8(ascii: "{") || p[i + 1] == UInt8(ascii: "s")) {
                    for m in markers where i + m.count <= n {
                        var same = true
                        for k in 0..<m.count where p[i + k] != m[k] {
                            same = false
                            break
                        }
                        if same { return true }
                    }
                }
                i += 1
            }
            return false
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

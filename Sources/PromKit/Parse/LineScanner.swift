/// Scanning helpers of `LineParser` that only read: names, quoted strings, blanks, keywords, messages. (The
/// label set's own rules are in LabelGrammar.swift, the fast path's comparisons in TokenReuse.swift.)
struct LineScanner {
    let p: UnsafeBufferPointer<UInt8>
    let format: ExpositionFormat
    let strict: Bool
    let table = ByteClass.table

    /// A quoted string from its opening `"`: the contents' range, whether it holds escapes, and the offset
    /// after the closing quote. Checks escapes per format.
    /// `escaped`: 0 none, 1 standard escapes only, 2 also another (`\\q`, OpenMetrics only: kept as written).
    @inline(__always) func scanQuoted(_ open: Int, _ end: Int, what: String) throws(SyntaxError) -> (ByteRange, UInt8, Int) {
        var i = open + 1
        var escaped: UInt8 = 0
        // Eight bytes a step while none is a quote or a backslash.
        let base = p.baseAddress!
        while i + 8 <= end {
            let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let q = w ^ 0x2222_2222_2222_2222, b = w ^ 0x5C5C_5C5C_5C5C_5C5C
            let hit = ((q &- 0x0101_0101_0101_0101) & ~q | (b &- 0x0101_0101_0101_0101) & ~b) & 0x8080_8080_8080_8080
            if hit != 0 {
                i += hit.trailingZeroBitCount >> 3
                break
            }
            i += 8
        }
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                return (ByteRange(open + 1, i), escaped, i + 1)
            }
            if b == UInt8(ascii: "\\") {
                escaped = max(escaped, 1)
                guard i + 1 < end else { break }
                let c = p[i + 1]
                if c != UInt8(ascii: "\\") && c != UInt8(ascii: "\"") && c != UInt8(ascii: "n") {
                    if !strict {
                        throw SyntaxError(
                            .invalidEscape, i,
                            "invalid escape sequence '\\\(describeByte(c))' in \(what); only \\\\, \\\" and \\n are allowed")
                    }
                    escaped = 2
                }
                i += 2
                continue
            }
            i += 1
        }
        throw SyntaxError(.invalidLabels, open, "\(what) has no closing '\"'")
    }

    /// Text-format HELP escapes. The spec defines `\\` and `\n`; Prometheus' scrape parser reads any other
    /// backslash as written (it undoes only those two), while expfmt (promtool, client_golang) rejects the
    /// line: a warning naming them, for the first other escape.
    func textHelpEscape(_ start: Int, _ end: Int) -> Int {
        var i = start
        while i < end {
            if p[i] == UInt8(ascii: "\\") {
                if i + 1 == end || (p[i + 1] != UInt8(ascii: "\\") && p[i + 1] != UInt8(ascii: "n")) { return i }
                i += 2
                continue
            }
            i += 1
        }
        return -1
    }

    /// The warning for the escape `textHelpEscape` found at `i` (on the line ending at `end`).
    func helpEscapeWarning(_ i: Int, _ end: Int) -> SyntaxError {
        guard i + 1 < end else {
            return SyntaxError(
                .invalidEscape, i,
                "help text ends with a lone backslash: Prometheus reads it as written, but expfmt and promtool reject the line; write \\\\ for a backslash"
            )
        }
        let c = p[i + 1]
        let why = c == UInt8(ascii: "\"") ? "a quote needs no escape in help text" : "help text defines only \\\\ and \\n"
        return SyntaxError(
            .invalidEscape, i,
            "escape '\\\(describeByte(c))' in help text: Prometheus reads it as written (backslash and all), but expfmt and promtool reject the line; \(why)"
        )
    }

    /// OpenMetrics HELP text escapes: `\\`, `\n` and `\"`; others are tolerated (and a raw `"`, as its suite
    /// does).
    func checkEscapes(_ start: Int, _ end: Int, what: String) throws(SyntaxError) {
        var i = start
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "\\") {
                guard i + 1 < end else {
                    throw SyntaxError(.invalidEscape, i, "\(what) ends with a lone backslash")
                }
                i += 2
                continue
            }
            i += 1
        }
    }

    @inline(__always) func scanMetricName(_ start: Int, _ end: Int) -> Int {
        guard start < end, table[Int(p[start])] & ByteClass.metricNameStart != 0 else { return start }
        var i = start + 1
        while i < end && table[Int(p[i])] & ByteClass.metricNameContinue != 0 { i += 1 }
        return i
    }

    @inline(__always) func scanLabelName(_ start: Int, _ end: Int) -> Int {
        guard start < end, table[Int(p[start])] & ByteClass.labelNameStart != 0 else { return start }
        var i = start + 1
        while i < end && table[Int(p[i])] & ByteClass.labelNameContinue != 0 { i += 1 }
        return i
    }

    @inline(__always) func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    @inline(__always) func skipBlanks(_ start: Int, _ end: Int) -> Int {
        var i = start
        // Usually there is none: one comparison (space and tab are the only blanks at or below 0x20 that
        // the loop takes; other control bytes stop it as before).
        guard i < end && p[i] <= 0x20 else { return i }
        while i < end && (p[i] == 0x20 || p[i] == 0x09) { i += 1 }
        return i
    }

    func countCodePoints(_ r: ByteRange) -> Int {
        var n = 0
        for k in r.lowerBound..<r.upperBound where p[k] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    func equals(_ r: ByteRange, _ word: StaticString) -> Bool {
        guard r.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<r.count where p[r.lowerBound + k] != w[k] { return false }
        return true
    }

    func equalsIgnoringCase(_ r: ByteRange, _ word: StaticString) -> Bool {
        guard r.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<r.count where p[r.lowerBound + k] | 0x20 != w[k] | 0x20 { return false }
        return true
    }

    func omType(_ r: ByteRange) -> MetricType? {
        for t in MetricType.allCases where equals(r, t.staticName) { return t }
        return nil
    }

    /// Text TYPE words: exactly these five, lower case, as Prometheus' scrape parser and expfmt take them;
    /// `untyped` is unknown.
    func textType(_ r: ByteRange) -> MetricType? {
        if equals(r, "counter") { return .counter }
        if equals(r, "gauge") { return .gauge }
        if equals(r, "histogram") { return .histogram }
        if equals(r, "summary") { return .summary }
        if equals(r, "untyped") { return .unknown }
        return nil
    }

    /// One of the five words in another case (`GAUGE`).
    func textTypeIgnoringCase(_ r: ByteRange) -> Bool {
        equalsIgnoringCase(r, "counter") || equalsIgnoringCase(r, "gauge") || equalsIgnoringCase(r, "histogram")
            || equalsIgnoringCase(r, "summary") || equalsIgnoringCase(r, "untyped")
    }

    func text(_ r: ByteRange) -> String {
        let limited = r.count > 80 ? ByteRange(r.lowerBound, r.lowerBound + 80) : r
        let s = String(decoding: UnsafeBufferPointer(rebasing: p[limited.lowerBound..<limited.upperBound]), as: UTF8.self)
        return Printable.escape(s) + (r.count > 80 ? "…" : "")
    }

    func describe(_ i: Int) -> String {
        i < p.count ? "'\(describeByte(p[i]))'" : "end of line"
    }

    func describeByte(_ b: UInt8) -> String { Printable.byte(b) }
}

extension MetricType {
    /// The OpenMetrics TYPE word, as a static string for byte comparison.
    var staticName: StaticString {
        switch self {
        case .counter: "counter"
        case .gauge: "gauge"
        case .histogram: "histogram"
        case .gaugehistogram: "gaugehistogram"
        case .summary: "summary"
        case .info: "info"
        case .stateset: "stateset"
        case .unknown: "unknown"
        }
    }
}

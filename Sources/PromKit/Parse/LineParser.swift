/// Parses one line of an exposition into a `ParsedLine`, per the format's grammar.
///
/// One parser serves all three formats; `strict` (OpenMetrics) means exactly one space between tokens, only
/// `# TYPE`/`# HELP`/`# UNIT`/`# EOF` comments, exact keyword case and exemplars; the text format allows
/// blanks and tabs around tokens, free comments and a trailing comma. It works on an unsafe buffer the
/// caller holds for the whole read, and keeps offsets, so no string is made for a well-formed line.
///
/// This file reads lines, metadata, values, timestamps and exemplars; LabelGrammar.swift the label sets, by
/// the grammar alone; TokenReuse.swift the fast path that takes a sample's tokens over from the previous
/// line and falls back to that grammar; LineScanner.swift the byte-level scanning they share.
struct LineParser {
    private(set) var p: UnsafeBufferPointer<UInt8>
    let format: ExpositionFormat
    let strict: Bool
    let table = ByteClass.table
    /// The read-only scanning helpers, in a small struct of their own: calling them never copies the parser.
    private(set) var scan: LineScanner

    var exemplars: [ParsedExemplar] = []
    /// The composite value of the current line (OpenMetrics 2.0), when `ParsedLine.hasComposite`.
    var composite = CompositeValue()
    var exemplarLabels: [Label] = []
    /// A quoted metric name found inside the braces (`{"my.metric", …}`).
    var quotedName = ByteRange.empty
    var quotedNameFlags: Label.Flags = []
    /// The last sample line parsed without error, and the one being parsed (see `SampleTokens`).
    private(set) var previous = SampleTokens()
    private(set) var current = SampleTokens()
    /// The labels of the exemplar being parsed, before they join `exemplarLabels`.
    private let exemplarTokens = SampleTokens()

    /// The labels of the sample line just parsed (its tokens are kept for the next line, so they are the
    /// labels' only copy until the reader takes them): valid until the next line is parsed.
    var sampleLabels: UnsafeBufferPointer<Label> {
        UnsafeBufferPointer(start: previous.labels.base, count: previous.count)
    }
    /// Off only in tests, which check that taking tokens over gives what scanning them gives.
    var reuseTokens = true

    init(_ p: UnsafeBufferPointer<UInt8>, format: ExpositionFormat) {
        self.p = p
        self.format = format
        self.strict = format.isOpenMetrics
        self.scan = LineScanner(p: p, format: format, strict: format.isOpenMetrics)
    }

    /// The input's bytes now read through `bytes` (a reader's window moved; offsets are unchanged).
    mutating func rebase(_ bytes: UnsafeBufferPointer<UInt8>) {
        p = bytes
        scan = LineScanner(p: bytes, format: format, strict: strict)
    }

    /// Ready for another stretch of the same input, keeping the arrays' storage.
    mutating func restart(_ bytes: UnsafeBufferPointer<UInt8>) {
        rebase(bytes)
        exemplars.removeAll(keepingCapacity: true)
        exemplarLabels.removeAll(keepingCapacity: true)
        previous.valid = false
        current.valid = false
    }

    /// The bytes before `offset` can no longer be read: the previous line's tokens are not taken over if
    /// they lie there.
    mutating func forgetPrevious(before offset: Int) {
        if previous.start < offset { previous.valid = false }
    }

    // MARK: - Lines

    /// Parses the line `[start, end)` (line end excluded).
    mutating func parse(_ start: Int, _ end: Int, into line: inout ParsedLine) throws(SyntaxError) {
        line.start = start
        line.timestamp = nil
        line.startTimestamp = nil
        line.hasComposite = false
        line.nameFlags = []
        line.nameShared = false
        line.sharedLabels = 0
        if !exemplars.isEmpty {
            exemplars.removeAll(keepingCapacity: true)
            exemplarLabels.removeAll(keepingCapacity: true)
        }
        var i = start
        if !strict { i = scan.skipBlanks(i, end) }
        if i == end {
            if strict { throw SyntaxError(.blankLine, start, "blank line; OpenMetrics does not allow empty lines") }
            line.kind = .blank
            return
        }
        if strict && scan.isBlank(p[i]) {
            throw SyntaxError(.invalidWhitespace, i, "line starts with whitespace; OpenMetrics allows none here")
        }
        if p[i] == UInt8(ascii: "#") {
            try parseComment(i, end, &line)
        } else {
            try parseSample(i, end, &line)
        }
    }

    // MARK: - Comments and metadata

    private mutating func parseComment(_ hash: Int, _ end: Int, _ line: inout ParsedLine) throws(SyntaxError) {
        var i = hash + 1
        if strict {
            // "# TYPE ", "# HELP ", "# UNIT ", "# EOF" — exact spelling and single spaces.
            guard i < end, p[i] == 0x20 else {
                throw SyntaxError(
                    .invalidComment, hash, "comment lines are not allowed in \(format.displayName); only # TYPE, # HELP, # UNIT and # EOF")
            }
            i += 1
            let wordStart = i
            while i < end && p[i] != 0x20 { i += 1 }
            let word = ByteRange(wordStart, i)
            if word.count > 3 && scan.equals(ByteRange(wordStart, wordStart + 3), "EOF") {
                throw SyntaxError(.invalidComment, wordStart + 3, "\"# EOF\" must be alone on its line")
            }
            if scan.equals(word, "EOF") {
                if i != end { throw SyntaxError(.invalidComment, i, "text after # EOF on the same line") }
                line.kind = .eof
                return
            }
            let kind: ParsedLine.Kind
            if scan.equals(word, "TYPE") {
                kind = .type
            } else if scan.equals(word, "HELP") {
                kind = .help
            } else if scan.equals(word, "UNIT") {
                kind = .unit
            } else {
                if scan.equalsIgnoringCase(word, "TYPE") || scan.equalsIgnoringCase(word, "HELP") || scan.equalsIgnoringCase(word, "UNIT")
                    || scan.equalsIgnoringCase(word, "EOF")
                {
                    throw SyntaxError(
                        .invalidComment, wordStart, "keyword \"\(scan.text(word))\" must be upper case: \(scan.text(word).uppercased())")
                }
                throw SyntaxError(
                    .invalidComment, hash, "comment lines are not allowed in \(format.displayName); only # TYPE, # HELP, # UNIT and # EOF")
            }
            guard i < end else {
                throw SyntaxError(.invalidMetadata, i, "expected a space and a metric name after \(scan.text(word))")
            }
            i += 1  // the space
            i = try parseMetadataName(i, end, &line)
            guard i < end, p[i] == 0x20 else {
                if kind == .type || i < end {
                    throw SyntaxError(
                        .invalidMetadata, i,
                        i < end
                            ? "expected a single space after the metric name"
                            : "expected a space and a \(kind == .type ? "type" : kind == .help ? "help text" : "unit") after the metric name"
                    )
                }
                throw SyntaxError(
                    .invalidMetadata, i,
                    "expected a space after the metric name (the \(kind == .help ? "help text" : "unit") may be empty, the space may not)")
            }
            i += 1
            line.kind = kind
            switch kind {
            case .type:
                let t = ByteRange(i, end)
                guard let type = scan.omType(t) else {
                    throw SyntaxError(
                        .unknownType, i,
                        "unknown metric type \"\(scan.text(t))\"; expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown"
                    )
                }
                line.type = type
            case .help:
                try scan.checkEscapes(i, end, what: "help text")
                line.text = ByteRange(i, end)
            default:
                var k = i
                while k < end {
                    if table[Int(p[k])] & ByteClass.metricNameContinue == 0 {
                        throw SyntaxError(.invalidMetadata, k, "invalid character in unit; a unit may hold only [a-zA-Z0-9_:]")
                    }
                    k += 1
                }
                line.text = ByteRange(i, end)
            }
            return
        }
        // Text format: "#" blanks* ("HELP" | "TYPE") blanks+ ...; any other comment is ignored.
        i = scan.skipBlanks(i, end)
        let wordStart = i
        while i < end && !scan.isBlank(p[i]) { i += 1 }
        let word = ByteRange(wordStart, i)
        let isHelp = scan.equals(word, "HELP")
        guard isHelp || scan.equals(word, "TYPE") else {
            line.kind = .comment
            return
        }
        i = scan.skipBlanks(i, end)
        if i == end {
            // "# HELP" with nothing after: the reference parser ignores it.
            line.kind = .comment
            return
        }
        i = try parseMetadataName(i, end, &line)
        if i < end && !scan.isBlank(p[i]) {
            throw SyntaxError(.invalidMetricName, line.name.lowerBound, "invalid metric name in \(isHelp ? "HELP" : "TYPE") line")
        }
        let typeStart = i
        i = scan.skipBlanks(i, end)
        if isHelp {
            line.kind = .help
            line.helpEscape = scan.textHelpEscape(i, end)
            line.text = ByteRange(i, end)
            return
        }
        line.kind = .type
        // Prometheus' scrape parser takes the rest of the line after one blank as the type, and knows exactly
        // these five words: no other case, no other blanks, none missing.
        let t = ByteRange(i, end)
        if t.isEmpty {
            throw SyntaxError(.unknownType, i, "TYPE line without a type; expected counter, gauge, histogram, summary or untyped")
        }
        guard let type = scan.textType(t) else {
            var wordEnd = end
            while wordEnd > i && scan.isBlank(p[wordEnd - 1]) { wordEnd -= 1 }
            let word = ByteRange(i, wordEnd)
            if wordEnd < end, scan.textType(word) != nil {
                throw SyntaxError(
                    .unknownType, wordEnd,
                    "blank after the type \"\(scan.text(word))\": Prometheus reads the type with it and fails the scrape; end the line after the type"
                )
            }
            if scan.textTypeIgnoringCase(word) {
                throw SyntaxError(.unknownType, i, "metric type \"\(scan.text(word))\" must be lower case: \(scan.text(word).lowercased())")
            }
            let omOnly = scan.omType(word).map { $0 != .unknown } ?? false
            throw SyntaxError(
                .unknownType, i,
                "unknown metric type \"\(scan.text(word))\"\(omOnly ? " (an OpenMetrics type; the text format has no such type)" : ""); expected counter, gauge, histogram, summary or untyped"
            )
        }
        if i - typeStart > 1 {
            throw SyntaxError(
                .unknownType, typeStart,
                "more than one blank before the type: Prometheus reads the type with the blanks and fails the scrape; put one space between the name and the type"
            )
        }
        line.type = type
    }

    /// A metric name in a metadata line: legacy, or quoted (UTF-8 names).
    private mutating func parseMetadataName(_ start: Int, _ end: Int, _ line: inout ParsedLine) throws(SyntaxError) -> Int {
        if start < end && p[start] == UInt8(ascii: "\"") {
            let (range, escaped, after) = try scan.scanQuoted(start, end, what: "metric name")
            if range.isEmpty { throw SyntaxError(.invalidMetricName, start, "quoted metric name is empty") }
            line.name = range
            line.nameFlags = escaped != 0 ? [.nameQuoted, .nameEscaped] : [.nameQuoted]
            return after
        }
        let nameEnd = scan.scanMetricName(start, end)
        if nameEnd == start {
            throw SyntaxError(
                .invalidMetricName, start,
                start < end
                    ? "invalid metric name: expected [a-zA-Z_:] or a quoted name, found \(scan.describe(start))" : "expected a metric name")
        }
        line.name = ByteRange(start, nameEnd)
        return nameEnd
    }

    // MARK: - Samples

    private mutating func parseSample(_ start: Int, _ end: Int, _ line: inout ParsedLine) throws(SyntaxError) {
        line.kind = .sample
        var i = start
        var hasName = false
        // The bytes this line shares with the previous good sample line, and where its tokens move to.
        let shared = sharedWithPrevious(line.start, end)
        let delta = line.start - previous.start
        current.reset(start: line.start, end: end)
        if p[i] != UInt8(ascii: "{") {
            // The name and the byte that ended its scan shared: the same name, without scanning it.
            let nameShared = previous.nameEnd - previous.start < shared
            let nameEnd = nameShared ? previous.nameEnd + delta : scan.scanMetricName(i, end)
            line.nameShared = nameShared
            current.nameEnd = nameEnd
            if nameEnd == i {
                throw SyntaxError(.invalidMetricName, i, "invalid metric name: expected [a-zA-Z_:] or '{', found \(scan.describe(i))")
            }
            line.name = ByteRange(i, nameEnd)
            hasName = true
            i = nameEnd
            if !strict {
                let afterBlanks = scan.skipBlanks(i, end)
                if afterBlanks < end && p[afterBlanks] == UInt8(ascii: "{") { i = afterBlanks }
            }
        }
        if i < end && p[i] == UInt8(ascii: "{") {
            quotedName = .empty
            i = try parseSampleLabels(i, end, allowName: !hasName, shared: shared, delta: delta, line: &line)
            if !hasName {
                line.name = quotedName
                line.nameFlags = quotedNameFlags
            }
            if line.name.isEmpty && !hasName {
                throw SyntaxError(
                    .invalidMetricName, start, "no metric name: a sample needs a name before '{' or a quoted name inside the braces")
            }
        } else if !hasName {
            throw SyntaxError(.invalidMetricName, i, "expected a metric name")
        } else {
            // No labels, as the previous line had none.
            line.sameLabelNames = mayReuse && previous.count == 0
        }
        // The value.
        if strict {
            guard i < end, p[i] == 0x20 else {
                throw SyntaxError(
                    i < end ? .invalidMetricName : .invalidValue, i,
                    i < end ? "unexpected \(scan.describe(i)) after the metric name; expected a space and a value" : "missing value")
            }
            i += 1
            if i < end && p[i] == 0x20 { throw SyntaxError(.invalidWhitespace, i, "more than one space before the value") }
        } else {
            let afterBlanks = scan.skipBlanks(i, end)
            if afterBlanks == i && i < end && p[i - 1] != UInt8(ascii: "}") {
                throw SyntaxError(.invalidMetricName, i, "unexpected \(scan.describe(i)) in metric name")
            }
            i = afterBlanks
        }
        if i == end { throw SyntaxError(.invalidValue, i, "missing value") }
        let valueStart = i
        if format == .openMetrics2 && p[i] == UInt8(ascii: "{") {
            composite = CompositeValue()
            i = try CompositeValueParser(p: p).parse(i, end, into: &composite)
            line.hasComposite = true
            line.value = composite.count ?? .nan
        } else if let (v, stop) = NumberSyntax.scanDecimal(p, valueStart, end), stop == end || scan.isBlank(p[stop]) {
            // The common case, parsed in the same pass that finds the value's end.
            if v.isInfinite { throw overflow(valueStart, stop, what: "value") }
            line.value = v
            i = stop
        } else {
            while i < end && !scan.isBlank(p[i]) { i += 1 }
            guard let v = NumberSyntax.parseFloat(p, valueStart, i) else {
                throw SyntaxError(
                    .invalidValue, valueStart,
                    "invalid value \"\(scan.text(ByteRange(valueStart, i)))\": expected a number, +Inf, -Inf or NaN")
            }
            if NumberSyntax.overflows(v, p, valueStart, i) { throw overflow(valueStart, i, what: "value") }
            line.value = v
        }
        line.valueRange = ByteRange(valueStart, i)
        if strict {
            try parseOpenMetricsTail(i, end, &line)
        } else {
            try parseTextTail(i, end, &line)
        }
        // A good line with a plain name: the next line may take over its tokens.
        current.valid = hasName && quotedName.isEmpty
        swap(&current, &previous)
    }

    /// A decimal too large for a float64: Prometheus' scrape parser fails on it (strconv.ParseFloat's range
    /// error), and OpenMetrics numbers are float64s.
    private func overflow(_ start: Int, _ end: Int, what: String) -> SyntaxError {
        SyntaxError(
            what == "value" ? .invalidValue : .invalidExemplar, start,
            "\(what) \"\(scan.text(ByteRange(start, end)))\" is beyond the range of a float64 (Prometheus fails the scrape); write +Inf or a smaller number"
        )
    }

    /// A text timestamp in seconds, rounded once: the same double as its decimal in seconds reads as (what
    /// OpenMetrics writes for it). Past 2^53 ms, `Double(ms)` would round first (found by fuzzing).
    @inline(__always) static func seconds(milliseconds ms: Int64) -> Double {
        if ms.magnitude < 1 << 53 { return Double(ms) / 1000 }
        let digits = Array("\(ms / 1000).\(String(String(ms.magnitude % 1000 + 1000).dropFirst()))".utf8)
        return digits.withUnsafeBufferPointer { NumberSyntax.parseDecimal($0, 0, $0.count) } ?? Double(ms) / 1000
    }

    /// Text format: `[blanks timestamp] blanks*`.
    @inline(__always) private mutating func parseTextTail(_ start: Int, _ end: Int, _ line: inout ParsedLine) throws(SyntaxError) {
        var i = scan.skipBlanks(start, end)
        if i == end { return }
        let tsStart = i
        while i < end && !scan.isBlank(p[i]) { i += 1 }
        guard let ms = NumberSyntax.parseInt64(p, tsStart, i) else {
            let t = scan.text(ByteRange(tsStart, i))
            if p[tsStart] == UInt8(ascii: "#") {
                throw SyntaxError(
                    .invalidTimestamp, tsStart, "exemplars are not part of the text format; expected an integer timestamp in milliseconds")
            }
            throw SyntaxError(.invalidTimestamp, tsStart, "invalid timestamp \"\(t)\": expected an integer number of milliseconds")
        }
        line.timestamp = Timestamp(seconds: Self.seconds(milliseconds: ms), range: ByteRange(tsStart, i))
        i = scan.skipBlanks(i, end)
        if i != end {
            throw SyntaxError(.unexpectedText, i, "unexpected text after the timestamp: \"\(scan.text(ByteRange(i, end)))\"")
        }
    }

    /// OpenMetrics: `[SP timestamp] [SP st@timestamp] *(SP # SP exemplar)`.
    private mutating func parseOpenMetricsTail(_ start: Int, _ end: Int, _ line: inout ParsedLine) throws(SyntaxError) {
        var i = start
        var stage = 0  // 0: timestamp allowed, 1: start timestamp allowed, 2: exemplars only
        while i < end {
            guard p[i] == 0x20 else { throw SyntaxError(.invalidValue, i, "unexpected \(scan.describe(i)) after the value") }
            i += 1
            if i == end { throw SyntaxError(.invalidWhitespace, i - 1, "trailing space at end of line") }
            if p[i] == 0x20 { throw SyntaxError(.invalidWhitespace, i, "more than one space between tokens") }
            if p[i] == UInt8(ascii: "#") {
                if format == .openMetrics && !exemplars.isEmpty {
                    throw SyntaxError(.invalidExemplar, i, "more than one exemplar on a sample; OpenMetrics 1.0 allows one")
                }
                i = try parseExemplar(i, end)
                stage = 2
                continue
            }
            let tokenStart = i
            while i < end && p[i] != 0x20 { i += 1 }
            let token = ByteRange(tokenStart, i)
            if format == .openMetrics2 && stage <= 1 && token.count >= 3 && p[tokenStart] == UInt8(ascii: "s")
                && p[tokenStart + 1] == UInt8(ascii: "t") && p[tokenStart + 2] == UInt8(ascii: "@")
            {
                line.startTimestamp = try parseTimestampSeconds(tokenStart + 3, i, what: "start timestamp")
                stage = 2
                continue
            }
            if stage == 0 {
                line.timestamp = try parseTimestampSeconds(tokenStart, i, what: "timestamp")
                stage = 1
                continue
            }
            throw SyntaxError(
                stage == 2 && !exemplars.isEmpty ? .invalidExemplar : .unexpectedText, tokenStart,
                "unexpected \"\(scan.text(token))\"; expected \(format == .openMetrics2 ? "st@<timestamp> or " : "")an exemplar (\" # {labels} value\")"
            )
        }
    }

    /// A timestamp in seconds: a real number, no NaN or infinity.
    private func parseTimestampSeconds(_ start: Int, _ end: Int, what: String) throws(SyntaxError) -> Timestamp {
        guard start < end, let v = NumberSyntax.parseDecimal(p, start, end), v.isFinite else {
            throw SyntaxError(
                .invalidTimestamp, start, "invalid \(what) \"\(scan.text(ByteRange(start, end)))\": expected a number of seconds")
        }
        return Timestamp(seconds: v, range: ByteRange(start, end))
    }

    /// ` # {labels} value [timestamp]`, starting at the `#`.
    private mutating func parseExemplar(_ hash: Int, _ end: Int) throws(SyntaxError) -> Int {
        var i = hash + 1
        guard i < end, p[i] == 0x20 else { throw SyntaxError(.invalidExemplar, i, "expected a space after '#' of an exemplar") }
        i += 1
        guard i < end, p[i] == UInt8(ascii: "{") else {
            throw SyntaxError(.invalidExemplar, i, "expected '{' to start the exemplar's labels")
        }
        let open = i
        exemplarTokens.reset(start: open, end: end)
        i = try parseLabelItems(from: open + 1, end, items: 0, allowName: false, exemplar: true, into: exemplarTokens)
        let labels = exemplarTokens.labelList
        try scan.checkLabelNames(0, labels)
        var codePoints = 0
        for label in labels { codePoints += scan.countCodePoints(label.name) + scan.countCodePoints(label.value) }
        if format == .openMetrics && codePoints > 128 {
            throw SyntaxError(.exemplarTooLong, open, "exemplar labels are \(codePoints) characters long; OpenMetrics 1.0 allows 128")
        }
        let labelsStart = exemplarLabels.count
        exemplarLabels.append(contentsOf: labels)
        guard i < end, p[i] == 0x20 else {
            throw SyntaxError(.invalidExemplar, i, "expected a space and a value after the exemplar's labels")
        }
        i += 1
        let vStart = i
        while i < end && p[i] != 0x20 { i += 1 }
        guard let v = NumberSyntax.parseFloat(p, vStart, i) else {
            throw SyntaxError(.invalidExemplar, vStart, "invalid exemplar value \"\(scan.text(ByteRange(vStart, i)))\"")
        }
        if NumberSyntax.overflows(v, p, vStart, i) { throw overflow(vStart, i, what: "exemplar value") }
        let valueRange = ByteRange(vStart, i)
        var ts: Timestamp?
        if i + 1 < end && p[i] == 0x20 && p[i + 1] != UInt8(ascii: "#") {
            let tStart = i + 1
            var k = tStart
            while k < end && p[k] != 0x20 { k += 1 }
            guard let t = NumberSyntax.parseDecimal(p, tStart, k), t.isFinite else {
                throw SyntaxError(.invalidExemplar, tStart, "invalid exemplar timestamp \"\(scan.text(ByteRange(tStart, k)))\"")
            }
            ts = Timestamp(seconds: t, range: ByteRange(tStart, k))
            i = k
        }
        if format == .openMetrics2 && ts == nil {
            throw SyntaxError(.invalidExemplar, i, "exemplar without a timestamp; OpenMetrics 2.0 requires one")
        }
        exemplars.append(
            ParsedExemplar(
                offset: hash, labels: labelsStart..<exemplarLabels.count, value: v,
                valueRange: valueRange, timestamp: ts))
        return i
    }
}

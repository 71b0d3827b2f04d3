/// Parses one line of an exposition into a `ParsedLine`, per the format's grammar.
///
/// One parser serves all three formats; `strict` (OpenMetrics) means exactly one space between tokens, only
/// `# TYPE`/`# HELP`/`# UNIT`/`# EOF` comments, exact keyword case and exemplars; the text format allows
/// blanks and tabs around tokens, free comments and a trailing comma. It works on an unsafe buffer the
/// caller holds for the whole read, and keeps offsets, so no string is made for a well-formed line.
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
    private var quotedName = ByteRange.empty
    private var quotedNameFlags: Label.Flags = []
    /// The last sample line parsed without error, and the one being parsed (see `SampleTokens`).
    private var previous = SampleTokens()
    private var current = SampleTokens()

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
        let shared = previous.valid && reuseTokens ? scan.sharedPrefix(previous.start, previous.end, line.start, end) : 0
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
            i = try parseLabels(
                i, end, allowName: !hasName, exemplar: false, shared: shared, delta: delta,
                reused: &line.sharedLabels, sameNames: &line.sameLabelNames)
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
            line.sameLabelNames = previous.valid && reuseTokens && previous.count == 0
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
        line.timestamp = Timestamp(seconds: Double(ms) / 1000, range: ByteRange(tsStart, i))
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
        let labelsStart = exemplarLabels.count
        var none = 0, noNames = false
        i = try parseLabels(i, end, allowName: false, exemplar: true, reused: &none, sameNames: &noNames)
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

    // MARK: - Labels

    /// `{ label, … }` from the `{`; returns the offset after `}`. With `allowName`, a quoted string without
    /// `=` is the metric name (UTF-8 names). A sample's labels go to `current` (`reused`: how many were taken
    /// over from the previous line; `sameNames`: all names are the previous line's, in order), an exemplar's
    /// to `exemplarLabels`.
    private mutating func parseLabels(
        _ open: Int, _ end: Int, allowName: Bool, exemplar: Bool,
        shared: Int = 0, delta: Int = 0, reused: inout Int, sameNames: inout Bool
    ) throws(SyntaxError) -> Int {
        var i = open + 1
        let firstExemplarLabel = exemplarLabels.count
        var items = 0
        var closed = false
        reused = 0
        sameNames = false
        // Labels of the previous line that lie, with the byte after their separator, in the shared bytes.
        if !exemplar && shared > 0 {
            let prevStart = previous.start
            for k in 0..<previous.count {
                let after = previous.after[k]
                let resume = after < 0 ? -after : after
                guard resume - prevStart < shared else { break }
                let l = previous.labels[k]
                let label = Label(
                    name: ByteRange(Int(l.name.start) + delta, Int(l.name.end) + delta),
                    value: ByteRange(Int(l.value.start) + delta, Int(l.value.end) + delta), flags: l.flags)
                current.add(label, after: after < 0 ? -(resume + delta) : resume + delta)
                items += 1
                reused += 1
                i = resume + delta
                if after < 0 {
                    closed = true
                    break
                }
            }
        }
        // Past the shared bytes, the names usually still follow the previous line's, position by position: the
        // name there is compared rather than scanned, and a line whose names are all the previous line's (which
        // was checked) needs no duplicate check.
        let predicted = !exemplar && previous.valid && reuseTokens ? previous.count : 0
        var namesAsBefore = predicted > 0
        while !closed {
            if !strict { i = scan.skipBlanks(i, end) }
            guard i < end else { throw SyntaxError(.invalidLabels, i, "missing '}' at end of labels") }
            if p[i] == UInt8(ascii: "}") {
                if strict && items > 0 { throw SyntaxError(.invalidLabels, i - 1, "trailing comma before '}'") }
                i += 1
                break
            }
            // A label name, or a quoted metric name.
            var nameRange: ByteRange
            var flags: Label.Flags = []
            if p[i] == UInt8(ascii: "\"") {
                let (r, escaped, after) = try scan.scanQuoted(i, end, what: "label name")
                nameRange = r
                flags = escaped != 0 ? [.nameQuoted, .nameEscaped] : [.nameQuoted]
                if escaped == 2 { flags.insert(.oddEscape) }
                var k = after
                if !strict { k = scan.skipBlanks(k, end) }
                if k < end && p[k] != UInt8(ascii: "=") {
                    // A quoted metric name: {"my.metric", ...}
                    guard allowName else {
                        throw SyntaxError(
                            .invalidLabels, k,
                            exemplar
                                ? "expected '=' after label name in exemplar labels"
                                : "expected '=' after label name \"\(scan.text(r))\" (a quoted metric name cannot follow a metric name)")
                    }
                    if !quotedName.isEmpty {
                        throw SyntaxError(.invalidMetricName, i, "a second metric name in the braces")
                    }
                    if strict && items > 0 {
                        throw SyntaxError(.invalidMetricName, i, "a quoted metric name must be the first item in the braces")
                    }
                    if r.isEmpty { throw SyntaxError(.invalidMetricName, i, "quoted metric name is empty") }
                    quotedName = r
                    quotedNameFlags = flags
                    i = try scan.afterLabel(k, end, &items)
                    if i < 0 { i = -i; break }
                    continue
                }
                if r.isEmpty { throw SyntaxError(.invalidLabelName, i, "quoted label name is empty") }
                namesAsBefore = false
                i = k
            } else {
                var nameEnd = i
                // (`predicted` is 0 for an exemplar's labels.)
                if current.count < predicted, let n = scan.sameName(previous.labels[current.count], at: i, end) {
                    nameEnd = i &+ n
                } else {
                    nameEnd = scan.scanLabelName(i, end)
                    namesAsBefore = false
                }
                if nameEnd == i {
                    throw SyntaxError(
                        .invalidLabelName, i, "invalid label name: expected [a-zA-Z_] or a quoted name, found \(scan.describe(i))")
                }
                nameRange = ByteRange(i, nameEnd)
                i = nameEnd
                if !strict { i = scan.skipBlanks(i, end) }
            }
            guard i < end, p[i] == UInt8(ascii: "=") else {
                if i < end, table[Int(p[i])] & ByteClass.metricNameContinue != 0 || p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: "-") {
                    throw SyntaxError(
                        .invalidLabelName, i,
                        "invalid character \(scan.describe(i)) in label name \"\(scan.text(ByteRange(nameRange.lowerBound, i)))\"; quote names outside [a-zA-Z0-9_]"
                    )
                }
                throw SyntaxError(.invalidLabels, i, "expected '=' after label name \"\(scan.text(nameRange))\", found \(scan.describe(i))")
            }
            i += 1
            if !strict { i = scan.skipBlanks(i, end) }
            guard i < end, p[i] == UInt8(ascii: "\"") else {
                throw SyntaxError(
                    .invalidLabels, i, "expected '\"' to start the value of label \"\(scan.text(nameRange))\", found \(scan.describe(i))")
            }
            let (valueRange, escaped, after) = try scan.scanQuoted(i, end, what: "label value")
            if escaped != 0 { flags.insert(.valueEscaped) }
            if escaped == 2 { flags.insert(.oddEscape) }
            let label = Label(name: nameRange, value: valueRange, flags: flags)
            i = try scan.afterLabel(after, end, &items)
            if exemplar {
                exemplarLabels.append(label)
            } else {
                current.add(label, after: i)
            }
            if i < 0 { i = -i; break }
        }
        if exemplar {
            try exemplarLabels.withUnsafeBufferPointer { list throws(SyntaxError) in
                try scan.checkLabelNames(firstExemplarLabel, list)
            }
            var codePoints = 0
            for k in firstExemplarLabel..<exemplarLabels.count {
                codePoints += scan.countCodePoints(exemplarLabels[k].name) + scan.countCodePoints(exemplarLabels[k].value)
            }
            if format == .openMetrics && codePoints > 128 {
                throw SyntaxError(.exemplarTooLong, open, "exemplar labels are \(codePoints) characters long; OpenMetrics 1.0 allows 128")
            }
        } else if namesAsBefore && current.count == predicted {
            sameNames = true
        } else {
            try scan.checkLabelNames(0, UnsafeBufferPointer(start: current.labels.base, count: current.count), known: reused)
        }
        return i
    }
}

/// Scanning helpers of `LineParser` that only read: names, quoted strings, separators, messages.
struct LineScanner {
    let p: UnsafeBufferPointer<UInt8>
    let format: ExpositionFormat
    let strict: Bool
    let table = ByteClass.table

    /// After a label: `,` (then more) or `}`. Returns the next offset, negated when the braces closed.
    @inline(__always) func afterLabel(_ start: Int, _ end: Int, _ items: inout Int) throws(SyntaxError) -> Int {
        var i = start
        if !strict { i = skipBlanks(i, end) }
        items += 1
        guard i < end else { throw SyntaxError(.invalidLabels, i, "missing '}' at end of labels") }
        if p[i] == UInt8(ascii: ",") {
            i += 1
            if strict && i < end && p[i] == 0x20 { throw SyntaxError(.invalidWhitespace, i, "space after ','; OpenMetrics allows none") }
            if i < end && p[i] == UInt8(ascii: ",") { throw SyntaxError(.invalidLabels, i, "two commas in a row") }
            return i
        }
        if p[i] == UInt8(ascii: "}") { return -(i + 1) }
        throw SyntaxError(.invalidLabels, i, "expected ',' or '}' after a label, found \(describe(i))")
    }

    /// Label names on one series must be unique; `__name__` is not a label. The first `known` labels were
    /// taken over from a line where they passed, so their own checks and the pairs among them are skipped:
    /// for a histogram bucket that leaves its `le` against the others.
    func checkLabelNames(_ first: Int, _ list: UnsafeBufferPointer<Label>, known: Int = 0) throws(SyntaxError) {
        let n = list.count - first
        if n <= 16 {
            // Pairs in the order a, then b > a (the first duplicate reported is the same whatever was known).
            let fresh = first + known
            var a = first
            while a < list.count {
                if a >= fresh { try checkReserved(list[a]) }
                var b = max(a + 1, fresh)
                while b < list.count {
                    if bytesEqual(p, list[a].name, list[b].name) {
                        throw SyntaxError(.duplicateLabelName, Int(list[b].name.start), "duplicate label name \"\(text(list[b].name))\"")
                    }
                    b += 1
                }
                a += 1
            }
            return
        }
        // Many labels: hash by content (a million labels must not take a million squared steps).
        var seen = [ContentKey: Int](minimumCapacity: n)
        for a in first..<list.count {
            try checkReserved(list[a])
            let key = ContentKey(p: p, range: list[a].name)
            if seen.updateValue(a, forKey: key) != nil {
                throw SyntaxError(.duplicateLabelName, Int(list[a].name.start), "duplicate label name \"\(text(list[a].name))\"")
            }
        }
    }

    @inline(__always)
    func checkReserved(_ label: Label) throws(SyntaxError) {
        if label.name.count == 8 && equals(label.name, "__name__") {
            throw SyntaxError(
                .reservedLabelName, Int(label.name.start),
                "label name \"__name__\" is reserved; the metric name goes before the braces or quoted inside them")
        }
        // OpenMetrics: "Label names beginning with underscores are RESERVED and MUST NOT be used unless
        // specified by this standard" (2.0 lets such labels stand in for TYPE and UNIT: __type__, __unit__).
        if strict && p[label.name.lowerBound] == UInt8(ascii: "_")
            && !(format == .openMetrics2 && (equals(label.name, "__type__") || equals(label.name, "__unit__")))
        {
            throw SyntaxError(
                .reservedLabelName, Int(label.name.start),
                "label name \"\(text(label.name))\" begins with '_', which OpenMetrics reserves; rename it")
        }
    }

    // MARK: - Scanning helpers

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

    /// How many bytes the lines starting at `a` and `b` have in common, eight at a time.
    @inline(__always) func sharedPrefix(_ a: Int, _ aEnd: Int, _ b: Int, _ bEnd: Int) -> Int {
        // Offsets within one input (under 2 GiB): the sums cannot overflow, so they are not checked.
        let n = min(aEnd &- a, bEnd &- b)
        let x0 = UnsafeRawPointer(p.baseAddress! + a), y0 = UnsafeRawPointer(p.baseAddress! + b)
        var k = 0
        while k &+ 8 <= n {
            let x = x0.loadUnaligned(fromByteOffset: k, as: UInt64.self) ^ y0.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            if x != 0 { return k &+ x.littleEndian.trailingZeroBitCount &>> 3 }
            k &+= 8
        }
        while k < n && x0.load(fromByteOffset: k, as: UInt8.self) == y0.load(fromByteOffset: k, as: UInt8.self) { k &+= 1 }
        return k
    }

    @inline(__always) func scanMetricName(_ start: Int, _ end: Int) -> Int {
        guard start < end, table[Int(p[start])] & ByteClass.metricNameStart != 0 else { return start }
        var i = start + 1
        while i < end && table[Int(p[i])] & ByteClass.metricNameContinue != 0 { i += 1 }
        return i
    }

    /// The length of `label`'s name (a legacy name of an earlier line) when the bytes at `i` are that name and
    /// the byte that ended its scan there: what `scanLabelName` would find at `i`, without scanning; nil when
    /// they are not. Short names (nearly all) take one masked word compare.
    @inline(__always) func sameName(_ label: Label, at i: Int, _ end: Int) -> Int? {
        let a = Int(label.name.start), n = Int(label.name.end) &- a
        guard !label.flags.contains(.nameQuoted), i &+ n < end else { return nil }
        let base = p.baseAddress!
        if n < 8 && i &+ 8 <= p.count {
            let x = UnsafeRawPointer(base + a).loadUnaligned(as: UInt64.self) ^ UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            return x & (UInt64.max >> (56 &- 8 &* UInt64(truncatingIfNeeded: n))) == 0 ? n : nil
        }
        return memcmpBytes(base + a, base + i, n &+ 1) ? n : nil
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

/// The tokens of one sample line, kept for the next line. Consecutive lines share long prefixes (a
/// histogram's buckets differ only in `le` and the value; a family's series often in one label), and a token
/// that lies, with the byte that ended its scan, wholly inside the bytes both lines share parses the same in
/// both: it is taken over, shifted, after comparing the bytes eight at a time instead of scanning them.
///
/// A class over plain buffers: written for every label of every line, so no copy-on-write checks.
final class SampleTokens {
    var valid = false
    var start = 0
    var end = 0
    /// Where the metric name ended (absolute; the scan stopped at this byte).
    var nameEnd = Int.max / 2
    private(set) var count = 0
    /// (Used by one parser on one thread: its accesses skip the runtime's exclusivity bookkeeping, a look-up
    /// in a per-thread access set for every label of every line.)
    @exclusivity(unchecked) private(set) var labels = ScratchBuffer<Label>(capacity: 16)
    /// Where parsing went on after each label: past its `,`, or negated past its `}`.
    @exclusivity(unchecked) private(set) var after = ScratchBuffer<Int>(capacity: 16)

    func reset(start: Int, end: Int) {
        valid = false
        self.start = start
        self.end = end
        nameEnd = Int.max / 2
        count = 0
    }

    @inline(__always)
    func add(_ label: Label, after position: Int) {
        if count == labels.capacity {
            labels.reserve(count + 1, keeping: count)
            after.reserve(count + 1, keeping: count)
        }
        labels[count] = label
        after[count] = position
        count += 1
    }
}

/// The label set of a sample or an exemplar, `{` … `}`, by each format's grammar and nothing else: no token
/// is taken over from another line here (that is the fast path's, in TokenReuse.swift, which falls back to
/// this). The grammars, as the specs write them (`../shared/specs`, `../shared/research/formats-and-promlint.md`):
///
///     text 0.0.4       series = name [ WS* "{" [ labels ] "}" ] | "{" qname [ "," labels ] "}"
///                      labels = label { "," label } [ "," ]          ; WS allowed around every token
///                      label  = lname WS* "=" WS* DQ escaped DQ
///                      lname  = [a-zA-Z_][a-zA-Z0-9_]* | DQ escaped DQ
///     OpenMetrics 1.0  labels = "{" [label *(COMMA label)] "}"
///                      label  = label-name EQ DQUOTE escaped-string DQUOTE
///     OpenMetrics 2.0  labels-in-braces = "{" [label *(COMMA label)] "}"
///                      name-and-labels-in-braces = "{" metricname-utf8 *(COMMA label) "}"
///                      label = label-key "=" DQUOTE escaped-string DQUOTE
///                      label-key = label-name / DQUOTE escaped-string-non-empty DQUOTE
///
/// So the text format allows blanks and tabs around every token and a trailing comma; OpenMetrics allows no
/// blank and no trailing comma (`strict`). Every format reads a quoted label name, and a quoted metric name
/// among a sample's labels (first, in OpenMetrics).
extension LineParser {
    /// The items of a label set from `start` (just past the `{`, or past the separator after the `items`
    /// items read before) through the `}`; returns the offset after the `}`. Labels go to `list`. With
    /// `allowName` (a sample without a name before the braces), a quoted string without `=` is the metric
    /// name: it goes to `quotedName`.
    mutating func parseLabelItems(
        from start: Int, _ end: Int, items itemsBefore: Int, allowName: Bool, exemplar: Bool, into list: SampleTokens
    ) throws(SyntaxError) -> Int {
        var i = start
        var items = itemsBefore
        while true {
            if !strict { i = scan.skipBlanks(i, end) }
            guard i < end else { throw SyntaxError(.invalidLabels, i, "missing '}' at end of labels") }
            if p[i] == UInt8(ascii: "}") {
                if strict && items > 0 { throw SyntaxError(.invalidLabels, i - 1, "trailing comma before '}'") }
                return i + 1
            }
            let next: LabelEnd
            if p[i] == UInt8(ascii: "\"") {
                let (r, escaped, after) = try scan.scanQuoted(i, end, what: "label name")
                var flags: Label.Flags = escaped != 0 ? [.nameQuoted, .nameEscaped] : [.nameQuoted]
                if escaped == 2 { flags.insert(.oddEscape) }
                let k = strict ? after : scan.skipBlanks(after, end)
                if k < end && p[k] != UInt8(ascii: "=") {
                    next = try quotedMetricName(r, flags, at: i, then: k, end, items: items, allowName: allowName, exemplar: exemplar)
                } else {
                    if r.isEmpty { throw SyntaxError(.invalidLabelName, i, "quoted label name is empty") }
                    next = try scan.labelValue(of: r, flags, from: k, end, into: list)
                }
            } else {
                let nameEnd = scan.scanLabelName(i, end)
                if nameEnd == i {
                    throw SyntaxError(
                        .invalidLabelName, i, "invalid label name: expected [a-zA-Z_] or a quoted name, found \(scan.describe(i))")
                }
                next = try scan.labelValue(of: ByteRange(i, nameEnd), [], from: nameEnd, end, into: list)
            }
            items += 1
            if next.closed { return next.offset }
            i = next.offset
        }
    }

    /// A quoted string at `open` followed by no `=` (at `separator`): the sample's metric name inside the
    /// braces (OpenMetrics 2.0 `metricname-utf8`, the text format's `qname`), then its separator.
    private mutating func quotedMetricName(
        _ name: ByteRange, _ flags: Label.Flags, at open: Int, then separator: Int, _ end: Int,
        items: Int, allowName: Bool, exemplar: Bool
    ) throws(SyntaxError) -> LabelEnd {
        guard allowName else {
            throw SyntaxError(
                .invalidLabels, separator,
                exemplar
                    ? "expected '=' after label name in exemplar labels"
                    : "expected '=' after label name \"\(scan.text(name))\" (a quoted metric name cannot follow a metric name)")
        }
        if !quotedName.isEmpty { throw SyntaxError(.invalidMetricName, open, "a second metric name in the braces") }
        if strict && items > 0 {
            throw SyntaxError(.invalidMetricName, open, "a quoted metric name must be the first item in the braces")
        }
        if name.isEmpty { throw SyntaxError(.invalidMetricName, open, "quoted metric name is empty") }
        quotedName = name
        quotedNameFlags = flags
        return try scan.labelSeparator(separator, end)
    }
}

/// Where parsing goes on after an item of a label set: past its `,`, or past the `}` that closed the set.
struct LabelEnd {
    let offset: Int
    let closed: Bool
}

extension LineScanner {
    /// A label after its name (which ended at `start`): `"=" DQUOTE escaped-string DQUOTE` (blanks around the
    /// `=` in the text format), then its separator. The label goes to `list`. (The scanner's, not the parser's:
    /// a parser's method called from a mutating one copied the whole parser for every label.)
    @inline(__always)
    func labelValue(of name: ByteRange, _ nameFlags: Label.Flags, from start: Int, _ end: Int, into list: SampleTokens)
        throws(SyntaxError) -> LabelEnd
    {
        var i = strict ? start : skipBlanks(start, end)
        guard i < end, p[i] == UInt8(ascii: "=") else {
            if i < end, table[Int(p[i])] & ByteClass.metricNameContinue != 0 || p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: "-") {
                throw SyntaxError(
                    .invalidLabelName, i,
                    "invalid character \(describe(i)) in label name \"\(text(ByteRange(name.lowerBound, i)))\"; quote names outside [a-zA-Z0-9_]"
                )
            }
            throw SyntaxError(.invalidLabels, i, "expected '=' after label name \"\(text(name))\", found \(describe(i))")
        }
        i += 1
        if !strict { i = skipBlanks(i, end) }
        guard i < end, p[i] == UInt8(ascii: "\"") else {
            throw SyntaxError(
                .invalidLabels, i, "expected '\"' to start the value of label \"\(text(name))\", found \(describe(i))")
        }
        let (valueRange, escaped, after) = try scanQuoted(i, end, what: "label value")
        var flags = nameFlags
        if escaped != 0 { flags.insert(.valueEscaped) }
        if escaped == 2 { flags.insert(.oddEscape) }
        let next = try labelSeparator(after, end)
        list.add(Label(name: name, value: valueRange, flags: flags), after: next.offset, closes: next.closed)
        return next
    }

    /// After an item: `,` (then more) or `}`, with blanks before it in the text format.
    @inline(__always) func labelSeparator(_ start: Int, _ end: Int) throws(SyntaxError) -> LabelEnd {
        var i = start
        if !strict { i = skipBlanks(i, end) }
        guard i < end else { throw SyntaxError(.invalidLabels, i, "missing '}' at end of labels") }
        if p[i] == UInt8(ascii: ",") {
            i += 1
            if strict && i < end && p[i] == 0x20 { throw SyntaxError(.invalidWhitespace, i, "space after ','; OpenMetrics allows none") }
            if i < end && p[i] == UInt8(ascii: ",") { throw SyntaxError(.invalidLabels, i, "two commas in a row") }
            return LabelEnd(offset: i, closed: false)
        }
        if p[i] == UInt8(ascii: "}") { return LabelEnd(offset: i + 1, closed: true) }
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
}

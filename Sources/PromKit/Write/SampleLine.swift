/// The pieces of a sample line every exposition writer shares: names, labels, values, timestamps, exemplars.
struct SampleLine {
    let target: TargetFormat
    let options: WriteOptions
    let sink: ByteSink
    /// The scheme names are escaped by when the target cannot (or the user asked not to) quote them.
    let scheme: EscapingScheme?
    /// An `le` that reads as +Inf is written `+Inf` (the family has one spelled otherwise, to OpenMetrics 1.0).
    var respellsInfBounds = false

    init(target: TargetFormat, options: WriteOptions, sink: ByteSink) {
        self.target = target
        self.options = options
        self.sink = sink
        if let e = options.escaping, e != .allowUTF8 {
            scheme = e
        } else if target == .openMetrics {
            scheme = options.escaping == .allowUTF8 ? nil : .underscores
        } else {
            scheme = nil
        }
    }

    /// A family's base name as the target writes it (escaped when the scheme says), and whether it is quoted.
    func outputName(_ name: [UInt8]) -> (bytes: [UInt8], quoted: Bool) {
        if let scheme {
            let escaped = NameEscaping.escape(name, scheme: scheme, metric: true)
            return (escaped, !NameEscaping.isLegacyName(escaped, metric: true))
        }
        return (name, !NameEscaping.isLegacyName(name, metric: true))
    }

    func appendName(_ base: [UInt8], _ suffix: UnsafeBufferPointer<UInt8>, quoted: Bool) {
        if quoted { sink.append(UInt8(ascii: "\"")) }
        if quoted {
            base.withUnsafeBufferPointer { NameEscaping.appendQuotedContent($0, to: sink) }
            NameEscaping.appendQuotedContent(suffix, to: sink)
        } else {
            sink.append(base)
            sink.append(suffix)
        }
        if quoted { sink.append(UInt8(ascii: "\"")) }
    }

    /// `# HELP name text`, `# TYPE name type`, `# UNIT name unit` (in that order; each when given).
    func appendMetadata(name: [UInt8], quoted: Bool, help: [UInt8]?, type: MetricType?, unit: [UInt8]?) {
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        let format = target.exposition ?? .text
        if let help {
            sink.append("# HELP ")
            appendName(name, empty, quoted: quoted)
            sink.append(UInt8(ascii: " "))
            help.withUnsafeBufferPointer { NameEscaping.appendHelp($0, format: format, to: sink) }
            sink.append(UInt8(ascii: "\n"))
        }
        if let type {
            sink.append("# TYPE ")
            appendName(name, empty, quoted: quoted)
            sink.append(UInt8(ascii: " "))
            sink.append(type.spelling(in: format))
            sink.append(UInt8(ascii: "\n"))
        }
        if let unit {
            sink.append("# UNIT ")
            appendName(name, empty, quoted: quoted)
            sink.append(UInt8(ascii: " "))
            sink.append(unit)
            sink.append(UInt8(ascii: "\n"))
        }
    }

    /// `{a="b",…}` for the labels `labels` of `family` (and an extra label after them), or nothing without
    /// labels; with a quoted metric name first when `quotedName` is given. `skip` leaves out a label by name.
    func appendLabels(
        _ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, _ labels: Range<Int32>,
        quotedName: (() -> Void)?, extra: (name: StaticString, value: [UInt8])? = nil,
        skipGroupLabels: Bool = false
    ) {
        var indices = Array(Int(labels.lowerBound)..<Int(labels.upperBound))
        if skipGroupLabels {
            indices.removeAll { i in
                let n = p[family.labels[i].name.lowerBound..<family.labels[i].name.upperBound]
                return n.elementsEqual("le".utf8) || n.elementsEqual("quantile".utf8)
            }
        }
        if indices.isEmpty && extra == nil && quotedName == nil { return }
        if options.sortLabels && indices.count > 1 {
            indices.sort { a, b in
                let la = family.labels[a].name, lb = family.labels[b].name
                return p[la.lowerBound..<la.upperBound].lexicographicallyPrecedes(p[lb.lowerBound..<lb.upperBound])
            }
        }
        sink.append(UInt8(ascii: "{"))
        var first = true
        if let quotedName {
            quotedName()
            first = false
        }
        for i in indices {
            if !first { sink.append(UInt8(ascii: ",")) }
            first = false
            appendLabel(family.labels[i], p)
        }
        if let extra {
            if !first { sink.append(UInt8(ascii: ",")) }
            sink.append(extra.name)
            sink.append("=\"")
            extra.value.withUnsafeBufferPointer { NameEscaping.appendQuotedContent($0, to: sink) }
            sink.append(UInt8(ascii: "\""))
        }
        sink.append(UInt8(ascii: "}"))
    }

    @inline(__always)
    func appendLabel(_ label: Label, _ p: UnsafeBufferPointer<UInt8>) {
        if !label.flags.contains(.nameQuoted) && (scheme == nil || !scheme!.rewritesLegacyNames) {
            sink.append(p, label.name.lowerBound, label.name.upperBound)
        } else {
            var name =
                label.flags.contains(.nameEscaped) ? Unescape.bytes(p, label.name) : Array(p[label.name.lowerBound..<label.name.upperBound])
            if let scheme { name = NameEscaping.escape(name, scheme: scheme, metric: false) }
            if NameEscaping.isLegacyName(name, metric: false) {
                sink.append(name)
            } else {
                sink.append(UInt8(ascii: "\""))
                name.withUnsafeBufferPointer { NameEscaping.appendQuotedContent($0, to: sink) }
                sink.append(UInt8(ascii: "\""))
            }
        }
        sink.append("=\"")
        if respellsInfBounds && label.name.upperBound - label.name.lowerBound == 2 && p[label.name.lowerBound] == UInt8(ascii: "l")
            && p[label.name.lowerBound + 1] == UInt8(ascii: "e") && Self.isOddInfinity(p, label.value)
        {
            sink.append("+Inf\"")
            return
        }
        if label.flags.contains(.oddEscape) {
            Unescape.bytes(p, label.value).withUnsafeBufferPointer { NameEscaping.appendQuotedContent($0, to: sink) }
        } else {
            sink.append(p, label.value.lowerBound, label.value.upperBound)
        }
        sink.append(UInt8(ascii: "\""))
    }

    /// Whether the bytes read as +Inf but are not spelled `+Inf`.
    static func isOddInfinity(_ p: UnsafeBufferPointer<UInt8>, _ r: ByteRange) -> Bool {
        let n = r.upperBound - r.lowerBound
        guard n >= 3 && n <= 9, NumberSyntax.parseSpecial(p, r.lowerBound, r.upperBound) == .infinity else { return false }
        return
            !(n == 4 && p[r.lowerBound] == UInt8(ascii: "+") && p[r.lowerBound + 1] == UInt8(ascii: "I")
            && p[r.lowerBound + 2] == UInt8(ascii: "n") && p[r.lowerBound + 3] == UInt8(ascii: "f"))
    }

    /// A value spelled at `range` reading as `value`: copied when its spelling will do, else spelled anew.
    @inline(__always)
    func appendValue(_ value: Double, _ range: ByteRange, _ p: UnsafeBufferPointer<UInt8>) {
        let ok =
            options.canonicalNumbers
            ? NumberSpelling.isCanonical(p, range.lowerBound, range.upperBound)
            : value.isFinite && NumberSpelling.isPlainDecimal(p, range.lowerBound, range.upperBound)
        if ok { sink.append(p, range.lowerBound, range.upperBound) } else { NumberSpelling.appendCanonical(value, to: sink) }
    }

    /// A timestamp, converted between milliseconds and seconds by its digits; false when digits were cut.
    @inline(__always)
    func appendTimestamp(_ range: ByteRange, _ p: UnsafeBufferPointer<UInt8>, from: ExpositionFormat) -> Bool {
        let fromUnit: TimestampDigits.Unit = from == .text ? .milliseconds : .seconds
        let toUnit: TimestampDigits.Unit = target == .text ? .milliseconds : .seconds
        if fromUnit == toUnit && TimestampDigits.isCanonical(p, range.lowerBound, range.upperBound, unit: toUnit) {
            sink.append(p, range.lowerBound, range.upperBound)
            return true
        }
        return TimestampDigits.append(p, range.lowerBound, range.upperBound, from: fromUnit, to: toUnit, sink: sink)
    }

    /// ` # {labels} value [timestamp]` for each exemplar.
    /// OpenMetrics 2.0 requires an exemplar's timestamp: those without one are left out (the count returned).
    @discardableResult
    func appendExemplars(_ family: MetricFamily, _ p: UnsafeBufferPointer<UInt8>, _ exemplars: ArraySlice<Exemplar>) -> Int {
        var dropped = 0
        for e in exemplars {
            if target == .openMetrics2 && e.timestamp == nil {
                dropped += 1
                continue
            }
            sink.append(" # {")
            var first = true
            for i in Int(e.labels.lowerBound)..<Int(e.labels.upperBound) {
                if !first { sink.append(UInt8(ascii: ",")) }
                first = false
                appendLabel(family.labels[i], p)
            }
            sink.append("} ")
            appendValue(e.value, e.valueRange, p)
            if let ts = e.timestamp {
                sink.append(UInt8(ascii: " "))
                _ = appendTimestamp(ts.range, p, from: family.format)
            }
        }
        return dropped
    }
}

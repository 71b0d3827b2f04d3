/// A metric family: its metadata and its samples, in input order — the one model every command uses.
///
/// Names, label names and values are byte ranges into `source`; the accessors below make strings (and undo
/// escapes) only when asked. Samples, labels and exemplars live in flat arrays that a reader reuses from one
/// family to the next.
public struct MetricFamily: Sendable {
    /// The input the family's byte ranges point into.
    public let source: SourceFile
    /// The format the family was read as.
    public let format: ExpositionFormat
    /// The family name (for an OpenMetrics 1.0 counter `x` with samples `x_total`, this is `x`).
    public var name: String
    /// The family's type (`.unknown` without a `# TYPE` line, or for the text format's `untyped`).
    public var type: MetricType
    /// Whether a `# TYPE` line declared the type (families without one are `.unknown`).
    public var typeDeclared: Bool
    /// Raw HELP text (escapes not undone) and the offset of its line.
    public var helpRange: ByteRange?
    /// The offset of the `# HELP` line.
    public var helpOffset: Int32?
    /// The offset of the `# TYPE` line.
    public var typeOffset: Int32?
    /// The `# UNIT` text, as written.
    public var unitRange: ByteRange?
    /// The offset of the `# UNIT` line.
    public var unitOffset: Int32?
    /// Offset where the family starts in the input (its first metadata line or sample).
    public var offset: Int32

    /// The samples, in input order.
    public var samples: [Sample]
    /// Every sample's labels, one after another: a sample's are `labels(of:)`.
    public var labels: [Label]
    /// Every sample's exemplars, one after another: a sample's are `exemplars(of:)`.
    public var exemplars: [Exemplar]
    /// Each sample's exemplars (as a range of `exemplars`), composite value and start timestamp (OpenMetrics
    /// 2.0), for the samples that have one: by `Sample.extra`.
    public var extras: [SampleExtra]

    /// The reader's window, when it read the input in stretches (`ReadOptions.windowed`), and the hand-over
    /// it was lent for: during that hand-over the family's bytes are read through the window; otherwise (a
    /// copy kept past the consumer call, whose window has since moved or been freed) through `source`.
    var lease: WindowLease?
    var leaseTerm: UInt64 = 0
    /// Some metric point's samples come after another point's (the text format allows a histogram's or
    /// summary's series to interleave; OpenMetrics does not): found by the checks, for the writers.
    package internal(set) var pointsInterleaved = false

    /// An empty family (a reader fills in the rest).
    public init(
        source: SourceFile, format: ExpositionFormat, name: String, type: MetricType = .unknown,
        offset: Int32 = 0
    ) {
        self.source = source
        self.format = format
        self.name = name
        self.type = type
        self.typeDeclared = false
        self.offset = offset
        self.samples = []
        self.labels = []
        self.exemplars = []
        self.extras = []
    }

    // MARK: Strings, made on demand

    /// The input's bytes, for the ranges this family holds.
    @inline(__always)
    package func withInput<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let lease, let window = lease.window(for: leaseTerm) { return try body(window) }
        return try source.bytes.withUnsafeBufferPointer(body)
    }

    /// The text of a range of the input, as written (escapes not undone; invalid UTF-8 replaced).
    public func text(_ range: ByteRange) -> String {
        withInput { String(decoding: UnsafeBufferPointer(rebasing: $0[range.lowerBound..<range.upperBound]), as: UTF8.self) }
    }

    private func unescaped(_ range: ByteRange) -> String {
        withInput { Unescape.string($0, range, format: format) }
    }

    /// The HELP text with escapes undone, or nil without a HELP line.
    public var help: String? {
        helpRange.map { unescaped($0) }
    }

    /// The `# UNIT` text, or nil without a UNIT line.
    public var unit: String? {
        unitRange.map { text($0) }
    }

    /// The sample's name as a string (escapes undone for a quoted name).
    public func sampleName(_ sample: Sample) -> String {
        sample.nameFlags.contains(.nameEscaped) ? unescaped(sample.name) : text(sample.name)
    }

    /// The sample's labels, in the order written.
    public func labels(of sample: Sample) -> ArraySlice<Label> {
        labels[Int(sample.labels.lowerBound)..<Int(sample.labels.upperBound)]
    }

    /// The sample's exemplars (several only in OpenMetrics 2.0).
    public func exemplars(of sample: Sample) -> ArraySlice<Exemplar> {
        guard sample.extra >= 0 else { return exemplars[0..<0] }
        let range = extras[Int(sample.extra)].exemplars
        return exemplars[Int(range.lowerBound)..<Int(range.upperBound)]
    }

    /// The sample's OpenMetrics 2.0 composite value (`{count:…,sum:…,bucket:[…]}`), if it has one.
    public func composite(of sample: Sample) -> CompositeValue? {
        sample.extra >= 0 ? extras[Int(sample.extra)].composite : nil
    }

    /// The sample's OpenMetrics 2.0 `st@` start timestamp.
    public func startTimestamp(of sample: Sample) -> Timestamp? {
        sample.extra >= 0 ? extras[Int(sample.extra)].startTimestamp : nil
    }

    /// The label's name as a string (escapes undone for a quoted name).
    public func name(of label: Label) -> String {
        label.flags.contains(.nameEscaped) ? unescaped(label.name) : text(label.name)
    }

    /// The label's value as a string, escapes undone.
    public func value(of label: Label) -> String {
        label.flags.contains(.valueEscaped) ? unescaped(label.value) : text(label.value)
    }

    /// The value of the label called `name` on `sample`, if it has one.
    public func labelValue(_ name: String, of sample: Sample) -> String? {
        for label in labels(of: sample) where self.name(of: label) == name {
            return value(of: label)
        }
        return nil
    }

    /// `name{a="b",…}` for messages, quoting names as the exposition syntax would.
    public func seriesDescription(_ sample: Sample) -> String {
        seriesDescription(sample, excluding: [])
    }

    /// The same without some labels (`le`, `quantile`: the metric a bucket or quantile belongs to).
    public func seriesDescription(_ sample: Sample, excluding: Set<String>) -> String {
        let ls = labels(of: sample).filter { !excluding.contains(self.name(of: $0)) }
        var name = sampleName(sample)
        let quoted = !ByteClass.isLegacyMetricName(name)
        if quoted { name = "\"" + name + "\"" }
        if ls.isEmpty { return quoted ? "{" + name + "}" : name }
        let body = ls.map { label -> String in
            let n = self.name(of: label)
            return (ByteClass.isLegacyLabelName(n) ? n : "\"" + n + "\"") + "=\"" + value(of: label) + "\""
        }.joined(separator: ",")
        return quoted ? "{" + name + "," + body + "}" : name + "{" + body + "}"
    }

    /// Drops the samples but keeps the arrays' storage, so a reader can fill the next family in place.
    mutating func reset(name: String, offset: Int32) {
        lease = nil
        self.name = name
        self.type = .unknown
        self.typeDeclared = false
        self.helpRange = nil
        self.helpOffset = nil
        self.typeOffset = nil
        self.unitRange = nil
        self.unitOffset = nil
        self.offset = offset
        self.pointsInterleaved = false
        samples.removeAll(keepingCapacity: true)
        labels.removeAll(keepingCapacity: true)
        exemplars.removeAll(keepingCapacity: true)
        extras.removeAll(keepingCapacity: true)
    }
}

// MARK: - Byte-level questions (no strings made), for checks that run on every sample

extension MetricFamily {
    /// The raw bytes of a range, handed to `body` without copying.
    package func withBytes<R>(_ range: ByteRange, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withInput { p in
            try body(UnsafeBufferPointer(rebasing: p[range.lowerBound..<range.upperBound]))
        }
    }
}

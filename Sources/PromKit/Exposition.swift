/// An exposition read whole, in one pass: its metric families and everything wrong with it, each finding
/// located by line and column. The library's front door:
///
///     let exposition = try Exposition(contentsOf: "metrics.prom")
///     for finding in exposition.findings { print(finding) }      // 3:7: error: ... [invalid_value]
///     for family in exposition.families {
///         for sample in family.decodedSamples { print(sample.name, sample.labels, sample.value) }
///     }
///
/// Families keep the input's bytes and make strings only when asked (`MetricFamily.decodedSamples`,
/// `sampleName(_:)`, `labels(of:)`, `help`): holding an `Exposition` holds its input.
public struct Exposition: Sendable {
    /// The input read.
    public let source: SourceFile
    /// The format the input was read as (given, or detected).
    public let format: ExpositionFormat
    /// The families, in input order.
    public let families: [MetricFamily]
    /// Every syntax and semantic finding (what `promkit validate` reports), in input order.
    public let findings: [Finding]

    /// Reads `source` as `format` (detected from the content by default).
    public init(source: SourceFile, format: FormatChoice = .auto, options: ReadOptions = ReadOptions()) {
        var options = options
        options.windowed = false  // families are kept: they read through the source, never a reused window
        let resolved = format.resolve(for: source)
        let (families, diagnostics) = FamilyReader(source: source, format: resolved, options: options).readAll()
        self.source = source
        self.format = resolved
        self.families = families
        self.findings =
            InputReport(
                source: source, diagnostics: format.hinting(diagnostics, for: source.bytes, resolved: resolved),
                rulesRun: [], limit: options.maxDiagnostics
            ).findings
    }

    /// Reads text (a scrape held in memory, a test's expected output).
    public init(parsing text: String, name: String = "<input>", format: FormatChoice = .auto) {
        self.init(source: SourceFile(name: name, text: text), format: format)
    }

    /// Reads bytes.
    public init(parsing bytes: [UInt8], name: String = "<input>", format: FormatChoice = .auto) {
        self.init(source: SourceFile(name: name, bytes: bytes), format: format)
    }

    /// Reads a file (or standard input for `-`); throws when it cannot be read.
    public init(contentsOf path: String, format: FormatChoice = .auto) throws(InputLoader.Failure) {
        self.init(source: try InputLoader.load(path).get(), format: format)
    }

    /// Whether the input follows its format's specification (no error; warnings allowed).
    public var isValid: Bool { !findings.contains { $0.severity == .error } }

    /// The family called `name` (the family name: `x` for an OpenMetrics counter with samples `x_total`).
    public func family(named name: String) -> MetricFamily? {
        families.first { $0.name == name }
    }
}

extension InputLoader.Failure: CustomStringConvertible {
    public var description: String { "\(path): cannot read input: \(reason)" }
}

extension Finding: CustomStringConvertible {
    /// `LINE:COL: severity: message [rule]`, as the text reporter prints it after the path.
    public var description: String {
        line > 0 ? "\(line):\(column): \(severity.rawValue): \(message) [\(rule)]" : "\(severity.rawValue): \(message) [\(rule)]"
    }
}

/// One sample as Swift values: what a test or a tool reading an exposition usually wants.
public struct DecodedSample: Hashable, Sendable {
    /// The sample's name as written (`x_total`, `x_bucket`), escapes undone.
    public var name: String
    /// The labels in the order written, names and values with escapes undone.
    public var labels: [DecodedLabel]
    /// The sample's value.
    public var value: Double
    /// The timestamp in seconds (the text format's milliseconds divided by 1000), if the sample has one.
    public var timestamp: Double?

    /// A sample from Swift values.
    public init(name: String, labels: [DecodedLabel], value: Double, timestamp: Double? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    /// The value of the label called `name`.
    public subscript(label name: String) -> String? {
        labels.first { $0.name == name }?.value
    }
}

/// One label as Swift strings, escapes undone.
public struct DecodedLabel: Hashable, Sendable, CustomStringConvertible {
    /// The label's name.
    public var name: String
    /// The label's value.
    public var value: String
    /// A label from its name and value.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
    public var description: String { "\(name)=\"\(value)\"" }
}

extension MetricFamily {
    /// The samples as Swift strings and numbers, in input order.
    public var decodedSamples: [DecodedSample] {
        samples.map { decoded($0) }
    }

    /// One sample as Swift strings and numbers.
    public func decoded(_ sample: Sample) -> DecodedSample {
        DecodedSample(
            name: sampleName(sample),
            labels: labels(of: sample).map { DecodedLabel(name: name(of: $0), value: value(of: $0)) },
            value: sample.value, timestamp: sample.timestamp?.seconds)
    }
}

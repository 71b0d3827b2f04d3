/// What the line parser found on one line: byte ranges and parsed numbers, never strings.
///
/// Labels and exemplars of a sample line are in the parser's scratch arrays (`LineParser.labels`,
/// `LineParser.exemplars`), valid until the next line is parsed.
struct ParsedLine {
    enum Kind { case blank, comment, help, type, unit, eof, sample }

    var kind: Kind = .blank
    /// Offset of the first byte of the line.
    var start = 0
    /// Metric name of a sample, or the name a metadata line is about.
    var name = ByteRange.empty
    var nameFlags: Label.Flags = []
    /// The sample's name is the previous good sample line's (same bytes): the reader's family match holds.
    var nameShared = false
    /// How many leading labels are the previous good sample line's (same bytes, same order).
    var sharedLabels = 0
    /// The labels' names are all the previous good sample line's, in the same order (values may differ).
    var sameLabelNames = false
    /// HELP text (raw, escapes kept) or UNIT text.
    var text = ByteRange.empty
    var type = MetricType.unknown
    var value = 0.0
    var valueRange = ByteRange.empty
    var timestamp: Timestamp?
    var startTimestamp: Timestamp?
    /// Whether the value is a composite (in `LineParser.composite`).
    var hasComposite = false
    /// Text-format HELP: where its first escape other than `\\` and `\n` is (a warning), else -1. An offset,
    /// not the diagnostic: the line stays plain data, cheap to reset for every line.
    var helpEscape = -1
}

/// An exemplar as parsed: its labels are a range of `LineParser.exemplarLabels`.
struct ParsedExemplar {
    var offset: Int
    var labels: Range<Int>
    var value: Double
    var valueRange: ByteRange
    var timestamp: Timestamp?
}

/// A syntax error: where, which code, what to tell the user. The line is skipped after it.
struct SyntaxError: Error {
    var code: DiagnosticCode
    var offset: Int
    var message: String
    init(_ code: DiagnosticCode, _ offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }
}

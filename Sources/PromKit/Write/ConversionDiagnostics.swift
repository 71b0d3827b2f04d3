/// The changes a conversion makes to keep its output valid, each a diagnostic with a stable code.
extension DiagnosticCode {
    /// A text counter without `_total` written as `unknown`, its samples keeping their names (OpenMetrics 1.0
    /// wants counter samples named `<family>_total`).
    public static let counterWithoutTotal: Self = "counter_without_total"
    /// A family written as `unknown` because its OpenMetrics family name would clash with another family
    /// (a gauge `x` and a counter `x_total`).
    public static let familyNameClash: Self = "family_name_clash"
    /// A `<name>_created` gauge folded into the counter, histogram or summary it belongs to.
    public static let createdFolded: Self = "created_folded"
    /// `_created` samples written as a gauge family of their own (the text format has no place for them).
    public static let createdSplit: Self = "created_split"
    /// An info, stateset or gaugehistogram family written to the text format as gauges.
    public static let typeAsGauge: Self = "type_as_gauge"
    /// A gauge named `*_info` whose samples are all 1, written as an OpenMetrics info family.
    public static let gaugeAsInfo: Self = "gauge_as_info"
    /// Exemplars the target format cannot carry, dropped.
    public static let exemplarsDropped: Self = "exemplars_dropped"
    /// A `# UNIT` the target format cannot carry, dropped.
    public static let unitDropped: Self = "unit_dropped"
    /// Native histogram buckets the target format cannot carry, dropped.
    public static let nativeBucketsDropped: Self = "native_buckets_dropped"
    /// A timestamp finer than the text format's milliseconds, truncated.
    public static let timestampTruncated: Self = "timestamp_truncated"
    /// A name outside the legacy character set rewritten by the escaping scheme.
    public static let nameEscaped: Self = "name_escaped"
    /// A name the target cannot carry under `--escaping allow-utf-8` (OpenMetrics 1.0 has no quoted names).
    public static let nameNotRepresentable: Self = "name_not_representable"
    /// A text family met again after other families, its later samples written with its first group.
    public static let familyMerged: Self = "family_merged"
    /// A counter with a negative value written as `unknown` (OpenMetrics counters cannot go below zero).
    public static let counterNegative: Self = "counter_negative"
    /// A `<name>_created` gauge with series its family lacks, kept as a gauge family of its own.
    public static let createdUnmatched: Self = "created_unmatched"
    /// A bucket bound spelled as an infinity other than `+Inf` (`le="Inf"`), written `+Inf` as OpenMetrics
    /// requires.
    public static let boundRespelled: Self = "bound_respelled"
    /// A classic histogram without `_count`, written to OpenMetrics 2.0 with its `+Inf` bucket as the count.
    public static let countFromBuckets: Self = "count_from_buckets"
    /// A classic histogram or summary without the `_sum` (or a summary without the `_count`) OpenMetrics 2.0
    /// requires of a composite value, written as unknown families keeping every sample.
    public static let compositeIncomplete: Self = "composite_incomplete"
    /// A help text's leading blanks dropped: a text HELP line's docstring starts after the blanks.
    public static let helpTrimmed: Self = "help_trimmed"
    /// A family without samples whose metadata the target cannot write beside another family's names
    /// (OpenMetrics 2.0 `a` histogram with no samples and a family `a_count`): dropped.
    public static let emptyFamilyDropped: Self = "empty_family_dropped"
    /// The input could not be converted as it is (a family shape the writer does not handle).
    public static let notConvertible: Self = "not_convertible"

    /// Every conversion code, with whether it loses or renames something (`--strict` makes those errors).
    public static let conversionCodes: [(code: DiagnosticCode, loss: Bool, summary: String)] = [
        (.counterWithoutTotal, true, "a counter without _total written as unknown"),
        (.familyNameClash, true, "a family written as unknown to avoid a name clash"),
        (.createdFolded, false, "a _created gauge folded into its family"),
        (.createdSplit, false, "_created samples written as a gauge family of their own"),
        (.typeAsGauge, true, "info, stateset or gaugehistogram written to text as gauges"),
        (.gaugeAsInfo, false, "a *_info gauge of ones written as an info family"),
        (.exemplarsDropped, true, "exemplars dropped"),
        (.unitDropped, true, "a UNIT dropped"),
        (.nativeBucketsDropped, true, "native histogram buckets dropped"),
        (.timestampTruncated, true, "a timestamp truncated to milliseconds"),
        (.nameEscaped, true, "a UTF-8 name escaped"),
        (.nameNotRepresentable, true, "a UTF-8 name the target cannot carry"),
        (.familyMerged, false, "a family's later run written with its first"),
        (.counterNegative, true, "a counter with a negative value written as unknown"),
        (.createdUnmatched, false, "a _created gauge with series its family lacks kept on its own"),
        (.boundRespelled, true, "an le bound spelled as an infinity other than +Inf written +Inf"),
        (.countFromBuckets, false, "a histogram's count taken from its +Inf bucket"),
        (.compositeIncomplete, true, "a histogram or summary without _sum written as unknown families"),
        (.helpTrimmed, true, "a help text's leading blanks dropped (text)"),
        (.emptyFamilyDropped, true, "a family without samples dropped: its names are another family's"),
        (.notConvertible, true, "something the converter cannot write"),
    ]

    static func isLoss(_ code: DiagnosticCode) -> Bool {
        conversionCodes.first { $0.code == code }?.loss ?? true
    }
}

/// Collects a conversion's diagnostics: warnings, or errors under `--strict` for losses and renames.
struct ConversionLog {
    var diagnostics: [Diagnostic] = []
    let strict: Bool

    mutating func note(_ code: DiagnosticCode, at offset: Int, family: String, _ message: String) {
        let error = code == .nameNotRepresentable || code == .notConvertible || (strict && DiagnosticCode.isLoss(code))
        diagnostics.append(Diagnostic(code, error ? .error : .warning, at: offset, message, family: family))
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

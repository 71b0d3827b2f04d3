/// A stable, snake_case identifier for a kind of diagnostic, shown in brackets after the message.
///
/// Codes never change meaning once published: users filter on them in CI. The validator's codes are the
/// static members below; lint rules use their rule id as the code.
public struct DiagnosticCode: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The code as shown: `duplicate_series`.
    public let rawValue: String
    /// A code from its snake_case spelling.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A code from a literal: `"my_rule"`.
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

// MARK: - Input as a whole
extension DiagnosticCode {
    /// The input holds no metrics (a warning in the text format).
    public static let emptyInput: Self = "empty_input"
    /// The input is larger than 2 GiB (`SourceFile.maximumSize`).
    public static let inputTooLarge: Self = "input_too_large"
    /// The file changed (shrank) while it was read.
    public static let inputChanged: Self = "input_changed"
    /// Bytes that are not UTF-8 (reported once per line).
    public static let invalidUTF8: Self = "invalid_utf8"
    /// The input starts with a byte order mark.
    public static let byteOrderMark: Self = "byte_order_mark"
    /// A CR LF line end (reported once per input; the rest is read as LF).
    public static let carriageReturn: Self = "carriage_return"
    /// The last line does not end with LF.
    public static let missingFinalNewline: Self = "missing_final_newline"
    /// A blank line where the format allows none (OpenMetrics).
    public static let blankLine: Self = "blank_line"
    /// OpenMetrics input without its closing `# EOF`.
    public static let missingEOF: Self = "missing_eof"
    /// Content after OpenMetrics' `# EOF`.
    public static let contentAfterEOF: Self = "content_after_eof"
    /// An input fetched over HTTP without a `Content-Type` naming an exposition format.
    public static let contentType: Self = "content_type"
    /// A name outside the legacy set in a body whose `Content-Type` says its names were escaped.
    public static let nameEscaping: Self = "name_escaping"
}

// MARK: - Line syntax
extension DiagnosticCode {
    /// A metric name the format does not allow.
    public static let invalidMetricName: Self = "invalid_metric_name"
    /// A label name the format does not allow.
    public static let invalidLabelName: Self = "invalid_label_name"
    /// A label set that does not parse (a missing quote, comma or brace).
    public static let invalidLabels: Self = "invalid_labels"
    /// An escape sequence other than `\\`, `\"` and `\n`.
    public static let invalidEscape: Self = "invalid_escape"
    /// A sample value that is not a number in the format's syntax.
    public static let invalidValue: Self = "invalid_value"
    /// A timestamp that is not one in the format's syntax.
    public static let invalidTimestamp: Self = "invalid_timestamp"
    /// Blanks where the format wants exactly one space (OpenMetrics), or none.
    public static let invalidWhitespace: Self = "invalid_whitespace"
    /// A comment line the format does not allow (OpenMetrics allows only its metadata lines).
    public static let invalidComment: Self = "invalid_comment"
    /// A `# HELP`, `# TYPE` or `# UNIT` line that does not parse.
    public static let invalidMetadata: Self = "invalid_metadata"
    /// A `# TYPE` the format does not know.
    public static let unknownType: Self = "unknown_type"
    /// An exemplar that does not parse.
    public static let invalidExemplar: Self = "invalid_exemplar"
    /// An OpenMetrics 2.0 composite value (`{count:…,sum:…}`) that does not parse.
    public static let invalidCompositeValue: Self = "invalid_composite_value"
    /// Text after the end of a sample line.
    public static let unexpectedText: Self = "unexpected_text"
}

// MARK: - Structure and semantics
extension DiagnosticCode {
    /// A family's `# HELP`, `# TYPE` or `# UNIT` given twice.
    public static let duplicateMetadata: Self = "duplicate_metadata"
    /// Metadata after the family's first sample.
    public static let metadataAfterSamples: Self = "metadata_after_samples"
    /// A family's samples split by another family's.
    public static let familyNotContiguous: Self = "family_not_contiguous"
    /// Two families whose sample names collide (`x` beside a histogram `x` with `x_count`).
    public static let nameClash: Self = "name_clash"
    /// A sample name that does not belong to its family's type (`x_bucket` in a gauge).
    public static let sampleNameMismatch: Self = "sample_name_mismatch"
    /// One label name twice in a label set.
    public static let duplicateLabelName: Self = "duplicate_label_name"
    /// A label name the format reserves (`__name__`, or `le` and `quantile` out of place).
    public static let reservedLabelName: Self = "reserved_label_name"
    /// The same series (name and label set) twice.
    public static let duplicateSeries: Self = "duplicate_series"
    /// A counter, bucket, `_count` or `_sum` that is negative, NaN or (for counts) not integral.
    public static let invalidCounterValue: Self = "invalid_counter_value"
    /// A histogram without its `+Inf` bucket.
    public static let histogramMissingInf: Self = "histogram_missing_inf"
    /// Histogram buckets not in increasing `le` order.
    public static let histogramBucketOrder: Self = "histogram_bucket_order"
    /// A histogram bucket smaller than the one before it.
    public static let histogramNotCumulative: Self = "histogram_not_cumulative"
    /// A histogram's `+Inf` bucket that differs from its `_count`.
    public static let histogramCountMismatch: Self = "histogram_count_mismatch"
    /// A histogram's `_sum` without its `_count`, or the other way round.
    public static let histogramSumCount: Self = "histogram_sum_count"
    /// An `le` value that is not a number.
    public static let invalidBucketBound: Self = "invalid_bucket_bound"
    /// A `_bucket` sample without its `le` label.
    public static let missingBucketLabel: Self = "missing_bucket_label"
    /// A `quantile` value that is not a number from 0 to 1.
    public static let invalidQuantile: Self = "invalid_quantile"
    /// A summary sample without its `quantile` label where one is required.
    public static let missingQuantileLabel: Self = "missing_quantile_label"
    /// Summary quantiles not in increasing order.
    public static let quantileOrder: Self = "quantile_order"
    /// An info sample whose value is not 1.
    public static let invalidInfoValue: Self = "invalid_info_value"
    /// A stateset sample whose value is not 0 or 1.
    public static let invalidStateSetValue: Self = "invalid_stateset_value"
    /// A stateset sample without the label named after its family.
    public static let missingStateSetLabel: Self = "missing_stateset_label"
    /// A `# UNIT` that the family name does not end in.
    public static let unitNotSuffix: Self = "unit_not_suffix"
    /// A `# UNIT` on a type that may not have one.
    public static let unitNotAllowed: Self = "unit_not_allowed"
    /// An exemplar on a sample that may not carry one (only counter totals and buckets).
    public static let exemplarNotAllowed: Self = "exemplar_not_allowed"
    /// An exemplar's labels longer than 128 code points.
    public static let exemplarTooLong: Self = "exemplar_too_long"
    /// A series' timestamps going backwards.
    public static let timestampOrder: Self = "timestamp_order"
    /// A series with timestamps on some samples and not on others.
    public static let timestampMixed: Self = "timestamp_mixed"
    /// A family's name written quoted on one of its lines and unquoted on another.
    public static let metadataQuoting: Self = "metadata_quoting"
    /// OpenMetrics 2.0 naming (`_info`, `_total`, discouraged suffixes).
    public static let nameConvention: Self = "name_convention"
}

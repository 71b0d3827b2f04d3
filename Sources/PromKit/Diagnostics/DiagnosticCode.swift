/// A stable, snake_case identifier for a kind of diagnostic, shown in brackets after the message.
///
/// Codes never change meaning once published: users filter on them in CI. The validator's codes are the
/// static members below; lint rules use their rule id as the code.
public struct DiagnosticCode: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

// MARK: - Input as a whole
extension DiagnosticCode {
    public static let emptyInput: Self = "empty_input"
    public static let inputTooLarge: Self = "input_too_large"
    public static let inputChanged: Self = "input_changed"
    public static let invalidUTF8: Self = "invalid_utf8"
    public static let byteOrderMark: Self = "byte_order_mark"
    public static let carriageReturn: Self = "carriage_return"
    public static let missingFinalNewline: Self = "missing_final_newline"
    public static let blankLine: Self = "blank_line"
    public static let missingEOF: Self = "missing_eof"
    public static let contentAfterEOF: Self = "content_after_eof"
    /// An input fetched over HTTP without a `Content-Type` naming an exposition format.
    public static let contentType: Self = "content_type"
    /// A name outside the legacy set in a body whose `Content-Type` says its names were escaped.
    public static let nameEscaping: Self = "name_escaping"
}

// MARK: - Line syntax
extension DiagnosticCode {
    public static let invalidMetricName: Self = "invalid_metric_name"
    public static let invalidLabelName: Self = "invalid_label_name"
    public static let invalidLabels: Self = "invalid_labels"
    public static let invalidEscape: Self = "invalid_escape"
    public static let invalidValue: Self = "invalid_value"
    public static let invalidTimestamp: Self = "invalid_timestamp"
    public static let invalidWhitespace: Self = "invalid_whitespace"
    public static let invalidComment: Self = "invalid_comment"
    public static let invalidMetadata: Self = "invalid_metadata"
    public static let unknownType: Self = "unknown_type"
    public static let invalidExemplar: Self = "invalid_exemplar"
    public static let invalidCompositeValue: Self = "invalid_composite_value"
    public static let unexpectedText: Self = "unexpected_text"
}

// MARK: - Structure and semantics
extension DiagnosticCode {
    public static let duplicateMetadata: Self = "duplicate_metadata"
    public static let metadataAfterSamples: Self = "metadata_after_samples"
    public static let familyNotContiguous: Self = "family_not_contiguous"
    public static let nameClash: Self = "name_clash"
    public static let sampleNameMismatch: Self = "sample_name_mismatch"
    public static let duplicateLabelName: Self = "duplicate_label_name"
    public static let reservedLabelName: Self = "reserved_label_name"
    public static let duplicateSeries: Self = "duplicate_series"
    public static let invalidCounterValue: Self = "invalid_counter_value"
    public static let histogramMissingInf: Self = "histogram_missing_inf"
    public static let histogramBucketOrder: Self = "histogram_bucket_order"
    public static let histogramNotCumulative: Self = "histogram_not_cumulative"
    public static let histogramCountMismatch: Self = "histogram_count_mismatch"
    public static let histogramSumCount: Self = "histogram_sum_count"
    public static let invalidBucketBound: Self = "invalid_bucket_bound"
    public static let missingBucketLabel: Self = "missing_bucket_label"
    public static let invalidQuantile: Self = "invalid_quantile"
    public static let missingQuantileLabel: Self = "missing_quantile_label"
    public static let quantileOrder: Self = "quantile_order"
    public static let invalidInfoValue: Self = "invalid_info_value"
    public static let invalidStateSetValue: Self = "invalid_stateset_value"
    public static let missingStateSetLabel: Self = "missing_stateset_label"
    public static let unitNotSuffix: Self = "unit_not_suffix"
    public static let unitNotAllowed: Self = "unit_not_allowed"
    public static let exemplarNotAllowed: Self = "exemplar_not_allowed"
    public static let exemplarTooLong: Self = "exemplar_too_long"
    public static let timestampOrder: Self = "timestamp_order"
    public static let timestampMixed: Self = "timestamp_mixed"
    public static let metadataQuoting: Self = "metadata_quoting"
    public static let nameConvention: Self = "name_convention"
}

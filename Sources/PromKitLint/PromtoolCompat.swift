import PromKit

/// `promkit lint --promtool`: what `promtool check metrics` does. Standard input, text format, promlint's
/// rules and texts; problems printed `NAME TEXT` on standard error sorted by name then text; exit 0 clean,
/// 1 parse error, 3 problems. Differences from promtool 2.42 follow current upstream promlint (the type in
/// the name is checked only against the family's own type; duplicate series are reported): see
/// docs/promtool-compat.md.
public enum PromtoolCompat {
    public struct Outcome: Sendable {
        public var stderr: String
        public var exitStatus: Int32
    }

    /// Validator codes that promtool's parser also rejects (the rest are checks it does not make).
    static let parseErrors: Set<DiagnosticCode> = [
        .invalidUTF8, .byteOrderMark, .carriageReturn, .missingFinalNewline, .invalidMetricName, .invalidLabelName,
        .invalidLabels, .invalidEscape, .invalidValue, .invalidTimestamp, .invalidMetadata, .unknownType,
        .unexpectedText, .duplicateMetadata, .metadataAfterSamples, .duplicateLabelName, .reservedLabelName,
        .invalidBucketBound, .inputTooLarge,
    ]

    /// Rules that promlint runs per metric (series) or per label, not once per family.
    static let perSeriesRules: Set<String> = ["camel_case_label", "reserved_label", "duplicate_series"]

    /// TYPE lines Prometheus' scrape parser fails on (errors in promkit) that expfmt takes: a type in
    /// another case (it upper-cases the word), blanks before the type, no type at all (the line is ignored).
    static func expfmtAccepts(_ d: Diagnostic) -> Bool {
        d.code == .unknownType && (d.message.hasPrefix("TYPE line without a type") || d.message.hasPrefix("more than one blank before the type")
            || d.message.contains("must be lower case"))
    }

    public static func run(_ source: SourceFile, readOptions: ReadOptions = ReadOptions()) -> Outcome {
        let linter = Linter(promtoolMode: true, readOptions: readOptions)
        let (diagnostics, _, found) = linter.lint(source, format: .text)
        let fatal = diagnostics.filter { d in
            (parseErrors.contains(d.code) && !expfmtAccepts(d)) || (d.code == .invalidQuantile && d.message.hasPrefix("invalid quantile="))
        }
        if let first = fatal.min(by: { $0.offset < $1.offset }) {
            let line = source.location(of: first.offset).line
            return Outcome(stderr: "error while linting: text format parsing error in line \(line): \(first.message)\n", exitStatus: 1)
        }
        // promtool's parser merges a family split in two before promlint sees it: a check of the family reports
        // once for both parts. Checks of each series or label (promlint repeats those per metric) stay as they are.
        var seen = Set<String>()
        let problems = found.filter { p in
            Self.perSeriesRules.contains(p.rule) || seen.insert(p.family + "\u{0}" + p.text).inserted
        }
        let sorted = problems.enumerated().sorted { a, b in
            if a.element.family != b.element.family { return a.element.family < b.element.family }
            if a.element.text != b.element.text { return a.element.text < b.element.text }
            return a.offset < b.offset
        }.map(\.element)
        let text = sorted.map { "\($0.family) \($0.text)\n" }.joined()
        return Outcome(stderr: text, exitStatus: sorted.isEmpty ? 0 : 3)
    }
}

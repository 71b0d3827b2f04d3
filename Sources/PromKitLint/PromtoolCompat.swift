import PromKit

/// `promkit lint --promtool`: what `promtool check metrics` does. Standard input, text format, promlint's
/// rules and texts; problems printed `NAME TEXT` on standard error sorted by name then text; exit 0 clean,
/// 1 parse error, 3 problems. Differences from promtool 2.42 follow current upstream promlint (the type in
/// the name is checked only against the family's own type; duplicate series are reported): see
/// docs/promtool-compat.md.
public enum PromtoolCompat {
    /// What promtool would print and exit with.
    public struct Outcome: Sendable {
        /// promtool's lines (it writes them on standard error).
        public var stderr: String
        /// promtool's exit status: 0 clean, 1 a parse error, 3 problems found.
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
        d.code == .unknownType
            && (d.message.hasPrefix("TYPE line without a type") || d.message.hasPrefix("more than one blank before the type")
                || d.message.contains("must be lower case"))
    }

    /// `promtool check metrics` on `source`, byte for byte.
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

/// Where promlint's checks differ from the rules of the same id, the drop-in runs promlint's way: per series
/// or per occurrence as promlint reports them, with promlint's own series (expfmt merges a histogram's or a
/// summary's lines per label set). The rules themselves know nothing of promtool mode.
enum Promlint {
    /// promlint's version of a rule, by rule id; the other promlint rules run as they are.
    static let checks: [String: @Sendable (MetricFamily, inout LintContext) -> Void] = [
        CamelCaseLabel.description.id: camelCaseLabels,
        ReservedLabel.description.id: reservedLabels,
        DuplicateSeries.description.id: duplicateMetric,
    ]

    /// `LintCamelCase` for labels: once per label per series (a histogram's buckets are one series).
    static func camelCaseLabels(_ f: MetricFamily, _ c: inout LintContext) {
        for s in series(of: f) {
            for l in f.labels(of: s) where Naming.isCamelCase(f.name(of: l)) {
                c.report(
                    at: Int(l.name.start), "", family: f.name, label: f.name(of: l),
                    promtool: "label names should be written in 'snake_case' not 'camelCase'")
            }
        }
    }

    /// `LintHistogramSummaryReserved`, the label half: once per sample carrying the label.
    static func reservedLabels(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.type != .unknown else { return }
        for (label, allowed) in [("le", f.type == .histogram || f.type == .gaugehistogram), ("quantile", f.type == .summary)] where !allowed
        {
            for s in f.samples {
                for l in f.labels(of: s) where f.name(of: l) == label {
                    c.report(
                        at: Int(l.name.start), "", family: f.name, label: label,
                        promtool: label == "le"
                            ? "non-histogram metrics should not have \"le\" label"
                            : "non-summary metrics should not have \"quantile\" label")
                }
            }
        }
    }

    /// `LintDuplicateMetric`: promlint compares label lists in order (reflect.DeepEqual); an earlier series
    /// equal to a later one is reported, once. Counters, gauges and untyped only (expfmt merged the rest).
    static func duplicateMetric(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.type == .counter || f.type == .gauge || f.type == .unknown else { return }
        var seen: [SeriesIdentity: Int] = [:]
        var reported = Set<Int>()
        for (i, s) in f.samples.enumerated() {
            let key = SeriesIdentity(of: s, in: f, ordered: true)
            if let previous = seen[key], !reported.contains(previous) {
                reported.insert(previous)
                c.report(
                    at: Int(s.offset), "series \(f.seriesDescription(s)) appears more than once", family: f.name,
                    promtool: "metric not unique")
            }
            seen[key] = i
        }
    }

    /// The series promtool's parser sees: histogram and summary lines merge per label set without le/quantile.
    static func series(of f: MetricFamily) -> [Sample] {
        guard f.type == .histogram || f.type == .summary else { return f.samples }
        // expfmt merges by the label set's signature (order aside), without the sample name.
        var seen = Set<SeriesIdentity>()
        var out: [Sample] = []
        for s in f.samples where seen.insert(SeriesIdentity(of: s, in: f, excluding: ["le", "quantile"], includeName: false)).inserted {
            out.append(s)
        }
        return out
    }
}

import Testing

@testable import PromKit

/// The verdicts docs/verdicts.md records: each deliberate strictness or leniency, pinned by input.
@Suite struct VerdictTests {
    static func diagnostics(_ text: String, _ format: ExpositionFormat = .text) -> [Diagnostic] {
        Validator.validate(SourceFile(name: "x", text: text), format: format)
    }

    static func codes(_ text: String, _ format: ExpositionFormat = .text) -> [String] {
        diagnostics(text, format).map { "\($0.severity.rawValue):\($0.code.rawValue)" }
    }

    // MARK: One series identity

    /// Every spelling of the same label set is one series: quoting, blanks around `=`, escapes, order.
    @Test(arguments: [
        #"a{x="1"} 1"#, #"a{"x"="1"} 1"#, #"a{x = "1"} 1"#, #"a{ x="1" } 1"#, #"a{x="1",} 1"#,
    ])
    func sameSeriesSpelledOtherwise(_ second: String) {
        let text = "# TYPE a gauge\na{x=\"1\"} 1\n\(second)\n"
        #expect(Self.codes(text) == ["error:duplicate_series"], "\(second)")
    }

    @Test func sameSeriesAnyOrderAndQuoting() {
        #expect(Self.codes("a{x=\"1\",y=\"2\"} 1\na{\"y\"=\"2\", x = \"1\"} 1\n") == ["error:duplicate_series"])
        #expect(Self.codes("{\"a\",x=\"1\"} 1\na{\"x\"=\"1\"} 1\n") == ["error:duplicate_series"])
        // Different values, or a value that only looks alike raw, are different series.
        #expect(Self.codes("a{x=\"1\"} 1\na{\"x\"=\"2\"} 1\na{x=\"1 \"} 1\n").isEmpty)
        #expect(Self.codes("a{x=\"a\\\\b\"} 1\na{x=\"a\\\\\\\\b\"} 1\n").isEmpty)
    }

    /// OpenMetrics keeps an unknown escape as written: `\q` and `\\q` both mean backslash-q.
    @Test func escapesCompareUnescaped() {
        let om = "# TYPE a gauge\na{x=\"\\q\"} 1\na{x=\"\\\\q\"} 1\n# EOF\n"
        #expect(Self.codes(om, .openMetrics) == ["error:duplicate_series"])
        // A quoted name with `"` in it is no plain name spelled otherwise.
        #expect(Self.codes("a{\"x=\\\"1\"=\"\"} 1\na{x=\"1\\\"=\\\"\"} 1\n").isEmpty)
    }

    /// The validator's grouping into metrics uses the identity too: a histogram whose series is spelled two
    /// ways is one metric (one +Inf bucket, one count), not two with a bucket missing.
    @Test func metricGroupingIsByIdentity() {
        let text = "# TYPE h histogram\nh_bucket{x=\"1\",le=\"+Inf\"} 1\nh_sum{\"x\"=\"1\"} 1\nh_count{x = \"1\"} 1\n"
        #expect(Self.codes(text).isEmpty)
    }

    @Test func identityValues() throws {
        let source = SourceFile(name: "x", text: "a{x=\"1\",y=\"\\\\\"} 1\na{\"y\" = \"\\\\\",\"x\"=\"1\"} 2\na{x=\"1\"} 3\n")
        let families = FamilyReader(source: source, format: .text).readAll().families
        let f = try #require(families.first)
        let s = f.samples
        #expect(f.seriesIdentity(of: s[0]) == f.seriesIdentity(of: s[1]))
        #expect(f.seriesIdentity(of: s[0]) != f.seriesIdentity(of: s[2]))
        #expect(f.seriesIdentity(of: s[0], excluding: ["y"]) == f.seriesIdentity(of: s[2]))
        #expect(f.sameSeries(s[0], s[1]) && !f.sameSeries(s[0], s[2]))
        // In order, the two first differ (promlint compares label lists in order).
        #expect(SeriesIdentity(of: s[0], in: f, ordered: true) != SeriesIdentity(of: s[1], in: f, ordered: true))
        // The per-sample hash agrees with the identity for every spelling.
        f.withInput { p in
            let hashes = s.map { f.labels(of: $0).reduce(UInt64(0)) { $0 &+ SeriesIdentity.labelHash(p, $1) } }
            #expect(hashes[0] == hashes[1] && hashes[0] != hashes[2])
        }
    }

    // MARK: Numbers

    /// A decimal beyond float64's range fails Prometheus' scrape (strconv.ParseFloat: value out of range);
    /// one below it rounds to 0 there, without an error.
    @Test func textValueOverflow() {
        #expect(Self.codes("a 1e400\n") == ["error:invalid_value"])
        #expect(Self.codes("a -1e400\n") == ["error:invalid_value"])
        #expect(Self.codes("a 1" + String(repeating: "0", count: 400) + "\n") == ["error:invalid_value"])
        #expect(Self.diagnostics("a 1e400\n").first?.message.contains("float64") == true)
        #expect(Self.codes("a 1e-400\n").isEmpty)
        #expect(Self.codes("a +Inf\na{x=\"1\"} -inf\n").isEmpty)
        // Timestamps are int64 milliseconds there (strconv.ParseInt): one beyond is an error.
        #expect(Self.codes("a 1 9223372036854775807\n").isEmpty)
        #expect(Self.codes("a 1 9223372036854775808\n") == ["error:invalid_timestamp"])
    }

    @Test func openMetricsNumbersAreFloat64s() {
        #expect(Self.codes("# TYPE a gauge\na 1e400\n# EOF\n", .openMetrics) == ["error:invalid_value"])
        #expect(Self.codes("# TYPE a gauge\na 1 1e400\n# EOF\n", .openMetrics) == ["error:invalid_timestamp"])
        #expect(Self.codes("# TYPE a counter\na_total 1 # {x=\"1\"} 1e400\n# EOF\n", .openMetrics) == ["error:invalid_exemplar"])
        #expect(
            Self.codes("# TYPE h histogram\nh_bucket{le=\"1e400\"} 0\nh_bucket{le=\"+Inf\"} 0\n# EOF\n", .openMetrics) == [
                "error:invalid_bucket_bound"
            ])
        #expect(Self.codes("# TYPE s summary\ns{quantile=\"1e400\"} 0\n# EOF\n", .openMetrics) == ["error:invalid_quantile"])
    }

    /// "Count and bucket values MUST be integers" (histogram), "Bucket values MUST be integers" (gauge
    /// histogram; _gcount is its +Inf bucket), "Count MUST be an integer" (summary). _sum is a float.
    @Test(arguments: [
        ("h_bucket{le=\"+Inf\"} +Inf\nh_count +Inf\nh_sum 1\n", "histogram"),
        ("h_bucket{le=\"+Inf\"} 1.5\nh_count 1.5\nh_sum 1\n", "histogram"),
        ("h_bucket{le=\"+Inf\"} 2\nh_count +Inf\nh_sum 1\n", "histogram"),
        ("h_bucket{le=\"+Inf\"} 1.5\nh_gcount 1.5\nh_gsum 1\n", "gaugehistogram"),
        ("h_count +Inf\nh_sum 1\n", "summary"),
        ("h_count 1.5\nh_sum 1\n", "summary"),
    ])
    func openMetricsCountsAreIntegers(_ body: String, _ type: String) {
        let codes = Self.codes("# TYPE h \(type)\n\(body)# EOF\n", .openMetrics)
        #expect(codes.contains("error:invalid_counter_value"), "\(type): \(body) → \(codes)")
    }

    @Test func openMetricsFloatsStayFloats() {
        #expect(Self.codes("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 1.5\n# EOF\n", .openMetrics).isEmpty)
        #expect(
            Self.codes("# TYPE h gaugehistogram\nh_bucket{le=\"+Inf\"} 2\nh_gcount 2\nh_gsum -1.5\n# EOF\n", .openMetrics) == [
                "error:invalid_counter_value"
            ])
        #expect(Self.codes("# TYPE s summary\ns_count 1e0\ns_sum +Inf\n# EOF\n", .openMetrics).isEmpty)
        // The text format sets no such rule.
        #expect(Self.codes("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1.5\nh_count 1.5\nh_sum 1\n").isEmpty)
    }

    // MARK: Reserved names (OpenMetrics)

    @Test func openMetricsUnderscoreNamesAreReserved() {
        #expect(Self.codes("# TYPE a gauge\na{_x=\"1\"} 1\n# EOF\n", .openMetrics) == ["error:reserved_label_name"])
        #expect(Self.codes("# TYPE a gauge\na{\"_x\"=\"1\"} 1\n# EOF\n", .openMetrics) == ["error:reserved_label_name"])
        #expect(Self.codes("# TYPE a counter\na_total 1 # {_x=\"1\"} 1\n# EOF\n", .openMetrics) == ["error:reserved_label_name"])
        #expect(Self.codes("# TYPE _a gauge\n_a 1\n# EOF\n", .openMetrics) == ["error:invalid_metric_name"])
        #expect(Self.codes("_a 1\n# EOF\n", .openMetrics) == ["error:invalid_metric_name"])
        #expect(Self.codes("# TYPE a_ gauge\na_{x_=\"1\"} 1\n# EOF\n", .openMetrics).isEmpty)
        // The text format reserves only __name__ (the rest is lint's reserved_label_prefix).
        #expect(Self.codes("_a{_x=\"1\"} 1\n").isEmpty)
    }

    // MARK: Text: TYPE, HELP, quantiles, timestamps

    @Test(arguments: ["GAUGE", "Counter", "gaugehistogram", "gauge_histogram", "stateset", "info", "unknown", "bogus"])
    func textTypeWords(_ word: String) {
        let d = Self.diagnostics("# TYPE a \(word)\na 1\n")
        #expect(d.map(\.code) == [.unknownType], "\(word)")
        #expect(d.first?.severity == .error)
    }

    @Test func textTypeSpelling() {
        for word in ["counter", "gauge", "histogram", "summary", "untyped"] {
            #expect(Self.codes("# TYPE a \(word)\n").isEmpty, "\(word)")
        }
        #expect(Self.diagnostics("# TYPE a GAUGE\n").first?.message.contains("lower case") == true)
        #expect(Self.diagnostics("# TYPE a gaugehistogram\n").first?.message.contains("OpenMetrics type") == true)
        // Missing, or with blanks Prometheus would read as part of the type.
        #expect(Self.codes("# TYPE a\na 1\n") == ["error:unknown_type"])
        #expect(Self.codes("# TYPE a \na 1\n") == ["error:unknown_type"])
        #expect(Self.codes("# TYPE a gauge \na 1\n") == ["error:unknown_type"])
        #expect(Self.codes("# TYPE a  gauge\na 1\n") == ["error:unknown_type"])
        // One blank, space or tab, is the separator; blanks before the name do not matter.
        #expect(Self.codes("# TYPE a\tgauge\n#  TYPE   b gauge\n# TYPE\n").isEmpty)
    }

    @Test func textHelpEscapes() {
        let quote = Self.diagnostics("# HELP a say \\\"hi\\\"\na 1\n")
        #expect(quote.map(\.code) == [.invalidEscape] && quote.first?.severity == .warning)
        #expect(quote.first.map { $0.message.contains("expfmt") && $0.message.contains("promtool") } == true)
        let tab = Self.diagnostics("# HELP a a\\tb\na 1\n")
        #expect(tab.map(\.code) == [.invalidEscape] && tab.first?.severity == .warning)
        #expect(tab.first.map { $0.message.contains("\\\\ and \\n") && !$0.message.contains("only \\\\ and \\n are allowed") } == true)
        #expect(Self.codes("# HELP a a\\\\b\\nc\na 1\n").isEmpty)
        // The HELP text still counts: no help_missing-like fallout, the family keeps it.
        #expect(Self.codes("# HELP a x\\\"\n# TYPE a gauge\na 1\n") == ["warning:invalid_escape"])
    }

    /// A CR ending a HELP line is help text (OpenMetrics' `normal-char` holds %x0D; the text format's help is any
    /// UTF-8); in a text comment it is comment. Where the grammar has no room for it, it is a CR LF line end.
    @Test func carriageReturnInHelpIsText() throws {
        let om = "# HELP a help\r\n# TYPE a gauge\na 1\n# EOF\n"
        #expect(Self.codes(om, .openMetrics).isEmpty)
        #expect(Self.codes(om.replacingOccurrences(of: "\n# EOF", with: "\n# EOF\r"), .openMetrics2) == ["error:carriage_return"])
        #expect(Self.codes("# HELP a help\r\n# TYPE a gauge\r\na 1\n# EOF\n", .openMetrics) == ["error:carriage_return"])
        #expect(Self.codes("# TYPE a gauge\na 1\r\n# EOF\n", .openMetrics2) == ["error:carriage_return"])
        let exposition = Exposition(source: SourceFile(name: "x", text: om), format: .openMetrics)
        #expect(exposition.families.first?.help == "help\r")
        // Text: HELP and comments keep it; TYPE lines and samples do not.
        #expect(Self.codes("# HELP a help\r\n# a comment\r\n#\tTYPE\r\n# TYPE a gauge\na 1\n").isEmpty)
        #expect(Self.codes("# TYPE a gauge\r\na 1\n") == ["error:carriage_return"])
        #expect(Self.codes("# TYPE a gauge\na 1\r\n") == ["error:carriage_return"])
    }

    /// Nothing after `# EOF` is read: invalid UTF-8 there is neither reported nor counted, under any limit.
    @Test func invalidUTF8AfterEOFIsNotCountedUnderALimit() {
        let bytes = Array("a{ 1\nb{ 1\nc{ 1\n# EOF\nx 1\n".utf8) + [0x79, 0xFF, 0x20, 0x31, 0x0A]
        let source = SourceFile(name: "x", bytes: bytes)
        for limit in [1, 2, 1000] {
            let ds = Validator.validate(source, format: .openMetrics, options: ReadOptions(maxDiagnostics: limit, threads: 1))
            let omitted = ds.reduce(0) { $0 + $1.omitted.reduce(0) { $0 + $1.count } }
            #expect(ds.filter { $0.code != .tooManyDiagnostics }.count + omitted == 4, "limit \(limit): \(ds.map(\.code))")
            #expect(!ds.contains { $0.code == .invalidUTF8 })
        }
    }

    @Test func textQuantileRange() {
        let text = "# TYPE s summary\ns{quantile=\"99.9\"} 1\ns{quantile=\"-1\"} 1\ns_sum 1\ns_count 1\n"
        #expect(Self.codes(text).isEmpty)
        #expect(Self.codes("# TYPE s summary\ns{quantile=\"x\"} 1\n") == ["error:invalid_quantile"])
        let om = "# TYPE s summary\ns{quantile=\"99.9\"} 1\ns_sum 1\ns_count 1\n# EOF\n"
        #expect(Self.codes(om, .openMetrics) == ["error:invalid_quantile"])
    }

    /// A timestamp on some samples of a text histogram is each sample's own: one metric, one +Inf bucket.
    @Test func textHistogramTimestampsDoNotSplit() {
        let text = "# TYPE x histogram\nx_bucket{le=\"1\"} 0\nx_bucket{le=\"+Inf\"} 1\nx_sum 1\nx_count 1 123\n"
        #expect(Self.codes(text).isEmpty)
        #expect(
            Self.codes("# TYPE x histogram\nx_bucket{le=\"+Inf\"} 1 100\nx_sum 1 200\nx_count 2 300\n") == [
                "error:histogram_count_mismatch"
            ])
        // OpenMetrics: all or none, and then the timestamps tell points apart.
        let om = "# TYPE x histogram\nx_bucket{le=\"+Inf\"} 1\nx_count 1 123\nx_sum 1\n# EOF\n"
        #expect(Self.codes(om, .openMetrics) == ["error:timestamp_mixed"])
        let points =
            "# TYPE x histogram\nx_bucket{le=\"+Inf\"} 1 1\nx_count 1 1\nx_sum 1 1\nx_bucket{le=\"+Inf\"} 2 2\nx_count 2 2\nx_sum 2 2\n# EOF\n"
        #expect(Self.codes(points, .openMetrics).isEmpty)
    }

    // MARK: Model

    @Test func exemplarValueRangeIsTheValue() throws {
        let source = SourceFile(
            name: "x", text: "# TYPE a counter\na_total{x=\"1\"} 1 # {t=\"1\"} 0.5 1700000000.5\na_total{x=\"2\"} 2 # {t=\"2\"} 7\n# EOF\n")
        let (families, diagnostics) = FamilyReader(source: source, format: .openMetrics).readAll()
        #expect(diagnostics.isEmpty)
        let f = try #require(families.first)
        #expect(f.exemplars.map { f.text($0.valueRange) } == ["0.5", "7"])
        #expect(f.exemplars.map { $0.timestamp.map { f.text($0.range) } } == ["1700000000.5", nil])
    }
}

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
        let families = try FamilyReader(source: source, format: .text).readAll().families
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
}

import Testing

@testable import PromKit
@testable import PromKitLint

/// Rules that compare a sample with earlier ones in its family find them by key, not by a scan of all earlier
/// ones: the same verdicts on families far larger than the rules' examples.
@Suite struct LargeFamilyRuleTests {
    /// A histogram with `bounds` distinct bucket bounds, the bound `clash` (if any) written again as `N.0`.
    static func histogram(bounds: Int, clashAt clash: Int?) -> String {
        var text = "# HELP h H.\n# TYPE h histogram\n"
        for i in 0..<bounds { text += "h_bucket{le=\"\(i)\"} \(i)\n" }
        if let clash { text += "h_bucket{x=\"2\",le=\"\(clash).0\"} 1\n" }
        text += "h_bucket{le=\"+Inf\"} \(bounds)\nh_sum 1\nh_count \(bounds)\n"
        return text
    }

    @Test func bucketSpellingOverManyBounds() {
        #expect(RuleExampleTests.findings(Self.histogram(bounds: 500, clashAt: nil), rule: "le_spelling").isEmpty)
        for clash in [3, 31, 32, 33, 400, 499] {
            let f = RuleExampleTests.findings(Self.histogram(bounds: 500, clashAt: clash), rule: "le_spelling")
            #expect(
                f.count == 1 && f[0].message.contains("le=\"\(clash).0\" and le=\"\(clash)\""), "clash at \(clash): \(f.map(\.message))")
        }
    }

    @Test func counterCreatedOverManySeries() {
        var text = "# TYPE a counter\n# HELP a A.\n"
        for i in 0..<2000 { text += "a_total{i=\"\(i)\"} 1 100\na_created{i=\"\(i)\"} \(i == 1500 ? 200 : 50)\n" }
        text += "# EOF\n"
        let f = RuleExampleTests.findings(text, rule: "counter_created")
        #expect(f.count == 1 && f[0].message.contains("a_created{i=\"1500\"} is 200"), "\(f.map(\.message))")
    }
}

import Foundation
import Testing

@testable import PromKit
@testable import PromKitDiff

/// A scrape diffed against its own `promkit convert` and `promkit fmt` output (the real library calls the
/// commands make) shows no series change: every series of one is a series of the other, with its value.
@Suite struct DiffRoundTripTests {
    static let scrapeNames: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: DiffPaths.scrapes.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()

    /// What a scrape becomes: each conversion its format allows, and fmt.
    static func rewrites(_ name: String) -> [(String, FormatChoice, (SourceFile) -> [UInt8]?)] {
        let text = !name.contains("openmetrics")
        func convert(_ to: TargetFormat) -> (SourceFile) -> [UInt8]? { { ConvertRun(to: to).convert($0).output } }
        return [
            text ? ("convert --to openmetrics", .openMetrics, convert(.openMetrics)) : ("convert --to text", .text, convert(.text)),
            ("convert --to openmetrics2", .openMetrics2, convert(.openMetrics2)),
            ("fmt", text ? .text : .openMetrics, { FormatRun().format($0).output }),
        ]
    }

    /// The one family change a rewrite may show, documented in docs/diff-json.md ("Comparing across formats"):
    /// a counter that `convert` writes as unknown on purpose, to keep its samples' names (one not named `_total`,
    /// or whose OpenMetrics name clashes with another family's: node exporter's `go_memstats_alloc_bytes_total`
    /// beside the gauge `go_memstats_alloc_bytes`), and a text gauge `x_info` of ones that it writes as an info
    /// family (`gauge_as_info`). Their series are still the same series.
    static func documented(_ change: FamilyChange) -> Bool {
        change.kind == .typeChanged
            && (Set([change.old, change.new]) == ["counter", "unknown"] || Set([change.old, change.new]) == ["gauge", "info"])
    }

    /// Families a rewrite changes for reasons of `convert`'s own, not the diff's: why, or nil. Each is named in
    /// the report of the work that added this test.
    static func knownDifference(_ what: String, _ family: FamilyDiff) -> String? {
        let types = Set([family.oldType, family.newType].compactMap { $0 })
        if what == "convert --to openmetrics2" && family.name.hasPrefix("demo_queue_wait_seconds") {
            // The Python client's gauge histogram in text: a histogram with _gcount and _gsum, no _count or _sum.
            return "a text histogram without _count and _sum is written as unknown and gauge families, every sample kept"
        }
        if what == "convert --to text" && family.name.hasPrefix("demo_queue_wait_seconds") && types.isSubset(of: [.gauge, .gaugehistogram])
        {
            return "the text format has no gauge histogram: its samples are written as gauge families _bucket, _gcount, _gsum"
        }
        return nil
    }

    @Test(.enabled(if: DiffPaths.scrapesAvailable, "../shared/scrapes is absent"), arguments: scrapeNames)
    func rewrittenScrapeHasNoSeriesChange(_ name: String) throws {
        let original = DiffPaths.scrape(name)
        for (what, format, rewrite) in Self.rewrites(name) {
            guard let output = rewrite(original) else {
                // Only an input that is invalid is not converted (client_golang 1.14's OpenMetrics repeats a family).
                #expect(ValidationRun().validate(original).findings.contains { $0.severity == .error }, "\(what) of \(name) failed")
                continue
            }
            let rewritten = SourceFile(name: "\(name) (\(what))", bytes: output)
            for (a, b, aFormat, bFormat) in [(original, rewritten, FormatChoice.auto, format), (rewritten, original, format, .auto)] {
                let outcome = diff(a, b) {
                    $0.oldFormat = aFormat
                    $0.newFormat = bFormat
                }
                let result = try #require(outcome.result, "\(name) vs \(what): \(outcome.findings.map(\.message))")
                let shown = render(DiffTextReporter.self, result)
                let compared = result.families.filter { Self.knownDifference(what, $0) == nil }
                #expect(compared.count > 0)
                for family in compared {
                    #expect(
                        family.status != .added && family.status != .removed
                            && family.seriesAdded + family.seriesRemoved + family.seriesChanged == 0,
                        "\(name) vs its \(what): \(family.name) differs\n\(shown)")
                    #expect(family.changes.allSatisfy(Self.documented), "\(name) vs its \(what): \(family.name)\n\(shown)")
                }
            }
        }
    }
}

import Foundation
import PromKitReport
import Testing

@testable import PromKit
@testable import PromKitDiff

enum DiffPaths {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let testdata = repoRoot.appendingPathComponent("testdata/diff")
    static let golden = testdata.appendingPathComponent("golden")
    static let scrapes = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/scrapes")
    static var scrapesAvailable: Bool { FileManager.default.fileExists(atPath: scrapes.path) }
    static let junitSchema = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/schemas/junit-10.xsd").path

    /// A file as a source named by a stable, relative name (goldens do not depend on the checkout's place).
    static func source(_ url: URL, name: String) -> SourceFile {
        SourceFile(name: name, bytes: Array(try! Data(contentsOf: url)))
    }

    static func testFile(_ name: String) -> SourceFile { source(testdata.appendingPathComponent(name), name: "testdata/diff/\(name)") }
    static func scrape(_ name: String) -> SourceFile { source(scrapes.appendingPathComponent(name), name: "scrapes/\(name)") }
}

/// Goldens: a missing or different one fails; `UPDATE_GOLDEN=1` rewrites it for review.
enum DiffGolden {
    static func check(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let url = DiffPaths.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.createDirectory(at: DiffPaths.golden, withIntermediateDirectories: true)
            try! actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden \(url.path); record it with UPDATE_GOLDEN=1 swift test", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "golden \(name) differs; review, then UPDATE_GOLDEN=1 to re-record", sourceLocation: sourceLocation)
    }
}

func diff(_ old: SourceFile, _ new: SourceFile, _ configure: (inout DiffOptions) -> Void = { _ in }) -> DiffRun.Outcome {
    var options = DiffOptions()
    configure(&options)
    return DiffRun(options: options).diff(old: old, new: new)
}

func render(_ reporter: any DiffReporter.Type, _ result: DiffResult) -> String {
    String(decoding: try! reporter.init().render(result, context: .plain), as: UTF8.self)
}

@Suite struct DiffGoldenTests {
    /// Hand-made pairs: every reporter on the pair that has every kind of change.
    @Test(arguments: [("kinds", "prom"), ("units", "om")])
    func handMadePairs(_ name: String, _ ext: String) throws {
        let outcome = diff(DiffPaths.testFile("\(name).old.\(ext)"), DiffPaths.testFile("\(name).new.\(ext)"))
        let result = try #require(outcome.result)
        DiffGolden.check(render(DiffTextReporter.self, result), "\(name).txt")
        DiffGolden.check(render(DiffJSONReporter.self, result), "\(name).json")
        DiffGolden.check(render(DiffMarkdownReporter.self, result), "\(name).md")
        DiffGolden.check(render(DiffJUnitReporter.self, result), "\(name).xml")
    }

    /// Real exporters' two scrapes.
    @Test(
        .enabled(if: DiffPaths.scrapesAvailable, "../shared/scrapes is absent"),
        arguments: [
            "prometheus.text", "node-exporter.text", "client-golang-1.14-debian.text", "client-golang-1.14-debian.openmetrics",
            "python-client-0.26.text", "python-client-0.26.openmetrics",
        ])
    func scrapePairs(_ name: String) throws {
        let outcome = diff(DiffPaths.scrape("\(name).1.txt"), DiffPaths.scrape("\(name).2.txt"))
        let result = try #require(outcome.result)
        DiffGolden.check(render(DiffTextReporter.self, result), "scrape-\(name).txt")
        DiffGolden.check(render(DiffJSONReporter.self, result), "scrape-\(name).json")
    }

    /// Every change kind and every class appears in the hand-made pairs (so the goldens cover them all).
    @Test func everyKindAndClassIsCovered() throws {
        var kinds = Set<ChangeKind>()
        var series = Set<String>()
        for (name, ext) in [("kinds", "prom"), ("units", "om")] {
            let result = try #require(diff(DiffPaths.testFile("\(name).old.\(ext)"), DiffPaths.testFile("\(name).new.\(ext)")).result)
            for f in result.families {
                kinds.formUnion(f.changes.map(\.kind))
                series.formUnion(f.series.map(\.kind.rawValue))
                if f.series.contains(where: \.counterReset) { series.insert("reset") }
                if f.series.contains(where: { $0.rate != nil }) { series.insert("rate") }
            }
        }
        #expect(kinds == Set(ChangeKind.allCases))
        #expect(Set(kinds.map(\.changeClass)) == Set(ChangeClass.allCases))
        #expect(series == ["added", "removed", "changed", "reset", "rate"])
    }

    @Test func kindsClassified() throws {
        let result = try #require(diff(DiffPaths.testFile("kinds.old.prom"), DiffPaths.testFile("kinds.new.prom")).result)
        func family(_ name: String) -> FamilyDiff { result.families.first { $0.name == name }! }
        #expect(family("retired_total").status == .removed)
        #expect(family("retired_total").worstClass == .breaking)
        #expect(family("cache_hits_total").status == .added)
        #expect(family("cache_hits_total").worstClass == .info)
        #expect(family("mode_info").changes.map(\.kind) == [.typeChanged])
        #expect(family("http_requests_total").changes.map(\.kind) == [.labelRemoved])
        #expect(family("queue_depth").changes.map(\.kind) == [.labelAdded])
        #expect(family("latency_seconds").changes.map(\.kind) == [.bucketsChanged])
        #expect(family("rpc_seconds").changes.map(\.kind) == [.quantilesChanged])
        #expect(family("jobs").changes.map(\.kind) == [.cardinalityIncreased])
        #expect(family("steady").status == .unchanged)
        let restart = try #require(family("restarts_total").series.first)
        #expect(restart.counterReset && restart.old == 50 && restart.new == 2 && restart.delta == -48)
        #expect(result.summary.breaking == 4 && result.summary.risky == 3)
        #expect(result.fails(.breaking) && result.fails(.risky) && result.fails(.any) && !result.fails(.never))
    }

    @Test func rateOverTheInterval() throws {
        let result = try #require(diff(DiffPaths.testFile("units.old.om"), DiffPaths.testFile("units.new.om")).result)
        let change = try #require(result.families.first { $0.name == "bytes_read" }?.series.first)
        #expect(change.rate == 60)  // 600 more over 10 s
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: DiffPaths.junitSchema), "../shared/schemas/junit-10.xsd is absent"))
    func junitIsSchemaValid() throws {
        let result = try #require(diff(DiffPaths.testFile("kinds.old.prom"), DiffPaths.testFile("kinds.new.prom")).result)
        let xml = try DiffJUnitReporter().render(result, context: .plain)
        #expect(XMLSchemaValidator.validate(xml, schemaPath: DiffPaths.junitSchema) == nil)
    }
}

/// The same data written otherwise (label order, quoting, blanks, escapes, `le` 1 or 1.0, the OpenMetrics
/// spelling of a text counter, timestamps in seconds or milliseconds) is no change.
@Suite struct DiffEquivalenceTests {
    @Test(arguments: [("same.prom", "same-reformatted.om"), ("quoting.a.prom", "quoting.b.prom"), ("kinds.old.prom", "kinds.old.prom")])
    func reformattedIsUnchanged(_ a: String, _ b: String) throws {
        for (x, y) in [(a, b), (b, a)] {
            let result = try #require(diff(DiffPaths.testFile(x), DiffPaths.testFile(y)).result)
            #expect(
                result.summary
                    == {
                        var s = DiffSummary(); s.seriesUnchanged = result.old.series; return s
                    }(), "\(x) vs \(y)")
            #expect(result.old.series == result.new.series && result.old.series > 0)
            #expect(!result.fails(.any))
        }
    }

    @Test(.enabled(if: DiffPaths.scrapesAvailable, "../shared/scrapes is absent"))
    func scrapeAgainstItself() throws {
        let s = DiffPaths.scrape("node-exporter.text.1.txt")
        let result = try #require(diff(s, s).result)
        #expect(!result.fails(.any) && result.summary.seriesUnchanged == result.old.series)
    }
}

@Suite struct DiffOptionTests {
    static let old = SourceFile(
        name: "old", text: "# TYPE a gauge\na{instance=\"x\",k=\"1\"} 100\na{instance=\"x\",k=\"2\"} 5\n# TYPE go_x gauge\ngo_x 1\n")
    static let new = SourceFile(
        name: "new", text: "# TYPE a gauge\na{instance=\"y\",k=\"1\"} 100.5\na{instance=\"y\",k=\"2\"} 5\n# TYPE go_y gauge\ngo_y 1\n")

    @Test func plain() throws {
        let s = try #require(diff(Self.old, Self.new).result).summary
        #expect(s.seriesAdded == 3 && s.seriesRemoved == 3 && s.familiesAdded == 1 && s.familiesRemoved == 1)
    }

    @Test func ignoreLabelAndMetric() throws {
        let s = try #require(
            diff(Self.old, Self.new) {
                $0.ignoreLabels = ["instance"]; $0.ignoreMetrics = [Glob("go_*")]
            }.result
        ).summary
        #expect(s.seriesAdded == 0 && s.seriesRemoved == 0 && s.seriesChanged == 1 && s.seriesUnchanged == 1)
        #expect(s.familiesAdded == 0 && s.familiesRemoved == 0 && s.familiesChanged == 1)
    }

    @Test func toleranceAndIgnoreValues() throws {
        let loose = try #require(
            diff(Self.old, Self.new) {
                $0.ignoreLabels = ["instance"]; $0.tolerance = 0.01
            }.result
        ).summary
        #expect(loose.seriesChanged == 0 && loose.seriesUnchanged == 2)
        let tight = try #require(
            diff(Self.old, Self.new) {
                $0.ignoreLabels = ["instance"]; $0.tolerance = 0.001
            }.result
        ).summary
        #expect(tight.seriesChanged == 1)
        let values = try #require(
            diff(Self.old, Self.new) {
                $0.ignoreLabels = ["instance"]; $0.ignoreValues = true
            }.result
        ).summary
        #expect(values.seriesChanged == 0 && values.seriesUnchanged == 2)
    }

    @Test func cardinalityThreshold() throws {
        let a = SourceFile(name: "a", text: "x{i=\"1\"} 1\nx{i=\"2\"} 1\nx{i=\"3\"} 1\nx{i=\"4\"} 1\n")
        let b = SourceFile(name: "b", text: "x{i=\"1\"} 1\nx{i=\"2\"} 1\nx{i=\"3\"} 1\nx{i=\"4\"} 1\nx{i=\"5\"} 1\n")
        #expect(try #require(diff(a, b).result).summary.risky == 1)  // +25% > 20%
        #expect(try #require(diff(a, b) { $0.cardinalityThreshold = 25 }.result).summary.risky == 0)
    }

    @Test func seriesListingIsBoundedButCountsAreNot() throws {
        let a = SourceFile(name: "a", text: (0..<50).map { "x{i=\"\($0)\"} 1\n" }.joined())
        let b = SourceFile(name: "b", text: (0..<50).map { "x{i=\"\($0)\"} 2\n" }.joined())
        let result = try #require(diff(a, b) { $0.maxSeriesListed = 10 }.result)
        #expect(result.summary.seriesChanged == 50)
        #expect(result.families[0].series.count == 10 && result.families[0].listed(.changed).more == 40)
        #expect(result.families[0].series[0].series == "x{i=\"0\"}")
    }

    @Test func syntaxErrorsStopSemanticFindingsDoNot() throws {
        let broken = diff(SourceFile(name: "a", text: "a{ 1\n"), SourceFile(name: "b", text: "a 1\n"))
        #expect(broken.result == nil && broken.syntaxErrors && broken.exitStatus(failOn: .never) == 2)
        #expect(broken.findings.contains { $0.severity == .error && $0.line == 1 })
        let duplicate = diff(SourceFile(name: "a", text: "a 1\na 1\n"), SourceFile(name: "b", text: "a 1\n"))
        #expect(duplicate.result != nil && duplicate.exitStatus(failOn: .any) == 0)
        #expect(duplicate.findings.contains { $0.rule == "duplicate_series" && $0.severity == .warning })
    }
}

/// The JSON summary's series counts agree with the reference parser (PyPI prometheus-client): every series
/// of NEW is added, changed or unchanged, every series of OLD removed, changed or unchanged.
@Suite struct DiffReferenceCountTests {
    static func referenceCount(_ url: URL, openMetrics: Bool) -> Int? {
        let script =
            openMetrics
            ? "import sys\nfrom prometheus_client.openmetrics.parser import text_string_to_metric_families as p\nprint(sum(len(f.samples) for f in p(open(sys.argv[1]).read())))"
            : "import sys\nfrom prometheus_client.parser import text_string_to_metric_families as p\nprint(sum(len(f.samples) for f in p(open(sys.argv[1]).read())))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, url.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        guard (try? process.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static var pythonClient: Bool { referenceCount(DiffPaths.testdata.appendingPathComponent("kinds.old.prom"), openMetrics: false) != nil }

    @Test(
        .enabled(
            if: DiffPaths.scrapesAvailable && pythonClient,
            "../shared/scrapes or PyPI prometheus-client is absent (scripts/test.sh installs it)"),
        arguments: [
            "prometheus.text", "node-exporter.text", "client-golang-1.14-debian.text", "python-client-0.26.text",
            "python-client-0.26.openmetrics",
        ])
    func seriesCountsMatchReferenceParser(_ name: String) throws {
        let om = name.hasSuffix("openmetrics")
        let oldURL = DiffPaths.scrapes.appendingPathComponent("\(name).1.txt"),
            newURL = DiffPaths.scrapes.appendingPathComponent("\(name).2.txt")
        let oldCount = try #require(Self.referenceCount(oldURL, openMetrics: om))
        let newCount = try #require(Self.referenceCount(newURL, openMetrics: om))
        let result = try #require(diff(DiffPaths.scrape("\(name).1.txt"), DiffPaths.scrape("\(name).2.txt")).result)
        let json = try JSONSerialization.jsonObject(with: Data(try DiffJSONReporter().render(result, context: .plain))) as! [String: Any]
        let s = json["summary"] as! [String: Int]
        #expect(
            Set(s.keys) == [
                "familiesAdded", "familiesRemoved", "familiesChanged", "seriesAdded", "seriesRemoved",
                "seriesChanged", "seriesUnchanged", "breaking", "risky",
            ])
        #expect(s["seriesRemoved"]! + s["seriesChanged"]! + s["seriesUnchanged"]! == oldCount)
        #expect(s["seriesAdded"]! + s["seriesChanged"]! + s["seriesUnchanged"]! == newCount)
    }
}

/// The Python client's text `_created` gauges are its counters', histograms' and summaries' `_created`
/// samples, folded into them as `convert` does; OpenMetrics 2.0 composite values are compared as the classic
/// series they stand for.
@Suite struct DiffClassicShapeTests {
    @Test func textCreatedGaugesAreTheOpenMetricsCreatedSamples() throws {
        let text = DiffPaths.testFile("created.text.prom"), om = DiffPaths.testFile("created.om")
        for (a, b) in [(text, om), (om, text)] {
            let result = try #require(diff(a, b).result)
            #expect(
                result.summary
                    == {
                        var s = DiffSummary(); s.seriesUnchanged = 9; return s
                    }(), "\(render(DiffTextReporter.self, result))")
            #expect(result.old.families == 2 && result.new.families == 2)
        }
        // A changed _created value is a change of the counter's `_created` series.
        let written = try String(contentsOf: DiffPaths.testdata.appendingPathComponent("created.text.prom"), encoding: .utf8)
        let changed = SourceFile(name: "changed", text: written.replacingOccurrences(of: "1.7e+09", with: "1.8e+09"))
        let result = try #require(diff(om, changed).result)
        #expect(result.summary.seriesChanged == 2 && result.summary.familiesChanged == 2)
        #expect(Set(result.families.flatMap { $0.series.map(\.series) }) == ["requests_created{path=\"/a\"}", "latency_seconds_created"])
    }

    @Test(.enabled(if: DiffPaths.scrapesAvailable, "../shared/scrapes is absent"))
    func pythonClientTextAgainstItsOpenMetrics() throws {
        let text = DiffPaths.scrape("python-client-0.26.text.1.txt"), om = DiffPaths.scrape("python-client-0.26.openmetrics.1.txt")
        let result = try #require(diff(text, om).result)
        #expect(!result.families.contains { $0.status == .added || $0.status == .removed }, "\(render(DiffTextReporter.self, result))")
        #expect(result.summary.seriesAdded == 0 && result.summary.seriesRemoved == 0, "\(render(DiffTextReporter.self, result))")
    }

    @Test func compositeValuesComparedPartByPart() throws {
        let result = try #require(diff(DiffPaths.testFile("composite.old.om2"), DiffPaths.testFile("composite.new.om2")).result)
        DiffGolden.check(render(DiffTextReporter.self, result), "composite.txt")
        DiffGolden.check(render(DiffJSONReporter.self, result), "composite.json")
        let changed = result.families.flatMap { f in f.series.map { ($0.series, $0.old, $0.new) } }
        #expect(changed.map(\.0) == ["lat_bucket{path=\"/a\",le=\"0.5\"}", "lat_sum{path=\"/b\"}", "rpc{quantile=\"0.9\"}"])
        #expect(changed.map(\.1) == [1, 1, 0.4] && changed.map(\.2) == [2, 1.25, 0.5])
        #expect(result.summary.seriesChanged == 3 && result.summary.seriesAdded == 0 && result.summary.seriesRemoved == 0)
        // 2 × (3 buckets, count, sum, created) + (2 quantiles, count, sum) + (2 buckets, gcount, gsum)
        #expect(result.old.series == 20 && result.summary.seriesUnchanged == 17)
        #expect(result.families.first { $0.name == "queue" }?.status == .unchanged)  // `le` 1.0 is 1
    }

    @Test func compositeValuesEqualTheirClassicSeries() throws {
        let om2 = DiffPaths.testFile("composite.old.om2"), classic = DiffPaths.testFile("composite.classic.om")
        for (a, b) in [(om2, classic), (classic, om2)] {
            let result = try #require(diff(a, b).result)
            #expect(
                result.summary
                    == {
                        var s = DiffSummary(); s.seriesUnchanged = 20; return s
                    }(), "\(render(DiffTextReporter.self, result))")
        }
    }
}

// The public API only, as a user's package sees it: no @testable, no package-level internals.
import Foundation
import PromKit
import PromKitDiff
import PromKitLint
import Testing

/// What the README shows a Swift user, compiled and checked as they would use it.
@Suite struct PublicAPITests {
    static let scrape = """
        # HELP http_requests_total Requests served.
        # TYPE http_requests_total counter
        http_requests_total{method="get",path="/a\\"b"} 1027 1395066363000
        http_requests_total{method="post"} 3
        # TYPE temperature gauge
        temperature{room="kitchen"} 21.5
        temperature{room="kitchen"} 22

        """

    @Test func readmeExample() {
        let exposition = Exposition(parsing: Self.scrape)
        #expect(exposition.format == .text)
        #expect(!exposition.isValid)
        #expect(
            exposition.findings.map(\.description) == [
                "7:1: error: duplicate series temperature{room=\"kitchen\"}; it was already given earlier [duplicate_series]"
            ])
        let requests = exposition.family(named: "http_requests_total")
        #expect(requests?.type == .counter)
        #expect(requests?.help == "Requests served.")
        let samples = requests?.decodedSamples ?? []
        #expect(samples.count == 2)
        #expect(
            samples.first
                == DecodedSample(
                    name: "http_requests_total",
                    labels: [DecodedLabel(name: "method", value: "get"), DecodedLabel(name: "path", value: "/a\"b")],
                    value: 1027, timestamp: 1_395_066_363))
        #expect(samples.last?[label: "method"] == "post")
        #expect(samples.last?[label: "path"] == nil)
    }

    @Test func openMetricsIsDetectedAndFamiliesNamedWithoutSuffix() {
        let exposition = Exposition(parsing: "# TYPE jobs counter\n# HELP jobs Jobs.\njobs_total 3\njobs_created 1.5e9\n# EOF\n")
        #expect(exposition.format == .openMetrics)
        #expect(exposition.isValid, "\(exposition.findings)")
        #expect(exposition.families.map(\.name) == ["jobs"])
        #expect(exposition.families[0].decodedSamples.map(\.name) == ["jobs_total", "jobs_created"])
    }

    @Test func aFileThatCannotBeReadThrows() {
        do {
            _ = try Exposition(contentsOf: "/nonexistent/metrics.prom")
            Issue.record("no error for a missing file")
        } catch {
            #expect(error.description == "/nonexistent/metrics.prom: cannot read input: No such file or directory")
        }
    }

    @Test func validationAsALibraryCall() {
        // The same findings as `promkit validate`, from the run type the command uses.
        let source = SourceFile(name: "t.prom", text: "a{b=\"1\" 1\n")
        let report = ValidationRun().validate(source)
        #expect(report.findings.map(\.rule) == ["invalid_labels"])
        #expect(report.findings[0].line == 1 && report.findings[0].column > 1)
    }

    /// The README's "As a Swift library" example, line for line (`readmeLinesAreHere` checks that each is here).
    @Test func readmeLibraryExample() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-api-\(UUID().uuidString).prom").path
        try Data(Self.scrape.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = Self.scrape
        let before = "# TYPE jobs gauge\njobs 1\n# TYPE queue gauge\nqueue 2\n"
        let after = "# TYPE jobs gauge\njobs 3\n"

        // Parse: the families, and every finding located by line and column.
        let exposition = try Exposition(contentsOf: path)  // or Exposition(parsing: text)
        for finding in exposition.findings {
            print(finding)  // 7:1: error: duplicate series temperature{room="kitchen"}; it was already given earlier [duplicate_series]
        }
        if let requests = exposition.family(named: "http_requests_total") {
            for sample in requests.decodedSamples {
                print(sample.name, sample[label: "method"] ?? "-", sample.value)  // http_requests_total get 1027.0
            }
        }

        // Validate and lint: what `promkit validate` and `promkit lint` report.
        let source = SourceFile(name: "metrics.prom", text: text)
        let specErrors = ValidationRun().validate(source).findings.filter { $0.severity == .error }
        let lintFindings = LintRun(linter: Linter()).lint(source).findings  // rules configured by LintConfiguration

        // Diff: what changed between two scrapes, and whether it breaks anyone.
        let outcome = DiffRun().diff(old: SourceFile(name: "old.prom", text: before), new: SourceFile(name: "new.prom", text: after))
        let breaking = outcome.result?.fails(.breaking) ?? true  // nil result: an input did not parse

        // Convert: the same metrics in another format (nil when the input is invalid), with the changes it made.
        let (openMetrics, conversionWarnings) = ConvertRun(to: .openMetrics).convert(source)

        #expect(
            exposition.findings.map(\.description) == [
                "7:1: error: duplicate series temperature{room=\"kitchen\"}; it was already given earlier [duplicate_series]"
            ])
        #expect(
            exposition.family(named: "http_requests_total")?.decodedSamples.first.map {
                "\($0.name) \($0[label: "method"] ?? "-") \($0.value)"
            } == "http_requests_total get 1027.0")
        #expect(specErrors.map(\.rule) == ["duplicate_series"])
        #expect(lintFindings.contains { $0.rule == "help_missing" && $0.line == 5 }, "\(lintFindings)")
        #expect(lintFindings.contains { $0.rule == "duplicate_series" && $0.severity == .error }, "\(lintFindings)")
        #expect(breaking, "queue removed")
        #expect(outcome.result?.families.first { $0.name == "queue" }?.changes.map(\.kind) == [.familyRemoved])
        #expect(openMetrics == nil && conversionWarnings.contains { $0.code == .duplicateSeries }, "an invalid input converts to nothing")
        let valid = SourceFile(name: "ok.prom", text: "# TYPE jobs_total counter\njobs_total 3\n")
        #expect(
            ConvertRun(to: .openMetrics).convert(valid).output.map { String(decoding: $0, as: UTF8.self) }
                == "# TYPE jobs counter\njobs_total 3\n# EOF\n")
    }

    /// Every line of the README's Swift library example is a line of `readmeLibraryExample` (blanks and
    /// indentation aside), so the README shows code that compiles and runs.
    @Test func readmeLinesAreHere() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## As a Swift library\n").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```swift\n").dropFirst().first?.components(separatedBy: "\n```").first)
        let here = Set(
            try String(contentsOfFile: #filePath, encoding: .utf8).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        let lines = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty && !$0.hasPrefix("import ")
        }
        #expect(lines.count > 15)
        for line in lines { #expect(here.contains(line), "README.md's library example has a line not in PublicAPITests.swift: \(line)") }
    }
}

// The public API only, as a user's package sees it: no @testable, no package-level internals.
import PromKit
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
}

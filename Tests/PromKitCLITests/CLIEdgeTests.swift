import Foundation
import Testing

/// The command line's edges (issue 13, "CLI behaviour").
extension CLITests {
    /// Lines 3, 6 and 12 are syntax errors; line 9's finding (buckets out of order) is made when family `e` ends,
    /// after line 12's: the limit keeps the first three in input order all the same.
    static let lateFinding = "testdata/cli/late-family-finding.prom"

    @Test func maxDiagnosticsKeepsTheFirstInInputOrder() throws {
        let r = try Self.run(["validate", "--max-diagnostics", "3", Self.lateFinding])
        let lines = r.stdout.split(separator: "\n").compactMap { $0.split(separator: ":").dropFirst().first.map(String.init) }
        #expect(lines.prefix(3) == ["3", "6", "9"], "\(r.stdout)")
        #expect(r.stdout.contains(":13:1: info: 1 more finding not shown (limit 3; see --max-diagnostics)"))
        // The true totals: three errors and one warning, one of the errors not shown.
        #expect(r.stdout.hasSuffix("3 errors, 1 warning in 1 file (1 not shown; see --max-diagnostics)\n"), "\(r.stdout)")
        #expect(r.status == 1)
    }

    @Test func everyReporterGivesTheTrueTotals() throws {
        let json = try Self.run(["validate", "--max-diagnostics", "1", "--reporter", "json", Self.lateFinding])
        #expect(json.stdout.contains("\"summary\": {\"inputs\": 1, \"errors\": 3, \"warnings\": 1, \"infos\": 0, \"omitted\": 3}"), "\(json.stdout)")
        #expect(json.stdout.contains("{\"rule\": \"invalid_label_name\", \"severity\": \"error\", \"count\": 2}"))
        let sarif = try Self.run(["validate", "--max-diagnostics", "1", "--reporter", "sarif", Self.lateFinding])
        #expect(sarif.stdout.contains("\"properties\": {\"errors\": 3, \"warnings\": 1, \"notes\": 0, \"omittedResults\": 3}"))
        // Line 3 is the one error shown; histogram_bucket_order's warning is cut, and so are line 6's and 12's errors.
        let lint = try Self.run(["lint", "--max-diagnostics", "2", "--disable", "help_missing", "--disable", "counter_total_suffix", Self.lateFinding])
        #expect(lint.stdout.hasSuffix("3 errors, 1 warning in 1 file (2 not shown; see --max-diagnostics)\n"), "\(lint.stdout)")
    }

    @Test func junitFailsACheckWhoseErrorsWereCut() throws {
        // With a limit of 1 only line 3's invalid_label_name is listed; a second code's errors are all cut.
        let input = "a{ 1\n# TYPE e histogram\ne_bucket{le=\"1\"} 1\ne_count 1\ne_sum 1\n"
        let r = try Self.run(["validate", "--max-diagnostics", "1", "--reporter", "junit", "-"], stdin: input)
        #expect(r.stdout.contains("<testcase name=\"histogram_missing_inf\""))
        let afterCase = r.stdout.components(separatedBy: "<testcase name=\"histogram_missing_inf\"").last ?? ""
        #expect(afterCase.prefix(200).contains("<failure message=\"1 error:"), "\(r.stdout)")
        #expect(afterCase.contains("1 more not listed (see --max-diagnostics)"))
        #expect(r.stdout.contains("failures=\"2\""))
    }

    @Test func maxDiagnosticsCutErrorsStillFail() throws {
        // The one finding shown is a warning; the error after it is cut, and the exit status still says invalid.
        let r = try Self.run(["validate", "--max-diagnostics", "1", "-"], stdin: "a 1\na 2\nb{ 1\n")
        #expect(r.status == 1, "\(r.stdout)")
    }

    @Test func ignoreMetricSkipsLintRulesButNotSpecErrors() throws {
        let input = "# TYPE queue_gauge gauge\nqueue_gauge{ 1\nqueue_gauge 1\n"
        let r = try Self.run(["lint", "--ignore-metric", "queue_*", "-"], stdin: input)
        #expect(r.status == 1)
        #expect(r.stdout.contains("<stdin>:2:14: error:"), "\(r.stdout)")
        #expect(r.stdout.contains("[parse]"))
        #expect(!r.stdout.contains("[type_in_name]"))
        #expect(!r.stdout.contains("[help_missing]"))
    }
}

import Foundation
import FoundationXML
import PromKitTestSupport
import Testing

@testable import PromKit
@testable import PromKitReport

/// The XML reports checked as their readers take them, not only against goldens: Checkstyle against a schema of
/// what Jenkins' warnings plugin and reviewdog read (testdata/schemas/checkstyle.xsd, in-process by libxml2 and
/// by xmllint), then read back by that structure; junit-gitlab read as GitLab's JUnit parser reads it.
@Suite struct ReaderAcceptanceTests {
    static let checkstyleSchema = Paths.testdata.appendingPathComponent("schemas/checkstyle.xsd").path

    /// The reports: the hostile one of ReporterTests, an empty one, and a lint run over a real input.
    static let reports: [Report] = {
        var lint = ReporterTests.report
        lint.inputs = [
            InputReport(
                source: SourceFile(name: "m.prom", text: "# TYPE queue_gauge gauge\nqueue_gauge{fooBar=\"1\"} 1\nb{ 1\n"),
                diagnostics: [Diagnostic(.invalidLabels, .error, at: 53, "bad label")], rulesRun: ["parse", "invalid_labels"])
        ]
        return [ReporterTests.report, Report(command: "lint", inputs: [], rules: []), lint]
    }()

    /// The text an XML attribute can carry back: characters XML 1.0 forbids come back as U+FFFD.
    static func xmlText(_ s: String) -> String {
        String(
            String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 && ![0x09, 0x0A, 0x0D].contains($0.value) ? "\u{FFFD}" : $0 }))
    }

    @Test func checkstyleIsValidAgainstItsReadersSchema() throws {
        for report in Self.reports {
            let xml = try CheckstyleReporter().render(report, context: .plain)
            #expect(XMLSchemaValidator.validate(xml, schemaPath: Self.checkstyleSchema) == nil, "\(String(decoding: xml, as: UTF8.self))")
        }
        // The schema does reject what a reader cannot take.
        for bad in [
            "<checkstyle version=\"4.3\"><file name=\"a\"><error column=\"1\" severity=\"error\" message=\"m\" source=\"s\"/></file></checkstyle>",
            "<checkstyle version=\"4.3\"><file name=\"a\"><error line=\"1\" severity=\"fatal\" message=\"m\" source=\"s\"/></file></checkstyle>",
            "<checkstyle version=\"4.3\"><error line=\"1\" severity=\"error\" message=\"m\" source=\"s\"/></checkstyle>",
            "<checkstyle version=\"4.3\"><file><error line=\"-1\" severity=\"error\" message=\"m\" source=\"s\"/></file></checkstyle>",
        ] {
            #expect(XMLSchemaValidator.validate(Array(bad.utf8), schemaPath: Self.checkstyleSchema) != nil, "\(bad)")
        }
    }

    /// The same with xmllint, the tool a CI job would run (the version pinned in scripts/install-test-deps.sh).
    @Test(
        .enabled(if: TestEnvironment.isCI || FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint"), "xmllint is not installed"))
    func checkstyleIsValidForXmllint() throws {
        print("checkstyleIsValidForXmllint runs \(ReferenceTools.xmllint)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-checkstyle-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(try CheckstyleReporter().render(ReporterTests.report, context: .plain)).write(to: file)
        let r = try runTool(["xmllint", "--noout", "--schema", Self.checkstyleSchema, file.path])
        #expect(r.status == 0, "\(ReferenceTools.xmllint): \(r.stderr)")
        #expect(r.stderr.contains("validates"), "\(r.stderr)")
    }

    /// Read back as reviewdog and the Jenkins warnings plugin read it (checkstyle/file[@name]/error[@line,
    /// @column,@severity,@message,@source]): every finding, in order, with its file, place, severity, message
    /// and rule.
    @Test(.disabled(if: TestEnvironment.underSanitizer, Comment(rawValue: TestEnvironment.foundationXMLLeaks)))
    func checkstyleReadsBackAsTheFindings() throws {
        for report in Self.reports {
            let document = try XMLDocument(data: Data(try CheckstyleReporter().render(report, context: .plain)))
            var read: [String] = []
            for file in try document.nodes(forXPath: "/checkstyle/file") {
                let name = try #require((file as? XMLElement)?.attribute(forName: "name")?.stringValue)
                for case let error as XMLElement in try file.nodes(forXPath: "error") {
                    let a = { (n: String) in error.attribute(forName: n)?.stringValue ?? "<none>" }
                    read.append("\(name) \(a("line")):\(a("column")) \(a("severity")) \(a("source")) \(a("message"))")
                }
            }
            let expected = report.inputs.flatMap { input in
                input.findings.map {
                    "\(input.path) \($0.line):\($0.column) \($0.severity.rawValue) promkit.\($0.rule) \(Self.xmlText($0.message))"
                }
            }
            #expect(read == expected)
            #expect(try document.nodes(forXPath: "/checkstyle/file").count == report.inputs.count, "one <file> per input, clean ones too")
        }
    }

    /// As GitLab's JUnit parser reads it (Gitlab::Ci::Parsers::Test::Junit): every testsuite's testcases, by name
    /// and classname; a case with <failure> failed, with <error> errored, with <skipped> was skipped, else it
    /// passed; `file` names the file shown. Each input's case for a rule fails when the rule found an error
    /// there, and names the input; the totals are those cases'.
    @Test(.disabled(if: TestEnvironment.underSanitizer, Comment(rawValue: TestEnvironment.foundationXMLLeaks)))
    func junitGitLabReadsAsGitLabReadsIt() throws {
        for report in Self.reports {
            let document = try XMLDocument(data: Data(try ReporterRegistry.lookup("junit-gitlab")!.init().render(report, context: .plain)))
            let root = try #require(document.rootElement())
            #expect(root.name == "testsuites")
            var cases: [String] = []
            for case let suite as XMLElement in try document.nodes(forXPath: "/testsuites/testsuite") {
                for case let test as XMLElement in try suite.nodes(forXPath: "testcase") {
                    let status =
                        test.elements(forName: "failure").isEmpty
                        ? (test.elements(forName: "error").isEmpty
                            ? (test.elements(forName: "skipped").isEmpty ? "success" : "skipped") : "error")
                        : "failed"
                    #expect(test.attribute(forName: "classname")?.stringValue?.isEmpty == false)
                    cases.append(
                        "\(test.attribute(forName: "name")?.stringValue ?? "<none>") \(status) \(test.attribute(forName: "file")?.stringValue ?? "-") \(test.attribute(forName: "line")?.stringValue ?? "-")"
                    )
                }
            }
            let expected = report.inputs.flatMap { input in
                input.rulesRun.map { rule -> String in
                    let found = input.findings.filter { $0.rule == rule }
                    let failing = found.filter { $0.severity == .error }
                    let status = failing.isEmpty ? "success" : "failed"
                    guard let first = failing.first ?? found.first else { return "\(rule) \(status) - -" }
                    return "\(rule) \(status) \(input.path) \(first.line)"
                }
            }
            #expect(cases == expected)
            let failures = cases.filter { $0.contains(" failed ") }.count
            #expect(root.attribute(forName: "tests")?.stringValue == "\(cases.count)")
            #expect(root.attribute(forName: "failures")?.stringValue == "\(failures)")
            if report.inputs.contains(where: { !$0.findings.isEmpty }) { #expect(failures > 0) }
        }
    }
}

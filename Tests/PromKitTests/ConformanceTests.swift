import Foundation
import PromKitTestSupport
import Testing

@testable import PromKit

/// The upstream suites in ../shared/conformance, run in full. Outside CI they are skipped when ../shared is
/// absent; in CI (`CI=true`) they run, and the guards below fail on a missing or truncated suite.
@Suite(.enabled(if: Paths.runsShared, Comment(rawValue: Paths.sharedAbsent)))
struct ConformanceTests {
    static let conformance = Paths.shared.appendingPathComponent("conformance")

    /// Rows of a tab-separated index, header dropped.
    static func rows(_ path: String) -> [[String]] {
        guard let text = try? String(contentsOf: conformance.appendingPathComponent(path), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func sharedIsPresent() {
        #expect(Paths.sharedAvailable, Comment(rawValue: Paths.sharedAbsentInCI))
    }

    static let omCases: [String] = {
        let dir = conformance.appendingPathComponent("openmetrics-1.0/testdata/parsers")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }()
    static let omIndex = rows("openmetrics-1.0/cases.tsv")

    /// The cases on disk are the 211 the index lists (44 to parse, 167 to reject), each with its verdict.
    @Test func openMetricsSuiteHasAllCases() throws {
        #expect(Self.omIndex.count == 211, "cases.tsv lists \(Self.omIndex.count) cases")
        #expect(Self.omCases == Self.omIndex.map { $0[0] }.sorted(), "the case folders are not those cases.tsv lists")
        #expect(Self.omIndex.filter { $0[1] == "true" }.count == 44 && Self.omIndex.filter { $0[1] == "false" }.count == 167)
        for row in Self.omIndex where Self.omCases.contains(row[0]) {
            let json =
                try JSONSerialization.jsonObject(
                    with: Data(
                        contentsOf: Self.conformance.appendingPathComponent(
                            "openmetrics-1.0/testdata/parsers/\(row[0])/test.json"))) as? [String: Any]
            #expect((json?["shouldParse"] as? Bool).map(String.init) == row[1], "\(row[0]): test.json and cases.tsv disagree")
        }
    }

    /// Each of the 211 OpenMetrics 1.0 cases gives the expected verdict; each rejection is located.
    @Test(arguments: omCases)
    func openMetrics1(_ name: String) throws {
        let dir = Paths.shared.appendingPathComponent("conformance/openmetrics-1.0/testdata/parsers/\(name)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("test.json"))) as! [String: Any]
        let shouldParse = json["shouldParse"] as! Bool
        let source = SourceFile(name: name, bytes: try [UInt8](Data(contentsOf: dir.appendingPathComponent("metrics"))))
        let errors = Validator.validate(source, format: .openMetrics).filter { $0.severity == .error }
        if shouldParse {
            #expect(errors.isEmpty, "\(name) must parse: \(errors.map(\.message))")
        } else {
            #expect(!errors.isEmpty, "\(name) must be rejected")
            // Where each rejection is reported is pinned by `rejectionsAreLocatedAsRecorded`.
        }
    }

    /// The first error of every rejected case (OpenMetrics 1.0 and text rows), located: line, column and code,
    /// pinned in testdata/conformance/first-errors.txt. A rejection reported at the wrong place, or for another
    /// reason, changes the file.
    @Test func rejectionsAreLocatedAsRecorded() throws {
        var listing = ""
        func first(_ url: URL, _ label: String, _ format: ExpositionFormat) throws {
            let source = SourceFile(name: label, bytes: try [UInt8](Data(contentsOf: url)))
            guard let error = Validator.validate(source, format: format).first(where: { $0.severity == .error }) else { return }
            #expect(error.offset >= 0 && error.offset <= source.bytes.count, "\(label): offset \(error.offset) outside the input")
            let l = source.location(of: error.offset)
            listing += "\(label)\t\(l.line):\(l.column)\t\(error.code.rawValue)\n"
        }
        for name in Self.omCases {
            try first(
                Self.conformance.appendingPathComponent("openmetrics-1.0/testdata/parsers/\(name)/metrics"), "openmetrics-1.0/\(name)",
                .openMetrics)
        }
        for row in Self.textCases {
            try first(
                Self.conformance.appendingPathComponent("text-0.0.4/\(row[0])"), "text-0.0.4/\(row[0])",
                row[2] == "prom-text-0.0.4" ? .text : .openMetrics)
        }
        let mismatch = Golden.mismatch(listing, Paths.testdata.appendingPathComponent("conformance/first-errors.txt"))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    static let textCases = rows("text-0.0.4/index.tsv")

    /// The 32 rows, each naming a file that is there, with an outcome this test knows.
    @Test func textSuiteHasAllRows() {
        #expect(Self.textCases.count == 32, "index.tsv lists \(Self.textCases.count) files")
        let outcomes = Dictionary(grouping: Self.textCases, by: { $0.count > 3 ? $0[3] : "" }).mapValues(\.count)
        #expect(outcomes == ["valid": 10, "invalid": 20, "valid (lenient)": 1, "syntax-valid, semantically invalid": 1], "\(outcomes)")
        let missing = Self.textCases.filter {
            !FileManager.default.fileExists(atPath: Self.conformance.appendingPathComponent("text-0.0.4/\($0[0])").path)
        }
        #expect(missing.isEmpty, "\(missing.map { $0[0] })")
    }

    /// The text-format files behave as index.tsv says.
    @Test(arguments: textCases)
    func text004(_ row: [String]) throws {
        let (file, format, expected) = (row[0], row[2], row[3])
        let url = Paths.shared.appendingPathComponent("conformance/text-0.0.4/\(file)")
        let source = SourceFile(name: file, bytes: try [UInt8](Data(contentsOf: url)))
        let errors = Validator.validate(source, format: format == "prom-text-0.0.4" ? .text : .openMetrics).filter { $0.severity == .error }
        switch expected {
        case "valid": #expect(errors.isEmpty, "\(file): \(errors.map(\.message))")
        case "valid (lenient)":
            // The Go parser accepts from_test_parse_3 (the one lenient row); promkit's verdict, per
            // docs/verdicts.md: the leniencies Prometheus shares are allowed (a quantile of -12.34 and a trailing
            // comma on line 16, `# HELP` without a name or text on lines 19-20: no finding there), the split
            // families are flagged as the note asks (family_not_contiguous, warnings, as Prometheus takes them),
            // and the two errors are what Prometheus' parser fails too (a family named as another's _count/_sum,
            // a second HELP for my_summary).
            #expect(file.hasSuffix("from_test_parse_3"), "a new lenient row: say what it allows")
            let found = Validator.validate(source, format: .text).map {
                "\(source.location(of: $0.offset).line) \($0.severity.rawValue) \($0.code.rawValue)"
            }
            #expect(
                found == [
                    "5 warning family_not_contiguous", "6 error name_clash", "8 error name_clash", "12 warning family_not_contiguous",
                    "12 error name_clash", "13 warning family_not_contiguous", "14 warning family_not_contiguous", "14 error name_clash",
                    "15 warning family_not_contiguous", "22 error duplicate_metadata",
                ], "\(found)")
        default:
            #expect(!errors.isEmpty, "\(file) must be rejected")
        }
    }

    static let om2Cases = rows("openmetrics-2.0-examples/index.tsv")

    @Test func openMetrics2HasAllExamples() {
        #expect(Self.om2Cases.count == 46, "index.tsv lists \(Self.om2Cases.count) examples")
        let outcomes = Dictionary(grouping: Self.om2Cases, by: { $0.count > 3 ? $0[3] : "" }).mapValues(\.count)
        #expect(outcomes == ["valid": 40, "valid-discouraged": 4, "invalid-semantic": 2], "\(outcomes)")
        let onDisk =
            ((try? FileManager.default.contentsOfDirectory(atPath: Self.conformance.appendingPathComponent("openmetrics-2.0-examples").path))
            ?? [])
            .filter { $0.hasSuffix(".om2.txt") }.sorted()
        #expect(onDisk == Self.om2Cases.map { $0[0] }.sorted(), "the examples on disk are not those index.tsv lists")
    }

    /// valid: no finding at all; valid-discouraged: a warning, no error; invalid-semantic: an error.
    @Test(arguments: om2Cases)
    func openMetrics2(_ row: [String]) throws {
        let (file, expected) = (row[0], row[3])
        let url = Paths.shared.appendingPathComponent("conformance/openmetrics-2.0-examples/\(file)")
        let source = SourceFile(name: file, bytes: try [UInt8](Data(contentsOf: url)))
        #expect(FormatDetector.detect(source.bytes) != .text)
        let diagnostics = Validator.validate(source, format: .openMetrics2)
        let errors = diagnostics.filter { $0.severity == .error }
        switch expected {
        case "valid": #expect(errors.isEmpty, "\(file): \(errors.map(\.message))")
        case "valid-discouraged":
            #expect(errors.isEmpty, "\(file): \(errors.map(\.message))")
            #expect(!diagnostics.isEmpty, "\(file) should draw a warning")
        default: #expect(!errors.isEmpty, "\(file) must be rejected")
        }
    }

    static let scrapes: [String] = {
        let dir = Paths.shared.appendingPathComponent("scrapes")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
    }()

    /// ../shared/README.md: four programs, two scrapes each, six text and six OpenMetrics answers in all (the
    /// scrapes have no index: the README's list is theirs).
    @Test func allScrapesArePresent() {
        let expected = [
            "client-golang-1.14-debian.openmetrics", "client-golang-1.14-debian.text", "node-exporter.text", "prometheus.text",
            "python-client-0.26.openmetrics", "python-client-0.26.text",
        ].flatMap { ["\($0).1.txt", "\($0).2.txt"] }
        #expect(Self.scrapes == expected.sorted(), "\(Self.scrapes)")
    }

    /// Every real scrape gets the verdict of the strict reference parser (PyPI prometheus-client).
    @Test(arguments: scrapes)
    func scrapeVerdict(_ name: String) throws {
        let url = Paths.shared.appendingPathComponent("scrapes/\(name)")
        let source = SourceFile(name: name, bytes: try [UInt8](Data(contentsOf: url)))
        let format = FormatDetector.detect(source.bytes)
        #expect((format == .text) == name.contains(".text."))
        let diagnostics = Validator.validate(source, format: format)
        let ours = !diagnostics.contains { $0.severity == .error }
        let reference = try ReferenceParser.accepts(url, openMetrics: format != .text)
        #expect(
            ours == reference,
            "\(name): promkit \(ours ? "accepts" : "rejects"), \(ReferenceTools.prometheusClient) \(reference ? "accepts" : "rejects"): \(diagnostics.map(\.message))"
        )
        if name.hasPrefix("client-golang-1.14-debian.openmetrics") {
            let first = try #require(diagnostics.first { $0.severity == .error })
            let line = source.location(of: first.offset).line
            let lines = String(decoding: source.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines[line - 1].hasPrefix("# HELP go_memstats_alloc_bytes "), "rejected at line \(line), not at the second HELP")
            #expect(lines[..<(line - 1)].contains { $0.hasPrefix("# HELP go_memstats_alloc_bytes ") })
        }
    }
}

/// Runs prometheus-client's parsers (installed by scripts/install-test-deps.sh).
enum ReferenceParser {
    static func accepts(_ url: URL, openMetrics: Bool) throws -> Bool {
        let script =
            openMetrics
            ? "from prometheus_client.openmetrics.parser import text_string_to_metric_families as p"
            : "from prometheus_client.parser import text_string_to_metric_families as p"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            script
                + "\nimport sys\ntry:\n  list(p(open(sys.argv[1]).read()))\nexcept ImportError:\n  raise\nexcept Exception as e:\n  print(e); sys.exit(1)\n",
            url.path,
        ]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if stderr.contains("ModuleNotFoundError") || stderr.contains("ImportError") {
            Issue.record("prometheus-client is not installed: run scripts/install-test-deps.sh (\(stderr))")
        }
        return process.terminationStatus == 0
    }
}

/// The reference parser is the one scripts/install-test-deps.sh pins, and the tests that use it say so.
@Suite struct ReferenceParserVersionTests {
    @Test(
        .enabled(
            if: TestEnvironment.isCI || ReferenceTools.pythonPackage("prometheus-client") != nil,
            "prometheus-client is not installed (scripts/install-test-deps.sh)"))
    func prometheusClientIsThePinnedOne() throws {
        print("the reference parser is \(ReferenceTools.prometheusClient)")
        let pin = try #require(ReferenceTools.pinned("prometheus-client"), "scripts/install-test-deps.sh pins no prometheus-client")
        #expect(
            ReferenceTools.pythonPackage("prometheus-client") == pin,
            "installed \(ReferenceTools.prometheusClient), pinned \(pin): run scripts/install-test-deps.sh")
    }
}

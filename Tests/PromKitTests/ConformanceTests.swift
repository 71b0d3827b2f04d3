import Foundation
import Testing
@testable import PromKit

/// The upstream suites in ../shared/conformance, run in full.
@Suite(.enabled(if: Paths.sharedAvailable, Paths.sharedAbsent))
struct ConformanceTests {
    static let omCases: [String] = {
        let dir = Paths.shared.appendingPathComponent("conformance/openmetrics-1.0/testdata/parsers")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }()

    @Test func openMetricsSuiteHasAllCases() {
        #expect(Self.omCases.count == 211)
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
            let loc = source.location(of: errors.first?.offset ?? 0)
            #expect(loc.line >= 1 && loc.column >= 1)
        }
    }

    static let textCases: [[String]] = {
        let index = Paths.shared.appendingPathComponent("conformance/text-0.0.4/index.tsv")
        guard let text = try? String(contentsOf: index, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }()

    /// The text-format files behave as index.tsv says; lenient ones may go either way.
    @Test(arguments: textCases)
    func text004(_ row: [String]) throws {
        let (file, format, expected) = (row[0], row[2], row[3])
        let url = Paths.shared.appendingPathComponent("conformance/text-0.0.4/\(file)")
        let source = SourceFile(name: file, bytes: try [UInt8](Data(contentsOf: url)))
        let errors = Validator.validate(source, format: format == "prom-text-0.0.4" ? .text : .openMetrics).filter { $0.severity == .error }
        switch expected {
        case "valid": #expect(errors.isEmpty, "\(file): \(errors.map(\.message))")
        case "valid (lenient)": break
        default:
            #expect(!errors.isEmpty, "\(file) must be rejected")
            #expect(errors.allSatisfy { source.location(of: $0.offset).line >= 1 })
        }
    }

    static let om2Cases: [[String]] = {
        let index = Paths.shared.appendingPathComponent("conformance/openmetrics-2.0-examples/index.tsv")
        guard let text = try? String(contentsOf: index, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }()

    @Test func openMetrics2HasAllExamples() {
        #expect(Self.om2Cases.count == 46)
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
        #expect(ours == reference, "\(name): promkit \(ours ? "accepts" : "rejects"), prometheus-client \(reference ? "accepts" : "rejects"): \(diagnostics.map(\.message))")
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
        let script = openMetrics
            ? "from prometheus_client.openmetrics.parser import text_string_to_metric_families as p"
            : "from prometheus_client.parser import text_string_to_metric_families as p"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script + "\nimport sys\ntry:\n  list(p(open(sys.argv[1]).read()))\nexcept ImportError:\n  raise\nexcept Exception as e:\n  print(e); sys.exit(1)\n", url.path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if stderr.contains("ModuleNotFoundError") || stderr.contains("ImportError") {
            Issue.record("prometheus-client is not installed: run scripts/install-test-deps.sh")
        }
        return process.terminationStatus == 0
    }
}

import Foundation
import Testing

/// Every scrape converts to output the strict reference parser (prometheus_client's OpenMetrics parser)
/// accepts, with every sample and value kept, and back with nothing lost.
@Suite struct ReferenceParserTests {
    static let scrapes = CLITests.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/scrapes")
    static var pythonClient: Bool {
        (try? CLITests.runTool("/usr/bin/env", ["python3", "-c", "import prometheus_client.openmetrics.parser"]).status) == 0
    }

    /// The reference parser's samples of a file (`--openmetrics` strict, `--text`), or nil when it rejects it.
    static func reference(_ mode: String, _ path: String) throws -> String? {
        let r = try CLITests.runTool(
            "/usr/bin/env", ["python3", CLITests.repoRoot.appendingPathComponent("scripts/reference-samples.py").path, mode, path])
        return r.status == 0 ? r.stdout : nil
    }

    static func convert(_ input: String, to: String, _ output: String) throws {
        let r = try CLITests.run(["convert", "--to", to, "-o", output, input])
        #expect(r.status == 0, "\(input) -> \(to): \(r.stderr)")
    }

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: scrapes.path) && pythonClient,
            "../shared/scrapes or python prometheus_client absent (scripts/install-test-deps.sh installs it)"))
    func scrapesConvertToWhatTheReferenceParserAccepts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-ref-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var accepted = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.scrapes.path).sorted() {
            let input = Self.scrapes.appendingPathComponent(name).path
            let om = dir.appendingPathComponent(name + ".om").path, txt = dir.appendingPathComponent(name + ".prom").path
            if name.contains(".text.") {
                let original = try Self.reference("--text", input)
                try Self.convert(input, to: "openmetrics", om)
                let converted = try Self.reference("--openmetrics", om)
                #expect(converted != nil, "\(name): the reference parser rejects the OpenMetrics output")
                #expect(converted == original, "\(name): samples differ after text -> OpenMetrics")
                try Self.convert(om, to: "text", txt)
                #expect(try Self.reference("--text", txt) == original, "\(name): samples differ after OpenMetrics -> text")
                accepted += 1
            } else if name.contains(".openmetrics."), let original = try Self.reference("--openmetrics", input) {
                // (client-golang's OpenMetrics scrape is invalid: the reference parser rejects it, as promkit does.)
                try Self.convert(input, to: "text", txt)
                #expect(try Self.reference("--text", txt) == original, "\(name): samples differ after OpenMetrics -> text")
                try Self.convert(txt, to: "openmetrics", om)
                #expect(try Self.reference("--openmetrics", om) == original, "\(name): samples differ after text -> OpenMetrics")
                accepted += 1
            }
        }
        print("reference parser: \(accepted) scrapes converted and accepted")
        #expect(accepted == 10)
    }
}

extension CLITests {
    /// Runs another program (the reference parser).
    static func runTool(_ path: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

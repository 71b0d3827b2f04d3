import Foundation
import Testing

/// End-to-end: the built `promkit` binary, its exit statuses and its output.
@Suite struct CLITests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `promkit` built beside this test bundle.
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("promkit")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repoRoot.appendingPathComponent(".build/debug/promkit")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = repoRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func validInputExitsZero() throws {
        let r = try Self.run(["validate", "testdata/validate/utf8-names.prom"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test func invalidInputExitsOneWithLocatedErrors() throws {
        let r = try Self.run(["validate", "testdata/validate/syntax-errors.prom"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("testdata/validate/syntax-errors.prom:2:7: error: invalid escape sequence '\\q' in label value; only \\\\, \\\" and \\n are allowed [invalid_escape]"))
    }

    @Test func unreadableInputExitsTwo() throws {
        let r = try Self.run(["validate", "testdata/validate/no-such-file.prom"])
        #expect(r.status == 2)
        #expect((r.stdout + r.stderr).contains("no-such-file.prom"))
        #expect((r.stdout + r.stderr).contains("No such file or directory"))
    }

    @Test func unreadableWinsOverInvalid() throws {
        let r = try Self.run(["validate", "testdata/validate/syntax-errors.prom", "/nonexistent"])
        #expect(r.status == 2)
    }

    @Test func usageErrorExitsTwoNot64() throws {
        let r = try Self.run(["validate", "--format", "bogus"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bogus"))
        let r2 = try Self.run(["validate", "--no-such-flag"])
        #expect(r2.status == 2)
    }

    @Test func readsStandardInput() throws {
        let ok = try Self.run(["validate"], stdin: "a 1\n")
        #expect(ok.status == 0)
        let bad = try Self.run(["validate", "-"], stdin: "a{ 1\n")
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("<stdin>:1:"))
    }

    @Test func formatFlagOverridesDetection() throws {
        let r = try Self.run(["validate", "--format", "openmetrics"], stdin: "a 1\n")
        #expect(r.status == 1)
        #expect(r.stdout.contains("[missing_eof]"))
    }

    @Test func versionAndHelp() throws {
        let v = try Self.run(["--version"])
        #expect(v.status == 0)
        #expect(!v.stdout.isEmpty)
        let h = try Self.run(["validate", "--help"])
        #expect(h.status == 0)
        #expect(h.stdout.contains("--format"))
    }
}

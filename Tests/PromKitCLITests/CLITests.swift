import Foundation
import PromKitTestSupport
import Testing

/// End-to-end: the built `promkit` binary, its exit statuses and its output.
@Suite struct CLITests {
    static let repoRoot = Paths.repoRoot

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

    typealias Result = ProcessOutput

    /// Runs the binary in `directory` (the repository by default), with NO_COLOR=1 unless `environment` says
    /// otherwise; a nil value in `environment` unsets that variable.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String?] = [:], in directory: URL? = nil) throws
        -> Result
    {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repoRoot
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
        return Result(
            status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func validInputExitsZero() throws {
        let r = try Self.run(["validate", "testdata/validate/utf8-names.prom"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test func invalidInputExitsOneWithLocatedErrors() throws {
        let r = try Self.run(["validate", "testdata/validate/syntax-errors.prom"])
        #expect(r.status == 1)
        #expect(
            r.stdout.contains(
                "testdata/validate/syntax-errors.prom:2:7: error: invalid escape sequence '\\q' in label value; only \\\\, \\\" and \\n are allowed [invalid_escape]"
            ))
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

extension CLITests {
    @Test func reportersTogetherAndFilesWrittenWhole() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let junit = dir.appendingPathComponent("report.xml").path
        let r = try Self.run(["validate", "--reporter", "text", "--reporter", "junit:\(junit)", "testdata/validate/syntax-errors.prom"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("[invalid_escape]"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"testdata/validate/syntax-errors.prom\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.xml"])
    }

    @Test func unknownReporterIsAUsageErrorListingNames() throws {
        let r = try Self.run(["validate", "--reporter", "html", "testdata/validate/ok.om"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("text, json, junit"))
    }

    @Test func refusesToOverwriteAnInput() throws {
        let r = try Self.run(["validate", "--reporter", "json:testdata/validate/ok.om", "testdata/validate/ok.om"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("refusing to write the json report to 'testdata/validate/ok.om': it is the input"), "\(r.stderr)")
        #expect(
            try String(contentsOfFile: Self.repoRoot.appendingPathComponent("testdata/validate/ok.om").path, encoding: .utf8).hasPrefix(
                "# TYPE a_seconds counter"))
    }

    @Test func githubStepSummaryIsAppended() throws {
        let summary = FileManager.default.temporaryDirectory.appendingPathComponent("summary-\(UUID().uuidString).md")
        try "before\n".write(to: summary, atomically: true, encoding: .utf8)
        let r = try Self.run(
            ["validate", "--reporter", "github", "testdata/validate/syntax-errors.prom"],
            environment: ["GITHUB_STEP_SUMMARY": summary.path])
        #expect(r.stdout.hasPrefix("::error file=testdata/validate/syntax-errors.prom,line=1,col=9,"))
        let text = try String(contentsOf: summary, encoding: .utf8)
        #expect(text.hasPrefix("before\n### promkit validate"))
    }
}

extension CLITests {
    @Test func lintListsRulesAndExits() throws {
        // The list is the README's table (which LintTests checks against the registry), id for id, and
        // --markdown prints that table itself.
        let readme = try String(contentsOf: Self.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let table =
            readme.components(separatedBy: "| rule | default severity | promtool | checks |\n").dropFirst().first?
            .split(separator: "\n").prefix { $0.hasPrefix("| ") }.map(String.init) ?? []
        let documented = table.dropFirst().map { $0.split(separator: "`")[1] }.map(String.init)
        #expect(documented.count == 29, "\(documented)")
        let list = try Self.run(["lint", "--list-rules"])
        #expect(list.status == 0)
        #expect(list.stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) } == documented, "\(list.stdout)")
        let markdown = try Self.run(["lint", "--list-rules", "--markdown"])
        #expect(
            markdown.stdout == "| rule | default severity | promtool | checks |\n" + table.joined(separator: "\n") + "\n",
            "\(markdown.stdout)")
        let lint = try Self.run(["lint", "--fail-on", "warning", "-"], stdin: "# TYPE queue_gauge gauge\nqueue_gauge 1\n")
        #expect(lint.status == 1)
        #expect(lint.stdout.contains("<stdin>:1:1: warning: \"queue_gauge\" has its type \"gauge\" in its name [type_in_name]"))
        let clean = try Self.run(
            ["lint", "--disable", "help_missing", "--disable", "type_in_name", "-"], stdin: "# TYPE queue_length gauge\nqueue_length 1\n")
        #expect(clean.status == 0, "\(clean.stdout)")
        let unknown = try Self.run(["lint", "--disable", "no_such_rule"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown rule 'no_such_rule'"))
    }

    @Test func lintPromtoolMode() throws {
        let r = try Self.run(["lint", "--promtool"], stdin: "# TYPE requests counter\nrequests 1\n")
        #expect(r.status == 3)
        #expect(r.stderr == "requests counter metrics should have \"_total\" suffix\nrequests no help text\n")
        let parse = try Self.run(["lint", "--promtool"], stdin: "a{ 1\n")
        #expect(parse.status == 1)
        #expect(parse.stderr.hasPrefix("error while linting: text format parsing error in line 1: "))
        let file = try Self.run(["lint", "--promtool", "testdata/validate/ok.om"])
        #expect(file.status == 2)
    }

    /// A .promkit.yml is found upward from the working directory: run from a subfolder of the project, its
    /// `fail_on: never` turns an invalid input's exit 1 into 0; from a folder outside it, the 1 stays. A file
    /// named by --config is checked.
    @Test func lintConfigFileIsFoundUpwardAndChecked() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sub = dir.appendingPathComponent("project/sub/deeper")
        let outside = dir.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try "fail_on: never\n".write(to: dir.appendingPathComponent("project/.promkit.yml"), atomically: true, encoding: .utf8)
        let invalid = "a{ 1\n"
        let found = try Self.run(["lint", "-"], stdin: invalid, in: sub)
        #expect(found.stdout.contains("<stdin>:1:4: error:"), "\(found.stdout)")
        #expect(found.status == 0, "the .promkit.yml two folders up was not used: \(found.stdout)\(found.stderr)")
        let notFound = try Self.run(["lint", "-"], stdin: invalid, in: outside)
        #expect(notFound.status == 1, "\(notFound.stdout)\(notFound.stderr)")
        // --config names another file, which wins over the one found upward, and is checked.
        let bad = dir.appendingPathComponent("bad.yml")
        try "colour: red\n".write(to: bad, atomically: true, encoding: .utf8)
        let r = try Self.run(["lint", "--config", bad.path, "-"], stdin: "a 1\n", in: sub)
        #expect(r.status == 2)
        #expect(r.stderr.contains("unknown key 'colour'"))
    }
}

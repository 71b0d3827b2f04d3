import Foundation
import FoundationXML
import PromKitTestSupport
import Testing

/// The CI recipes work as written: each recipe's shell commands that write reports, read from the recipe file
/// itself (GitHub's action and diff workflow, GitLab, Jenkins), run with bash on files from testdata/, and the
/// report files the CI system then reads exist and parse as that system expects.
@Suite struct CIRecipeTests {
    static let root = Paths.repoRoot

    /// The shell commands of a recipe that write reports (those with `--reporter`): `run: |` blocks, `run:` and
    /// list-item lines (YAML), `sh '''…'''` blocks (Jenkinsfile).
    static func reportCommands(in file: String) throws -> [String] {
        reportCommands(inText: try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8))
    }

    /// The same, in a recipe's text.
    static func reportCommands(inText text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        var blocks: [String] = []
        var i = 0
        while i < lines.count {
            let trimmed = lines[i].trimmingCharacters(in: .whitespaces)
            if trimmed == "run: |" || trimmed == "sh '''" {
                var body: [String] = []
                var j = i + 1
                while j < lines.count {
                    let line = lines[j]
                    if trimmed == "sh '''" {
                        if line.trimmingCharacters(in: .whitespaces) == "'''" { break }
                    } else if !line.trimmingCharacters(in: .whitespaces).isEmpty && indentation(line) <= indentation(lines[i]) {
                        break
                    }
                    body.append(line)
                    j += 1
                }
                blocks.append(body.joined(separator: "\n"))
                i = j
            } else {
                for prefix in ["run: ", "- "] where trimmed.hasPrefix(prefix) {
                    blocks.append(String(trimmed.dropFirst(prefix.count)))
                }
                i += 1
            }
        }
        return blocks.filter { $0.contains("--reporter") && $0.contains("promkit") }
    }

    /// A directory laid out as a user's repository: textfiles/*.prom (lint warnings in one, spec errors in the other), the two
    /// scrapes of the diff gate in `runner/`, and promkit where each recipe builds it.
    static func workspace() throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("promkit-ci-\(UUID().uuidString)")
        for sub in ["textfiles", "runner", "action/.build/release"] {
            try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for name in ["app.prom", "broken.prom"] {
            try fm.copyItem(at: root.appendingPathComponent("testdata/readme/\(name)"), to: dir.appendingPathComponent("textfiles/\(name)"))
        }
        try fm.copyItem(at: root.appendingPathComponent("testdata/diff/kinds.old.prom"), to: dir.appendingPathComponent("runner/old.prom"))
        try fm.copyItem(at: root.appendingPathComponent("testdata/diff/kinds.new.prom"), to: dir.appendingPathComponent("runner/new.prom"))
        try fm.createSymbolicLink(at: dir.appendingPathComponent("action/.build/release/promkit"), withDestinationURL: CLITests.binary)
        return dir
    }

    /// Runs `command` with bash in `directory`, `promkit` first on PATH, and the environment the CI system sets.
    static func bash(_ command: String, in directory: URL, environment: [String: String]) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = CLITests.binary.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["NO_COLOR"] = "1"
        env["GITHUB_STEP_SUMMARY"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessOutput(
            status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// The recipe's one report-writing command, run; its exit status is the lint or diff verdict (1: findings).
    static func runRecipe(_ file: String, in dir: URL, environment: [String: String] = [:], rewriting: (String) -> String = { $0 }) throws
        -> ProcessOutput
    {
        let commands = try reportCommands(in: file)
        #expect(commands.count == 1, "\(file): \(commands)")
        let command = try #require(commands.first)
        let r = try bash(rewriting(command), in: dir, environment: environment)
        #expect(r.status == 1, "\(file): the inputs have error findings or breaking changes\n\(r.stdout)\(r.stderr)")
        return r
    }

    static func xml(_ url: URL) throws -> XMLDocument {
        #expect(FileManager.default.fileExists(atPath: url.path), "\(url.lastPathComponent) was written")
        return try XMLDocument(contentsOf: url)
    }

    @Test func theReportCommandsAreFound() throws {
        #expect(
            try Self.reportCommands(in: "action.yml").first?.contains("\"$GITHUB_ACTION_PATH/.build/release/promkit\" \"${args[@]}\"")
                == true)
        #expect(try Self.reportCommands(in: "docs/ci/github-diff.yml").first?.contains("promkit diff --fail-on breaking") == true)
        #expect(try Self.reportCommands(in: "docs/ci/gitlab-ci.yml").first?.hasPrefix("/tmp/promkit/.build/release/promkit lint") == true)
        #expect(try Self.reportCommands(in: "docs/ci/Jenkinsfile").first?.contains("\"$PROMKIT\" lint") == true)
    }

    /// action.yml (used by docs/ci/github-lint.yml with `sarif: 'true'`): annotations, the text report, SARIF.
    @Test func gitHubActionWritesAnnotationsAndSARIF() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("github-output")
        let r = try Self.runRecipe(
            "action.yml", in: dir,
            environment: [
                "GITHUB_ACTION_PATH": dir.appendingPathComponent("action").path, "GITHUB_OUTPUT": output.path,
                "PROMKIT_PATHS": "textfiles/*.prom", "PROMKIT_FAIL_ON": "warning", "PROMKIT_CONFIG": "", "PROMKIT_SARIF": "true",
                "PROMKIT_ARGS": "",
            ])
        #expect(r.stdout.contains("::error file=textfiles/broken.prom,line="), "\(r.stdout)")
        #expect(try String(contentsOf: output, encoding: .utf8).contains("sarif-file=promkit.sarif"))
        #expect(
            try String(contentsOf: dir.appendingPathComponent("promkit-report.txt"), encoding: .utf8).contains("textfiles/broken.prom:"))
        let sarif = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("promkit.sarif"))) as? [String: Any])
        #expect(sarif["version"] as? String == "2.1.0")
        let results = ((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [Any]) ?? []
        #expect(!results.isEmpty)
    }

    /// docs/ci/github-diff.yml: the Markdown report the comment step posts.
    @Test func gitHubDiffWritesTheMarkdownComment() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.runRecipe(
            "docs/ci/github-diff.yml", in: dir, environment: ["RUNNER_TEMP": dir.appendingPathComponent("runner").path])
        #expect(r.stdout.contains("breaking"), "\(r.stdout)")
        let markdown = try String(contentsOf: dir.appendingPathComponent("runner/diff.md"), encoding: .utf8)
        #expect(markdown.contains("| ") && markdown.contains("breaking"), "\(markdown)")
    }

    /// docs/ci/gitlab-ci.yml: the JUnit report `artifacts:reports:junit` reads, with `file` on the failed cases.
    @Test(.disabled(if: TestEnvironment.underSanitizer, Comment(rawValue: TestEnvironment.foundationXMLLeaks)))
    func gitLabWritesItsJUnitReport() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.runRecipe("docs/ci/gitlab-ci.yml", in: dir) {
            $0.replacingOccurrences(of: "/tmp/promkit/.build/release/promkit", with: CLITests.binary.path)
        }
        let document = try Self.xml(dir.appendingPathComponent("promkit-junit.xml"))
        #expect(document.rootElement()?.name == "testsuites")
        let failed = try document.nodes(forXPath: "//testcase[failure]").compactMap {
            ($0 as? XMLElement)?.attribute(forName: "file")?.stringValue
        }
        #expect(failed.contains("textfiles/broken.prom"), "\(failed)")
    }

    /// docs/ci/Jenkinsfile: the JUnit report for `junit` and the Checkstyle report for Warnings NG's `checkStyle`.
    @Test(.disabled(if: TestEnvironment.underSanitizer, Comment(rawValue: TestEnvironment.foundationXMLLeaks)))
    func jenkinsWritesJUnitAndCheckstyle() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let jenkinsfile = try String(contentsOf: Self.root.appendingPathComponent("docs/ci/Jenkinsfile"), encoding: .utf8)
        #expect(jenkinsfile.contains("junit testResults: 'promkit-junit.xml'"))
        #expect(jenkinsfile.contains("checkStyle(pattern: 'promkit-checkstyle.xml'"))
        _ = try Self.runRecipe("docs/ci/Jenkinsfile", in: dir, environment: ["PROMKIT": CLITests.binary.path])
        let junit = try Self.xml(dir.appendingPathComponent("promkit-junit.xml"))
        #expect(junit.rootElement()?.name == "testsuites")
        #expect(try junit.nodes(forXPath: "//testcase[failure]").count > 0)
        let checkstyle = try Self.xml(dir.appendingPathComponent("promkit-checkstyle.xml"))
        #expect(checkstyle.rootElement()?.name == "checkstyle")
        let files = try checkstyle.nodes(forXPath: "/checkstyle/file").compactMap {
            ($0 as? XMLElement)?.attribute(forName: "name")?.stringValue
        }
        #expect(Set(files) == ["textfiles/app.prom", "textfiles/broken.prom"], "\(files)")
        #expect(try checkstyle.nodes(forXPath: "/checkstyle/file/error[@severity='error']").count > 0)
    }

    /// The README's own diff-gate workflow (its "In CI" section), run as written: it records the status in
    /// `$GITHUB_OUTPUT` rather than failing the step, and leaves the Markdown report for the comment step.
    @Test func readmeDiffGateWritesTheMarkdownComment() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "### In CI: fail a pull request").dropFirst().first)
        let workflow = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "\n```").first)
        let commands = Self.reportCommands(inText: workflow)
        #expect(commands.count == 1, "\(commands)")
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let runner = dir.appendingPathComponent("runner")
        try FileManager.default.moveItem(at: runner.appendingPathComponent("old.prom"), to: runner.appendingPathComponent("base.prom"))
        try FileManager.default.moveItem(at: runner.appendingPathComponent("new.prom"), to: runner.appendingPathComponent("head.prom"))
        let output = dir.appendingPathComponent("github-output")
        let command = try #require(commands.first).replacingOccurrences(of: "/tmp/", with: runner.path + "/")
        let r = try Self.bash(command, in: dir, environment: ["GITHUB_OUTPUT": output.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(try String(contentsOf: output, encoding: .utf8) == "status=1\n", "the breaking changes are recorded for the last step")
        let markdown = try String(contentsOf: runner.appendingPathComponent("diff.md"), encoding: .utf8)
        #expect(markdown.contains("breaking"), "\(markdown)")
    }
}

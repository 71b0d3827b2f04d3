import Foundation
import PromKitTestSupport
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
        #expect(
            json.stdout.contains("\"summary\": {\"inputs\": 1, \"errors\": 3, \"warnings\": 1, \"infos\": 0, \"omitted\": 3}"),
            "\(json.stdout)")
        #expect(json.stdout.contains("{\"rule\": \"invalid_label_name\", \"severity\": \"error\", \"count\": 2}"))
        let sarif = try Self.run(["validate", "--max-diagnostics", "1", "--reporter", "sarif", Self.lateFinding])
        #expect(sarif.stdout.contains("\"properties\": {\"errors\": 3, \"warnings\": 1, \"notes\": 0, \"omittedResults\": 3}"))
        // Line 3 is the one error shown; histogram_bucket_order's warning is cut, and so are line 6's and 12's errors.
        let lint = try Self.run([
            "lint", "--max-diagnostics", "2", "--disable", "help_missing", "--disable", "counter_total_suffix", Self.lateFinding,
        ])
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

extension CLITests {
    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs in `dir` (for the `.promkit.yml` found upward from the working directory).
    static func run(in dir: URL, _ arguments: [String], stdin: String) throws -> Result {
        try run(arguments, stdin: stdin, in: dir)
    }

    @Test func configThatIsADirectoryOrUnreadableIsAnError() throws {
        let dir = try Self.tempDir()
        let r = try Self.run(["lint", "--config", dir.path, "-"], stdin: "a 1\n")
        #expect(r.status == 2)
        #expect(r.stderr.contains("is a directory"), "\(r.stderr)")
        // A .promkit.yml found upward that is a directory is not passed over.
        let project = try Self.tempDir()
        try FileManager.default.createDirectory(at: project.appendingPathComponent(".promkit.yml"), withIntermediateDirectories: true)
        let found = try Self.run(in: project, ["lint", "-"], stdin: "a 1\n")
        #expect(found.status == 2)
        #expect(found.stderr.contains(".promkit.yml' is a directory"), "\(found.stderr)")
        // Nor one that cannot be read. Root reads anything: as root (CI's containers), the binary runs as
        // nobody through setpriv(1), so the check runs everywhere.
        let locked = try Self.tempDir()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path)
        let file = locked.appendingPathComponent(".promkit.yml")
        try "fail_on: never\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: file.path)
        let unreadable: Result
        if getuid() == 0 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", Self.binary.path, "lint", "-"]
            process.currentDirectoryURL = locked
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            unreadable = Result(status: process.terminationStatus, stdout: "", stderr: String(decoding: e, as: UTF8.self))
        } else {
            unreadable = try Self.run(in: locked, ["lint", "-"], stdin: "a 1\n")
        }
        #expect(unreadable.status == 2)
        #expect(
            unreadable.stderr.contains("cannot read configuration file") && unreadable.stderr.contains("Permission denied"),
            "\(unreadable.stderr)")
    }

    @Test func configWithInvalidUTF8NamesTheLine() throws {
        let dir = try Self.tempDir()
        let file = dir.appendingPathComponent("bad.yml")
        // "café" in Latin-1 on line 2.
        try Data(Array("fail_on: never\n# caf".utf8) + [0xE9, 0x0A]).write(to: file)
        let r = try Self.run(["lint", "--config", file.path, "-"], stdin: "a 1\n")
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.yml:2: not UTF-8 text"), "\(r.stderr)")
    }

    @Test func usageErrorsExitTwo() throws {
        let bare = try Self.run([])
        #expect(bare.status == 2)
        #expect(bare.stdout.isEmpty)
        #expect(bare.stderr.contains("Usage: promkit <subcommand>"))
        let cases: [([String], String)] = [
            (["lint", "--markdown"], "--markdown formats --list-rules"),
            (["lint", "--list-rules", "x.prom"], "--list-rules reads no input"),
            (["lint", "--ignore-metric", "[", "-"], "invalid glob '['"),
            (
                ["validate", "--max-diagnostics", "-1", "-"],
                "--max-diagnostics takes how many findings to show per input, 0 for all; -1 is not a count"
            ),
            (["lint", "--explain", "help_mising"], "unknown rule 'help_mising'; did you mean help_missing?"),
        ]
        for (arguments, message) in cases {
            let r = try Self.run(arguments, stdin: "a 1\n")
            #expect(r.status == 2, "\(arguments)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        // A glob in the configuration is checked the same way, naming the line.
        let dir = try Self.tempDir()
        let file = dir.appendingPathComponent("c.yml")
        try "ignore_metrics:\n  - 'go_['\n".write(to: file, atomically: true, encoding: .utf8)
        let yaml = try Self.run(["lint", "--config", file.path, "-"], stdin: "a 1\n")
        #expect(yaml.status == 2)
        #expect(yaml.stderr.contains("c.yml:2: invalid glob 'go_['"), "\(yaml.stderr)")
    }

    @Test func explainPrintsTheRulesOwnDescription() throws {
        let r = try Self.run(["lint", "--explain", "counter_total_suffix"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("counter_total_suffix\n  severity: warning\n"), "\(r.stdout)")
        #expect(r.stdout.contains("Finds nothing in:\n    "))
        #expect(r.stdout.contains("Reports:\n    "))
        #expect(r.stdout.contains("    # TYPE"))
    }

    @Test func promtoolModeRefusesOptionsItWouldIgnore() throws {
        for option in [
            ["--reporter", "json"], ["--disable", "help_missing"], ["--format", "text"], ["--fail-on", "warning"],
            ["--ignore-metric", "a*"], ["--max-diagnostics", "5"], ["--list-rules"],
        ] {
            let r = try Self.run(["lint", "--promtool"] + option, stdin: "a 1\n")
            #expect(r.status == 2, "\(option)")
            #expect(r.stderr.contains("\(option[0]) would have no effect there"), "\(option): \(r.stderr)")
        }
        let threads = try Self.run(["lint", "--promtool", "--threads", "1"], stdin: "# HELP a x\na 1\n")
        #expect(threads.status == 0, "\(threads.stderr)")
    }

    @Test func promtoolModeReportsASplitFamilyOnce() throws {
        // promtool check metrics (2.42) prints "a_total no help text" once: its parser merges the two parts.
        // The per-series camelCase label check repeats per series, as promlint's does.
        let r = try Self.run(["lint", "--promtool"], stdin: "a_total{fooBar=\"1\"} 1\nb 1\na_total{fooBar=\"2\"} 2\n")
        #expect(r.status == 3)
        #expect(
            r.stderr == """
                a_total label names should be written in 'snake_case' not 'camelCase'
                a_total label names should be written in 'snake_case' not 'camelCase'
                a_total no help text
                b no help text

                """, "\(r.stderr)")
    }

    @Test func promtoolReporterIsPromkitsFindingsInPromtoolsShape() throws {
        // A warning of the validator is a finding like any other, not a parse error.
        let warning = try Self.run(["lint", "--reporter", "promtool", "-"], stdin: "")
        #expect(warning.stdout == "parse input is empty: no metrics\n", "\(warning.stdout)")
        let lint = try Self.run(["lint", "--reporter", "promtool", "-"], stdin: "# TYPE queue_gauge gauge\nqueue_gauge 1\n")
        #expect(
            lint.stdout
                == "queue_gauge \"queue_gauge\" has its type \"gauge\" in its name\nqueue_gauge metric family \"queue_gauge\" has no HELP text\n",
            "\(lint.stdout)")
        let parse = try Self.run(["lint", "--reporter", "promtool", "-"], stdin: "a 1\nb{ 1\n")
        #expect(parse.stdout.hasPrefix("error while linting: text format parsing error in line 2: "), "\(parse.stdout)")
    }

    @Test func noHelpMissingForTheSecondPartOfASplitFamily() throws {
        let r = try Self.run(["lint", "-"], stdin: "# HELP a x\n# TYPE a gauge\n# HELP b x\n# TYPE a gauge\na 1\n")
        #expect(r.stdout.contains("<stdin>:4:1: error: metric family \"a\" appears again"))
        #expect(!r.stdout.contains("[help_missing]"), "\(r.stdout)")
    }

    @Test func junitGitLabLinePointsAtTheFirstFailure() throws {
        // parse: a warning on line 2 (a family met again, text format) before the error on line 4.
        let r = try Self.run(["lint", "--reporter", "junit-gitlab", "-"], stdin: "# HELP a x\na 1\n# HELP b x\nb 1\na{x=\"1\"} 2\nc{ 1\n")
        let parseCase = r.stdout.components(separatedBy: "<testcase name=\"parse\"").dropFirst().first ?? ""
        #expect(parseCase.hasPrefix(" classname=\"promkit.lint.&lt;stdin&gt;\" file=\"&lt;stdin&gt;\" line=\"6\""), "\(r.stdout)")
    }
}

extension CLITests {
    static let om2Examples = Paths.shared.appendingPathComponent("conformance/openmetrics-2.0-examples")

    /// Auto mode reads each 2.0 example as 2.0 whenever `--format openmetrics2` would: same verdict. ex29 is left
    /// out: a stateset whose groups interleave, with nothing in it that 1.0 lacks (no signal to detect).
    @Test(.enabled(if: Paths.runsShared, Comment(rawValue: Paths.sharedAbsent)))
    func autoModeRecognisesOpenMetrics2() throws {
        let index = Self.om2Examples.appendingPathComponent("index.tsv")
        let text = try #require(try? String(contentsOf: index, encoding: .utf8), Comment(rawValue: Paths.sharedAbsentInCI))
        var checked = 0
        for row in text.split(separator: "\n").dropFirst() {
            let file = String(row.split(separator: "\t")[0])
            if file.hasPrefix("ex29_") { continue }
            let path = Self.om2Examples.appendingPathComponent(file).path
            let auto = try Self.run(["validate", path])
            let om2 = try Self.run(["validate", "--format", "openmetrics2", path])
            #expect(auto.status == om2.status, "\(file): auto \(auto.stdout)")
            checked += 1
        }
        #expect(checked == 45)
    }

    @Test func openMetricsWithoutEOFGetsAHint() throws {
        let hint =
            "the input looks like OpenMetrics but no \"# EOF\" ends it, so it was read as the text format (truncated? --format openmetrics reads it as OpenMetrics)"
        // On the first error...
        let exemplar = try Self.run(["validate", "-"], stdin: "# TYPE a counter\na_total 1 # {t=\"1\"} 1\n")
        #expect(exemplar.status == 1)
        #expect(exemplar.stdout.contains("<stdin>:2:11: error: ") && exemplar.stdout.contains("; " + hint), "\(exemplar.stdout)")
        // ...or as a warning of its own when the text format finds nothing wrong.
        let unit = try Self.run(
            ["lint", "--disable", "help_missing", "-"], stdin: "# TYPE a_seconds counter\n# UNIT a_seconds seconds\na_seconds_total 1\n")
        #expect(unit.stdout.contains("<stdin>:4:1: warning: " + hint + " [parse]"), "\(unit.stdout)")
        // Not for the text format, nor when the format is given.
        let plain = try Self.run(["validate", "-"], stdin: "# TYPE a counter\na 1 x\n")
        #expect(plain.status == 1)
        #expect(!plain.stdout.contains("looks like OpenMetrics"))
        let given = try Self.run(["validate", "--format", "text", "-"], stdin: "# TYPE a counter\n# UNIT a seconds\na 1\n")
        #expect(!given.stdout.contains("looks like OpenMetrics"))
    }
}

extension CLITests {
    /// The docs match the binary: only commands that exist, no page that is not shipped, real exit statuses.
    @Test func docsMatchTheBinary() throws {
        let help = try Self.run(["--help"])
        #expect(help.status == 0)
        #expect(
            help.stdout.contains("diff") && help.stdout.contains("convert") && help.stdout.contains("fmt")
                && help.stdout.contains("stats"), "\(help.stdout)")
        let readme = try String(contentsOf: Self.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("promkit stats") && readme.contains("--from-prometheus") && readme.contains("--bearer-token-file"))
        // A page for promkit and each subcommand, each with its EXAMPLES and its real EXIT STATUS (not the
        // plugin's generic one); scripts/generate-man.sh --check (in the test command) keeps them current.
        let pages = try FileManager.default.contentsOfDirectory(atPath: Self.repoRoot.appendingPathComponent("man").path).sorted()
        #expect(
            pages == [
                "promkit.1", "promkit.convert.1", "promkit.diff.1", "promkit.fmt.1", "promkit.lint.1", "promkit.stats.1",
                "promkit.validate.1",
            ])
        for page in pages {
            let text = try String(contentsOf: Self.repoRoot.appendingPathComponent("man/\(page)"), encoding: .utf8)
            #expect(!text.contains("promkit.help"), "\(page)")
            #expect(!text.contains(".Ex -std"), "\(page)")
            #expect(text.contains(".Sh EXAMPLES\n.Bd -literal"), "\(page)")
            let exit = text.components(separatedBy: ".Sh \"EXIT STATUS\"\n").last?.split(separator: "\n").first ?? ""
            #expect(exit.hasPrefix("0 ") && exit.contains("; 1 ") && exit.contains("; 2 "), "\(page): \(exit)")
            if page == "promkit.1" || page == "promkit.lint.1" { #expect(exit.contains("; 3 "), "\(page): \(exit)") }
        }
    }
}

/// Shell completions know every subcommand; `promkit help COMMAND` and `--version` work.
@Suite struct CompletionTests {
    @Test(arguments: ["bash", "zsh", "fish"]) func completionsKnowEverySubcommand(_ shell: String) throws {
        let r = try CLITests.run(["--generate-completion-script", shell])
        #expect(r.status == 0, "\(r.stderr)")
        for command in ["validate", "lint", "diff", "convert", "fmt", "stats"] {
            #expect(r.stdout.contains(command), "\(shell) completion lacks \(command)")
        }
        // Options of a subcommand are completed too.
        #expect(
            r.stdout.contains("cardinality-threshold") && r.stdout.contains("sort-labels")
                && r.stdout.contains("from-prometheus") && r.stdout.contains("bearer-token-file"), "\(shell)")
    }

    @Test func helpCommandAndVersion() throws {
        let help = try CLITests.run(["help", "diff"])
        #expect(help.status == 0 && help.stdout.hasPrefix("OVERVIEW: Show what changed between two scrapes"), "\(help.stdout.prefix(200))")
        let version = try CLITests.run(["--version"])
        #expect(version.status == 0 && version.stdout.split(separator: ".").count == 3, "\(version.stdout)")
    }
}

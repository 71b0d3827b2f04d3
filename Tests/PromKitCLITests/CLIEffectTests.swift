import Foundation
import PromKitTestSupport
import Testing

/// What each flag and configuration key does to a run, not only that it parses: the findings it adds, removes
/// or changes, and the exit status. Each test compares a run with the setting against one without it.
@Suite struct CLIEffectTests {
    /// Line 1: type_in_name (warning); 3 series of queue_gauge; line 6: b has no HELP (help_missing, warning);
    /// line 7: an empty label value (empty_label_value, info).
    static let input = """
        # HELP queue_gauge Queue length.
        # TYPE queue_gauge gauge
        queue_gauge{a="1"} 1
        queue_gauge{a="2"} 1
        queue_gauge{a="3"} 1
        # TYPE b gauge
        b{c=""} 1

        """

    /// `rule@line` of each finding in the text report, in order.
    static func findings(_ r: CLITests.Result) -> [String] {
        r.stdout.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("<stdin>:"), let open = line.lastIndex(of: "["), line.hasSuffix("]") else { return nil }
            let lineNumber = line.split(separator: ":")[1]
            let severity = line.split(separator: ":")[3].trimmingCharacters(in: .whitespaces)
            return "\(line[line.index(after: open)..<line.index(before: line.endIndex)])@\(lineNumber) \(severity)"
        }
    }

    static func lint(_ arguments: [String] = [], _ stdin: String = input, config: String? = nil) throws -> CLITests.Result {
        guard let config else { return try CLITests.run(["lint"] + arguments + ["-"], stdin: stdin, in: Self.emptyDirectory()) }
        let dir = try emptyDirectory()
        try config.write(to: dir.appendingPathComponent(".promkit.yml"), atomically: true, encoding: .utf8)
        return try CLITests.run(["lint"] + arguments + ["-"], stdin: stdin, in: dir)
    }

    /// A fresh directory with no .promkit.yml in it or above it (the temporary directory has none).
    static func emptyDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-effect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static let baseline = ["type_in_name@1 warning", "help_missing@6 warning", "empty_label_value@7 info"]

    @Test func baselineFindings() throws {
        #expect(
            FileManager.default.fileExists(atPath: FileManager.default.temporaryDirectory.appendingPathComponent(".promkit.yml").path)
                == false,
            "a .promkit.yml in the temporary directory would change every run here")
        let r = try Self.lint()
        #expect(Self.findings(r) == Self.baseline, "\(r.stdout)")
        #expect(r.status == 0, "warnings and infos do not fail the default --fail-on error")
    }

    // MARK: Rules on and off

    @Test func disableFlagRemovesOnlyThatRule() throws {
        let r = try Self.lint(["--disable", "help_missing"])
        #expect(Self.findings(r) == ["type_in_name@1 warning", "empty_label_value@7 info"], "\(r.stdout)")
    }

    @Test func disableKeyRemovesOnlyThatRule() throws {
        let r = try Self.lint(config: "disable: [type_in_name]\n")
        #expect(Self.findings(r) == ["help_missing@6 warning", "empty_label_value@7 info"], "\(r.stdout)")
    }

    @Test func enableFlagRunsARuleTheConfigurationDisables() throws {
        let config = "disable: [help_missing, type_in_name]\n"
        let off = try Self.lint(config: config)
        #expect(Self.findings(off) == ["empty_label_value@7 info"], "\(off.stdout)")
        let on = try Self.lint(["--enable", "help_missing"], config: config)
        #expect(Self.findings(on) == ["help_missing@6 warning", "empty_label_value@7 info"], "\(on.stdout)")
    }

    @Test func enableKeyRunsARuleDisabledInTheSameFile() throws {
        let r = try Self.lint(config: "disable: [help_missing, type_in_name]\nenable: [help_missing]\n")
        #expect(Self.findings(r) == ["help_missing@6 warning", "empty_label_value@7 info"], "\(r.stdout)")
    }

    @Test func disableFlagOverridesEnableKey() throws {
        let r = try Self.lint(["--disable", "empty_label_value"], config: "enable: [empty_label_value]\n")
        #expect(Self.findings(r) == ["type_in_name@1 warning", "help_missing@6 warning"], "\(r.stdout)")
    }

    // MARK: Severity

    @Test func severityFlagChangesTheFindingAndTheExitStatus() throws {
        let r = try Self.lint(["--severity", "type_in_name=error", "--severity", "empty_label_value=warning"])
        #expect(Self.findings(r) == ["type_in_name@1 error", "help_missing@6 warning", "empty_label_value@7 warning"], "\(r.stdout)")
        #expect(r.status == 1, "an error now, and --fail-on error")
        #expect(r.stdout.hasSuffix("1 error, 2 warnings in 1 file\n"), "\(r.stdout)")
        let down = try Self.lint(["--severity", "help_missing=info"])
        #expect(Self.findings(down) == ["type_in_name@1 warning", "help_missing@6 info", "empty_label_value@7 info"], "\(down.stdout)")
    }

    @Test func severityKeyChangesTheFinding() throws {
        let r = try Self.lint(config: "severity:\n  help_missing: error\n")
        #expect(Self.findings(r) == ["type_in_name@1 warning", "help_missing@6 error", "empty_label_value@7 info"], "\(r.stdout)")
        #expect(r.status == 1)
        // The flag wins over the file.
        let flag = try Self.lint(["--severity", "help_missing=info"], config: "severity:\n  help_missing: error\n")
        #expect(Self.findings(flag).contains("help_missing@6 info") && flag.status == 0, "\(flag.stdout)")
    }

    // MARK: Ignored metrics

    @Test func ignoreMetricFlagSkipsMatchingFamiliesOnly() throws {
        let r = try Self.lint(["--ignore-metric", "queue_*"])
        #expect(Self.findings(r) == ["help_missing@6 warning", "empty_label_value@7 info"], "\(r.stdout)")
        let none = try Self.lint(["--ignore-metric", "queue"])
        #expect(Self.findings(none) == Self.baseline, "a glob matches whole names: \(none.stdout)")
    }

    @Test func ignoreMetricsKeySkipsMatchingFamiliesOnly() throws {
        let r = try Self.lint(config: "ignore_metrics:\n  - 'b'\n  - 'x_*'\n")
        #expect(Self.findings(r) == ["type_in_name@1 warning"], "\(r.stdout)")
    }

    // MARK: Fail-on

    @Test func failOnFlagSetsTheLowestFailingSeverity() throws {
        let levels: [(String, Int32)] = [("error", 0), ("warning", 1), ("info", 1), ("never", 0)]
        for (level, status) in levels {
            let r = try Self.lint(["--fail-on", level])
            #expect(r.status == status, "--fail-on \(level): \(r.stdout)")
        }
        // Infos alone: only info fails.
        let infoOnly = ["--disable", "type_in_name", "--disable", "help_missing"]
        #expect(try Self.lint(infoOnly + ["--fail-on", "warning"]).status == 0)
        #expect(try Self.lint(infoOnly + ["--fail-on", "info"]).status == 1)
        // never: even an error passes (the findings are still shown).
        let broken = try Self.lint(["--fail-on", "never"], "a{ 1\n")
        #expect(broken.status == 0 && broken.stdout.contains("<stdin>:1:4: error:"), "\(broken.stdout)")
    }

    @Test func failOnKey() throws {
        let infoOnly = "disable: [type_in_name, help_missing]\n"
        #expect(try Self.lint(config: infoOnly).status == 0)
        #expect(try Self.lint(config: infoOnly + "fail_on: info\n").status == 1)
        #expect(try Self.lint(config: infoOnly + "fail_on: warning\n").status == 0)
        let never = try Self.lint([], "a{ 1\n", config: "fail_on: never\n")
        #expect(never.status == 0 && never.stdout.contains("error:"), "\(never.stdout)")
        #expect(try Self.lint([], "a{ 1\n", config: "fail_on: error\n").status == 1)
        // The flag wins over the file.
        #expect(try Self.lint(["--fail-on", "error"], "a{ 1\n", config: "fail_on: never\n").status == 1)
    }

    // MARK: Series budgets

    @Test func maxSeriesPerFamilyKey() throws {
        let over = try Self.lint(config: "max_series_per_family: 2\n")
        #expect(Self.findings(over) == ["series_budget@1 warning"] + Self.baseline, "\(over.stdout)")
        #expect(
            over.stdout.contains("\"queue_gauge\" has 3 series, over the budget of 2 per family (max_series_per_family)"), "\(over.stdout)")
        let within = try Self.lint(config: "max_series_per_family: 3\n")
        #expect(Self.findings(within) == Self.baseline, "\(within.stdout)")
        // A family of one series stays within a budget of 1; 0 is no limit.
        #expect(Self.findings(try Self.lint(config: "max_series_per_family: 1\n")).filter { $0.hasPrefix("series_budget") }.count == 1)
        #expect(Self.findings(try Self.lint(config: "max_series_per_family: 0\n")) == Self.baseline)
    }

    @Test func maxSeriesTotalKey() throws {
        let over = try Self.lint(config: "max_series_total: 3\n")
        #expect(
            Self.findings(over) == [
                "type_in_name@1 warning", "series_budget@1 warning", "help_missing@6 warning", "empty_label_value@7 info",
            ], "\(over.stdout)")
        #expect(over.stdout.contains("the input has 4 series, over the budget of 3 (max_series_total)"), "\(over.stdout)")
        let within = try Self.lint(config: "max_series_total: 4\n")
        #expect(Self.findings(within) == Self.baseline, "4 series in all: \(within.stdout)")
    }

    // MARK: Reading

    /// --max-diagnostics 0 shows every finding; the default stops at 1000 and says how many it left out.
    @Test func maxDiagnosticsZeroShowsAll() throws {
        let input = String(repeating: "a{ 1\n", count: 1200)
        let limited = try CLITests.run(["validate", "-"], stdin: input)
        #expect(limited.stdout.split(separator: "\n").filter { $0.contains(": error: ") }.count == 1000)
        #expect(limited.stdout.contains("200 more findings not shown"), "\(limited.stdout.suffix(300))")
        let all = try CLITests.run(["validate", "--max-diagnostics", "0", "-"], stdin: input)
        #expect(all.stdout.split(separator: "\n").filter { $0.contains(": error: ") }.count == 1200)
        #expect(!all.stdout.contains("not shown"), "\(all.stdout.suffix(300))")
        #expect(all.stdout.hasSuffix("1200 errors, 0 warnings in 1 file\n"), "\(all.stdout.suffix(200))")
    }

    /// --format decides the grammar: the same bytes are clean as one format and wrong as another.
    @Test func formatFlagChangesTheGrammar() throws {
        let om = "# TYPE a counter\na_total 1 # {t=\"1\"} 1\n# EOF\n"
        #expect(try CLITests.run(["validate", "-"], stdin: om).status == 0, "auto detects OpenMetrics")
        let asText = try CLITests.run(["validate", "--format", "text", "-"], stdin: om)
        #expect(asText.status == 1 && asText.stdout.contains("<stdin>:2:11: error:"), "an exemplar is no text syntax: \(asText.stdout)")
        let composite = "# TYPE h histogram\nh {count:1,sum:1,bucket:[+Inf:1]}\n# EOF\n"
        #expect(try CLITests.run(["validate", "--format", "openmetrics2", "-"], stdin: composite).status == 0)
        let as1 = try CLITests.run(["validate", "--format", "openmetrics", "-"], stdin: composite)
        #expect(as1.status == 1, "composite values are 2.0 only: \(as1.stdout)")
        // And for lint.
        let lint = try CLITests.run(["lint", "--format", "openmetrics", "-"], stdin: "# HELP a A.\n# TYPE a gauge\na 1\n")
        #expect(lint.status == 1 && lint.stdout.contains("[parse]") && lint.stdout.contains("EOF"), "\(lint.stdout)")
    }

    /// --threads N reads a large input (past the 8 MiB threshold) on N threads: the process has N threads
    /// while it reads, and the findings are those of one thread.
    @Test func threadsFlagSetsTheThreadsUsed() throws {
        let file = try Self.emptyDirectory().appendingPathComponent("big.prom")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        // 20,000 families of two series with long label values: past the threshold in few lines.
        let padding = String(repeating: "x", count: 200)
        var text = ""
        text.reserveCapacity(9_500_000)
        for i in 0..<20_000 {
            text += "# TYPE f\(i) gauge\nf\(i){a=\"1\",b=\"\(padding)\"} 1\nf\(i){a=\"2\",b=\"\(padding)\"} 2\n"
        }
        text += "f0 1\nbad{ 1\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect(text.utf8.count > 8 << 20)
        var outputs: [String] = []
        for threads in [1, 3] {
            let (result, most) = try Self.runCountingThreads(["validate", "--threads", "\(threads)", file.path])
            #expect(most == threads, "--threads \(threads): the process had at most \(most) threads")
            #expect(result.status == 1)
            outputs.append(result.stdout)
        }
        #expect(outputs[0] == outputs[1])
        #expect(
            outputs[0].contains(":60001:1: warning: metric family \"f0\" appears again") && outputs[0].contains(":60002:6: error:"),
            "\(outputs[0])")
    }

    /// Runs the binary, watching /proc/PID/task: the most threads it had at once.
    static func runCountingThreads(_ arguments: [String]) throws -> (CLITests.Result, Int) {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        // Output is drained on another thread so that a full pipe cannot stall the child while we watch it.
        nonisolated(unsafe) var data = Data()
        let done = DispatchSemaphore(value: 0)
        try process.run()
        DispatchQueue.global().async {
            data = out.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let tasks = "/proc/\(process.processIdentifier)/task"
        var most = 0
        while process.isRunning {
            if let n = try? FileManager.default.contentsOfDirectory(atPath: tasks).count { most = max(most, n) }
        }
        done.wait()
        process.waitUntilExit()
        return (CLITests.Result(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: ""), most)
    }

    // MARK: Colour

    /// On a terminal the text report is in colour unless NO_COLOR is set; never in colour through a pipe.
    /// (`script` gives the binary a terminal.)
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "util-linux script(1) gives the binary a terminal"))
    func noColorTurnsColourOff() throws {
        func onTerminal(_ noColor: String?) throws -> String {
            let command = "\(CLITests.binary.path) validate testdata/validate/syntax-errors.prom"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", command, "/dev/null"]
            process.currentDirectoryURL = CLITests.repoRoot
            var env = ProcessInfo.processInfo.environment
            env["NO_COLOR"] = noColor
            env["TERM"] = "xterm"
            process.environment = env
            let out = Pipe()
            process.standardOutput = out
            process.standardInput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let escape = "\u{1B}["
        let coloured = try onTerminal(nil)
        #expect(coloured.contains("syntax-errors.prom"), "\(coloured.prefix(300))")
        #expect(coloured.contains(escape), "no colour on a terminal without NO_COLOR: \(coloured.prefix(300).debugDescription)")
        let plain = try onTerminal("1")
        #expect(plain.contains("syntax-errors.prom") && !plain.contains(escape), "\(plain.prefix(300).debugDescription)")
        let piped = try CLITests.run(["validate", "testdata/validate/syntax-errors.prom"], environment: ["NO_COLOR": nil])
        #expect(piped.stdout.contains("error:") && !piped.stdout.contains(escape), "colour through a pipe")
    }
}

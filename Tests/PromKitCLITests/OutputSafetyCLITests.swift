import Foundation
import PromKitTestSupport
import Testing

/// The command line keeps what a user gave: report paths checked against the inputs before anything is read,
/// FIFOs written through, failed writes reported with exit 2, inputs closed as they are done.
/// Each test works in a temporary directory of its own.
@Suite struct OutputSafetyCLITests {
    static let valid = "# HELP a_total A counter.\n# TYPE a_total counter\na_total 1\n"

    /// Runs a shell command line in a temporary directory holding `in.prom`, with `$PROMKIT` the binary.
    func shell(_ script: String, in dir: String) throws -> CLITests.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        env["PROMKIT"] = CLITests.binary.path
        env["NO_COLOR"] = "1"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLITests.Result(
            status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func inTemporaryDirectory(_ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.valid.write(toFile: dir + "/in.prom", atomically: false, encoding: .utf8)
        try body(dir)
    }

    @Test func reportOverAnInputIsRefusedByAnySpelling() throws {
        try inTemporaryDirectory { dir in
            try FileManager.default.createSymbolicLink(atPath: dir + "/link.prom", withDestinationPath: "in.prom")
            #expect(link(dir + "/in.prom", dir + "/hard.prom") == 0)
            for spelling in ["./in.prom", dir + "/in.prom", "link.prom", "hard.prom", "sub/../in.prom"] {
                try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
                for command in ["lint", "validate"] {
                    let r = try shell("\"$PROMKIT\" \(command) in.prom --reporter json:\(spelling)", in: dir)
                    #expect(r.status == 2, "\(command) \(spelling): \(r.stdout)\(r.stderr)")
                    #expect(r.stderr.contains("it is the input 'in.prom'"), "\(r.stderr)")
                    #expect(r.stdout.isEmpty, "nothing is run before the check")
                }
            }
            // Standard input redirected from the file is the file too.
            let r = try shell("\"$PROMKIT\" lint --reporter json:./in.prom < in.prom", in: dir)
            #expect(r.status == 2 && r.stderr.contains("standard input"), "\(r.stderr)")
            #expect(try String(contentsOfFile: dir + "/in.prom", encoding: .utf8) == Self.valid)
            var st = stat()
            #expect(lstat(dir + "/link.prom", &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK)
        }
    }

    @Test func twoReportsToOneDestinationAreAUsageError() throws {
        try inTemporaryDirectory { dir in
            for args in [
                "--reporter text --reporter json", "--reporter text --reporter json:/dev/stdout",
                "--reporter junit:r.xml --reporter sarif:./r.xml",
            ] {
                let r = try shell("\"$PROMKIT\" lint in.prom \(args)", in: dir)
                #expect(r.status == 2, "\(args): \(r.stderr)")
                #expect(r.stderr.contains("both write to"), "\(r.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: dir + "/r.xml"))
        }
    }

    @Test func devStdoutIsStandardOutputAndAFifoIsWrittenThrough() throws {
        try inTemporaryDirectory { dir in
            let r = try shell("\"$PROMKIT\" lint in.prom --reporter json:/dev/stdout", in: dir)
            #expect(r.status == 0 && r.stdout.contains("\"command\""), "\(r.stdout)\(r.stderr)")
            // Appended to a file the shell opened for appending, not replacing it.
            let appended = try shell(
                "echo before > out.txt; \"$PROMKIT\" lint in.prom --reporter json:/dev/stdout >> out.txt; head -1 out.txt", in: dir)
            #expect(appended.stdout == "before\n", "\(appended.stderr)")
            let fifo = try shell(
                "mkfifo p; cat p > got & \"$PROMKIT\" lint in.prom --reporter junit:p; s=$?; wait; echo $s; test -p p && echo fifo; head -c 5 got",
                in: dir)
            #expect(fifo.stdout == "0\nfifo\n<?xml", "\(fifo.stderr)")
        }
    }

    @Test func failedWritesExitTwoWithOneMessage() throws {
        try inTemporaryDirectory { dir in
            let full = try shell("\"$PROMKIT\" lint in.prom > /dev/full", in: dir)
            #expect(full.status == 2)
            #expect(
                full.stderr == "promkit: error: cannot write the text report to standard output: No space left on device\n",
                "\(full.stderr)")
            let stats = try shell("\"$PROMKIT\" stats in.prom > /dev/full", in: dir)
            #expect(
                stats.status == 2
                    && stats.stderr == "promkit: error: cannot write the statistics to standard output: No space left on device\n",
                "\(stats.stderr)")
            let toFull = try shell("\"$PROMKIT\" validate in.prom --reporter json:/dev/full", in: dir)
            #expect(toFull.status == 2 && toFull.stderr.contains("cannot write the json report to '/dev/full'"), "\(toFull.stderr)")
            // A reader that goes away: EPIPE, not death by SIGPIPE.
            // Standard output's reader goes away (`| head`): a quiet end by SIGPIPE, as a pipeline expects.
            let closed = try shell(
                "for i in $(seq 1 3000); do echo \"a_$i 1\"; done > many.prom; bash -c '\"$PROMKIT\" lint many.prom | head -1 > /dev/null; echo ${PIPESTATUS[0]}'",
                in: dir)
            #expect(closed.stdout == "141\n", "\(closed.stdout)")
            #expect(closed.stderr.isEmpty, "\(closed.stderr)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("promkit-") }.isEmpty,
                "no temporary file left")
        }
    }

    @Test func inputsAreClosedAsTheyAreDone() throws {
        try inTemporaryDirectory { dir in
            // More inputs than open files allowed: each is closed (and unmapped) once its findings are made.
            let r = try shell(
                "for i in $(seq 1 300); do cp in.prom f$i.prom; done; ulimit -n 40; \"$PROMKIT\" lint f*.prom --reporter text --reporter junit:r.xml",
                in: dir)
            #expect(r.status == 0, "\(r.stdout.suffix(300))\(r.stderr)")
            #expect(!r.stdout.contains("Too many open files"))
            #expect(r.stdout.hasSuffix("no problems found in 300 files\n"), "\(r.stdout.suffix(200))")
        }
    }

    @Test func threadsAreBounded() throws {
        try inTemporaryDirectory { dir in
            for n in ["0", "100000"] {
                let r = try shell("\"$PROMKIT\" lint in.prom --threads \(n)", in: dir)
                #expect(r.status == 2 && r.stderr.contains("--threads must be between 1 and 256"), "\(r.stderr)")
            }
        }
    }
}

/// Long command lines: inputs are taken aside before argument-parser (quadratic in the argument count), and
/// the result is that of a short command line.
@Suite struct ManyInputsCLITests {
    /// Every option that takes a value, in every command's --help, is one the command line splitter knows
    /// (else its value would be taken for an input on a long command line).
    @Test func valueOptionsAreKnown() throws {
        let known: Set<String> = [
            "--format", "--max-diagnostics", "--threads", "--reporter", "--enable", "--disable", "--limit",
            "--severity", "--ignore-metric", "--fail-on", "--config", "--explain",
            "--to", "--from", "--escaping", "--output",
            "--ignore-label", "--tolerance", "--cardinality-threshold", "--max-series",
            "--accept", "--timeout", "--max-bytes", "--concurrency", "--header", "--bearer-token-file",
            "--basic-auth", "--ca-file", "--from-prometheus", "--job", "--top",
        ]
        let top = try CLITests.run(["--help"])
        let commands = top.stdout.split(separator: "\n").drop { !$0.hasPrefix("SUBCOMMANDS:") }.dropFirst()
            .compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0 != "help" && $0 != "See" }
        #expect(commands.contains("lint") && commands.contains("validate"), "\(top.stdout)")
        for command in commands {
            let help = try CLITests.run([command, "--help"]).stdout
            for line in help.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard words.count >= 2, words[0].hasPrefix("--"), words[1].hasPrefix("<") else { continue }
                let option = String(words[0].split(separator: ",").first!)
                #expect(known.contains(option), "\(command) \(option) takes a value: add it to ManyInputs.valueOptions and here")
            }
        }
    }

    @Test func manyInputsReadAsFew() throws {
        let file = "testdata/validate/syntax-errors.prom"
        let few = try CLITests.run(["validate", "--reporter", "json", file, file])
        var args = ["validate", file, "--max-diagnostics", "5", "--reporter", "json"]
        args += Array(repeating: file, count: 99)
        let many = try CLITests.run(args)
        #expect(many.status == few.status)
        // 100 inputs, each with the findings of one, and the option between them applied.
        #expect(many.stdout.contains("\"summary\": {\"inputs\": 100,"), "\(many.stdout.prefix(400))")
        #expect(many.stdout.components(separatedBy: "\"path\": \"\(file)\"").count - 1 == 100)
        // --max-diagnostics 5 between the inputs applies to each: 5 findings kept of 8, and a note.
        #expect(!many.stdout.contains("\"rule\": \"reserved_label_name\", \"severity\": \"error\", \"message\""), "the 7th finding is cut")
        #expect(many.stdout.contains("\"rule\": \"invalid_timestamp\", \"severity\": \"error\", \"message\""), "the 5th is kept")
        let r = try CLITests.run(
            ["lint", "--reporter", "text"] + Array(repeating: "testdata/validate/utf8-names.prom", count: 80) + ["--", "-x"])
        #expect(r.stdout.contains("-x: error: cannot read input"), "an input after -- stays an input: \(r.stdout.suffix(300))")
        #expect(r.stdout.hasSuffix("in 81 files\n"), "\(r.stdout.suffix(200))")
    }
}

/// Interrupted during an atomic write (Ctrl-C, SIGTERM): the temporary file is removed, the target untouched,
/// exit 128 + the signal. Every command that writes a file: `convert -o`, `fmt --write`.
@Suite struct InterruptCLITests {
    struct Case: CustomStringConvertible, Sendable {
        var command: String
        var arguments: [String]
        /// The file written in place, and what it held before.
        var target: String
        var signal: Int32
        var description: String { "\(command) \(signal == SIGINT ? "SIGINT" : "SIGTERM")" }
    }

    static let cases: [Case] = [
        Case(
            command: "convert -o", arguments: ["convert", "--to", "openmetrics", "-o", "out.om", "in.prom"], target: "out.om",
            signal: SIGTERM),
        Case(
            command: "convert -o", arguments: ["convert", "--to", "openmetrics", "-o", "out.om", "in.prom"], target: "out.om",
            signal: SIGINT),
        Case(command: "fmt --write", arguments: ["fmt", "--write", "in.prom"], target: "in.prom", signal: SIGINT),
        Case(command: "fmt --write", arguments: ["fmt", "--write", "in.prom"], target: "in.prom", signal: SIGTERM),
    ]

    @Test(arguments: cases)
    func interruptedWriteLeavesNothing(_ c: Case) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-int-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Large enough that writing the output takes a while (a debug build, several seconds); values not in
        // their canonical spelling, so that fmt --write rewrites the file.
        var text = ""
        for f in 0..<2000 {
            text += "# HELP m\(f)_total Help.\n# TYPE m\(f)_total counter\n"
            for s in 0..<100 { text += "m\(f)_total{a=\"\(s)\",b=\"x\"} \(s).50\n" }
        }
        try text.write(toFile: dir + "/in.prom", atomically: false, encoding: .utf8)
        if c.target != "in.prom" { try "old".write(toFile: dir + "/" + c.target, atomically: false, encoding: .utf8) }
        let before = try String(contentsOfFile: dir + "/" + c.target, encoding: .utf8)
        // Spawned with no signal blocked and default dispositions (a test runner's threads may block or ignore
        // SIGTERM and SIGINT, and a child inherits that), as a shell starts a command.
        let arguments = [CLITests.binary.path] + c.arguments.map { $0.hasSuffix(".om") || $0.hasSuffix(".prom") ? dir + "/" + $0 : $0 }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var files = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        #expect(posix_spawn(&pid, arguments[0], &files, &attributes, &argv, environ) == 0)
        // Wait for the temporary file to appear, then interrupt.
        var sawTemporary = false
        for _ in 0..<4000 {
            if try FileManager.default.contentsOfDirectory(atPath: dir).contains(where: { $0.hasPrefix(".\(c.target).promkit-") }) {
                sawTemporary = true
                break
            }
            usleep(5000)
        }
        // Signalled the instant the file appears: the file is noted before mkstemp makes it (TemporaryFiles.create).
        if sawTemporary { kill(pid, c.signal) }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let exited = status & 0x7F == 0, code = (status >> 8) & 0xFF
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        if sawTemporary {
            #expect(exited && code == 128 + c.signal, "\(c): ended by \(exited ? "exit \(code)" : "signal \(status & 0x7F)")")
            #expect(left == Set(["in.prom", c.target]).sorted(), "\(c): \(left)")
            #expect(try String(contentsOfFile: dir + "/" + c.target, encoding: .utf8) == before, "\(c): the target is untouched")
        }
        #expect(sawTemporary, "\(c): the command ended before its temporary file was seen; make the input larger")
    }

    /// Standard output's reader goes away (`| head`) while a command writes: a quiet end by SIGPIPE (141), and no
    /// temporary file left (convert and fmt spool standard output to an unlinked temporary file).
    @Test(arguments: ["convert --to openmetrics in.prom", "fmt in.prom", "convert --to json in.prom"])
    func closedPipeEndsQuietly(_ command: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-pipe-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var text = ""
        for f in 0..<20000 { text += "# TYPE m\(f) gauge\nm\(f){a=\"x\"} 1\n" }  // ~600 KB out: more than a pipe holds
        try text.write(toFile: dir + "/in.prom", atomically: false, encoding: .utf8)
        let r = try OutputSafetyCLITests().shell(
            "TMPDIR=\"$PWD\" bash -c '\"$PROMKIT\" \(command) | head -c 10 > /dev/null; echo ${PIPESTATUS[0]}'", in: dir)
        #expect(r.stdout == "141\n", "\(command): \(r.stdout) \(r.stderr)")
        #expect(r.stderr.isEmpty, "\(command): \(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["in.prom"], "\(command): nothing left beside the input")
    }
}

import Foundation
import PromKitTestSupport
import Testing

@testable import PromKit
@testable import PromKitLint
@testable import PromKitReport

@Suite struct RuleExampleTests {
    static let rules = RuleRegistry.all.map { $0.description.id }

    static func findings(_ text: String, rule: String) -> [Diagnostic] {
        let source = SourceFile(name: "example", text: text)
        let format = FormatDetector.detect(source.bytes)
        var configuration = LintConfiguration()
        configuration.maxSeriesPerFamily = 10_000
        let (validation, lint, _) = Linter(configuration: configuration).lint(source, format: format)
        let fromValidator = validation.filter { $0.code == .duplicateSeries && rule == "duplicate_series" }
        return lint.filter { $0.code.rawValue == rule } + fromValidator
    }

    /// Each rule's own examples: nothing on the good ones, a finding on each bad one.
    @Test(arguments: rules)
    func examples(_ id: String) throws {
        let d = try #require(RuleRegistry.lookup(id)).description
        #expect(!d.good.isEmpty && !d.bad.isEmpty, "\(id) needs good and bad examples")
        for good in d.good {
            let f = Self.findings(good, rule: id)
            #expect(f.isEmpty, "\(id) flagged its good example: \(f.map(\.message))\n\(good)")
        }
        for bad in d.bad {
            #expect(!Self.findings(bad, rule: id).isEmpty, "\(id) missed its bad example:\n\(bad.prefix(300))")
        }
    }

    /// The registry is sorted and unique, and complete as the user sees it: the README's rule table (what
    /// `lint --list-rules --markdown` prints, checked in the CLI tests) lists exactly the registered rules,
    /// with their severities, promtool marks and summaries, after `parse`.
    @Test func registryIsSortedUniqueAndComplete() throws {
        let ids = RuleRegistry.all.map { $0.description.id }
        #expect(ids == ids.sorted())
        #expect(Set(RuleRegistry.ids).count == RuleRegistry.ids.count)
        #expect(
            RuleRegistry.all.count == 28 && RuleRegistry.ids == ["parse"] + ids,
            "28 rules besides parse; a new one goes in the README's table too")
        let readme = try String(contentsOf: Paths.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let table =
            readme.components(separatedBy: "| rule | default severity | promtool | checks |\n| --- | --- | --- | --- |\n").dropFirst()
            .first?
            .split(separator: "\n").prefix { $0.hasPrefix("| `") }.map(String.init) ?? []
        var registered: [String] = []
        for rule in RuleRegistry.all {
            let d = rule.description
            registered.append("| `\(d.id)` | \(d.severity.rawValue) | \(d.promlint ? "yes" : "") | \(d.summary) |")
        }
        let first = table.first ?? "no rule table in README.md"
        #expect(first.hasPrefix("| `parse` | error |"), "\(first)")
        let documented = Array(table.dropFirst())
        #expect(documented == registered, "README.md's rule table and the registry differ")
    }

    @Test func promlintRulesAreMarked() {
        let promlint = RuleRegistry.all.filter { $0.description.promlint }.map { $0.description.id }
        #expect(
            promlint.sorted() == [
                "camel_case_label", "camel_case_name", "colon_in_name", "counter_total_suffix", "duplicate_series",
                "help_missing", "non_base_unit", "non_counter_total_suffix", "reserved_label", "reserved_suffix",
                "type_in_name", "unit_abbreviation",
            ])
    }

    @Test func messagesNameTheLabel() {
        let f = Self.findings("# HELP r_total r\n# TYPE r_total counter\nr_total{statusCode=\"1\"} 1\n", rule: "camel_case_label")
        #expect(f.first?.message.contains("\"statusCode\"") == true)
        #expect(f.first?.label == "statusCode")
    }

    @Test func unitTable() {
        #expect(Naming.nonBaseUnit(in: "http_request_duration_milliseconds")! == ("milliseconds", "seconds"))
        #expect(Naming.nonBaseUnit(in: "disk_kilobytes")! == ("kilobytes", "bytes"))
        #expect(Naming.nonBaseUnit(in: "foo_seconds_milliseconds") == nil)
        #expect(Naming.nonBaseUnit(in: "temperature_fahrenheit")! == ("fahrenheit", "celsius"))
        // nonBaseUnit only asks the table about tokens ending in one of these bytes.
        #expect(Naming.unitTable.keys.allSatisfy { ["s", "n", "e", "t"].contains($0.last!) })
        // The byte index answers as the table does, for every spelling in it, and not for others.
        for (unit, base) in Naming.unitTable {
            let found = Naming.nonBaseUnit(in: "a_\(unit)_b")
            #expect(unit == base ? found == nil : found.map { $0 == (unit, base) } == true, "\(unit)")
        }
        #expect(Naming.nonBaseUnit(in: "a_kiloseconds2_b") == nil && Naming.nonBaseUnit(in: "a_megaminute_b") == nil)
        #expect(Naming.isCamelCase("fooBar") && !Naming.isCamelCase("foo_bar") && !Naming.isCamelCase("FOO"))
        #expect(Naming.hasSuffix("a_total", "_total") && !Naming.hasSuffix("total", "_total") && !Naming.hasSuffix("a_totals", "_total"))
        #expect(Naming.contains("a:b", UInt8(ascii: ":")) && !Naming.contains("ab", UInt8(ascii: ":")))
        // HELP against name on words: escaped and plain HELP go through the one comparison; no words, no repeat.
        func same(_ a: String, _ b: String) -> Bool {
            withUTF8Bytes(a) { x in withUTF8Bytes(b) { HelpUninformative.sameWords(x, $0) } }
        }
        #expect(same("Jobs total.", "jobs_total") && !same("jobs done", "jobs_total") && !same("\\", "_"))
        #expect(Naming.hasToken("uptime_MS", "ms"))
        #expect(!Naming.hasToken("msgs_total", "ms"))
    }
}

@Suite struct ConfigurationTests {
    @Test func yamlFile() throws {
        var c = LintConfiguration()
        try c.load(
            yaml: """
                disable: [help_missing]
                severity:
                  camel_case_name: error
                ignore_metrics: ["go_*", "process_[a-z]*"]
                fail_on: warning
                max_series_per_family: 50
                """, path: ".promkit.yml")
        #expect(!c.isEnabled("help_missing"))
        #expect(c.severity(of: RuleRegistry.lookup("camel_case_name")!.description) == .error)
        #expect(c.ignores("go_goroutines") && c.ignores("process_cpu_seconds_total") && !c.ignores("http_requests_total"))
        #expect(c.failOn == .warning)
        #expect(c.maxSeriesPerFamily == 50)
    }

    @Test func unknownKeysAndRulesAreNamed() {
        var c = LintConfiguration()
        let unknownKey = #expect(throws: LintConfiguration.Failure.self) { try c.load(yaml: "disabel: [x]\n", path: "/p/.promkit.yml") }
        #expect(
            unknownKey.map { "\($0)" }?.contains("/p/.promkit.yml:1: unknown key 'disabel'") == true, "\(String(describing: unknownKey))")
        // Values are checked too, and the message names the file's line.
        let wrong: [(String, String)] = [
            ("fail_on: warning\nmax_series_total: lots\n", ".promkit.yml:2: 'max_series_total' takes a whole number"),
            ("disable:\n  - help_missing\n  - nope_rule\n", ".promkit.yml:3: unknown rule 'nope_rule'"),
            ("severity:\n  help_missing: loud\n", ".promkit.yml:2: unknown severity 'loud' for help_missing"),
            ("severity: [help_missing]\n", ".promkit.yml:1: 'severity' takes a mapping"),
            ("- disable\n", ".promkit.yml:1: expected a mapping of settings"),
            ("disable: &a [x]\n", ".promkit.yml:1: not YAML this file can hold: \"&\" (YAML anchor)"),
        ]
        for (text, message) in wrong {
            var fresh = LintConfiguration()
            do {
                try fresh.load(yaml: text, path: ".promkit.yml")
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                #expect("\(error)".hasPrefix(message), "\(error)")
            }
        }
        let misspelt = #expect(throws: LintConfiguration.Failure.self) { try c.disable("camelcase_name") }
        #expect(misspelt.map { "\($0)" }?.contains("did you mean camel_case_name") == true, "\(String(describing: misspelt))")
        #expect(throws: LintConfiguration.Failure.self) { try c.setSeverity("help_missing=loud") }
        #expect(throws: LintConfiguration.Failure.self) { try c.setFailOn("sometimes") }
    }

    @Test func globs() {
        #expect(Glob("go_*").matches("go_gc_duration_seconds"))
        #expect(!Glob("go_*").matches("golang_x"))
        #expect(Glob("a?c").matches("abc") && !Glob("a?c").matches("ac"))
        #expect(Glob("node_[!c]*").matches("node_disk") && !Glob("node_[!c]*").matches("node_cpu"))
        #expect(Glob("*_total").matches("x_total") && Glob("*").matches(""))
    }

    @Test func failOnDecidesTheExitStatus() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("m.prom").path
        try "# TYPE queue_gauge gauge\nqueue_gauge 1\n".write(toFile: file, atomically: true, encoding: .utf8)
        var c = LintConfiguration()
        #expect(LintRun(linter: Linter(configuration: c)).run(paths: [file]).exitStatus == 0)
        try c.setFailOn("warning")
        #expect(LintRun(linter: Linter(configuration: c)).run(paths: [file]).exitStatus == 1)
        c.ignoreMetrics = [Glob("queue_*")]
        #expect(LintRun(linter: Linter(configuration: c)).run(paths: [file]).exitStatus == 0)
        #expect(LintRun(linter: Linter(configuration: c)).run(paths: [file + ".missing"]).exitStatus == 2)
    }
}

/// Real scrapes: the text reporter's output is pinned, and drop-in mode matches promtool.
@Suite struct ScrapeTests {
    static let shared = Paths.shared.appendingPathComponent("scrapes")
    static let scrapes: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: shared.path)) ?? []).filter {
        $0.contains(".text.")
    }.sorted()

    /// The eight text scrapes (../shared/README.md); in CI their absence fails here rather than skipping.
    @Test(.enabled(if: Paths.runsShared, Comment(rawValue: Paths.sharedAbsent)))
    func allTextScrapes() {
        let expected = ["client-golang-1.14-debian", "node-exporter", "prometheus", "python-client-0.26"].flatMap {
            ["\($0).text.1.txt", "\($0).text.2.txt"]
        }
        #expect(Self.scrapes == expected, "\(Paths.sharedAvailable ? "" : Paths.sharedAbsentInCI)")
    }

    @Test(.enabled(if: Paths.runsShared, Comment(rawValue: Paths.sharedAbsent)), arguments: scrapes)
    func textReporterGolden(_ name: String) throws {
        let path = Self.shared.appendingPathComponent(name).path
        var outcome = LintRun(linter: Linter()).run(paths: [path])
        for i in outcome.report.inputs.indices {
            outcome.report.inputs[i].path = name
            for k in outcome.report.inputs[i].findings.indices { outcome.report.inputs[i].findings[k].path = name }
        }
        let text = try TextReporter().render(outcome.report, context: .plain)
        let mismatch = Golden.mismatch(text, Paths.testdata.appendingPathComponent("lint/\(name)"))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    static var promtool: String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/promtool") {
            return "\(dir)/promtool"
        }
        return nil
    }

    /// promtool is there (in CI it must be: scripts/install-test-deps.sh installs it), in the version pinned.
    @Test(
        .enabled(if: TestEnvironment.isCI || Self.promtool != nil, "promtool is not installed (scripts/install-test-deps.sh installs it)"))
    func promtoolIsThePinnedOne() throws {
        print("ScrapeTests.matchesPromtool runs against \(ReferenceTools.promtool)")
        let promtool = try #require(Self.promtool, "promtool is not installed: run scripts/install-test-deps.sh")
        let pin = try #require(ReferenceTools.pinned("prometheus"), "scripts/install-test-deps.sh pins no prometheus version")
        #expect(ReferenceTools.promtool == "promtool \(pin)", "\(promtool) is \(ReferenceTools.promtool), the pin \(pin)")
    }

    /// `lint --promtool` prints promtool's lines byte for byte and exits as it does (promtool run for real).
    @Test(
        .enabled(
            if: Paths.runsShared && (TestEnvironment.isCI || promtool != nil),
            "promtool or ../shared/scrapes absent (scripts/install-test-deps.sh installs promtool)"), arguments: scrapes)
    func matchesPromtool(_ name: String) throws {
        let url = Self.shared.appendingPathComponent(name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.promtool, "promtool is not installed"))
        process.arguments = ["check", "metrics"]
        process.standardInput = try FileHandle(forReadingFrom: url)
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let ours = PromtoolCompat.run(SourceFile(name: "<stdin>", bytes: try [UInt8](Data(contentsOf: url))))
        #expect(ours.exitStatus == process.terminationStatus, "\(name): against \(ReferenceTools.promtool)")
        #expect(ours.stderr == String(decoding: stderr, as: UTF8.self), "\(name): against \(ReferenceTools.promtool)")
    }
}

/// Rules whose verdicts docs/verdicts.md records.
@Suite struct LintVerdictTests {
    static func kind(_ value: String) -> String? {
        Array(value.utf8).withUnsafeBufferPointer { UnboundedLabel.kind(of: $0) }
    }

    /// Each kind recognised by its bytes and named in the message; MAC addresses and times are not IPv6.
    @Test func unboundedLabelKinds() {
        #expect(Self.kind("fe80::1") == "an IPv6 address")
        #expect(Self.kind("::1") == "an IPv6 address")
        #expect(Self.kind("::") == "an IPv6 address")
        #expect(Self.kind("2001:db8::8a2e:370:7334") == "an IPv6 address")
        #expect(Self.kind("2001:0db8:0000:0000:0000:ff00:0042:8329") == "an IPv6 address")
        #expect(Self.kind("fe80::1%eth0") == "an IPv6 address")
        #expect(Self.kind("::ffff:192.0.2.128") == "an IPv4-mapped IPv6 address")
        #expect(Self.kind("192.168.10.31") == "an IPv4 address")
        #expect(Self.kind("3f2b8c1e-9d4a-4e7b-8c2f-1a2b3c4d5e6f") == "a UUID")
        #expect(Self.kind("12:30:45") == "a time of day")
        #expect(Self.kind("12:30") == "a time of day")
        #expect(Self.kind("23:59:60.25") == "a time of day")
        // Not IPv6: MAC addresses (not reported: a host's interfaces are few), malformed groups, free text.
        for value in [
            "00:00:00:00:00:00", "00-1A-2B-3C-4D-5E", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3",
            "12345::1", "fe80:", "24:00:00", "localhost:9090", "a:b", "::ffff:300.0.2.1",
        ] {
            #expect(Self.kind(value) == nil, "\(value)")
        }
        #expect(Self.kind("1:2:3:4:5:6:7:8") == "an IPv6 address")
    }

    @Test func unboundedLabelMessageNamesTheKind() {
        let f = RuleExampleTests.findings(
            "# HELP r_total r\n# TYPE r_total counter\nr_total{peer=\"fe80::1\",mac=\"00:00:00:00:00:00\"} 1\n", rule: "unbounded_label")
        #expect(f.map(\.message) == ["label \"peer\" of \"r_total\" holds an IPv6 address (\"fe80::1\"); such values grow without bound"])
    }

    /// Text: a quantile outside [0, 1] is the lint rule's warning, once per family; OpenMetrics: no lint
    /// finding (the validator's error).
    @Test func quantileRange() {
        let text = "# HELP s s\n# TYPE s summary\ns{quantile=\"50\"} 1\ns{quantile=\"99.9\"} 1\ns_sum 1\ns_count 1\n"
        let f = RuleExampleTests.findings(text, rule: "quantile_range")
        #expect(f.map(\.severity) == [.warning])
        #expect(f.first?.message.contains("quantile=\"50\"") == true)
        #expect(RuleExampleTests.findings(text + "# EOF\n", rule: "quantile_range").isEmpty)
    }

    /// promtool mode: promlint compares label lists in order, as meant (unescaped, blanks aside).
    @Test func promtoolDuplicatesUseTheSeriesIdentity() {
        func run(_ text: String) -> String {
            PromtoolCompat.run(SourceFile(name: "<stdin>", text: "# HELP a a\n# TYPE a gauge\n" + text)).stderr
        }
        #expect(run("a{x=\"1\"} 1\na{x = \"1\"} 2\n") == "a metric not unique\n")
        #expect(run("a{x=\"1\",y=\"2\"} 1\na{ x=\"1\", y=\"2\", } 2\n") == "a metric not unique\n")
        #expect(run("a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n") == "")
        #expect(run("a{x=\"1\"} 1\na{x=\"2\"} 2\n") == "")
    }

    /// TYPE lines Prometheus fails on but expfmt takes stay no parse error in promtool mode (as promtool 2.42
    /// answers: checked by hand, `promtool check metrics`); those both reject stay one.
    @Test func promtoolModeTypeLines() {
        func run(_ text: String) -> PromtoolCompat.Outcome { PromtoolCompat.run(SourceFile(name: "<stdin>", text: text)) }
        for text in ["# TYPE a GAUGE\na 1\n", "# TYPE a\na 1\n"] {
            let o = run(text)
            #expect(o.stderr == "a no help text\n" && o.exitStatus == 3, "\(text)")
        }
        #expect(run("# HELP a x\n# TYPE a  gauge\na 1\n").exitStatus == 0)
        for text in [
            "# TYPE a gaugehistogram\na 1\n", "# HELP a x\n# TYPE a gauge \na 1\n", "a 1e400\n", "# HELP a x\\\"y\n# TYPE a gauge\na 1\n",
        ] {
            let o = run(text)
            #expect(o.exitStatus == 1 && o.stderr.hasPrefix("error while linting: text format parsing error in line "), "\(text)")
        }
    }
}

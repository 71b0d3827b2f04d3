import ArgumentParser
import PromKit
import PromKitLint

extension PromKitCommand {
    struct Lint: ParsableCommand {
        // Named here: argument-parser otherwise derives the name from the type's, by demangling it at run
        // time on every start (a tenth of a small run's instructions).
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check metric naming and conventions: every promtool rule and more, configurable.",
            discussion: """
                Runs the lint rules (promkit lint --list-rules) and reports the validator's findings as rule 'parse'. \
                Settings come from .promkit.yml, found upward from the working directory (or --config FILE); the flags \
                below override it. Keys: enable, disable, severity (rule: level), ignore_metrics (globs), fail_on, \
                max_series_per_family, max_series_total.

                --promtool behaves as 'promtool check metrics': standard input, text format, promlint's rules, \
                promtool's lines on standard error, exit 0 clean, 1 parse error, 3 problems; it takes no other option \
                but --threads. --reporter promtool is different: promkit's findings in promtool's line shape.

                EXAMPLES:
                  promkit lint metrics.prom
                  promkit lint --fail-on warning --reporter text --reporter sarif:lint.sarif textfiles/*.prom
                  curl -s localhost:9100/metrics | promkit lint --promtool
                  promkit lint http://localhost:9100/metrics https://app.example/metrics
                  promkit lint --from-prometheus http://localhost:9090 --job node
                  promkit lint --explain counter_total_suffix

                EXIT STATUS: 0 no finding at or above --fail-on; 1 findings at or above it (a --from-prometheus target \
                that cannot be scraped is an error finding); 2 an input cannot be read (a URL: refused, DNS, TLS, \
                timeout, an HTTP error status, too large, empty), Prometheus cannot be asked for its targets, \
                or the command line or the configuration is wrong; 3 (--promtool only) promtool's problems found.
                """
        )

        @OptionGroup var input: InputOptions
        @OptionGroup var output: ReportOptions
        @OptionGroup(title: "Inputs over HTTP") var http: HTTPInputOptions
        @OptionGroup(title: "A fleet") var fleet: FleetOptions

        @Option(name: .long, help: ArgumentHelp("Run a rule the configuration disables (repeatable).", valueName: "id"))
        var enable: [String] = []
        @Option(name: .long, help: ArgumentHelp("Do not run a rule (repeatable).", valueName: "id"))
        var disable: [String] = []
        @Option(name: .long, help: ArgumentHelp("Set a rule's severity: ID=error|warning|info (repeatable).", valueName: "id=level"))
        var severity: [String] = []
        @Option(
            name: .long,
            help: ArgumentHelp("Skip metric families whose name matches a glob (*, ?, [...]), e.g. 'go_*' (repeatable).", valueName: "glob")
        )
        var ignoreMetric: [String] = []
        @Option(
            name: .long,
            help: ArgumentHelp("Lowest severity that fails the run: error, warning, info or never (default: error).", valueName: "level"))
        var failOn: String?
        @Option(
            name: .long,
            help: ArgumentHelp("Configuration file (default: .promkit.yml found upward from the working directory).", valueName: "file"))
        var config: String?
        @Flag(name: .long, help: "List the rules: ID  SEVERITY  SUMMARY.")
        var listRules = false
        @Flag(name: .long, help: "With --list-rules: a Markdown table (for the README and docs).")
        var markdown = false
        @Option(name: .long, help: ArgumentHelp("Print a rule's severity, summary, rationale and examples.", valueName: "id"))
        var explain: String?
        @Flag(
            name: .long,
            help:
                "Behave as 'promtool check metrics': standard input, promtool's rules, lines and exit codes. Takes no other option but --threads."
        )
        var promtool = false

        func validate() throws {
            if markdown && !listRules { throw ValidationError("--markdown formats --list-rules; add --list-rules") }
            if (listRules || explain != nil) && !input.inputs.isEmpty {
                throw ValidationError(
                    "\(listRules ? "--list-rules" : "--explain") reads no input; drop the inputs, or the option to lint them")
            }
            if listRules && explain != nil { throw ValidationError("--list-rules and --explain are two different questions; give one") }
            if promtool {
                if !input.inputs.isEmpty && input.inputs != ["-"] {
                    throw ValidationError("--promtool reads standard input, as 'promtool check metrics' does; pipe the input in")
                }
                // promtool mode has promtool's rules, output and format: these would do nothing there.
                let ignored: [(String, Bool)] = [
                    ("--reporter", !output.reporter.isEmpty), ("--format", input.format != .auto),
                    ("--enable", !enable.isEmpty), ("--disable", !disable.isEmpty), ("--severity", !severity.isEmpty),
                    ("--ignore-metric", !ignoreMetric.isEmpty), ("--fail-on", failOn != nil), ("--config", config != nil),
                    ("--max-diagnostics", input.maxDiagnostics != InputOptions.defaultMaxDiagnostics),
                    ("--list-rules", listRules), ("--markdown", markdown), ("--explain", explain != nil),
                ]
                let given = ignored.filter(\.1).map(\.0)
                if !given.isEmpty {
                    throw ValidationError(
                        "--promtool takes promtool's rules, output and exit codes as they are; \(given.joined(separator: ", ")) would have no effect there: drop \(given.count == 1 ? "it" : "them"), or drop --promtool"
                    )
                }
                return
            }
            _ = try configuration()
            try fleet.check(inputs: input.inputs)
            try output.check(inputs: input.paths)
        }

        /// The file's settings, then the flags.
        func configuration() throws -> LintConfiguration {
            var c = LintConfiguration()
            do {
                if let path = config ?? ConfigFile.find() {
                    switch ConfigFile.read(path) {
                    case .failure(let failure): throw ValidationError(failure.message)
                    case .success(let text): try c.load(yaml: text, path: path)
                    }
                }
                for id in disable { try c.disable(id) }
                for id in enable { try c.enable(id) }
                for s in severity { try c.setSeverity(s) }
                for glob in ignoreMetric { try c.ignoreMetric(glob) }
                if let failOn { try c.setFailOn(failOn) }
                if let explain { _ = try RuleExplanation.render(explain, configuration: c) }
            } catch let failure as LintConfiguration.Failure {
                throw ValidationError(failure.description)
            }
            return c
        }

        func run() throws {
            let configuration = promtool ? LintConfiguration() : try configuration()
            if listRules {
                Terminal.write(RuleList.render(configuration: configuration, markdown: markdown))
                return
            }
            if let explain {
                Terminal.write(try RuleExplanation.render(explain, configuration: configuration))
                return
            }
            if promtool {
                switch InputLoader.load("-") {
                case .failure(let failure):
                    Terminal.writeError("error while linting: \(failure.reason)\n")
                    throw ExitCode(1)
                case .success(let source):
                    let outcome = PromtoolCompat.run(source, readOptions: input.readOptions)
                    Terminal.writeError(outcome.stderr)
                    throw ExitCode(outcome.exitStatus)
                }
            }
            let targets = try fleet.install(http: http, format: input.format)
            let paths = targets?.map(\.name) ?? input.paths
            if fleet.fromPrometheus == nil { try http.install(paths: paths, format: input.format, streaming: true) }
            let linter = Linter(configuration: configuration, readOptions: input.readOptions)
            let outcome = LintRun(linter: linter, format: input.format, excerpts: output.showsSourceLines).run(paths: paths)
            try output.emit(outcome.report.attaching(targets))
            // Exit here: what the run holds (the report, the input's mapping) goes with the process, without
            // being released piece by piece first.
            Terminal.exit(outcome.exitStatus)
        }
    }
}

import ArgumentParser
import PromKit
import PromKitDiff
import PromKitReport

extension PromKitCommand {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Show what changed between two scrapes, and whether it breaks anyone.",
            discussion: """
                Compares OLD with NEW family by family and series by series, on meaning: label order, quoting and \
                escapes, 1 and 1.0 as le or quantile, and text versus OpenMetrics spellings (a counter's _total, \
                timestamps in milliseconds or seconds) make no difference. Each change is classed: breaking (a family \
                removed, its type changed, a label added or removed), risky (a family's series up by more than \
                --cardinality-threshold percent, a histogram's buckets or a summary's quantiles changed) or info \
                (families added, help and unit, series added, removed or changed in value). Findings of validation \
                are printed on standard error as warnings; only syntax errors stop the diff.

                EXAMPLES:
                  promkit diff before.prom after.prom
                  promkit diff --ignore-label instance --reporter markdown:diff.md old.prom new.prom
                  promkit diff baseline.prom http://localhost:8080/metrics

                EXIT STATUS: 0 no change at or above --fail-on; 1 a change at or above it; 2 an input cannot be \
                read or has syntax errors, or the command line is wrong.
                """
        )

        @Argument(help: ArgumentHelp("The old scrape: a path, an http:// or https:// URL, or '-' for standard input.", valueName: "old"))
        var old: String
        @Argument(help: ArgumentHelp("The new scrape: a path, a URL, or '-' for standard input (one side only).", valueName: "new"))
        var new: String

        @Option(name: .long, help: ArgumentHelp("Leave a label out of every series, e.g. 'instance' (repeatable).", valueName: "name"))
        var ignoreLabel: [String] = []
        @Option(
            name: .long,
            help: ArgumentHelp("Leave out families whose name matches a glob (*, ?, [...]), e.g. 'go_*' (repeatable).", valueName: "glob"))
        var ignoreMetric: [String] = []
        @Flag(name: .long, help: "Compare which series exist, not their values.")
        var ignoreValues = false
        @Option(
            name: .long, help: ArgumentHelp("Values within this relative difference are equal, e.g. 0.01 (default: 0).", valueName: "rel"))
        var tolerance: Double = 0
        @Option(
            name: .long,
            help: ArgumentHelp("A family's series up by more than this many percent is a risky change (default: 20).", valueName: "pct"))
        var cardinalityThreshold: Double = 20
        @Option(
            name: .long,
            help: ArgumentHelp("Least change that fails the run: breaking, risky, any or never (default: breaking).", valueName: "level"))
        var failOn: String = FailOn.breaking.rawValue
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Reporter NAME[:PATH], repeatable: \(DiffReporterRegistry.names.joined(separator: ", ")). No PATH means standard output; a file is written whole or not at all, an input never overwritten.",
                valueName: "name[:path]"))
        var reporter: [String] = []
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Series changes listed per kind (added, removed, changed) in the report, in family order; counts are always complete (0: all; default: 1000).",
                valueName: "n"))
        var maxSeries: Int = 1000
        @Option(
            name: .long, help: ArgumentHelp("Input format of both inputs: auto, text, openmetrics or openmetrics2.", valueName: "format"))
        var format: FormatChoice = .auto
        @Option(name: .long, help: ArgumentHelp("Findings shown per input, the first in input order (0: no limit).", valueName: "n"))
        var maxDiagnostics: Int = 1000
        @Option(name: .long, help: ArgumentHelp("Threads for large inputs (default: one per core).", valueName: "n"))
        var threads: Int = ReadOptions.availableCores
        @OptionGroup var limit: LimitOptions
        @OptionGroup(title: "Inputs over HTTP") var http: HTTPInputOptions

        /// Each reporter and where its output goes.
        func reporters() throws -> [(reporter: any DiffReporter.Type, name: String, path: String?)] {
            try (reporter.isEmpty ? ["text"] : reporter).map { text in
                let colon = text.firstIndex(of: ":")
                let name = colon.map { String(text[..<$0]) } ?? text
                let rest = colon.map { String(text[text.index(after: $0)...]) }
                guard let type = DiffReporterRegistry.lookup(name) else {
                    throw ValidationError(
                        "unknown reporter '\(name)'; the diff reporters are: \(DiffReporterRegistry.names.joined(separator: ", "))")
                }
                return (type, name, rest?.isEmpty == false ? rest : nil)
            }
        }

        func destinations() throws -> [OutputFile.Destination] {
            do {
                return try OutputFile.destinations(reporters().map { (label: "the \($0.name) report", path: $0.path) }, inputs: [old, new])
            } catch let failure as OutputFile.Failure {
                throw ValidationError(failure.description)
            }
        }

        func options() throws -> (DiffOptions, FailOn) {
            guard let level = FailOn(rawValue: failOn) else {
                throw ValidationError("--fail-on takes breaking, risky, any or never, not '\(failOn)'")
            }
            if old == "-" && new == "-" { throw ValidationError("only one of OLD and NEW can be '-' (standard input)") }
            guard tolerance >= 0, tolerance.isFinite else {
                throw ValidationError("--tolerance takes a relative difference of 0 or more (0.01 is 1%), not \(tolerance)")
            }
            guard cardinalityThreshold >= 0, cardinalityThreshold.isFinite else {
                throw ValidationError("--cardinality-threshold takes a percentage of 0 or more, not \(cardinalityThreshold)")
            }
            guard maxSeries >= 0 else {
                throw ValidationError("--max-series takes how many series changes to list, 0 for all; \(maxSeries) is not a count")
            }
            guard maxDiagnostics >= 0 else {
                throw ValidationError("--max-diagnostics takes how many findings to show per input, 0 for all")
            }
            guard threads >= 1 && threads <= ReadOptions.maximumThreads else {
                throw ValidationError("--threads must be between 1 and \(ReadOptions.maximumThreads)")
            }
            var o = DiffOptions()
            o.ignoreLabels = ignoreLabel
            for pattern in ignoreMetric {
                if let problem = Glob.problem(in: pattern) {
                    throw ValidationError("invalid glob '\(pattern)' for --ignore-metric: \(problem)")
                }
                o.ignoreMetrics.append(Glob(pattern))
            }
            o.ignoreValues = ignoreValues
            o.tolerance = tolerance
            o.cardinalityThreshold = cardinalityThreshold
            o.maxSeriesListed = maxSeries
            o.oldFormat = format
            o.newFormat = format
            o.readOptions = ReadOptions(maxDiagnostics: maxDiagnostics, threads: threads).limited(by: limit)
            return (o, level)
        }

        func validate() throws {
            _ = try options()
            _ = try destinations()
        }

        func run() throws {
            let (options, failOn) = try options()
            let destinations = try destinations()
            try http.install(paths: [old, new], format: format)
            let outcome = DiffRun(options: options).run(old: old, new: new)
            var messages = ""
            for f in outcome.findings {
                messages +=
                    (f.line > 0 ? "\(f.path):\(f.line):\(f.column): " : "\(f.path): ")
                    + "\(f.severity.rawValue): \(f.message) [\(f.rule)]\n"
            }
            if outcome.syntaxErrors {
                messages +=
                    "promkit: error: syntax errors in the input; no diff made (a line that does not parse has no sample to compare)\n"
            }
            Terminal.writeError(messages)
            guard let result = outcome.result else { Terminal.exit(2) }
            for (spec, destination) in zip(try reporters(), destinations) {
                let toTerminal = destination == .standardOutput && Terminal.stdoutIsTTY
                let context = ReportContext(isTerminal: toTerminal, colour: toTerminal && Terminal.environment("NO_COLOR") == nil)
                do {
                    try OutputFile.write(
                        try spec.reporter.init().render(result, context: context), to: destination, label: "the \(spec.name) report")
                } catch let failure as OutputFile.Failure {
                    Terminal.writeError("promkit: error: \(failure.description)\n")
                    Terminal.exit(2)
                }
            }
            Terminal.exit(outcome.exitStatus(failOn: failOn))
        }
    }
}

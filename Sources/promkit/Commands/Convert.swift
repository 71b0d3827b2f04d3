import ArgumentParser
import PromKit
import PromKitReport

extension PromKitCommand {
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: "Convert an exposition between text, OpenMetrics 1.0, OpenMetrics 2.0 and JSON.",
            discussion: """
                Every sample reaches the output with its labels and value. What a target cannot hold as it is \
                (a counter without _total, a gauge and a counter that would share an OpenMetrics family, _created \
                gauges, exemplars and units to text, native buckets) is resolved so that the output is valid, and \
                each change is a warning on standard error, FILE:LINE:COL: warning: message [code]. An invalid \
                input converts nothing: its errors are printed as validate prints them. Timestamps move between \
                milliseconds and seconds by their digits.

                EXAMPLES:
                  promkit convert --to openmetrics -o metrics.om metrics.prom
                  curl -s localhost:9100/metrics | promkit convert --to json
                  promkit convert --to text --strict scrape.om

                EXIT STATUS: 0 converted (warnings allowed); 1 the input is invalid, or --strict found a loss or \
                rename: nothing written; 2 the input cannot be read, the output cannot be written, or the command \
                line is wrong.
                """
        )

        @Option(name: .long, help: ArgumentHelp("Output format: text, openmetrics, openmetrics2 or json.", valueName: "format"))
        var to: TargetFormat
        @Option(
            name: .long,
            help: ArgumentHelp("Input format: auto, text, openmetrics or openmetrics2 (auto as validate detects it).", valueName: "format"))
        var from: FormatChoice = .auto
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Names outside [a-zA-Z0-9_:]: allow-utf-8 (quoted; not possible in OpenMetrics 1.0), underscores, dots or values (escaping_schemes.md). Default: quoted where the target can, underscores in OpenMetrics 1.0.",
                valueName: "scheme"))
        var escaping: EscapingScheme?
        @Flag(name: .long, help: "Any loss or rename is an error: exit 1, nothing written.")
        var strict = false
        @Option(
            name: .shortAndLong,
            help: ArgumentHelp(
                "Write to FILE (atomically: a temporary file beside it, renamed) instead of standard output; never an input.",
                valueName: "file"))
        var output: String?
        @Option(name: .long, help: ArgumentHelp("Threads for the first pass over large inputs (default: one per core).", valueName: "n"))
        var threads: Int = ReadOptions.availableCores
        @Argument(
            help: ArgumentHelp(
                "The input: a path, an http:// or https:// URL, or '-' for standard input (the default).", valueName: "input"))
        var input: String = "-"
        @OptionGroup var limit: LimitOptions
        @OptionGroup(title: "Inputs over HTTP") var http: HTTPInputOptions

        func validate() throws {
            if threads < 1 || threads > ReadOptions.maximumThreads {
                throw ValidationError("--threads must be between 1 and \(ReadOptions.maximumThreads)")
            }
            _ = try destination()
        }

        func destination() throws -> OutputFile.Destination {
            do {
                return try OutputFile.destinations([("the converted output", output)], inputs: [input])[0]
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() throws {
            try http.install(paths: [input], format: from)
            let outcome = ConvertRun(
                from: from, to: to, options: WriteOptions(escaping: escaping, strict: strict),
                readOptions: ReadOptions(maxDiagnostics: InputOptions.defaultMaxDiagnostics, threads: threads).limited(by: limit)
            )
            .run(path: input, destination: try destination())
            if outcome.standardOutputClosed { Terminal.endByBrokenPipe() }
            Diagnostics.printToStandardError(outcome.report)
            Terminal.exit(outcome.exitStatus)
        }
    }
}

extension TargetFormat: ExpressibleByArgument {}
extension EscapingScheme: ExpressibleByArgument {}

enum Diagnostics {
    /// The report's findings as validate prints them, on standard error (standard output holds the result).
    static func printToStandardError(_ report: Report) {
        guard !report.allFindings.isEmpty else { return }
        if let bytes = try? TextReporter().render(report, context: .plain) {
            Terminal.write(bytes, to: 2)
        }
    }
}

import ArgumentParser
import PromKit
import PromKitNet

extension PromKitCommand {
    struct Fmt: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fmt",
            abstract: "Print expositions in their canonical form, or check or rewrite them.",
            discussion: """
                Canonical: families in input order; metadata as HELP, TYPE, UNIT; one space between tokens; labels \
                as given (sorted with --sort-labels); escapes normalised; values and timestamps spelled canonically \
                without changing what they read as; label values (le and quantile too) never changed; a final \
                newline, and # EOF in OpenMetrics. Comments other than HELP, TYPE and UNIT are not kept. Each input \
                stays in its own format. An invalid input is not formatted: its errors are printed as validate \
                prints them.

                EXAMPLES:
                  promkit fmt metrics.prom
                  promkit fmt --check textfiles/*.prom
                  promkit fmt --write --sort-labels textfiles/*.prom

                EXIT STATUS: 0 formatted (with --check: every input is canonical); 1 an input is invalid, or \
                (--check) not canonical; 2 an input cannot be read or written, or the command line is wrong.
                """
        )

        @Flag(name: .long, help: "Print the names of the inputs that are not canonical; write nothing.")
        var check = false
        @Flag(name: .long, help: "Rewrite the inputs that are not canonical in place, atomically.")
        var write = false
        @Flag(name: .long, help: "Sort each sample's labels by name.")
        var sortLabels = false
        @Option(name: .long, help: ArgumentHelp("Input format: auto, text, openmetrics or openmetrics2.", valueName: "format"))
        var format: FormatChoice = .auto
        @Argument(
            help: ArgumentHelp(
                "Files to format; '-' is standard input (not with --write); http:// and https:// URLs are read (not with --write).",
                valueName: "input"))
        var inputs: [String] = []
        @OptionGroup var limit: LimitOptions
        @OptionGroup(title: "Inputs over HTTP") var http: HTTPInputOptions

        var paths: [String] { ManyInputs.taken.withLock { $0 } ?? (inputs.isEmpty ? ["-"] : inputs) }

        func validate() throws {
            if check && write { throw ValidationError("--check and --write are two different jobs; give one") }
            if write && paths.contains("-") { throw ValidationError("--write rewrites files in place; standard input cannot be rewritten") }
            if write, let url = paths.first(where: URLInput.isURL) {
                throw ValidationError("--write rewrites files in place; \(URLInput.redacted(url)) is a URL")
            }
        }

        func run() throws {
            try http.install(paths: paths, format: format)
            let outcome = FormatRun(format: format, sortLabels: sortLabels, readOptions: ReadOptions().limited(by: limit))
                .run(paths: paths, mode: check ? .check : write ? .write : .print)
            if outcome.standardOutputClosed { Terminal.endByBrokenPipe() }
            if check { Terminal.write(outcome.changed.map { $0 + "\n" }.joined()) }
            Diagnostics.printToStandardError(outcome.report)
            Terminal.exit(outcome.exitStatus)
        }
    }
}

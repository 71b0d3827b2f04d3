import ArgumentParser
import PromKit

extension PromKitCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check that expositions follow their format's specification.",
            discussion: """
            Reports every syntax and semantic error of each input as FILE:LINE:COL: error: message [code], \
            in input order. Where a spec only says SHOULD, the finding is a warning.

            EXAMPLES:
              promkit validate metrics.prom
              curl -s localhost:9100/metrics | promkit validate
              promkit validate --format openmetrics --reporter junit:validate.xml scrape.om

            EXIT STATUS: 0 every input is valid; 1 an input is invalid; 2 an input cannot be read, or the \
            command line is wrong.
            """
        )

        @OptionGroup var input: InputOptions
        @OptionGroup var output: ReportOptions

        func validate() throws {
            try output.check(inputs: input.paths)
        }

        func run() throws {
            let outcome = ValidationRun(format: input.format, options: input.readOptions, excerpts: output.showsSourceLines)
                .run(paths: input.paths)
            try output.emit(outcome.report)
            // Exit here: what the run holds (the report, the input's mapping) goes with the process, without
            // being released piece by piece first.
            Terminal.exit(outcome.exitStatus)
        }
    }
}

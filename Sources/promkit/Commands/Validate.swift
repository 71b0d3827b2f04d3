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
                  promkit validate http://localhost:9100/metrics
                  promkit validate --from-prometheus http://localhost:9090 --job node
                  promkit validate --format openmetrics --reporter junit:validate.xml scrape.om

                EXIT STATUS: 0 every input is valid; 1 an input is invalid (with --from-prometheus: or a target \
                cannot be scraped); 2 an input cannot be read (a URL: refused, DNS, TLS, timeout, an HTTP error \
                status, too large, empty), Prometheus cannot be asked for its targets, or the command line is wrong.
                """
        )

        @OptionGroup var input: InputOptions
        @OptionGroup var output: ReportOptions
        @OptionGroup(title: "Inputs over HTTP") var http: HTTPInputOptions
        @OptionGroup(title: "A fleet") var fleet: FleetOptions

        func validate() throws {
            try fleet.check(inputs: input.inputs)
            try output.check(inputs: input.paths)
        }

        func run() throws {
            let targets = try fleet.install(http: http, format: input.format)
            let paths = targets?.map(\.name) ?? input.paths
            if fleet.fromPrometheus == nil { try http.install(paths: paths, format: input.format, streaming: true) }
            let outcome = ValidationRun(format: input.format, options: input.readOptions, excerpts: output.showsSourceLines)
                .run(paths: paths)
            try output.emit(outcome.report.attaching(targets))
            // Exit here: what the run holds (the report, the input's mapping) goes with the process, without
            // being released piece by piece first.
            Terminal.exit(outcome.exitStatus)
        }
    }
}

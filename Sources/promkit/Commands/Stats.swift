import ArgumentParser
import PromKit
import PromKitStats

extension PromKitCommand {
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract:
                "Show each metric family's cardinality, as promtool check metrics --extended counts it, and its labels' distinct values.",
            discussion: """
                Prints promtool's table (Metric, Cardinality, Percentage, a Total row; highest first) for any input \
                and format, then the distinct values of each label of the top families. A histogram counts its \
                metrics times (2 + its first metric's buckets), a summary times (2 + its quantiles), as promtool does. \
                An input with errors is still counted as far as it can be read; its errors go to standard error.

                --reporter json prints {"input", "families": [{"name", "type", "cardinality", "percentage", \
                "labels": {NAME: distinct}}], "total"}, one object per input (an array of them for several inputs).

                EXAMPLES:
                  promkit stats metrics.prom
                  promkit stats --top 5 http://localhost:9100/metrics
                  promkit stats --reporter json scrape.om

                EXIT STATUS: 0 the stats are printed; 1 an input has errors (its stats cover what could be read); \
                2 an input cannot be read, or the command line is wrong.
                """
        )

        @OptionGroup var input: InputOptions
        @OptionGroup(title: "Inputs over HTTP") var http: HTTPInputOptions

        @Option(
            name: .long,
            help: ArgumentHelp(
                "List the N families of highest cardinality (0: all, the default) and the label values of as many (default: 10).",
                valueName: "n"))
        var top: Int?
        @Option(name: .long, help: ArgumentHelp("text (default: promtool's table) or json.", valueName: "name"))
        var reporter: String = "text"

        func validate() throws {
            if let top, top < 0 { throw ValidationError("--top takes how many families to list, 0 for all; \(top) is not a count") }
            if reporter != "text" && reporter != "json" {
                throw ValidationError("--reporter takes text or json for stats, not '\(reporter)'")
            }
        }

        func run() throws {
            let paths = input.paths
            try http.install(paths: paths, format: input.format)
            var status: Int32 = 0
            var outputs: [String] = []
            for path in paths {
                switch InputLoader.load(path) {
                case .failure(let failure):
                    Terminal.writeError("\(failure.path): error: \(failure.message) [\(failure.rule)]\n")
                    status = 2
                case .success(let source):
                    let stats = PromKitStats.Stats.compute(source, format: input.format, options: input.readOptions)
                    if stats.diagnostics.contains(where: { $0.severity == .error }) {
                        status = max(status, 1)
                        let report = InputReport(
                            source: source, diagnostics: stats.diagnostics, rulesRun: [],
                            limit: input.maxDiagnostics)
                        Diagnostics.printToStandardError(Report(command: "stats", inputs: [report], rules: ValidationCatalog.rules))
                    }
                    if reporter == "json" {
                        outputs.append(StatsRender.json(stats, top: top ?? 0))
                    } else {
                        let table = StatsRender.text(stats, top: top ?? 0, labelsOf: top ?? 10)
                        outputs.append(paths.count > 1 ? "\(stats.name):\n\(table)" : table)
                    }
                }
            }
            let text =
                reporter == "json"
                ? (paths.count == 1 ? (outputs.first ?? "") + "\n" : "[" + outputs.joined(separator: ",") + "]\n")
                : outputs.joined(separator: "\n")
            // Through OutputFile, as the reports are: a failed write is a message and exit 2, a closed pipe a
            // quiet end (Terminal.write would drop either without a word).
            do {
                try OutputFile.write(Array(text.utf8), to: .standardOutput, label: "the statistics")
            } catch {
                if error.standardOutputClosed { Terminal.endByBrokenPipe() }
                Terminal.writeError("promkit: error: \(error.description)\n")
                Terminal.exit(2)
            }
            Terminal.exit(status)
        }
    }
}

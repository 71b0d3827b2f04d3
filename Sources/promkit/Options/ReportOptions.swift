import ArgumentParser
import PromKit
import PromKitReport

/// Where and how findings are reported: shared by validate and lint.
struct ReportOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Reporter NAME[:PATH], repeatable: \(ReporterRegistry.names.joined(separator: ", ")). No PATH means standard output; a file is written whole or not at all, a FIFO or device written through, an input never overwritten.",
            valueName: "name[:path]"))
    var reporter: [String] = []

    func specs() throws -> [ReporterSpec] {
        try (reporter.isEmpty ? ["text"] : reporter).map { text in
            do {
                return try ReporterSpec(parsing: text)
            } catch let error as ReporterSpec.UnknownReporter {
                throw ValidationError(error.description)
            }
        }
    }

    func validate() throws {
        _ = try specs()
    }

    /// Refuses, before anything is read, a report path that is one of the inputs or that two reporters share.
    func check(inputs: [String]) throws {
        do {
            _ = try ReportEmitter.destinations(specs(), inputs: inputs)
        } catch let failure as ReportEmitter.Failure {
            throw ValidationError(failure.description)
        }
    }

    /// Whether a finding's source line is shown (the text reporter on a terminal): the run keeps excerpts then.
    var showsSourceLines: Bool {
        Terminal.stdoutIsTTY && ((try? specs()) ?? []).contains { $0.name == TextReporter.name && $0.path == nil }
    }

    func emit(_ report: Report) throws {
        do {
            try ReportEmitter.emit(
                report, specs: specs(), environment: Terminal.environmentVariables,
                stdoutIsTerminal: Terminal.stdoutIsTTY)
        } catch let failure as ReportEmitter.Failure {
            if failure.standardOutputClosed { Terminal.endByBrokenPipe() }
            Terminal.writeError("promkit: error: \(failure.description)\n")
            throw ExitCode(2)
        }
    }
}

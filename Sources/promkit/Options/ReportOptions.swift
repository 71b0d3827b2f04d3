import ArgumentParser
import PromKit
import PromKitReport

/// Where and how findings are reported: shared by validate and lint.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Reporter NAME[:PATH], repeatable: \(ReporterRegistry.names.joined(separator: ", ")). No PATH means standard output; a file is written whole or not at all.",
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

    func emit(_ report: Report) throws {
        do {
            try ReportEmitter.emit(report, specs: specs(), environment: Terminal.environmentVariables,
                                   stdoutIsTerminal: Terminal.stdoutIsTTY, write: { Terminal.write($0) })
        } catch let failure as ReportEmitter.Failure {
            Terminal.writeError("promkit: error: \(failure.description)\n")
            throw ExitCode(2)
        }
    }
}

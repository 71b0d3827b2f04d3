import ArgumentParser
import PromKit

/// Where and how findings are reported: shared by validate, lint and diff.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Reporter NAME[:PATH], repeatable; no PATH means standard output.", valueName: "name[:path]"))
    var reporter: [String] = []

    func emit(_ report: Report) throws {
        try Emitter.emit(report, specs: reporter.isEmpty ? ["text"] : reporter)
    }
}

import PromKit

/// Renders a report with each chosen reporter and writes it where it goes: standard output, or a path
/// written as `OutputFile` does (through a FIFO or device, atomically over a regular file, never over an input,
/// never two reports to one file). The GitHub reporter also appends its table to `$GITHUB_STEP_SUMMARY`.
public enum ReportEmitter {
    public typealias Failure = OutputFile.Failure

    /// Where each reporter's output goes, checked against the inputs (paths as given, `-` for standard input)
    /// and each other: call before reading, so that a clash is a usage error before any work.
    public static func destinations(_ specs: [ReporterSpec], inputs: [String]) throws(Failure) -> [OutputFile.Destination] {
        try OutputFile.destinations(specs.map { (label: "the \($0.name) report", path: $0.path) }, inputs: inputs)
    }

    public static func emit(
        _ report: Report, specs: [ReporterSpec], environment: [String: String],
        stdoutIsTerminal: Bool
    ) throws {
        let inputs = report.inputs.map { $0.path == InputLoader.stdinName ? "-" : $0.path }
        let destinations = try destinations(specs, inputs: inputs)
        for (spec, destination) in zip(specs, destinations) {
            let toTerminal = destination == .standardOutput && stdoutIsTerminal
            let context = ReportContext(isTerminal: toTerminal, colour: toTerminal && environment["NO_COLOR"] == nil)
            let bytes = try spec.reporter.init().render(report, context: context)
            try OutputFile.write(bytes, to: destination, label: "the \(spec.name) report")
            if spec.name == GitHubReporter.name, let summary = environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
                try OutputFile.append(GitHubReporter().stepSummary(report), to: summary, label: "the step summary")
            }
        }
    }
}

import ArgumentParser
import PromKit

/// Inputs and how to read them: shared by every command that reads expositions.
struct InputOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Files to read; '-' is standard input (the default when none is given); http:// and https:// URLs are fetched.",
            valueName: "input"))
    var inputs: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Input format: auto, text, openmetrics or openmetrics2. auto reads an input ending in '# EOF' as OpenMetrics (2.0 when its first MiB has 2.0's syntax: composite values, st@, quoted names), anything else as the text format.",
            valueName: "format"))
    var format: FormatChoice = .auto

    static let defaultMaxDiagnostics = 1000

    // Unconditional, so that '--max-diagnostics -1' reaches validate() and its message instead of being read
    // as an unknown option.
    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp(
            "Findings shown per input, the first in input order; the rest are counted in the totals and one closing note (0: no limit).",
            valueName: "n"))
    var maxDiagnostics: Int = defaultMaxDiagnostics

    @Option(
        name: .long,
        help: ArgumentHelp("Threads for large inputs (default: one per core); inputs are split at family boundaries.", valueName: "n"))
    var threads: Int = ReadOptions.availableCores

    @OptionGroup var limit: LimitOptions

    var paths: [String] { ManyInputs.taken.withLock { $0 } ?? (inputs.isEmpty ? ["-"] : inputs) }
    var readOptions: ReadOptions { ReadOptions(maxDiagnostics: maxDiagnostics, threads: threads).limited(by: limit) }

    func validate() throws {
        if maxDiagnostics < 0 {
            throw ValidationError(
                "--max-diagnostics takes how many findings to show per input, 0 for all; \(maxDiagnostics) is not a count")
        }
        if threads < 1 || threads > ReadOptions.maximumThreads {
            throw ValidationError(
                "--threads must be between 1 and \(ReadOptions.maximumThreads) (this machine has \(ReadOptions.availableCores) cores)")
        }
    }
}

extension FormatChoice: ExpressibleByArgument {}

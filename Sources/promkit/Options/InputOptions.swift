import ArgumentParser
import PromKit

/// Inputs and how to read them: shared by every command that reads expositions.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Files to read; '-' is standard input (the default when none is given).", valueName: "input"))
    var inputs: [String] = []

    @Option(name: .long, help: ArgumentHelp("Input format: auto, text, openmetrics or openmetrics2. auto reads an input ending in '# EOF' as OpenMetrics (2.0 when it has composite values or st@), anything else as the text format.", valueName: "format"))
    var format: FormatChoice = .auto

    @Option(name: .long, help: ArgumentHelp("Diagnostics kept per input; the rest are counted in one note (0: no limit).", valueName: "n"))
    var maxDiagnostics: Int = 1000

    @Option(name: .long, help: ArgumentHelp("Threads for large inputs (default: one per core); inputs are split at family boundaries.", valueName: "n"))
    var threads: Int = ReadOptions.availableCores

    var paths: [String] { ManyInputs.taken ?? (inputs.isEmpty ? ["-"] : inputs) }
    var readOptions: ReadOptions { ReadOptions(maxDiagnostics: maxDiagnostics, threads: threads) }

    func validate() throws {
        if maxDiagnostics < 0 { throw ValidationError("--max-diagnostics must be 0 or more") }
        if threads < 1 || threads > ReadOptions.maximumThreads {
            throw ValidationError("--threads must be between 1 and \(ReadOptions.maximumThreads) (this machine has \(ReadOptions.availableCores) cores)")
        }
    }
}

extension FormatChoice: ExpressibleByArgument {}

import ArgumentParser
import PromKit

/// `--limit NAME=N`: what one input may hold at most (docs/limits.md). Shared by every command that reads.
struct LimitOptions: ParsableArguments {
    @Option(
        name: .customLong("limit"),
        help: ArgumentHelp(
            "Raise or lower a reading limit (repeatable; 0: none): line_bytes (1 MiB), labels_per_series (512), label_value_bytes (256 KiB), series (10 million), input_bytes (2 GiB, the most). Past one, a located error. See docs/limits.md.",
            valueName: "name=n"))
    var assignments: [String] = []

    var limits: ReadLimits {
        var limits = ReadLimits()
        for a in assignments { _ = limits.set(a) }
        return limits
    }

    func validate() throws {
        var limits = ReadLimits()
        for a in assignments {
            if let problem = limits.set(a) { throw ValidationError(problem) }
        }
    }
}

extension ReadOptions {
    /// These options with the command line's limits.
    func limited(by options: LimitOptions) -> ReadOptions {
        var o = self
        o.limits = options.limits
        return o
    }
}

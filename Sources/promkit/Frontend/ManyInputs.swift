import Synchronization

/// Many inputs on the command line, taken aside before argument-parser sees them: its parsing time grows with
/// the square of the argument count (16,000 inputs from `$(find …)`: 13 s before any work). Options and their
/// values go to argument-parser as usual, with one input standing for all (so checks on "inputs given" hold);
/// `InputOptions.paths` then reads the full list from here.
enum ManyInputs {
    /// The inputs taken aside, in order; nil when the command line was short enough to parse as it is.
    /// (Behind a lock rather than `nonisolated(unsafe)`: set once at start-up, but a global all the same.)
    static let taken = Mutex<[String]?>(nil)

    /// Above this many arguments the inputs are taken aside.
    static let threshold = 64

    /// The options of any command that take a value as the next argument (`--name value`). A test checks
    /// this list against every command's `--help`, so a new option cannot be missed.
    static let valueOptions: Set<String> = [
        "--format", "--max-diagnostics", "--limit", "--threads", "--reporter", "--enable", "--disable", "--severity",
        "--ignore-metric", "--fail-on", "--config", "--explain", "--to", "--from", "--escaping", "--output", "-o",
        "--ignore-label", "--tolerance", "--cardinality-threshold", "--max-series",
        "--accept", "--timeout", "--max-bytes", "--concurrency", "--header", "--bearer-token-file", "--basic-auth",
        "--ca-file", "--from-prometheus", "--job", "--top",
    ]

    /// The arguments for argument-parser (the subcommand's options, and the first input), keeping the rest
    /// in `taken`; the arguments unchanged when they are few or no subcommand comes first.
    static func setAside(_ arguments: [String]) -> [String] {
        guard arguments.count > threshold, let command = arguments.first, !command.hasPrefix("-") else { return arguments }
        var kept = [command]
        var inputs: [String] = []
        var i = 1
        var optionsEnded = false
        while i < arguments.count {
            let a = arguments[i]
            if optionsEnded || a == "-" || !a.hasPrefix("-") {
                inputs.append(a)
            } else if a == "--" {
                optionsEnded = true
            } else {
                kept.append(a)
                if valueOptions.contains(a), i + 1 < arguments.count {
                    kept.append(arguments[i + 1])
                    i += 1
                }
            }
            i += 1
        }
        guard let first = inputs.first else { return arguments }
        taken.withLock { $0 = inputs }
        // After "--", so that an input spelled like an option stays an input.
        return kept + ["--", first]
    }
}

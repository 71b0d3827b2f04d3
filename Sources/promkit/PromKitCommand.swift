import ArgumentParser
import PromKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `promkit` command: a subcommand per job, each wiring its options to one library call.
@main
struct PromKitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promkit",
        abstract: "Validate, lint, diff, convert, format and count Prometheus text and OpenMetrics expositions.",
        discussion: """
            EXAMPLES:
              promkit lint metrics.prom
              promkit diff before.prom after.prom
              promkit convert --to openmetrics -o metrics.om metrics.prom
              promkit lint http://localhost:9100/metrics
              promkit stats metrics.prom

            EXIT STATUS: 0 no problem; 1 problems found (an invalid input, lint findings at or above --fail-on, or diff \
            changes at or above its --fail-on); \
            2 an input cannot be read, or the command line or the configuration is wrong (no subcommand included); \
            3 lint --promtool found problems (as promtool check metrics).
            """,
        version: PromKitVersion.current,
        subcommands: [Validate.self, Lint.self, Diff.self, Convert.self, Fmt.self, Stats.self]
    )

    /// No subcommand: a usage error (argument-parser would print the help on standard output and exit 0).
    func run() throws {
        throw ValidationError("a subcommand is required: validate, lint, diff, convert, fmt or stats")
    }

    /// A custom entry so that usage errors exit 2 (argument-parser's default is 64).
    static func main() {
        // Writes to a closed pipe fail with EPIPE instead of killing the process at once: a report file
        // (a FIFO) whose reader went away is an error with a message; standard output's ends quietly by
        // SIGPIPE after all (Terminal.endByBrokenPipe), as `promkit lint … | head` expects.
        signal(SIGPIPE, SIG_IGN)
        // Ctrl-C or SIGTERM during an atomic write: its temporary file is removed, exit 130 (143, 129).
        TemporaryFiles.removeOnInterrupt()
        do {
            var command = try parseAsRoot(ManyInputs.setAside(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                Terminal.writeError(fullMessage(for: error) + "\n")
                Terminal.exit(2)
            }
            exit(withError: error)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import PromKit

/// The `promkit` command: a subcommand per job, each wiring its options to one library call.
@main
struct PromKitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promkit",
        abstract: "Validate, lint, diff and convert Prometheus text and OpenMetrics expositions.",
        version: PromKitVersion.current,
        subcommands: [Validate.self, Lint.self]
    )

    /// A custom entry so that usage errors exit 2 (argument-parser's default is 64).
    static func main() {
        // A closed pipe is a failed write with a message and exit 2 (EPIPE), not a silent death by signal.
        signal(SIGPIPE, SIG_IGN)
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

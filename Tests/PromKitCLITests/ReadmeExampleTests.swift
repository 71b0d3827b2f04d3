import Foundation
import PromKitTestSupport
import Testing

/// The README's command examples are real: each `<!-- example: COMMAND -->` marks the `console` block below it,
/// `$ COMMAND` and then the output; the command is run as written (bash, in the repository, standard error
/// merged as a terminal shows it) and its output must be the block's. After a change of output on purpose,
/// paste the new output (`NO_COLOR=1 COMMAND 2>&1` with the debug `promkit` on PATH).
@Suite struct ReadmeExampleTests {
    struct Example {
        var command: String
        var shown: String
        var line: Int
    }

    static func examples() throws -> [Example] {
        let readme = try String(contentsOf: Paths.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var examples: [Example] = []
        for (i, line) in lines.enumerated() where line.hasPrefix("<!-- example: ") && line.hasSuffix(" -->") {
            let command = String(line.dropFirst("<!-- example: ".count).dropLast(" -->".count))
            var shown: [String] = []
            if i + 1 < lines.count, lines[i + 1] == "```console" {
                for body in lines[(i + 2)...] {
                    if body == "```" { break }
                    shown.append(body)
                }
            }
            examples.append(Example(command: command, shown: shown.map { $0 + "\n" }.joined(), line: i + 1))
        }
        return examples
    }

    @Test func everySubcommandHasAnExample() throws {
        let commands = Set(try Self.examples().map { $0.command.split(separator: " ")[1] })
        #expect(commands.isSuperset(of: ["validate", "lint", "diff", "convert", "fmt", "stats"]), "\(commands)")
    }

    @Test func theExamplesShowTheirRealOutput() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 6)
        for example in examples {
            if example.command.contains("../shared/") && !Paths.runsShared {
                print("README.md:\(example.line): not run: \(Paths.sharedAbsent)")
                continue
            }
            #expect(example.shown.hasPrefix("$ \(example.command)\n"), "README.md:\(example.line): the block shows its command first")
            let r = try CIRecipeTests.bash("\(example.command) 2>&1", in: Paths.repoRoot, environment: [:])
            let expected = "$ \(example.command)\n" + r.stdout
            #expect(example.shown == expected, "README.md:\(example.line): the example's output is no longer what the command prints")
        }
    }
}

import Foundation
import Testing

/// `promkit diff`: exit statuses, --fail-on, standard input, report paths.
@Suite struct DiffCLITests {
    static let old = "testdata/diff/kinds.old.prom"
    static let new = "testdata/diff/kinds.new.prom"

    @Test func breakingChangeFailsByDefault() throws {
        let r = try CLITests.run(["diff", Self.old, Self.new])
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("- retired_total counter\n    breaking: counter removed (had 1 series)\n"))
        #expect(
            r.stdout.hasSuffix(
                "families: 1 added, 1 removed, 8 changed; series: 9 added, 8 removed, 4 changed, 9 unchanged; 4 breaking changes, 3 risky changes\n"
            ))
        #expect(!r.stdout.contains("\u{1B}["), "no colour off a terminal")
    }

    @Test func failOnLevels() throws {
        #expect(try CLITests.run(["diff", "--fail-on", "never", Self.old, Self.new]).status == 0)
        #expect(try CLITests.run(["diff", "--fail-on", "risky", Self.old, Self.new]).status == 1)
        // Only a value changed: info, so only --fail-on any fails.
        let a = "testdata/diff/units.old.om", b = "testdata/diff/units.new.om"
        #expect(try CLITests.run(["diff", a, b]).status == 0)
        #expect(try CLITests.run(["diff", "--fail-on", "risky", a, b]).status == 0)
        #expect(try CLITests.run(["diff", "--fail-on", "any", a, b]).status == 1)
        #expect(try CLITests.run(["diff", "--fail-on", "any", "testdata/diff/same.prom", "testdata/diff/same-reformatted.om"]).status == 0)
        let bad = try CLITests.run(["diff", "--fail-on", "sometimes", a, b])
        #expect(bad.status == 2 && bad.stderr.contains("--fail-on takes breaking, risky, any or never"))
    }

    @Test func standardInputForOneSide() throws {
        let text = try String(contentsOfFile: CLITests.repoRoot.appendingPathComponent(Self.new).path, encoding: .utf8)
        let r = try CLITests.run(["diff", "--reporter", "json", Self.old, "-"], stdin: text)
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"new\": {\"path\": \"<stdin>\", \"format\": \"text\""))
        let both = try CLITests.run(["diff", "-", "-"], stdin: text)
        #expect(both.status == 2 && both.stderr.contains("only one of OLD and NEW can be '-'"))
    }

    @Test func unreadableAndSyntaxErrorsExitTwo() throws {
        let missing = try CLITests.run(["diff", Self.old, "testdata/diff/no-such-file.prom"])
        #expect(
            missing.status == 2
                && missing.stderr.contains("no-such-file.prom: error: cannot read input: No such file or directory [read_error]"))
        let broken = try CLITests.run(["diff", "--fail-on", "never", Self.old, "testdata/validate/syntax-errors.prom"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("testdata/validate/syntax-errors.prom:2:7: error: invalid escape sequence"))
        #expect(broken.stdout.isEmpty)
    }

    @Test func semanticFindingsAreWarnings() throws {
        let r = try CLITests.run(["diff", "-", Self.old], stdin: "a 1\na 1\n")
        #expect(r.status == 1, "the diff ran: the family a was removed")
        #expect(r.stderr.contains("<stdin>:2:1: warning: ") && r.stderr.contains("[duplicate_series]"))
    }

    @Test func reportPaths() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-diff-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let md = dir.appendingPathComponent("diff.md").path, xml = dir.appendingPathComponent("diff.xml").path
        let r = try CLITests.run([
            "diff", "--reporter", "text", "--reporter", "markdown:\(md)", "--reporter", "junit:\(xml)", Self.old, Self.new,
        ])
        #expect(r.status == 1)
        #expect(r.stdout.contains("breaking: label \"code\" removed"))
        #expect(try String(contentsOfFile: md, encoding: .utf8).hasPrefix("### promkit diff: "))
        #expect(try String(contentsOfFile: xml, encoding: .utf8).contains("<testcase name=\"retired_total\" classname=\"promkit.diff\">"))
        // A report over an input, two reports to one file, an unknown reporter: usage errors before any read.
        let over = try CLITests.run(["diff", "--reporter", "json:./\(Self.new)", Self.old, Self.new])
        #expect(over.status == 2 && over.stdout.isEmpty, "\(over.stderr)")
        let twice = try CLITests.run(["diff", "--reporter", "json:\(md)", "--reporter", "markdown:\(md)", Self.old, Self.new])
        #expect(twice.status == 2)
        let unknown = try CLITests.run(["diff", "--reporter", "sarif", Self.old, Self.new])
        #expect(unknown.status == 2 && unknown.stderr.contains("the diff reporters are: text, json, markdown, junit"))
    }

    @Test func helpHasExitStatus() throws {
        let r = try CLITests.run(["diff", "--help"])
        #expect(r.status == 0 && r.stdout.contains("EXIT STATUS: 0 no change at or above --fail-on"))
    }
}

import Foundation
import Testing

/// convert and fmt end to end: exit statuses, nothing written on failure, -o and --write safety, --check.
@Suite struct ConvertCLITests {
    static func temp(_ name: String, _ text: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func convertsToStandardOutput() throws {
        let r = try CLITests.run(["convert", "--to", "openmetrics", "-"], stdin: "# TYPE a_total counter\na_total 1 1001\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "# TYPE a counter\na_total 1 1.001\n# EOF\n")
    }

    @Test func invalidInputWritesNothing() throws {
        let out = try Self.temp("out.om", "old\n")
        let r = try CLITests.run(["convert", "--to", "openmetrics", "-o", out.path, "-"], stdin: "a{b=\"c} 1\n")
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("error:"))
        #expect(try String(contentsOf: out, encoding: .utf8) == "old\n")
        let s = try CLITests.run(["convert", "--to", "text", "-"], stdin: "a{b=\"c} 1\n")
        #expect(s.status == 1 && s.stdout.isEmpty)
    }

    @Test func strictWritesNothing() throws {
        let r = try CLITests.run(["convert", "--strict", "--to", "openmetrics", "-"], stdin: "# TYPE a counter\na 1\n")
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("[counter_without_total]"))
        let w = try CLITests.run(["convert", "--to", "openmetrics", "-"], stdin: "# TYPE a counter\na 1\n")
        #expect(w.status == 0 && w.stderr.contains("warning:") && w.stdout.hasSuffix("# EOF\n"))
    }

    @Test func outputRefusesTheInputAndUsageExitsTwo() throws {
        let input = try Self.temp("in.prom", "a 1\n")
        let r = try CLITests.run(["convert", "--to", "openmetrics", "-o", input.path, input.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("it is the input"))
        #expect(try String(contentsOf: input, encoding: .utf8) == "a 1\n")
        #expect(try CLITests.run(["convert", "--to", "yaml", input.path]).status == 2)
        #expect(try CLITests.run(["convert", "--to", "text", "/nonexistent/x"]).status == 2)
    }

    @Test func outputFileIsWrittenWhole() throws {
        let input = try Self.temp("in.prom", "# TYPE a gauge\na 1\n")
        let out = input.deletingLastPathComponent().appendingPathComponent("out.om")
        let r = try CLITests.run(["convert", "--to", "openmetrics", "-o", out.path, input.path])
        #expect(r.status == 0 && r.stdout.isEmpty)
        #expect(try String(contentsOf: out, encoding: .utf8) == "# TYPE a gauge\na 1\n# EOF\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: input.deletingLastPathComponent().path).filter {
            $0.contains("promkit-")
        }
        #expect(leftovers.isEmpty)
    }

    @Test func fmtCheckAndWrite() throws {
        let messy = try Self.temp("messy.prom", "a{x=\"1\"}   1.50\n")
        let clean = messy.deletingLastPathComponent().appendingPathComponent("clean.prom")
        try "a{x=\"1\"} 1.5\n".write(to: clean, atomically: true, encoding: .utf8)
        let check = try CLITests.run(["fmt", "--check", messy.path, clean.path])
        #expect(check.status == 1)
        #expect(check.stdout == messy.path + "\n")
        #expect(try String(contentsOf: messy, encoding: .utf8) == "a{x=\"1\"}   1.50\n")
        let write = try CLITests.run(["fmt", "--write", messy.path, clean.path])
        #expect(write.status == 0, "\(write.stderr)")
        #expect(try String(contentsOf: messy, encoding: .utf8) == "a{x=\"1\"} 1.5\n")
        let again = try CLITests.run(["fmt", "--check", messy.path, clean.path])
        #expect(again.status == 0 && again.stdout.isEmpty)
        let printed = try CLITests.run(["fmt", "-"], stdin: "b   2\n")
        #expect(printed.status == 0 && printed.stdout == "b 2\n")
        #expect(try CLITests.run(["fmt", "--write", "-"]).status == 2)
        let invalid = try CLITests.run(["fmt", "-"], stdin: "a{ 1\n")
        #expect(invalid.status == 1 && invalid.stdout.isEmpty)
    }
}

import Testing

@testable import PromKitLint

/// The YAML a configuration file may hold, and the errors for what it may not.
@Suite struct ConfigYAMLTests {
    static func entries(_ text: String) throws -> [String: ConfigYAML] {
        guard case .map(let entries, _) = try ConfigYAML.parse(text) else {
            Issue.record("not a mapping: \(text)")
            return [:]
        }
        return Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
    }

    static func strings(_ node: ConfigYAML?) -> [String]? {
        switch node {
        case .list(let items, _)?:
            return items.map { if case .scalar(let s, _) = $0 { s } else { "<\($0)>" } }
        case .scalar(let s, _)?:
            return [s]
        default:
            return nil
        }
    }

    @Test func blockAndFlowForms() throws {
        let m = try Self.entries(
            """
            # promkit settings
            ---
            disable: [help_missing, "type_in_name" , 'camel_case_name']   # trailing comment
            enable:
              - counter_created
              - 'unit_mismatch'
            ignore_metrics:
            - "go_*"
            - process_[a-z]*
            severity:
              camel_case_name: error
              "help_missing": info
            limits: {a: 1, b: "two, three"}
            fail_on: warning
            empty:
            quoted: "a # not a comment \\"x\\" \\\\"
            single: 'it''s'
            colon: http://example.com:9090/x
            """)
        #expect(Self.strings(m["disable"]) == ["help_missing", "type_in_name", "camel_case_name"])
        #expect(Self.strings(m["enable"]) == ["counter_created", "unit_mismatch"])
        #expect(Self.strings(m["ignore_metrics"]) == ["go_*", "process_[a-z]*"])
        guard case .map(let severity, let line)? = m["severity"] else {
            Issue.record("severity is not a mapping")
            return
        }
        #expect(line == 11)
        #expect(severity.map(\.key) == ["camel_case_name", "help_missing"])
        #expect(severity.map(\.value) == [.scalar("error", line: 11), .scalar("info", line: 12)])
        #expect(
            m["limits"]
                == .map(
                    [
                        .init(key: "a", value: .scalar("1", line: 13), line: 13),
                        .init(key: "b", value: .scalar("two, three", line: 13), line: 13),
                    ], line: 13))
        #expect(m["fail_on"] == .scalar("warning", line: 14))
        #expect(m["empty"] == .null(line: 15))
        #expect(m["quoted"] == .scalar("a # not a comment \"x\" \\", line: 16))
        #expect(m["single"] == .scalar("it's", line: 17))
        #expect(m["colon"] == .scalar("http://example.com:9090/x", line: 18))
    }

    @Test func emptyAndCommentOnlyDocuments() throws {
        #expect(try ConfigYAML.parse("") == .null(line: 1))
        #expect(try ConfigYAML.parse("# nothing yet\n\n---\n") == .null(line: 1))
        #expect(
            try ConfigYAML.parse("a: 1\r\nb: 2\r\n")
                == .map(
                    [
                        .init(key: "a", value: .scalar("1", line: 1), line: 1),
                        .init(key: "b", value: .scalar("2", line: 2), line: 2),
                    ], line: 1))
    }

    @Test func nestedListItems() throws {
        let doc = try ConfigYAML.parse(
            """
            - a
            - b: 1
              c: 2
            -
              - x
            """)
        #expect(
            doc
                == .list(
                    [
                        .scalar("a", line: 1),
                        .map(
                            [
                                .init(key: "b", value: .scalar("1", line: 2), line: 2),
                                .init(key: "c", value: .scalar("2", line: 3), line: 3),
                            ], line: 2),
                        .list([.scalar("x", line: 5)], line: 5),
                    ], line: 1))
    }

    /// What the file may not hold is an error on its line, not a guess.
    @Test func unsupportedOrBrokenYAMLNamesTheLine() {
        let cases: [(String, Int, String)] = [
            ("a: 1\nb: &x 2\n", 2, "anchor"),
            ("a: *x\n", 1, "alias"),
            ("a: !!str 1\n", 1, "tag"),
            ("help: |\n  text\n", 1, "block scalar"),
            ("a: 1\n\tb: 2\n", 2, "tab"),
            ("a: 1\na: 2\n", 2, "appears twice"),
            ("a: [x, y\n", 1, "missing ']'"),
            ("a: \"open\n", 1, "missing closing"),
            ("a: 1\n  b: 2\n", 2, "indentation"),
            ("a: 1\n---\nb: 2\n", 2, "second YAML document"),
            ("a:\n  - x\n  y: 1\n", 3, "indentation"),
            ("- a\nb: 1\n", 2, "unexpected"),
            ("a: \"\\q\"\n", 1, "escape"),
        ]
        for (text, line, words) in cases {
            do {
                let value = try ConfigYAML.parse(text)
                Issue.record("accepted \(text.debugDescription) as \(value)")
            } catch {
                #expect(error.line == line, "\(text.debugDescription): \(error)")
                #expect(error.message.contains(words), "\(text.debugDescription): \(error)")
            }
        }
    }
}

/// Whatever the bytes, the reader answers with a value or a failure on a line of the text: never a crash.
@Suite struct ConfigYAMLRobustnessTests {
    @Test func randomTextNeverCrashes() {
        // Seeded, so a failure can be replayed.
        var state: UInt64 = 0x5EED_CAFE
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let pieces = [
            "a", "b_c", ":", ": ", "-", "- ", "[", "]", "{", "}", ",", "\"", "'", "\\", "#", " ", "  ", "\n",
            "\r\n", "\t", "&", "*", "!", "|", ">", "---", "...", "é", "0", "1e3", "~", "null", "''", "\"\\n\"",
        ]
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int(next() % 24) { text += pieces[Int(next() % UInt64(pieces.count))] }
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count
            do {
                _ = try ConfigYAML.parse(text)
            } catch {
                #expect(error.line >= 1 && error.line <= max(lines, 1), "\(text.debugDescription): \(error)")
            }
        }
    }
}

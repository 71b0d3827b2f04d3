import Testing

@testable import PromKit
@testable import PromKitReport

/// On a terminal, a finding on a line of megabytes shows 200 columns around its column, not the line.
@Suite struct ExcerptReporterTests {
    @Test func longLineIsCutOnATerminal() throws {
        let value = String(repeating: "x", count: 1_000_000)
        let source = SourceFile(name: "long.prom", text: "a{v=\"" + value + "\",Bad=\"1\"} 1\n")
        let offset = 5 + value.utf8.count + 2  // the label name Bad
        let diagnostic = Diagnostic(.invalidLabels, .error, at: offset, "a finding at the end")
        let input = InputReport(
            source: source, diagnostics: [diagnostic], rulesRun: ["invalid_labels"], excerpts: true, keepingSource: false)
        #expect(input.source == nil, "the report does not hold the input")
        let report = Report(command: "validate", inputs: [input], rules: [])
        let text = String(decoding: try TextReporter().render(report, context: ReportContext(isTerminal: true)), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5, "\(lines.map { $0.prefix(80) })")
        #expect(lines[1].hasPrefix("  …xxxx") && lines[1].hasSuffix("xx\",Bad=\"1\"} 1"), "\(lines[1].suffix(40))")
        #expect(lines[1].unicodeScalars.count <= 2 + 1 + 200, "\(lines[1].unicodeScalars.count) columns")
        // The caret under the B of Bad.
        let caret = try #require(lines[2].firstIndex(of: "^"))
        let column = lines[2].distance(from: lines[2].startIndex, to: caret)
        #expect(Array(lines[1].unicodeScalars)[column] == "B")
    }
}

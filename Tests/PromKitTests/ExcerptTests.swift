import Testing

@testable import PromKit

/// A finding's source line is shown cut around its column, and its location is counted without going back
/// over the line for each finding.
@Suite struct ExcerptTests {
    @Test func shortLineIsShownWhole() {
        let source = SourceFile(name: "t", text: "# TYPE a gauge\na{x=\"é\"} 1\n")
        let e = source.excerpt(at: 15 + 5)  // after `a{x="`
        #expect(e == Excerpt(before: "a{x=\"", after: "é\"} 1", cutBefore: false, cutAfter: false))
    }

    @Test func longLineIsCutAroundTheColumn() {
        let value = String(repeating: "x", count: 5000) + "ü" + String(repeating: "y", count: 5000)
        let text = "a{v=\"" + value + "\"} 1\nb 2\n"
        let source = SourceFile(name: "t", text: text)
        let at = 5 + 5000  // the ü
        let e = source.excerpt(at: at, width: 200)
        #expect(e.cutBefore && e.cutAfter)
        #expect(e.before == String(repeating: "x", count: 100))
        #expect(e.after == "ü" + String(repeating: "y", count: 99))
        // Near the start: nothing cut before.
        let start = source.excerpt(at: 2, width: 200)
        #expect(!start.cutBefore && start.before == "a{" && start.cutAfter)
        // Near the end of the line: nothing cut after, and the next line is not included.
        let end = source.excerpt(at: text.utf8.count - 8, width: 200)  // the `}` before " 1\nb 2\n"
        #expect(!end.cutAfter && end.after == "} 1" && end.cutBefore)
    }

    @Test func cutNeverSplitsACharacter() {
        let text = String(repeating: "日本", count: 300) + "\n"
        let source = SourceFile(name: "t", text: text)
        for offset in stride(from: 0, through: 300 * 6, by: 3) {
            let e = source.excerpt(at: offset, width: 50)
            #expect(e.before.unicodeScalars.allSatisfy { $0 == "日" || $0 == "本" })
            #expect(e.after.unicodeScalars.allSatisfy { $0 == "日" || $0 == "本" })
            #expect(e.before.unicodeScalars.count <= 25 && e.after.unicodeScalars.count <= 25)
        }
    }

    /// Many offsets on one long line: the columns are those counted from the line's start.
    @Test func manyOffsetsOnOneLine() {
        var text = "first line\n"
        for i in 0..<2000 { text += "é\(i)," }
        text += "\nlast\n"
        let bytes = Array(text.utf8)
        let source = SourceFile(name: "t", bytes: bytes)
        let offsets = Array(stride(from: 11, to: bytes.count - 6, by: 7)) + [0, bytes.count - 1]
        let locations = source.locations(of: offsets)
        for (offset, location) in zip(offsets, locations) {
            let before = bytes[..<offset]
            let line = before.filter { $0 == 0x0A }.count + 1
            let lineStart = (before.lastIndex(of: 0x0A) ?? -1) + 1
            let column = bytes[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count + 1
            #expect(location == SourceLocation(line: line, column: column), "offset \(offset)")
        }
    }
}

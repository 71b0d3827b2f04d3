import Foundation
import Testing

@testable import PromKit

/// A file that gets shorter after it was mapped (a log rotated, a scrape rewritten) must not crash the reader:
/// its mapping past the new end raises SIGBUS, so nothing may read it there.
@Suite struct ShrinkingInputTests {
    @Test func fileTruncatedWhileReadIsAnErrorNotACrash() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-shrink-\(UUID().uuidString).prom").path
        defer { unlink(path) }
        var text = ""
        for i in 0..<40_000 { text += "# HELP m\(i) Help.\n# TYPE m\(i) gauge\nm\(i){a=\"\(i)\"} \(i)\n" }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let size = text.utf8.count
        #expect(size > 4 * InputWindow.piece, "the reader must need several pieces")
        let source = try InputLoader.load(path).get()
        #expect(source.bytes.readsByPieces, "the file is mapped and read by pieces")
        // Truncated to a third, in the middle of a line, after the mapping was made.
        #expect(truncate(path, off_t(size / 3)) == 0)
        let findings = Validator.validate(source, format: .text, options: ReadOptions(threads: 1))
        let changed = findings.filter { $0.code == .inputChanged }
        #expect(changed.count == 1, "\(findings.prefix(5).map(\.message))")
        #expect(changed.first?.offset == size / 3)
        // Nothing after the end was checked; what came before was.
        #expect(!findings.contains { $0.offset > size / 3 })
        // Locations of the findings read the file, not the mapping past its end.
        _ = source.locations(of: findings.map(\.offset) + [size - 1])
        _ = source.excerpt(at: size - 10)
    }
}

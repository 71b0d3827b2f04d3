import Foundation
import PromKitTestSupport
import Testing

@testable import PromKit

/// A mapped file read in stretches copied from the file (`ReadOptions.windowed`) gives exactly what reading
/// the same bytes from memory gives: families, their strings, diagnostics and their locations. Tiny pieces
/// put the window's edge inside every kind of token and line somewhere.
@Suite struct WindowedReadTests {
    /// The bytes in a temporary file, loaded as promkit loads a path (mapped, kept open).
    static func fileSource(_ bytes: [UInt8], _ name: String) throws -> SourceFile {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-window-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let source = try InputLoader.load(url.path).get()
        #expect(source.bytes.readsByPieces || bytes.isEmpty, "a regular file is mapped and kept open")
        return source
    }

    static func options(threads: Int, piece: Int?) -> ReadOptions {
        var options = ReadOptions(threads: threads, parallelThreshold: 0)
        if let piece {
            options.windowed = true
            options.windowPiece = piece
        }
        return options
    }

    func compare(_ bytes: [UInt8], name: String, format: ExpositionFormat? = nil) throws {
        let memory = SourceFile(name: name, bytes: bytes)
        let format = format ?? FormatDetector.detect(memory.bytes)
        let expected = TokenReuseTests.dump(memory, format, reuse: true)
        let expectedDiagnostics = Validator.validate(memory, format: format, options: Self.options(threads: 1, piece: nil))
        // Enough offsets that locating them is split across cores (`SourceFile.locations(of:)`).
        let offsets =
            expectedDiagnostics.map(\.offset) + [0, bytes.count / 3, bytes.count / 2, bytes.count]
            + stride(from: bytes.count, through: 0, by: -max(1, bytes.count / 700)).map { $0 }
        let expectedLocations = memory.locations(of: offsets)
        for piece in [1, 2, 7, 64, 4096] {
            let file = try Self.fileSource(bytes, name)
            let out = TokenReuseTests.dump(file, format, options: Self.options(threads: 1, piece: piece))
            #expect(out == expected, "\(name) \(format), piece \(piece)")
            for threads in [1, 3] {
                let found = Validator.validate(file, format: format, options: Self.options(threads: threads, piece: piece))
                #expect(found == expectedDiagnostics, "\(name) \(format), piece \(piece), \(threads) threads")
            }
            #expect(file.locations(of: offsets) == expectedLocations, "\(name): locations, piece \(piece)")
        }
    }

    @Test(arguments: ParallelReadTests.inputs)
    func sameAsFromMemory(_ url: URL) throws {
        try compare(try [UInt8](Data(contentsOf: url)), name: url.lastPathComponent)
    }

    /// Lines longer than the window, a family larger than it, a byte order mark, CR LF, invalid UTF-8 and
    /// multi-byte characters on the edges, no final line feed.
    @Test func edges() throws {
        var text = "\u{FEFF}# HELP big h \u{E9}\u{E9}\n# TYPE big gauge\n"
        for i in 0..<300 { text += "big{a=\"\(String(repeating: "\u{E9}x", count: i % 7))\",b=\"\(i)\"} \(i)\n" }
        text += "long{a=\"\(String(repeating: "y", count: 10_000))\"} 1\r\n# TYPE c counter\nc_total 1"
        var bytes = Array(text.utf8)
        bytes.insert(0xFF, at: bytes.count / 2)
        try compare(bytes, name: "edges", format: .text)
        try compare(Array((text + "\n# EOF\n").utf8), name: "edges-om", format: .openMetrics)
    }
}

import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of one input and the name it is shown under (a path, or `<stdin>`).
///
/// Everything parsed from it refers back to it by byte offsets; line and column are worked out only when a
/// diagnostic is printed (`locations(of:)`).
public final class SourceFile: Sendable {
    /// Offsets are `Int32`: larger inputs are refused with a diagnostic rather than mis-parsed.
    public static let maximumSize = Int(Int32.max) - 1

    /// The input's name in findings: its path as given, `<stdin>`, a URL.
    public let name: String
    /// The input's bytes (mapped from a file, or in memory).
    public let bytes: ByteBuffer
    /// Where some lines start (every `LineIndex.every` lines), left by the reader as it goes: `locations(of:)` starts
    /// counting from the nearest one instead of from the top of a large input.
    private let lineIndex = Mutex<[LineCheckpoint]>([])

    /// A line's first byte and its 1-based number.
    package struct LineCheckpoint: Sendable {
        package var offset: Int
        package var line: Int
        package init(offset: Int, line: Int) {
            self.offset = offset
            self.line = line
        }
    }

    /// Records line starts found while reading (sorted by offset; replaces what was there).
    package func setLineIndex(_ checkpoints: [LineCheckpoint]) {
        lineIndex.withLock { $0 = checkpoints }
    }

    /// The media type the input came with (an HTTP response's `Content-Type`), when it came with one: with
    /// `--format auto` it picks the parser.
    public let contentType: String?

    /// An HTTP body read while it arrived that then stopped short (a timeout, a reset connection): the
    /// input could not be read after all, whatever reading it found. Waits for the body to end.
    public var lateFailure: InputLoader.Failure? {
        bytes.arrivalFailure.map { InputLoader.Failure(path: name, reason: $0.reason, rule: $0.rule) }
    }
    /// Findings about how the input was obtained rather than its content (a missing or unknown
    /// `Content-Type`), reported with the input's own.
    public let notes: [Diagnostic]

    /// An input held in memory.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = ByteBuffer(bytes)
        self.contentType = nil
        self.notes = []
    }

    /// An input in `buffer`; `contentType` and `notes` come from an HTTP response.
    public init(name: String, buffer: ByteBuffer, contentType: String? = nil, notes: [Diagnostic] = []) {
        self.name = name
        self.bytes = buffer
        self.contentType = contentType
        self.notes = notes
    }

    /// An input held in memory, from text.
    public convenience init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// The string for a range of raw bytes; invalid UTF-8 is replaced (use for display only).
    public func text(_ range: ByteRange) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[range.lowerBound..<range.upperBound]), as: UTF8.self)
        }
    }

    /// 1-based line and column (in Unicode scalars) of each offset, in one forward pass.
    /// Offsets need not be sorted.
    public func locations(of offsets: [Int]) -> [SourceLocation] {
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        var result = [SourceLocation](repeating: SourceLocation(line: 1, column: 1), count: offsets.count)
        let checkpoints = lineIndex.withLock { $0 }
        // Many offsets in a file read piece by piece (a read call for each) and a line index to start
        // from: consecutive runs of them on all cores, each run counting from its nearest checkpoint.
        let runs =
            bytes.readsByPieces && !checkpoints.isEmpty && offsets.count >= 256
            ? min(ReadOptions.availableCores, 8, offsets.count / 128) : 1
        result.withUnsafeMutableBufferPointer { result in
            order.withUnsafeBufferPointer { order in
                ParallelLoop.forEach(runs, threads: runs) { run, _ in
                    let from = order.count * run / runs, to = order.count * (run + 1) / runs
                    locate(offsets, UnsafeBufferPointer(rebasing: order[from..<to]), checkpoints, into: result)
                }
            }
        }
        return result
    }

    /// The locations of `offsets[i]` for each `i` of `order` (ascending offsets), into `result[i]`.
    private func locate(
        _ offsets: [Int], _ order: UnsafeBufferPointer<Int>, _ checkpoints: [LineCheckpoint],
        into result: UnsafeMutableBufferPointer<SourceLocation>
    ) {
        var reader = StretchReader(bytes)
        var line = 1
        var scanned = 0
        // The column at `counted` on the current line: the next offset on the same line counts on from there
        // (counting from the line's start for each was quadratic in a long line's findings).
        var counted = 0
        var column = 1
        var next = 0  // the first checkpoint not yet passed
        for index in order {
            let offset = min(max(offsets[index], 0), bytes.count)
            // Jump to the last checkpoint at or before the offset, when it is ahead of the count.
            if next < checkpoints.count && checkpoints[next].offset <= offset {
                var lo = next, hi = checkpoints.count - 1
                while lo < hi {
                    let mid = (lo + hi + 1) / 2
                    if checkpoints[mid].offset <= offset { lo = mid } else { hi = mid - 1 }
                }
                next = lo + 1
                if checkpoints[lo].offset > scanned {
                    line = checkpoints[lo].line
                    scanned = checkpoints[lo].offset
                    counted = scanned
                    column = 1
                }
            }
            scanned = min(scanned, offset)
            reader.withBytes(min(counted, scanned)..<offset) { b in
                // Jump from line feed to line feed (memchr) up to the offset.
                while scanned < offset, let hit = memchr(b + scanned, 0x0A, offset - scanned) {
                    let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - b
                    line += 1
                    scanned = at + 1
                    counted = scanned
                    column = 1
                }
                scanned = offset
                var i = counted
                while i < offset {
                    if b[i] & 0xC0 != 0x80 { column += 1 }
                    i += 1
                }
            }
            counted = offset
            result[index] = SourceLocation(line: line, column: column)
        }
    }

    /// The line and column (1-based, columns in bytes) of `offset`.
    public func location(of offset: Int) -> SourceLocation {
        locations(of: [offset])[0]
    }

    /// The line holding `offset`, cut to about `width` characters around it (for a caret under a column):
    /// a line of megabytes is neither scanned whole nor printed whole. Reads at most ~4 bytes a character
    /// either side, through the file for an input read in pieces (its mapping was not read).
    public func excerpt(at offset: Int, width: Int = Excerpt.defaultWidth) -> Excerpt {
        let o = min(max(offset, 0), bytes.count)
        let reach = 4 * width  // bytes a side that can hold `width` characters
        let from = max(0, o - reach), to = min(bytes.count, o + reach)
        var reader = StretchReader(bytes)
        return reader.withBytes(from..<to) { b in excerpt(b, o, from, to, width) }
    }

    /// `excerpt(at:width:)` on `b`, where `b[i]` is the input's byte `i` for `i` in `from..<to`.
    private func excerpt(_ b: UnsafePointer<UInt8>, _ o: Int, _ from: Int, _ to: Int, _ width: Int) -> Excerpt {
        func isLineEnd(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }
        // Back to the line's start or half the width, whichever comes first (a character's first byte).
        var start = o, characters = 0
        while start > from && !isLineEnd(b[start - 1]) && characters < width / 2 {
            start -= 1
            if b[start] & 0xC0 != 0x80 { characters += 1 }
        }
        while start > from && start < o && b[start] & 0xC0 == 0x80 { start -= 1 }
        let cutBefore = start > 0 && !isLineEnd(b[start - 1])
        // Forward to the line's end or the rest of the width.
        var end = o
        characters = 0
        while end < to && !isLineEnd(b[end]) && (characters < width - width / 2 || b[end] & 0xC0 == 0x80) {
            if b[end] & 0xC0 != 0x80 { characters += 1 }
            end += 1
        }
        let cutAfter = end < bytes.count && !isLineEnd(b[end])
        func text(_ lo: Int, _ hi: Int) -> String { String(decoding: UnsafeBufferPointer(start: b + lo, count: hi - lo), as: UTF8.self) }
        return Excerpt(before: text(start, o), after: text(o, end), cutBefore: cutBefore, cutAfter: cutAfter)
    }
}

/// Part of a source line around a column: what comes before the column and from it on, and whether the line
/// goes on past either end (shown as `…`).
public struct Excerpt: Hashable, Sendable {
    /// The columns an excerpt shows by default, around the finding's column.
    public static let defaultWidth = 200
    /// The line's text before the column.
    public var before: String
    /// The line's text from the column on.
    public var after: String
    /// Whether the line was cut before `before`.
    public var cutBefore: Bool
    /// Whether the line was cut after `after`.
    public var cutAfter: Bool

    /// An excerpt from its parts.
    public init(before: String, after: String, cutBefore: Bool, cutAfter: Bool) {
        self.before = before
        self.after = after
        self.cutBefore = cutBefore
        self.cutAfter = cutAfter
    }
}

/// Stretches of an input for look-ups after a read: from memory, or for a file that readers copied in
/// stretches (`ByteBuffer.readsByPieces`), copied from the file too: its mapping was not read, and faulting
/// in pages for a few bytes each would map (and later unmap) tens of megabytes.
///
/// Not copyable: it owns its scratch and frees it when it ends.
struct StretchReader: ~Copyable {
    private let buffer: ByteBuffer
    private var scratch: UnsafeMutablePointer<UInt8>?
    private var capacity = 0

    init(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }

    deinit {
        scratch?.deallocate()
    }

    /// Calls `body` with a pointer `b`, `b[i]` the input's byte `i` for `i` in `range` (only those: `b` is
    /// shifted back by the range's start). The pointer is lent for the call only.
    mutating func withBytes<R>(_ range: Range<Int>, _ body: (UnsafePointer<UInt8>) -> R) -> R {
        guard buffer.readsByPieces, !range.isEmpty else {
            return buffer.withUnsafeBufferPointer { body($0.baseAddress ?? UnsafePointer(bitPattern: 1)!) }
        }
        if range.count > capacity {
            scratch?.deallocate()
            capacity = max(range.count, 64 << 10)
            scratch = .allocate(capacity: capacity)
        }
        let got = buffer.read(into: scratch!, count: range.count, at: range.lowerBound)
        // The file got shorter since it was mapped: its mapping past the end would raise SIGBUS, so the
        // missing bytes read as blanks (locations and excerpts of a file that changed are approximate).
        if got < range.count { (scratch! + got).initialize(repeating: 0x20, count: range.count - got) }
        return body(UnsafePointer(scratch! - range.lowerBound))
    }
}

/// A 1-based line and column, computed only for display.
public struct SourceLocation: Hashable, Sendable, Comparable {
    /// The line, from 1.
    public var line: Int
    /// The column, from 1, in bytes.
    public var column: Int

    /// A location from its line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

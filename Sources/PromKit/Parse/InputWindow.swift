#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The stretch of a mapped file that one pass works on, copied from the file into a buffer of its own
/// (`ReadOptions.windowed`).
///
/// Read through the mapping, every page of a 100 MB input is mapped in (page-table work on the reading
/// threads) and unmapped again at exit (serial, ~4 ms); copied piece by piece into a buffer that stays in
/// the cache, neither happens, and the process holds a few hundred KiB of the input instead of all of it.
///
/// Offsets stay the input's: `bytes` is the buffer shifted back by the stretch's start, so `bytes[i]` is
/// input byte `i` for `i` in `start..<end`. Hashes and compares that load eight bytes at a time may read a
/// few bytes past the last line (what they find there is never used): the buffer keeps `slack` bytes of
/// room after its capacity for them; nothing else outside `start..<end` may be read through it.
struct InputWindow {
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The input offsets held: `start..<end`.
    private(set) var start: Int
    private(set) var end: Int
    private let inputCount: Int

    /// Bytes read from the file at a time.
    static let piece = 256 << 10
    /// Room after the capacity for word-at-a-time reads that run past the last line.
    static let slack = 16

    init(at offset: Int, inputCount: Int) {
        capacity = 2 * Self.piece
        // malloc'd (not allocate(capacity:)) so that it can grow by realloc.
        buffer = malloc(capacity + Self.slack)!.bindMemory(to: UInt8.self, capacity: capacity + Self.slack)
        start = offset
        end = offset
        self.inputCount = inputCount
    }

    /// The buffer shifted back by `start`: only `bytes[start..<end]` (and `slack` bytes after, for word
    /// loads) are the window's; the pointer itself lies before the allocation, and is never read there.
    var bytes: UnsafeBufferPointer<UInt8> {
        assert(
            0 <= start && start <= end && end <= inputCount && end - start <= capacity,
            "window \(start)..<\(end) of \(inputCount) bytes in a buffer of \(capacity)")
        return UnsafeBufferPointer(start: buffer - start, count: inputCount)
    }

    /// Whether the window holds the input's bytes `range` (debug checks of the reader's offsets).
    func holds(_ range: Range<Int>) -> Bool {
        range.lowerBound >= start && range.upperBound <= end
    }

    /// Drops the bytes before `keep` (nothing still in use lies there) and reads the next `piece` bytes, up
    /// to `limit`. The kept bytes move to the buffer's start; the buffer grows when they fill it (a large family).
    mutating func advance(keeping keep: Int, limit: Int, piece: Int, from input: ByteBuffer) {
        precondition(keep >= start && keep <= end && end < limit)
        let kept = end - keep
        let count = min(piece, limit - end)
        if kept > 0 && keep > start {
            memmove(buffer, buffer + (keep - start), kept)
        }
        if kept + count > capacity {
            // realloc: a large block grows in place or is moved by remapping its pages, so a line of 100 MB
            // does not hold its old and new copies at once (peak memory 2.4 -> ~1.3 times the line).
            capacity = max(2 * capacity, kept + count)
            guard let grown = realloc(buffer, capacity + Self.slack) else { fatalError("out of memory for a line of \(kept) bytes") }
            buffer = grown.bindMemory(to: UInt8.self, capacity: capacity + Self.slack)
        }
        start = keep
        let got = input.read(into: buffer + kept, count: count, at: end)
        if got < count {
            // The file got shorter since it was mapped (its mapping there would raise SIGBUS): the rest reads
            // as line ends, and the reader stops at `shrankAt` with a diagnostic.
            (buffer + kept + got).initialize(repeating: 0x0A, count: count - got)
            if shrankAt == nil { shrankAt = end + got }
        }
        end += count
        assert(end - start <= capacity && end <= limit, "window \(start)..<\(end) past its buffer of \(capacity) or its limit \(limit)")
    }

    /// Where the file ended when it turned out shorter than when it was mapped.
    private(set) var shrankAt: Int?

    func deallocate() {
        free(buffer)
    }
}

/// Lends a pass's window to the family it hands over, for that hand-over only. A family is a value: the
/// consumer may keep a copy (an array of them), which outlives the hand-over and the window's contents (moved
/// by the next piece, freed at the pass's end). Each loan has a term; a family reads through the window only
/// while its term is the current one, and through `source` otherwise.
///
/// One per pass, written only on the pass's thread: a family read on that thread sees the current term.
/// (Windowed reading is `package`: only consumers that read a family on the reading thread, during the
/// call, use it — the validator and the linter.)
final class WindowLease: @unchecked Sendable {
    private var term: UInt64 = 0
    private var lent: UnsafeBufferPointer<UInt8>?

    /// Lends `bytes` until `end()`; returns the loan's term.
    func lend(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        lent = bytes
        return term
    }

    /// Ends the loan: families holding its term read through their source from now on.
    func end() {
        lent = nil
        term &+= 1
    }

    /// The window, when `term` is the current loan's.
    @inline(__always)
    func window(for term: UInt64) -> UnsafeBufferPointer<UInt8>? {
        term == self.term ? lent : nil
    }
}

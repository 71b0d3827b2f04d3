#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The immutable bytes of an input: an array, or a file mapped into memory (no copy, no zero-filled pages).
///
/// A collection of `UInt8` with `Int` indices from 0, so code reads it like an array; hot loops take
/// `withUnsafeBufferPointer` once.
public struct ByteBuffer: RandomAccessCollection, Sendable {
    /// (`@unchecked Sendable`: every property is a `let`, and the bytes behind them are never written.)
    final class Storage: @unchecked Sendable {
        /// The mapping's address (nil for an array: its storage is lent only inside `withUnsafeBufferPointer`).
        let base: UnsafePointer<UInt8>?
        let count: Int
        let array: [UInt8]?
        let mapped: Bool
        /// The mapped file, kept open so readers can copy stretches of it (`read(into:)`); -1 otherwise.
        let fd: Int32
        /// For a body still arriving into the mapped file: how much of it is in (every read waits for its bytes).
        let arrival: BodyArrival?

        init(array: [UInt8]) {
            self.array = array
            self.count = array.count
            self.mapped = false
            self.fd = -1
            self.base = nil
            self.arrival = nil
        }

        init(mapped base: UnsafeRawPointer, count: Int, fd: Int32, arrival: BodyArrival?) {
            self.array = nil
            self.count = count
            self.mapped = true
            self.fd = fd
            self.arrival = arrival
            self.base = UnsafePointer(base.bindMemory(to: UInt8.self, capacity: count))
        }

        deinit {
            if mapped, let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
            if fd >= 0 { close(fd) }
        }
    }

    let storage: Storage

    /// A buffer holding a copy of `array`.
    public init(_ array: [UInt8]) {
        storage = Storage(array: array)
    }

    /// A file mapped at `base`; `fd` (kept open, closed with the buffer) lets readers copy stretches of it.
    /// With `arrival`, the file is still being filled: reads wait for the bytes they take.
    init(mapped base: UnsafeRawPointer, count: Int, fd: Int32, arrival: BodyArrival? = nil) {
        storage = Storage(mapped: base, count: count, fd: fd, arrival: arrival)
    }

    /// Why a body handed over while arriving stopped short (after waiting for it to end); nil otherwise.
    package var arrivalFailure: (reason: String, rule: String)? {
        guard let arrival = storage.arrival, let reason = arrival.waitAll() else { return nil }
        return (reason, arrival.failureRule)
    }

    /// Whether stretches can be copied from the file (`read(into:)`) rather than read through the mapping.
    package var readsByPieces: Bool { storage.fd >= 0 }

    /// Copies `count` bytes from `offset` into `destination`, from the file (pread); returns how many it could:
    /// fewer when the file got shorter since it was mapped (or cannot be read). The caller must not read
    /// the mapping past that: a mapped page beyond the file's end raises SIGBUS. Each mapped page costs a
    /// page-table entry to map and to unmap at exit; a copy into a small buffer in the cache costs neither.
    package func read(into destination: UnsafeMutableRawPointer, count: Int, at offset: Int) -> Int {
        storage.arrival?.wait(through: offset + count)
        var done = 0
        while done < count {
            let r = pread(storage.fd, destination + done, count - done, off_t(offset + done))
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { break }
            done += r
        }
        return done
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    @inline(__always)
    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < storage.count, "index out of range")
        storage.arrival?.waitAll()
        if let base = storage.base { return base[position] }
        return storage.array![position]
    }

    /// About to read `range` from start to end: a mapped file's pages there are mapped in one call
    /// (MADV_POPULATE_READ) rather than one page fault every few pages. Nothing for arrays, or where the
    /// kernel lacks it (before Linux 5.14 the pages fault in as read).
    package func willRead(_ range: Range<Int>) {
        #if os(Linux)
            guard storage.mapped, let base = storage.base, !range.isEmpty else { return }
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let start = (Int(bitPattern: base) + range.lowerBound) & ~(page - 1)
            let end = Int(bitPattern: base) + range.upperBound
            _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, 22 /* MADV_POPULATE_READ */)
        #endif
    }

    /// The bytes, lent for the call: the pointer must not be kept past it (for a mapped file it would stay
    /// valid while the buffer lives, for an array not even that is promised).
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let array = storage.array { return try array.withUnsafeBufferPointer(body) }
        storage.arrival?.waitAll()
        return try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// The bytes without waiting for a body still arriving, and its arrival: for the reader that waits for
    /// each stretch itself (`ArrivingChunks`). Bytes not yet in read as zeros.
    package func withArrivingBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>, BodyArrival?) throws -> R) rethrows -> R {
        guard let arrival = storage.arrival else { return try withUnsafeBufferPointer { try body($0, nil) } }
        return try body(UnsafeBufferPointer(start: storage.base, count: storage.count), arrival)
    }
}

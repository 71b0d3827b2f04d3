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
    final class Storage: @unchecked Sendable {
        let base: UnsafePointer<UInt8>?
        let count: Int
        private let array: [UInt8]?
        let mapped: Bool

        init(array: [UInt8]) {
            self.array = array
            self.count = array.count
            self.mapped = false
            // The array's storage is never mutated, so its address is stable for the storage's lifetime.
            self.base = array.withUnsafeBufferPointer { $0.baseAddress }
        }

        init(mapped base: UnsafeRawPointer, count: Int) {
            self.array = nil
            self.count = count
            self.mapped = true
            self.base = base.assumingMemoryBound(to: UInt8.self)
        }

        deinit {
            if mapped, let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
        }
    }

    let storage: Storage

    public init(_ array: [UInt8]) {
        storage = Storage(array: array)
    }

    init(mapped base: UnsafeRawPointer, count: Int) {
        storage = Storage(mapped: base, count: count)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    @inline(__always)
    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < storage.count, "index out of range")
        return storage.base![position]
    }

    /// About to read `range` from start to end: a mapped file's pages there are mapped in one call
    /// (MADV_POPULATE_READ) rather than one page fault every few pages. Nothing for arrays, or where the
    /// kernel lacks it (before Linux 5.14 the pages fault in as read).
    public func willRead(_ range: Range<Int>) {
        #if os(Linux)
        guard storage.mapped, let base = storage.base, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + range.lowerBound) & ~(page - 1)
        let end = Int(bitPattern: base) + range.upperBound
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, 22 /* MADV_POPULATE_READ */)
        #endif
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }
}

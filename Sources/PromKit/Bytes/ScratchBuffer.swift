/// Plain memory for scratch that a hot loop refills again and again (per line, per family): indexed through
/// a pointer, with no copy-on-write check or reference counting per use, grown when needed and kept. Meant
/// for plain values (ranges, numbers, ids). Its owner frees it (`deallocate`), from a class's `deinit`.
/// Inlinable: the lint rules use it from another module, where an unspecialized generic call per element
/// would cost more than the buffer saves.
@frozen
public struct ScratchBuffer<Element> {
    @usableFromInline var storage: UnsafeMutablePointer<Element>
    @usableFromInline var room: Int

    public var base: UnsafeMutablePointer<Element> { @inlinable @inline(__always) get { storage } }
    public var capacity: Int { @inlinable @inline(__always) get { room } }

    @inlinable
    public init(capacity: Int = 0) {
        storage = .allocate(capacity: capacity)
        room = capacity
    }

    /// Room for `n` elements. When it grows, the first `keeping` move over; the rest are not kept (callers
    /// that refill the buffer for each use keep none).
    @inlinable @inline(__always)
    public mutating func reserve(_ n: Int, keeping: Int = 0) {
        if n > room { grow(to: max(n, 2 * room, 16), keeping: keeping) }
    }

    @inlinable
    mutating func grow(to newCapacity: Int, keeping: Int) {
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        grown.moveInitialize(from: storage, count: keeping)
        storage.deallocate()
        storage = grown
        room = newCapacity
    }

    @inlinable @inline(__always)
    public subscript(i: Int) -> Element {
        get { storage[i] }
        nonmutating set { storage[i] = newValue }
    }

    @inlinable
    public func deallocate() {
        storage.deallocate()
    }
}

/// Plain memory for scratch that a hot loop refills again and again (per line, per family): indexed through
/// a pointer, with no copy-on-write check or reference counting per use, grown when needed and kept.
///
/// Safe by construction where it can be without costing the hot loops anything:
/// - Elements are `BitwiseCopyable`: storage that was never written holds garbage, never a reference
///   whose count a write would release, and growing copies bytes.
/// - Not copyable: it has one owner, and frees its storage when that owner ends (no `deallocate` to forget or
///   call twice through a copy).
/// - Indices are checked in debug builds (`assert`; nothing in release builds).
///
/// Inlinable: the lint rules use it from another module, where an unspecialized generic call per element
/// would cost more than the buffer saves.
@frozen
package struct ScratchBuffer<Element: BitwiseCopyable>: ~Copyable {
    @usableFromInline var storage: UnsafeMutablePointer<Element>
    @usableFromInline var room: Int

    /// The storage's address: valid until the buffer grows (`reserve`) or ends; prefer `view`, checked in
    /// debug builds.
    package var base: UnsafeMutablePointer<Element> { @inlinable @inline(__always) get { storage } }
    package var capacity: Int { @inlinable @inline(__always) get { room } }

    @inlinable
    package init(capacity: Int = 0) {
        storage = .allocate(capacity: capacity)
        room = capacity
    }

    deinit {
        storage.deallocate()
    }

    /// Room for `n` elements. When it grows, the first `keeping` move over; the rest are not kept (callers
    /// that refill the buffer for each use keep none).
    @inlinable @inline(__always)
    package mutating func reserve(_ n: Int, keeping: Int = 0) {
        if n > room { grow(to: max(n, 2 * room, 16), keeping: keeping) }
    }

    @inlinable
    mutating func grow(to newCapacity: Int, keeping: Int) {
        assert(keeping >= 0 && keeping <= room && keeping <= newCapacity, "ScratchBuffer: keeping \(keeping) of \(room)")
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        grown.update(from: storage, count: keeping)
        storage.deallocate()
        storage = grown
        room = newCapacity
    }

    /// Checked in debug builds, as the view's (one accessor: the buffer's is its view's).
    @inlinable @inline(__always)
    package subscript(i: Int) -> Element {
        get { view[i] }
        nonmutating set { view[i] = newValue }
    }

    /// The storage as it is now, for a hot loop that keeps several buffers at hand (a copy of a pointer and a
    /// count each, checked in debug builds like the buffer). Valid while the buffer neither grows nor ends:
    /// take it after the loop's `reserve`, within the owner's lifetime.
    package var view: ScratchView<Element> {
        @inlinable @inline(__always) get { ScratchView(storage, room) }
    }
}

/// A borrowed look at a `ScratchBuffer`'s storage (see `ScratchBuffer.view` for how long it is valid).
@frozen
package struct ScratchView<Element: BitwiseCopyable> {
    @usableFromInline let storage: UnsafeMutablePointer<Element>
    @usableFromInline let room: Int

    @inlinable @inline(__always)
    init(_ storage: UnsafeMutablePointer<Element>, _ room: Int) {
        self.storage = storage
        self.room = room
    }

    package var base: UnsafeMutablePointer<Element> { @inlinable @inline(__always) get { storage } }

    @inlinable @inline(__always)
    package subscript(i: Int) -> Element {
        get {
            assert(i >= 0 && i < room, "ScratchView index \(i) out of 0..<\(room)")
            return storage[i]
        }
        nonmutating set {
            assert(i >= 0 && i < room, "ScratchView index \(i) out of 0..<\(room)")
            storage[i] = newValue
        }
    }
}

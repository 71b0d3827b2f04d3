/// Byte-level helpers shared by the parser and the validator: comparing and hashing ranges of the input.

import CHashSeed

/// Whether the ranges `a` and `b` of `p` hold the same bytes: the one comparison of input ranges (names,
/// values) that the parser, the checks and the lint rules share.
@inlinable @inline(__always)
package func bytesEqual(_ p: UnsafeBufferPointer<UInt8>, _ a: ByteRange, _ b: ByteRange) -> Bool {
    let n = a.count
    guard n == b.count else { return false }
    if n == 0 || a.start == b.start { return true }
    let base = p.baseAddress!
    return memcmpBytes(base + a.lowerBound, base + b.lowerBound, n)
}

/// Whether two byte buffers hold the same bytes (names kept apart from the input, or compared with it).
@inlinable @inline(__always)
package func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    a.count == b.count && (a.isEmpty || memcmpBytes(a.baseAddress!, b.baseAddress!, a.count))
}

/// A string's UTF-8 bytes, borrowed. `var s = s; s.withUTF8` would copy the string (a retain and release each
/// time); native strings are contiguous, so this borrows them in place.
@inlinable
package func withUTF8Bytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    if let r = try s.utf8.withContiguousStorageIfAvailable(body) { return r }
    return try Array(s.utf8).withUnsafeBufferPointer(body)
}

@inlinable @inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}

/// A fast 64-bit hash of a byte range (eight bytes a step, multiply-mix). Equal bytes, equal hash, within one
/// process: the seed is random per process (`CHashSeed`), so an input cannot be built of labels whose hashes
/// collide in every run. Not a cryptographic hash, and never trusted alone: every verdict a match decides is
/// confirmed on the bytes (`FamilyChecker`, `FamilyNameIndex`), so a collision costs time, not correctness.
@inlinable @inline(__always)
package func hashBytes(_ p: UnsafeBufferPointer<UInt8>, _ r: ByteRange, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
    let base = p.baseAddress! + r.lowerBound
    let n = r.count
    var h = seed ^ promkit_hash_seed() ^ (UInt64(truncatingIfNeeded: n) &* 0xFF51_AFD7_ED55_8CCD)
    var i = 0
    while i + 8 <= n {
        let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
        h = (h ^ (w &* 0xC2B2_AE3D_27D4_EB4F)).rotateLeft(31) &* 0x9E37_79B9_7F4A_7C15
        i += 8
    }
    let tail = i < n ? loadWord(p, r.lowerBound + i, n - i) : 0
    h = (h ^ (tail &* 0xC2B2_AE3D_27D4_EB4F)).rotateLeft(31) &* 0x9E37_79B9_7F4A_7C15
    return mix64(h) & promkit_hash_mask()
}

/// The `n` (0...8) bytes at `start` as one little-endian word, zero above them: one load, masked, where the
/// input goes on for eight bytes (it nearly always does: a quote, a line feed follow), else byte by byte.
@inlinable @inline(__always)
package func loadWord(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ n: Int) -> UInt64 {
    if start + 8 <= p.count {
        return UInt64(littleEndian: UnsafeRawPointer(p.baseAddress! + start).loadUnaligned(as: UInt64.self))
            & (UInt64.max >> (64 - 8 * UInt64(n)))
    }
    var word: UInt64 = 0
    for k in 0..<n { word |= UInt64(p[start + k]) << (8 * UInt64(k)) }
    return word
}

@inlinable @inline(__always)
package func mix64(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

extension UInt64 {
    @usableFromInline @inline(__always) func rotateLeft(_ k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}

/// A byte range hashed and compared by content, for dictionaries keyed by names.
struct ContentKey: Hashable {
    let p: UnsafeBufferPointer<UInt8>
    let range: ByteRange

    static func == (a: ContentKey, b: ContentKey) -> Bool {
        a.range.count == b.range.count
            && memcmpBytes(a.p.baseAddress! + a.range.lowerBound, b.p.baseAddress! + b.range.lowerBound, a.range.count)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hashBytes(p, range))
    }
}

/// A set of 64-bit hashes with open addressing, cleared and reused per family (no per-family allocation
/// once it has grown, no `Hasher` per insert). Zero is stored out of band.
struct HashSet64 {
    private var slots: [UInt64] = []
    private var mask = 0
    private var hasZero = false

    mutating func reset(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        if slots.count < size || slots.count > size * 8 {
            slots = [UInt64](repeating: 0, count: size)
        } else {
            size = slots.count
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        mask = size - 1
        hasZero = false
    }

    /// Inserts `h`; false when it was already there.
    mutating func insert(_ h: UInt64) -> Bool {
        if h == 0 {
            defer { hasZero = true }
            return !hasZero
        }
        var i = Int(truncatingIfNeeded: mix64(h)) & mask
        return slots.withUnsafeMutableBufferPointer { s in
            while true {
                let v = s[i]
                if v == h { return false }
                if v == 0 {
                    s[i] = h
                    return true
                }
                i = (i + 1) & mask
            }
        }
    }
}

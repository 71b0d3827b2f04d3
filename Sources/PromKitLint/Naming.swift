import PromKit

/// Facts about names shared by several rules: units, prefixes, abbreviations, camelCase.
enum Naming {
    static let baseUnits: Set<String> = [
        "amperes", "bytes", "celsius", "grams", "joules", "kelvin", "meters", "metres", "seconds", "volts",
    ]
    static let nonBaseUnits: [String: String] = [
        "minutes": "seconds", "hours": "seconds", "days": "seconds", "weeks": "seconds", "kelvins": "kelvin",
        "fahrenheit": "celsius", "rankine": "celsius", "inches": "meters", "yards": "meters", "miles": "meters",
        "bits": "bytes", "calories": "joules", "pounds": "grams", "ounces": "grams",
    ]
    static let prefixes = [
        "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi", "mega", "mibi", "giga", "gibi", "tera", "tebi",
        "peta", "pebi",
    ]
    static let abbreviations = ["s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"]

    /// Every unit spelling with its base: base and non-base units, with and without a prefix. The reference
    /// the look-up index (`UnitIndex`, built from the same lists as bytes) is tested against.
    static let unitTable: [String: String] = {
        var table: [String: String] = [:]
        for u in baseUnits { table[u] = u }
        for (u, b) in nonBaseUnits { table[u] = b }
        for p in prefixes {
            for u in baseUnits { table[p + u] = u }
            for (u, b) in nonBaseUnits { table[p + u] = b }
        }
        return table
    }()

    /// Every spelling of the unit table (a prefix, maybe empty, and a unit), found by a hash of its bytes.
    private static let unitsByHash = UnitIndex()

    /// Open addressing over plain memory, built from the prefixes and units as bytes: a look-up copies no
    /// string and compares the spelling's bytes; strings are made only for a finding's message. (Built from
    /// `unitTable`, the start-up cost of hundreds of string concatenations and a dictionary landed on the
    /// first family linted.)
    final class UnitIndex: @unchecked Sendable {
        /// Per slot: the spelling's hash and its entry (-1: empty).
        private let hashes: UnsafeMutablePointer<UInt64>
        private let slots: UnsafeMutablePointer<Int32>
        private let mask: Int
        /// Per entry: the spelling's bytes in `bytes`, its prefix (-1: none) and its unit.
        private let ranges: UnsafeMutablePointer<ByteRange>
        private let prefixOf: UnsafeMutablePointer<Int16>
        private let unitOf: UnsafeMutablePointer<Int16>
        /// Per entry: a base unit without a prefix.
        private let ownBase: UnsafeMutablePointer<Bool>
        private let bytes: UnsafeMutablePointer<UInt8>
        /// The units, base ones first, and each one's base.
        private let units: [(unit: String, base: String)]

        init() {
            units = baseUnits.sorted().map { ($0, $0) } + nonBaseUnits.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            var store: [UInt8] = []
            var spellings: [(range: ByteRange, prefix: Int, unit: Int)] = []
            for p in -1..<prefixes.count {
                for (u, entry) in units.enumerated() {
                    let start = store.count
                    if p >= 0 { store += prefixes[p].utf8 }
                    store += entry.unit.utf8
                    spellings.append((ByteRange(start, store.count), p, u))
                }
            }
            var size = 16
            while size < spellings.count * 4 { size <<= 1 }
            mask = size - 1
            hashes = .allocate(capacity: size)
            hashes.initialize(repeating: 0, count: size)
            slots = .allocate(capacity: size)
            slots.initialize(repeating: -1, count: size)
            ranges = .allocate(capacity: spellings.count)
            prefixOf = .allocate(capacity: spellings.count)
            unitOf = .allocate(capacity: spellings.count)
            ownBase = .allocate(capacity: spellings.count)
            bytes = .allocate(capacity: store.count)
            bytes.initialize(from: store, count: store.count)
            for (i, e) in spellings.enumerated() {
                (ranges + i).initialize(to: e.range)
                (prefixOf + i).initialize(to: Int16(e.prefix))
                (unitOf + i).initialize(to: Int16(e.unit))
                (ownBase + i).initialize(to: e.prefix < 0 && units[e.unit].unit == units[e.unit].base)
                let h = hashBytes(UnsafeBufferPointer(start: bytes, count: store.count), e.range)
                var k = Int(truncatingIfNeeded: h) & mask
                while slots[k] >= 0 { k = (k + 1) & mask }
                hashes[k] = h
                slots[k] = Int32(i)
            }
        }

        /// The entry spelled `spelling` (whose `hashBytes` is `h`), or nil.
        func find(_ h: UInt64, _ spelling: UnsafeBufferPointer<UInt8>) -> Int? {
            var k = Int(truncatingIfNeeded: h) & mask
            while slots[k] >= 0 {
                let i = Int(slots[k])
                if hashes[k] == h && bytesEqual(UnsafeBufferPointer(start: bytes + ranges[i].lowerBound, count: ranges[i].count), spelling)
                {
                    return i
                }
                k = (k + 1) & mask
            }
            return nil
        }

        /// Whether the entry is a base unit without a prefix.
        func isOwnBase(_ i: Int) -> Bool { ownBase[i] }

        /// The entry's spelling and its unit's base, as strings (for a message).
        func entry(_ i: Int) -> (unit: String, base: String) {
            let u = units[Int(unitOf[i])]
            return (prefixOf[i] < 0 ? u.unit : prefixes[Int(prefixOf[i])] + u.unit, u.base)
        }
    }

    /// promlint's unit check: the first token that is a unit (maybe prefixed); its base when that differs.
    static func nonBaseUnit(in name: String) -> (unit: String, base: String)? {
        let index = unitsByHash
        return withUTF8Bytes(name) { n in
            var start = 0
            while start < n.count {
                var end = start
                while end < n.count && n[end] != UInt8(ascii: "_") { end += 1 }
                // Every unit spelling ends in s, n, e or t (seconds, kelvin, rankine, fahrenheit): most tokens
                // are ruled out before the table is asked.
                let last = end > start ? n[end - 1] : 0
                if end - start >= 4,
                    last == UInt8(ascii: "s") || last == UInt8(ascii: "n") || last == UInt8(ascii: "e") || last == UInt8(ascii: "t"),
                    let i = index.find(hashBytes(n, ByteRange(start, end)), UnsafeBufferPointer(rebasing: n[start..<end]))
                {
                    return index.isOwnBase(i) ? nil : index.entry(i)
                }
                start = end + 1
            }
            return nil
        }
    }

    /// A lower-case ASCII letter directly followed by an upper-case one.
    static func isCamelCase(_ s: String) -> Bool {
        withUTF8Bytes(s) { bytes in
            var previousLower = false
            for b in bytes {
                let upper = b >= 65 && b <= 90
                if previousLower && upper { return true }
                previousLower = b >= 97 && b <= 122
            }
            return false
        }
    }

    /// Whether the name's bytes end with `suffix` (ASCII), compared as bytes: per family, without the
    /// grapheme-aware `String.hasSuffix`.
    static func hasSuffix(_ s: String, _ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        return withUTF8Bytes(s) { bytes in
            guard bytes.count >= n else { return false }
            let start = bytes.count - n
            for k in 0..<n where bytes[start + k] != suffix.utf8Start[k] { return false }
            return true
        }
    }

    /// Whether the name's bytes include `byte` (on the contiguous UTF-8, not through the generic view).
    static func contains(_ s: String, _ byte: UInt8) -> Bool {
        withUTF8Bytes(s) { bytes in bytes.contains(byte) }
    }

    /// Whether `name` (ASCII-lower-cased) contains `_word_` or ends in `_word`; `word` is lower case. On bytes.
    static func hasToken(_ name: String, _ word: String) -> Bool {
        withUTF8Bytes(name) { n in withUTF8Bytes(word) { w in hasToken(n, w) } }
    }

    static func hasToken(_ n: UnsafeBufferPointer<UInt8>, _ w: UnsafeBufferPointer<UInt8>) -> Bool {
        guard n.count > w.count else { return false }
        var i = 0
        while i + w.count < n.count {
            if n[i] == UInt8(ascii: "_") && tokenEquals(n, i + 1, w) {
                let after = i + 1 + w.count
                if after == n.count || n[after] == UInt8(ascii: "_") { return true }
            }
            i += 1
        }
        return false
    }

    /// The abbreviations (indices into `abbreviations`) that are tokens of `name`, each once, in list order.
    static func abbreviationTokens(in name: String) -> [Int] {
        var found: UInt32 = 0
        withUTF8Bytes(name) { n in
            // Every token after an underscore, of up to three bytes (the longest abbreviation).
            var i = 0
            while i < n.count {
                guard n[i] == UInt8(ascii: "_") else {
                    i += 1
                    continue
                }
                var end = i + 1
                while end < n.count && n[end] != UInt8(ascii: "_") { end += 1 }
                let length = end - i - 1
                if length >= 1 && length <= 3 {
                    for (k, a) in abbreviationBytes.enumerated() where a.count == length {
                        if a.withUnsafeBufferPointer({ tokenEquals(n, i + 1, $0) }) { found |= 1 << UInt32(k) }
                    }
                }
                i = end
            }
        }
        return abbreviations.indices.filter { found & (1 << UInt32($0)) != 0 }
    }

    private static let abbreviationBytes = abbreviations.map { Array($0.utf8) }

    /// Whether the bytes at `start`, ASCII-lower-cased, begin with `w`.
    @inline(__always)
    private static func tokenEquals(_ n: UnsafeBufferPointer<UInt8>, _ start: Int, _ w: UnsafeBufferPointer<UInt8>) -> Bool {
        guard start + w.count <= n.count else { return false }
        for k in 0..<w.count {
            let b = n[start + k]
            if b | (b >= 65 && b <= 90 ? 0x20 : 0) != w[k] { return false }
        }
        return true
    }
}

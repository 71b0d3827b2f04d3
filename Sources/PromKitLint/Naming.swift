import PromKit

/// Facts about names shared by several rules: units, prefixes, abbreviations, camelCase.
enum Naming {
    static let baseUnits: Set<String> = ["amperes", "bytes", "celsius", "grams", "joules", "kelvin", "meters", "metres", "seconds", "volts"]
    static let nonBaseUnits: [String: String] = [
        "minutes": "seconds", "hours": "seconds", "days": "seconds", "weeks": "seconds", "kelvins": "kelvin",
        "fahrenheit": "celsius", "rankine": "celsius", "inches": "meters", "yards": "meters", "miles": "meters",
        "bits": "bytes", "calories": "joules", "pounds": "grams", "ounces": "grams",
    ]
    static let prefixes = ["pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi", "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi"]
    static let abbreviations = ["s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"]

    /// Every unit spelling with its base: base and non-base units, with and without a prefix.
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

    /// promlint's unit check: the first token that is a unit (maybe prefixed); its base when that differs.
    static func nonBaseUnit(in name: String) -> (unit: String, base: String)? {
        for token in name.utf8.split(separator: UInt8(ascii: "_")) where token.count >= 4 {
            let t = String(decoding: token, as: UTF8.self)
            guard let base = unitTable[t] else { continue }
            return t == base ? nil : (t, base)
        }
        return nil
    }

    /// A lower-case ASCII letter directly followed by an upper-case one.
    static func isCamelCase(_ s: String) -> Bool {
        var previousLower = false
        for b in s.utf8 {
            let upper = b >= 65 && b <= 90
            if previousLower && upper { return true }
            previousLower = b >= 97 && b <= 122
        }
        return false
    }

    /// Whether `name` (ASCII-lower-cased) contains `_word_` or ends in `_word`; `word` is lower case. On bytes.
    static func hasToken(_ name: String, _ word: String) -> Bool {
        hasToken(Array(name.utf8), word)
    }

    static func hasToken(_ n: [UInt8], _ word: String) -> Bool {
        let w = Array(word.utf8)
        guard n.count > w.count else { return false }
        var i = 0
        while i + w.count < n.count {
            if n[i] == UInt8(ascii: "_") {
                var same = true
                for k in 0..<w.count where n[i + 1 + k] | (n[i + 1 + k] >= 65 && n[i + 1 + k] <= 90 ? 0x20 : 0) != w[k] {
                    same = false
                    break
                }
                if same {
                    let after = i + 1 + w.count
                    if after == n.count || n[after] == UInt8(ascii: "_") { return true }
                }
            }
            i += 1
        }
        return false
    }
}

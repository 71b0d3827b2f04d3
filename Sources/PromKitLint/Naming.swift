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

    /// promlint's unit check: the first token that is a unit (maybe prefixed); its base when that differs.
    static func nonBaseUnit(in name: String) -> (unit: String, base: String)? {
        for token in name.split(separator: "_").map(String.init) {
            if baseUnits.contains(token) { return nil }
            if let base = nonBaseUnits[token] { return (token, base) }
            for prefix in prefixes where token.hasPrefix(prefix) {
                let stem = String(token.dropFirst(prefix.count))
                if baseUnits.contains(stem) { return (token, stem) }
                if let base = nonBaseUnits[stem] { return (token, base) }
            }
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

    /// Whether `name` (lower-cased) contains `_word_` or ends in `_word`.
    static func hasToken(_ name: String, _ word: String) -> Bool {
        let lower = name.lowercased()
        return lower.contains("_\(word)_") || lower.hasSuffix("_\(word)")
    }

    /// The distinct label names of a family's samples (le/quantile of buckets and quantiles included).
    static func labelNames(_ f: MetricFamily) -> [(name: String, offset: Int, series: Int)] {
        var seen: [String: Int] = [:]
        var out: [(name: String, offset: Int, series: Int)] = []
        for s in f.samples {
            for l in f.labels(of: s) {
                let n = f.name(of: l)
                if let i = seen[n] { out[i].series += 1 } else {
                    seen[n] = out.count
                    out.append((n, Int(l.name.start), 1))
                }
            }
        }
        return out
    }
}

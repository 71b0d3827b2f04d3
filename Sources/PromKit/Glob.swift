/// Shell-style globs for metric names: `*`, `?` and `[…]` (with `!` or `^` to negate, and ranges). Shared by
/// lint's and diff's `--ignore-metric`; matched once per family, never per sample.
public struct Glob: Sendable, Hashable {
    /// The glob as given.
    public let pattern: String
    private let p: [Character]

    /// A glob from its pattern (check it first with `problem(in:)`).
    public init(_ pattern: String) {
        self.pattern = pattern
        self.p = Array(pattern)
    }

    /// What is wrong with `pattern` as a glob, or nil: a `[` must open a set that a `]` closes (as `matches`
    /// reads it: a `]` right after the `[` is one of the set's characters).
    public static func problem(in pattern: String) -> String? {
        let p = Array(pattern)
        var i = 0
        while i < p.count {
            if p[i] == "[" {
                guard let close = p[min(i + 2, p.count)...].firstIndex(of: "]") else {
                    return "the '[' at position \(i + 1) opens a set no ']' closes (a set of one character '[' is written '[[]')"
                }
                i = close
            }
            i += 1
        }
        return nil
    }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String) -> Bool {
        Self.match(p[...], Array(name)[...])
    }

    private static func match(_ p: ArraySlice<Character>, _ s: ArraySlice<Character>) -> Bool {
        var p = p, s = s
        while let c = p.first {
            switch c {
            case "*":
                let rest = p.dropFirst()
                if rest.isEmpty { return true }
                var tail = s
                while true {
                    if match(rest, tail) { return true }
                    if tail.isEmpty { return false }
                    tail = tail.dropFirst()
                }
            case "?":
                guard !s.isEmpty else { return false }
                p = p.dropFirst()
                s = s.dropFirst()
            case "[":
                guard let ch = s.first, let close = p.dropFirst(2).firstIndex(of: "]") else {
                    if s.first == "[" { p = p.dropFirst(); s = s.dropFirst(); continue }
                    return false
                }
                var set = p[(p.startIndex + 1)..<close]
                var negate = false
                if let f = set.first, f == "!" || f == "^" {
                    negate = true
                    set = set.dropFirst()
                }
                var found = false
                let items = Array(set)
                var i = 0
                while i < items.count {
                    if i + 2 < items.count && items[i + 1] == "-" {
                        if items[i] <= ch && ch <= items[i + 2] { found = true }
                        i += 3
                    } else {
                        if items[i] == ch { found = true }
                        i += 1
                    }
                }
                if found == negate { return false }
                p = p[(close + 1)...]
                s = s.dropFirst()
            default:
                guard s.first == c else { return false }
                p = p.dropFirst()
                s = s.dropFirst()
            }
        }
        return s.isEmpty
    }
}

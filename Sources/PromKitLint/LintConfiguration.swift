import PromKit
import Yams

/// What to lint and how strictly: from `.promkit.yml` (found upward from the working directory, or
/// `--config FILE`), then the command line on top.
public struct LintConfiguration: Sendable {
    public var disabled: Set<String> = []
    public var severities: [String: Severity] = [:]
    public var ignoreMetrics: [Glob] = []
    /// Findings at or above this fail the run; nil: never.
    public var failOn: Severity? = .error
    public var maxSeriesPerFamily = 10_000
    public var maxSeriesTotal = 100_000

    public init() {}

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static let keys = ["enable", "disable", "severity", "ignore_metrics", "fail_on", "max_series_per_family", "max_series_total"]

    public func isEnabled(_ id: String) -> Bool { !disabled.contains(id) }

    public func severity(of rule: RuleDescription) -> Severity { severities[rule.id] ?? rule.severity }

    public func ignores(_ family: String) -> Bool { ignoreMetrics.contains { $0.matches(family) } }

    // MARK: Changes, from a file or flags

    public mutating func enable(_ id: String) throws {
        try Self.checkRule(id)
        disabled.remove(id)
    }

    public mutating func disable(_ id: String) throws {
        try Self.checkRule(id)
        disabled.insert(id)
    }

    /// `ID=LEVEL`.
    public mutating func setSeverity(_ assignment: String) throws {
        guard let eq = assignment.firstIndex(of: "=") else {
            throw Failure(description: "--severity takes ID=LEVEL (e.g. help_missing=error), not '\(assignment)'")
        }
        try setSeverity(String(assignment[..<eq]), String(assignment[assignment.index(after: eq)...]))
    }

    public mutating func setSeverity(_ id: String, _ level: String) throws {
        try Self.checkRule(id)
        guard let s = Severity(rawValue: level) else {
            throw Failure(description: "unknown severity '\(level)' for \(id); use error, warning or info")
        }
        severities[id] = s
    }

    public mutating func setFailOn(_ level: String) throws {
        if level == "never" {
            failOn = nil
            return
        }
        guard let s = Severity(rawValue: level) else {
            throw Failure(description: "unknown fail-on level '\(level)'; use error, warning, info or never")
        }
        failOn = s
    }

    static func checkRule(_ id: String) throws {
        guard RuleRegistry.ids.contains(id) else {
            let close = RuleRegistry.ids.filter { $0.contains(id) || id.contains($0) || editDistance($0, id) <= 3 }
            let hint = close.isEmpty ? "see promkit lint --list-rules" : "did you mean \(close.joined(separator: ", "))?"
            throw Failure(description: "unknown rule '\(id)'; \(hint)")
        }
    }

    // MARK: The file

    /// Reads a `.promkit.yml`; an unknown key or a wrong value is an error naming the key and the file.
    public mutating func load(yaml text: String, path: String) throws {
        let node: Any?
        do {
            node = try Yams.load(yaml: text)
        } catch {
            throw Failure(description: "\(path): not valid YAML: \(error)")
        }
        guard let node else { return }
        guard let map = node as? [String: Any] else { throw Failure(description: "\(path): expected a mapping of settings at the top level") }
        for key in map.keys.sorted() where !Self.keys.contains(key) {
            throw Failure(description: "\(path): unknown key '\(key)'; the keys are \(Self.keys.joined(separator: ", "))")
        }
        func strings(_ key: String) throws -> [String] {
            guard let value = map[key] else { return [] }
            if let s = value as? String { return [s] }
            guard let list = value as? [Any], list.allSatisfy({ $0 is String }) else {
                throw Failure(description: "\(path): '\(key)' takes a list of strings")
            }
            return list as! [String]
        }
        func checked(_ body: () throws -> Void) throws {
            do { try body() } catch let f as Failure { throw Failure(description: "\(path): \(f.description)") }
        }
        for id in try strings("disable") { try checked { try disable(id) } }
        for id in try strings("enable") { try checked { try enable(id) } }
        if let severity = map["severity"] {
            guard let pairs = severity as? [String: Any] else { throw Failure(description: "\(path): 'severity' takes a mapping of rule id to level") }
            for (id, level) in pairs.sorted(by: { $0.key < $1.key }) {
                try checked { try setSeverity(id, "\(level)") }
            }
        }
        for glob in try strings("ignore_metrics") { ignoreMetrics.append(Glob(glob)) }
        if let failOn = map["fail_on"] { try checked { try setFailOn("\(failOn)") } }
        for key in ["max_series_per_family", "max_series_total"] {
            guard let value = map[key] else { continue }
            guard let n = value as? Int, n >= 0 else { throw Failure(description: "\(path): '\(key)' takes a whole number (0: no limit)") }
            if key == "max_series_per_family" { maxSeriesPerFamily = n } else { maxSeriesTotal = n }
        }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where i <= a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where j <= b.count {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}

/// Shell-style globs for metric names: `*`, `?` and `[…]` (with `!` or `^` to negate, and ranges).
public struct Glob: Sendable, Hashable {
    public let pattern: String
    private let p: [Character]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.p = Array(pattern)
    }

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

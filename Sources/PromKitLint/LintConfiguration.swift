import PromKit

/// What to lint and how strictly: from `.promkit.yml` (found upward from the working directory, or
/// `--config FILE`), then the command line on top.
public struct LintConfiguration: Sendable {
    /// Rules turned off (by id).
    public var disabled: Set<String> = []
    /// Severities set per rule, over the rules' defaults.
    public var severities: [String: Severity] = [:]
    /// Families whose lint findings are skipped (`parse` findings are never skipped).
    public var ignoreMetrics: [Glob] = []
    /// Findings at or above this fail the run; nil: never.
    public var failOn: Severity? = .error
    /// The series one family may have before `series_budget` reports it.
    public var maxSeriesPerFamily = 10_000
    /// The series one input may have before `series_budget` reports it.
    public var maxSeriesTotal = 100_000

    /// Every rule on its default severity, nothing ignored.
    public init() {}

    /// A configuration that cannot be used: the message says what and where.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The keys a `.promkit.yml` may hold.
    public static let keys = ["enable", "disable", "severity", "ignore_metrics", "fail_on", "max_series_per_family", "max_series_total"]

    /// Whether the rule `id` runs.
    public func isEnabled(_ id: String) -> Bool { !disabled.contains(id) }

    /// The severity `rule`'s findings get.
    public func severity(of rule: RuleDescription) -> Severity { severities[rule.id] ?? rule.severity }

    /// Whether `family`'s lint findings are skipped.
    public func ignores(_ family: String) -> Bool { ignoreMetrics.contains { $0.matches(family) } }

    // MARK: Changes, from a file or flags

    /// Turns the rule `id` on; throws for an unknown rule.
    public mutating func enable(_ id: String) throws {
        try Self.checkRule(id)
        disabled.remove(id)
    }

    /// Turns the rule `id` off; throws for an unknown rule.
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

    /// Sets the severity of rule `id` (`error`, `warning`, `info`); throws for an unknown rule or level.
    public mutating func setSeverity(_ id: String, _ level: String) throws {
        try Self.checkRule(id)
        guard let s = Severity(rawValue: level) else {
            throw Failure(description: "unknown severity '\(level)' for \(id); use error, warning or info")
        }
        severities[id] = s
    }

    /// Sets the least severity that fails a run (`error`, `warning`, `info`, `never`); throws for another.
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

    /// Skips lint rules for families whose name matches `pattern`; a malformed glob is an error.
    public mutating func ignoreMetric(_ pattern: String) throws {
        if let problem = Glob.problem(in: pattern) {
            throw Failure(description: "invalid glob '\(pattern)' for ignore-metric: \(problem)")
        }
        ignoreMetrics.append(Glob(pattern))
    }

    static func checkRule(_ id: String) throws {
        guard RuleRegistry.ids.contains(id) else {
            let close = RuleRegistry.ids.filter { $0.contains(id) || id.contains($0) || editDistance($0, id) <= 3 }
            let hint = close.isEmpty ? "see promkit lint --list-rules" : "did you mean \(close.joined(separator: ", "))?"
            throw Failure(description: "unknown rule '\(id)'; \(hint)")
        }
    }

    // MARK: The file

    /// Reads a `.promkit.yml`; an unknown key or a wrong value is an error naming the file, the line and the key.
    public mutating func load(yaml text: String, path: String) throws {
        let document: ConfigYAML
        do {
            document = try ConfigYAML.parse(text)
        } catch {
            throw Failure(description: "\(path):\(error.line): not YAML this file can hold: \(error.message)")
        }
        if case .null = document { return }
        guard case .map(let entries, _) = document else {
            throw Failure(description: "\(path):\(document.line): expected a mapping of settings (key: value) at the top level")
        }
        for entry in entries where !Self.keys.contains(entry.key) {
            throw Failure(
                description: "\(path):\(entry.line): unknown key '\(entry.key)'; the keys are \(Self.keys.joined(separator: ", "))")
        }
        func value(_ key: String) -> ConfigYAML? {
            entries.first { $0.key == key }?.value
        }
        func fail(_ node: ConfigYAML, _ message: String) -> Failure {
            Failure(description: "\(path):\(node.line): \(message)")
        }
        /// A string, or a list of strings (one string is a list of one).
        func strings(_ key: String) throws -> [(String, ConfigYAML)] {
            guard let node = value(key) else { return [] }
            switch node {
            case .null: return []
            case .scalar(let s, _): return [(s, node)]
            case .list(let items, _):
                return try items.map { item in
                    guard case .scalar(let s, _) = item else { throw fail(item, "'\(key)' takes a list of strings") }
                    return (s, item)
                }
            case .map: throw fail(node, "'\(key)' takes a list of strings")
            }
        }
        func checked(_ node: ConfigYAML, _ body: () throws -> Void) throws {
            do { try body() } catch let f as Failure { throw fail(node, f.description) }
        }
        for (id, node) in try strings("disable") { try checked(node) { try disable(id) } }
        for (id, node) in try strings("enable") { try checked(node) { try enable(id) } }
        if let severity = value("severity") {
            switch severity {
            case .null: break
            case .map(let pairs, _):
                for pair in pairs {
                    guard case .scalar(let level, _) = pair.value else {
                        throw fail(pair.value, "severity of '\(pair.key)' takes error, warning or info")
                    }
                    try checked(pair.value) { try setSeverity(pair.key, level) }
                }
            default:
                throw fail(severity, "'severity' takes a mapping of rule id to level (e.g. help_missing: error)")
            }
        }
        for (glob, node) in try strings("ignore_metrics") { try checked(node) { try ignoreMetric(glob) } }
        if let node = value("fail_on") {
            guard case .scalar(let level, _) = node else { throw fail(node, "'fail_on' takes error, warning, info or never") }
            try checked(node) { try setFailOn(level) }
        }
        for key in ["max_series_per_family", "max_series_total"] {
            guard let node = value(key) else { continue }
            guard case .scalar(let s, _) = node, let n = Int(s.replacing("_", with: "")), n >= 0 else {
                throw fail(node, "'\(key)' takes a whole number (0: no limit)")
            }
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

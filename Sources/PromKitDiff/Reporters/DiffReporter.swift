import PromKit
import PromKitReport

/// Turns a diff into bytes. Pure: everything depends on the result and the context.
public protocol DiffReporter: SendableMetatype {
    /// The name `--reporter` takes.
    static var name: String { get }
    /// One line for `--help`.
    static var summary: String { get }
    /// A reporter (reporters have no settings: the context carries what varies).
    init()
    /// The report's bytes for `result`; throws when it cannot be rendered.
    func render(_ result: DiffResult, context: ReportContext) throws -> [UInt8]
}

/// The diff reporters, in the order `--help` lists them.
public enum DiffReporterRegistry {
    /// Every diff reporter.
    public static let all: [any DiffReporter.Type] = [
        DiffTextReporter.self, DiffJSONReporter.self, DiffMarkdownReporter.self, DiffJUnitReporter.self,
    ]

    /// Their names, for `--reporter`'s help and errors.
    public static var names: [String] { all.map { $0.name } }

    /// The reporter called `name`, if there is one.
    public static func lookup(_ name: String) -> (any DiffReporter.Type)? {
        all.first { $0.name == name }
    }
}

/// Words shared by the reporters.
enum DiffWords {
    static func count(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(n) \(n == 1 ? one : (many ?? one + "s"))"
    }

    /// `old → new (+delta)`, with the reset flag and the rate.
    static func values(_ c: SeriesChange) -> String {
        switch c.kind {
        case .added: return DiffNumber.format(c.new ?? .nan)
        case .removed: return DiffNumber.format(c.old ?? .nan)
        case .changed:
            var s = "\(DiffNumber.format(c.old ?? .nan)) → \(DiffNumber.format(c.new ?? .nan))"
            if let d = c.delta, d.isFinite { s += " (\(d >= 0 ? "+" : "")\(DiffNumber.formatDelta(d)))" }
            if c.counterReset { s += " counter reset" }
            if let rate = c.rate { s += ", \(DiffNumber.formatDelta(rate))/s" }
            return s
        }
    }

    static func mark(_ kind: SeriesChange.Kind) -> String {
        switch kind {
        case .added: "+"
        case .removed: "-"
        case .changed: "~"
        }
    }

    static func mark(_ status: FamilyDiff.Status) -> String {
        switch status {
        case .added: "+"
        case .removed: "-"
        case .changed, .unchanged: "~"
        }
    }

    static func type(_ f: FamilyDiff) -> String {
        switch (f.oldType, f.newType) {
        case let (o?, n?) where o != n: "\(o.rawValue) → \(n.rawValue)"
        case let (_, n?): n.rawValue
        case let (o?, nil): o.rawValue
        default: ""
        }
    }

    /// `1 family added, 2 removed, 3 changed; series: …; 1 breaking, 0 risky`.
    static func summaryLine(_ r: DiffResult) -> String {
        let s = r.summary
        let families = "families: \(s.familiesAdded) added, \(s.familiesRemoved) removed, \(s.familiesChanged) changed"
        let series =
            "series: \(s.seriesAdded) added, \(s.seriesRemoved) removed, \(s.seriesChanged) changed, \(s.seriesUnchanged) unchanged"
        return "\(families); \(series); \(count(s.breaking, "breaking change")), \(count(s.risky, "risky change"))"
    }
}

import PromKit
import PromKitReport

/// For machines: a versioned document (schema in docs/diff-json.md). Keys in a fixed order; numbers that
/// JSON cannot write (NaN, ±Inf) as the strings `"NaN"`, `"+Inf"`, `"-Inf"`.
public struct DiffJSONReporter: DiffReporter {
    public static let name = "json"
    /// The one line `--help` shows for it.
    public static let summary = "JSON with a versioned schema (docs/diff-json.md)"
    /// The `schemaVersion` the report carries (docs/diff-json.md).
    public static let schemaVersion = 1
    /// The reporter (it has no settings).
    public init() {}

    /// The diff as JSON (docs/diff-json.md).
    public func render(_ r: DiffResult, context: ReportContext) throws -> [UInt8] {
        let s = r.summary
        var o = "{\n"
        o += "  \"version\": \(Self.schemaVersion),\n"
        o += "  \"tool\": {\"name\": \"promkit\", \"version\": \(Escaping.json(PromKitVersion.current))},\n"
        o += "  \"old\": \(input(r.old)),\n"
        o += "  \"new\": \(input(r.new)),\n"
        o += "  \"summary\": {\"familiesAdded\": \(s.familiesAdded), \"familiesRemoved\": \(s.familiesRemoved), "
        o += "\"familiesChanged\": \(s.familiesChanged), \"seriesAdded\": \(s.seriesAdded), \"seriesRemoved\": \(s.seriesRemoved), "
        o +=
            "\"seriesChanged\": \(s.seriesChanged), \"seriesUnchanged\": \(s.seriesUnchanged), \"breaking\": \(s.breaking), \"risky\": \(s.risky)},\n"
        o += "  \"families\": ["
        var first = true
        for f in r.families where f.hasChanges {
            o += first ? "\n" : ",\n"
            first = false
            o += "    {\"name\": \(Escaping.json(f.name)), \"status\": \"\(f.status.rawValue)\", "
            o += "\"oldType\": \(string(f.oldType?.rawValue)), \"newType\": \(string(f.newType?.rawValue)), "
            o += "\"oldSeries\": \(f.oldSeries), \"newSeries\": \(f.newSeries), \"seriesAdded\": \(f.seriesAdded), "
            o +=
                "\"seriesRemoved\": \(f.seriesRemoved), \"seriesChanged\": \(f.seriesChanged), \"seriesUnchanged\": \(f.seriesUnchanged),\n"
            o += "     \"changes\": ["
            for (k, c) in f.changes.enumerated() {
                o += (k == 0 ? "\n" : ",\n")
                o += "       {\"kind\": \"\(c.kind.rawValue)\", \"class\": \"\(c.changeClass.rawValue)\", \"old\": \(string(c.old)), "
                o += "\"new\": \(string(c.new)), \"message\": \(Escaping.json(c.message))}"
            }
            o += f.changes.isEmpty ? "],\n" : "\n     ],\n"
            o += "     \"series\": ["
            for (k, c) in f.series.enumerated() {
                o += (k == 0 ? "\n" : ",\n")
                o += "       {\"kind\": \"\(c.kind.rawValue)\", \"series\": \(Escaping.json(c.series)), \"old\": \(number(c.old)), "
                o +=
                    "\"new\": \(number(c.new)), \"delta\": \(number(c.delta)), \"counterReset\": \(c.counterReset), \"rate\": \(number(c.rate))}"
            }
            o += f.series.isEmpty ? "],\n" : "\n     ],\n"
            let notListed = f.seriesAdded + f.seriesRemoved + f.seriesChanged - f.series.count
            o += "     \"seriesNotListed\": \(f.status == .changed ? notListed : 0)}"
        }
        o += first ? "]\n}\n" : "\n  ]\n}\n"
        return Array(o.utf8)
    }

    private func input(_ i: DiffInput) -> String {
        "{\"path\": \(Escaping.json(i.path)), \"format\": \"\(i.format.rawValue)\", \"families\": \(i.families), \"series\": \(i.series)}"
    }

    private func string(_ s: String?) -> String { s.map(Escaping.json) ?? "null" }

    private func number(_ v: Double?) -> String {
        guard let v else { return "null" }
        if v.isNaN { return "\"NaN\"" }
        if v.isInfinite { return v > 0 ? "\"+Inf\"" : "\"-Inf\"" }
        return "\(v)"
    }
}

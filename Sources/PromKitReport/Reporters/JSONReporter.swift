import PromKit

/// A stable JSON document (schema in docs/report-json.md): version, tool, command, summary, and every
/// finding of every input with all its fields. Keys are written in a fixed order.
public struct JSONReporter: Reporter {
    public static let name = "json"
    public static let summary = "JSON with a versioned schema (docs/report-json.md)"
    public static let schemaVersion = 2
    public init() {}

    public func render(_ report: Report, context: ReportContext) throws -> [UInt8] {
        var o = "{\n"
        o += "  \"version\": \(Self.schemaVersion),\n"
        o += "  \"tool\": {\"name\": \(Escaping.json(report.tool)), \"version\": \(Escaping.json(report.version))},\n"
        o += "  \"command\": \(Escaping.json(report.command)),\n"
        o +=
            "  \"summary\": {\"inputs\": \(report.inputs.count), \"errors\": \(report.count(.error)), \"warnings\": \(report.count(.warning)), \"infos\": \(report.count(.info)), \"omitted\": \(report.omittedCount)},\n"
        o += "  \"inputs\": ["
        for (i, input) in report.inputs.enumerated() {
            o += i == 0 ? "\n" : ",\n"
            o += "    {\n      \"path\": \(Escaping.json(input.path)),\n"
            // A fleet's target (--from-prometheus): its scrape URL, job and instance as fields of their own.
            if let t = input.target {
                o +=
                    "      \"target\": {\"url\": \(Escaping.json(t.url)), \"job\": \(Escaping.json(t.job)), \"instance\": \(Escaping.json(t.instance))},\n"
            } else {
                o += "      \"target\": null,\n"
            }
            o += "      \"findings\": ["
            for (k, f) in input.findings.enumerated() {
                o += k == 0 ? "\n" : ",\n"
                o += "        {\"rule\": \(Escaping.json(f.rule)), \"severity\": \(Escaping.json(f.severity.rawValue)), "
                o += "\"message\": \(Escaping.json(f.message)), \"line\": \(f.line), \"column\": \(f.column), \"offset\": \(f.offset), "
                o += "\"family\": \(f.family.map(Escaping.json) ?? "null"), \"label\": \(f.label.map(Escaping.json) ?? "null")}"
            }
            o += input.findings.isEmpty ? "]" : "\n      ]"
            // What --max-diagnostics left out of `findings`, by rule and severity (counted in the summary).
            o += ",\n      \"omitted\": ["
            for (k, m) in input.omitted.enumerated() {
                o +=
                    (k == 0 ? "" : ", ")
                    + "{\"rule\": \(Escaping.json(m.code.rawValue)), \"severity\": \(Escaping.json(m.severity.rawValue)), \"count\": \(m.count)}"
            }
            o += "]\n    }"
        }
        o += report.inputs.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return Array(o.utf8)
    }
}

import PromKit

/// SARIF 2.1.0 for GitHub code scanning: the tool's rules (id, summary, help, default level) and one result
/// per finding, with its location relative to the checkout (`%SRCROOT%`).
public struct SARIFReporter: Reporter {
    public static let name = "sarif"
    public static let summary = "SARIF 2.1.0 (GitHub code scanning)"
    public init() {}

    public func render(_ report: Report, context: ReportContext) throws -> [UInt8] {
        var ruleIDs = report.rules.map(\.id)
        var listed = Set(ruleIDs)
        for input in report.inputs {
            for f in input.findings where listed.insert(f.rule).inserted { ruleIDs.append(f.rule) }
        }
        let index = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })
        var o = "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
        o += "      \"tool\": {\n        \"driver\": {\n"
        o += "          \"name\": \(Escaping.json(report.tool)),\n          \"version\": \(Escaping.json(report.version)),\n"
        o += "          \"semanticVersion\": \(Escaping.json(report.version)),\n"
        o += "          \"rules\": ["
        for (i, id) in ruleIDs.enumerated() {
            let rule = report.rule(id) ?? RuleInfo(id: id, severity: .error, summary: id)
            o += i == 0 ? "\n" : ",\n"
            o += "            {\"id\": \(Escaping.json(id)), \"name\": \(Escaping.json(camel(id))), "
            o += "\"shortDescription\": {\"text\": \(Escaping.json(rule.summary))}, "
            o += "\"fullDescription\": {\"text\": \(Escaping.json(rule.rationale.isEmpty ? rule.summary : rule.rationale))}, "
            o += "\"help\": {\"text\": \(Escaping.json(rule.rationale.isEmpty ? rule.summary : rule.rationale))}, "
            o += "\"defaultConfiguration\": {\"level\": \"\(level(rule.severity))\"}}"
        }
        o += ruleIDs.isEmpty ? "]\n" : "\n          ]\n"
        o += "        }\n      },\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ["
        var first = true
        for input in report.inputs {
            for f in input.findings {
                o += first ? "\n" : ",\n"
                first = false
                o +=
                    "        {\"ruleId\": \(Escaping.json(f.rule)), \"ruleIndex\": \(index[f.rule]!), \"level\": \"\(level(f.severity))\", "
                o += "\"message\": {\"text\": \(Escaping.json(f.message))}, \"locations\": [{\"physicalLocation\": {"
                o += "\"artifactLocation\": {\"uri\": \(Escaping.json(uri(f.path))), \"uriBaseId\": \"%SRCROOT%\"}"
                if f.line > 0 {
                    o += ", \"region\": {\"startLine\": \(f.line), \"startColumn\": \(f.column)}"
                }
                o += "}}]}"
            }
        }
        o += first ? "]" : "\n      ]"
        // The true totals: results stop at --max-diagnostics; these count what was left out too.
        o += ",\n      \"properties\": {\"errors\": \(report.count(.error)), \"warnings\": \(report.count(.warning)), "
        o += "\"notes\": \(report.count(.info)), \"omittedResults\": \(report.omittedCount)}\n"
        o += "    }\n  ]\n}\n"
        return Array(o.utf8)
    }

    private func level(_ s: Severity) -> String {
        switch s {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// A relative URI: percent-encodes what a URI reference may not hold as is.
    private func uri(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            let c = Character(UnicodeScalar(b))
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "-._~/".contains(c) {
                out.append(c)
            } else {
                out += "%" + Escaping.hex2(b).uppercased()
            }
        }
        return out
    }

    private func camel(_ id: String) -> String {
        id.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

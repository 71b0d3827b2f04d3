import PromKit

/// Label values that look like identifiers: UUIDs, IP addresses, long hex or numeric ids, timestamps.
struct UnboundedLabelValues: LintRule {
    static let description = RuleDescription(
        id: "unbounded_label", severity: .warning, summary: "Label values are not ids, UUIDs, IPs or timestamps",
        rationale: "Every distinct label value is a new series; ids grow without bound and exhaust Prometheus' memory (cardinality).",
        good: ["# HELP r_total r\n# TYPE r_total counter\nr_total{method=\"GET\"} 1\n"],
        bad: ["# HELP r_total r\n# TYPE r_total counter\nr_total{request_id=\"3f2b8c1e-9d4a-4e7b-8c2f-1a2b3c4d5e6f\"} 1\n",
              "# HELP r_total r\n# TYPE r_total counter\nr_total{client=\"192.168.10.31\"} 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        var reported = Set<String>()
        for s in f.samples {
            for l in f.labels(of: s) {
                let name = f.name(of: l)
                if name == "instance" || name == "le" || name == "quantile" || reported.contains(name) { continue }
                if let kind = Self.kind(of: f.value(of: l)) {
                    reported.insert(name)
                    c.report(at: Int(l.value.start), "label \"\(name)\" of \"\(f.name)\" holds \(kind) (\"\(f.value(of: l))\"); such values grow without bound", family: f.name, label: name)
                }
            }
        }
    }

    static func kind(of v: String) -> String? {
        let u = Array(v.utf8)
        func isHex(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70) }
        if u.count == 36, [8, 13, 18, 23].allSatisfy({ u[$0] == 45 }), u.enumerated().allSatisfy({ [8, 13, 18, 23].contains($0.offset) || isHex($0.element) }) {
            return "a UUID"
        }
        let parts = v.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) && Int($0)! <= 255 }) {
            return "an IP address"
        }
        if v.contains(":") && v.split(separator: ":").count >= 3 && v.allSatisfy({ $0.isHexDigit || $0 == ":" }) && v.count >= 8 {
            return "an IPv6 address"
        }
        if u.count >= 16 && u.allSatisfy(isHex) && u.contains(where: { !($0 >= 48 && $0 <= 57) }) { return "a hexadecimal id" }
        if u.count >= 9 && u.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return u.count == 10 || u.count == 13 ? "a timestamp" : "a numeric id" }
        return nil
    }
}

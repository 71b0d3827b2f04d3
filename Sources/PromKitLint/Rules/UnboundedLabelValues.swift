import PromKit

/// Label values that look like identifiers: UUIDs, IP addresses, long hex or numeric ids, timestamps.
struct UnboundedLabelValues: LintRule {
    static let description = RuleDescription(
        id: "unbounded_label", severity: .warning, summary: "Label values are not ids, UUIDs, IPs or timestamps",
        rationale: "Every distinct label value is a new series; ids grow without bound and exhaust Prometheus' memory (cardinality).",
        good: ["# HELP r_total r\n# TYPE r_total counter\nr_total{method=\"GET\"} 1\n"],
        bad: ["# HELP r_total r\n# TYPE r_total counter\nr_total{request_id=\"3f2b8c1e-9d4a-4e7b-8c2f-1a2b3c4d5e6f\"} 1\n",
              "# HELP r_total r\n# TYPE r_total counter\nr_total{client=\"192.168.10.31\"} 1\n"])

    /// Values looked at per label name and family: ids show up at once, and a cap keeps this cheap.
    static let sampled = 64

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        let names = c.labelNames(of: f)
        guard !names.isEmpty else { return }
        var looked: [String: Int] = [:]
        var reported = Set<String>()
        for s in f.samples {
            for l in f.labels(of: s) {
                if f.labelName(l, is: "instance") || f.labelName(l, is: "le") || f.labelName(l, is: "quantile") { continue }
                let kind = f.withBytes(l.value) { Self.kind(of: $0) }
                guard let kind else {
                    if names.count > 0 && looked.count > 256 { return }
                    continue
                }
                let name = f.name(of: l)
                if reported.contains(name) { continue }
                looked[name, default: 0] += 1
                reported.insert(name)
                c.report(at: Int(l.value.start), "label \"\(name)\" of \"\(f.name)\" holds \(kind) (\"\(f.value(of: l))\"); such values grow without bound", family: f.name, label: name)
            }
            if reported.count == names.count { return }
        }
    }

    static func kind(of u: UnsafeBufferPointer<UInt8>) -> String? {
        let n = u.count
        guard n >= 7 else { return nil }
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70) }
        if n == 36 {
            var ok = true
            for i in 0..<36 {
                let dash = i == 8 || i == 13 || i == 18 || i == 23
                if dash ? u[i] != 45 : !isHex(u[i]) { ok = false; break }
            }
            if ok { return "a UUID" }
        }
        // IPv4: four dot-separated numbers up to 255.
        if n <= 15 {
            var parts = 0, digits = 0, value = 0, ok = true
            for b in u {
                if b == 46 {
                    if digits == 0 || value > 255 { ok = false; break }
                    parts += 1; digits = 0; value = 0
                } else if isDigit(b), digits < 3 {
                    digits += 1; value = value * 10 + Int(b - 48)
                } else { ok = false; break }
            }
            if ok && parts == 3 && digits > 0 && value <= 255 { return "an IP address" }
        }
        var allDigits = true, allHex = true, colons = 0
        for b in u {
            if !isDigit(b) { allDigits = false }
            if b == 58 { colons += 1 } else if !isHex(b) { allHex = false }
        }
        if allHex && colons >= 2 && n >= 8 { return "an IPv6 address" }
        if allDigits && n >= 9 { return n == 10 || n == 13 ? "a timestamp" : "a numeric id" }
        if allHex && colons == 0 && n >= 16 && !allDigits { return "a hexadecimal id" }
        return nil
    }
}

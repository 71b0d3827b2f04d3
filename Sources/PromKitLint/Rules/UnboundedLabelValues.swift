import PromKit

/// Label values that look like identifiers: UUIDs, IP addresses, long hex or numeric ids, timestamps.
struct UnboundedLabelValues: LintRule {
    static let description = RuleDescription(
        id: "unbounded_label", severity: .warning, summary: "Label values are not ids, UUIDs, IPs or timestamps",
        rationale: "Every distinct label value is a new series; ids grow without bound and exhaust Prometheus' memory (cardinality).",
        good: ["# HELP r_total r\n# TYPE r_total counter\nr_total{method=\"GET\"} 1\n",
               "# TYPE r counter\n# HELP r r\nr_total{method=\"GET\"} 1 # {trace_id=\"735435ea68949b8d00af5b3a2812859a\"} 1\n# EOF\n"],
        bad: ["# HELP r_total r\n# TYPE r_total counter\nr_total{request_id=\"3f2b8c1e-9d4a-4e7b-8c2f-1a2b3c4d5e6f\"} 1\n",
              "# HELP r_total r\n# TYPE r_total counter\nr_total{client=\"192.168.10.31\"} 1\n"])

    /// Values looked at per label name and family: ids show up at once, and a cap keeps this cheap.
    static let sampled = 64

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        let facts = c.labels(of: f)
        guard !facts.names.isEmpty else { return }
        // instance is host:port by design; le and quantile are bounds.
        let skipped = [facts.id(of: "instance"), facts.id(of: "le"), facts.id(of: "quantile")]
        let found = facts.withBuffers(f) { p, samples, labels, ids in
            Self.lookLikeIDs(p, samples, labels, ids, names: facts.names.count, skipped: skipped)
        }
        for x in found {
            let name = facts.names[x.id].name
            c.report(at: Int(x.label.value.start), "label \"\(name)\" of \"\(f.name)\" holds \(x.kind) (\"\(f.value(of: x.label))\"); such values grow without bound", family: f.name, label: name)
        }
    }
    /// Up to `sampled` values of each label name are looked at (none of `skipped`), in input order; done when
    /// every name has had its share. Each name's first value that looks like an id, with its kind.
    private static func lookLikeIDs(_ p: UnsafeBufferPointer<UInt8>, _ samples: UnsafeBufferPointer<Sample>,
                                    _ labels: UnsafeBufferPointer<Label>, _ ids: UnsafeBufferPointer<Int32>,
                                    names: Int, skipped: [Int32]) -> [(label: Label, id: Int, kind: String)] {
        var found: [(label: Label, id: Int, kind: String)] = []
        withUnsafeTemporaryAllocation(of: Int.self, capacity: names) { looked in
            looked.initialize(repeating: 0)
            var open = names
            for id in skipped where id >= 0 {
                looked[Int(id)] = Int.max
                open -= 1
            }
            var s = 0
            while s < samples.count && open > 0 {
                let lower = Int(samples[s].labels.lowerBound), shared = Int(samples[s].sharedLabels)
                for k in lower..<Int(samples[s].labels.upperBound) {
                    let id = Int(ids[k])
                    guard looked[id] < sampled else { continue }
                    looked[id] += 1
                    // A value the previous sample had (the reader knows) was looked at there.
                    if k - lower >= shared {
                        let value = labels[k].value
                        if let kind = kind(of: UnsafeBufferPointer(rebasing: p[value.lowerBound..<value.upperBound])) {
                            looked[id] = Int.max
                            found.append((labels[k], id, kind))
                        }
                    }
                    if looked[id] >= sampled { open -= 1 }
                }
                s += 1
            }
        }
        return found
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
            if b == 58 { colons += 1 } else if !isHex(b) {
                // Not hex (so not all digits either): none of the kinds below; free text ends here.
                allHex = false
                break
            }
        }
        if allHex && colons >= 2 && n >= 8 { return "an IPv6 address" }
        if allDigits && n >= 9 { return n == 10 || n == 13 ? "a timestamp" : "a numeric id" }
        if allHex && colons == 0 && n >= 16 && !allDigits { return "a hexadecimal id" }
        return nil
    }
}

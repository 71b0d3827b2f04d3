import PromKit

/// Label values that look like identifiers: UUIDs, IP addresses, long hex or numeric ids, timestamps.
struct UnboundedLabel: LintRule {
    static let description = RuleDescription(
        id: "unbounded_label", severity: .warning, summary: "Label values are not ids, UUIDs, IPs or timestamps",
        rationale: "Every distinct label value is a new series; ids grow without bound and exhaust Prometheus' memory (cardinality).",
        good: [
            "# HELP r_total r\n# TYPE r_total counter\nr_total{method=\"GET\"} 1\n",
            "# TYPE r counter\n# HELP r r\nr_total{method=\"GET\"} 1 # {trace_id=\"735435ea68949b8d00af5b3a2812859a\"} 1\n# EOF\n",
            "# HELP node_network_info n\n# TYPE node_network_info gauge\nnode_network_info{address=\"00:1a:2b:3c:4d:5e\",device=\"eth0\"} 1\n",
        ],
        bad: [
            "# HELP r_total r\n# TYPE r_total counter\nr_total{request_id=\"3f2b8c1e-9d4a-4e7b-8c2f-1a2b3c4d5e6f\"} 1\n",
            "# HELP r_total r\n# TYPE r_total counter\nr_total{client=\"192.168.10.31\"} 1\n",
            "# HELP r_total r\n# TYPE r_total counter\nr_total{peer=\"2001:db8::8a2e:370:7334\"} 1\n",
        ])

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
            c.report(
                at: Int(x.label.value.start),
                "label \"\(name)\" of \"\(f.name)\" holds \(x.kind) (\"\(f.value(of: x.label))\"); such values grow without bound",
                family: f.name, label: name)
        }
    }
    /// Up to `sampled` values of each label name are looked at (none of `skipped`), in input order; done when
    /// every name has had its share. Each name's first value that looks like an id, with its kind.
    private static func lookLikeIDs(
        _ p: UnsafeBufferPointer<UInt8>, _ samples: UnsafeBufferPointer<Sample>,
        _ labels: UnsafeBufferPointer<Label>, _ ids: UnsafeBufferPointer<Int32>,
        names: Int, skipped: [Int32]
    ) -> [(label: Label, id: Int, kind: String)] {
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

    /// What kind of id the value is, by its bytes; nil when it looks like none. A MAC address
    /// (`00:1a:2b:3c:4d:5e`) is recognised and not reported: node_exporter labels interfaces with theirs, one
    /// per device, a bounded set.
    static func kind(of u: UnsafeBufferPointer<UInt8>) -> String? {
        let n = u.count
        guard n >= 2 else { return nil }
        if n == 36 && isUUID(u) { return "a UUID" }
        if n <= 15 && isIPv4(u) { return "an IPv4 address" }
        if n == 17 && isMAC(u) { return nil }
        if isTimeOfDay(u) { return "a time of day" }
        if let mapped = ipv6(u) { return mapped ? "an IPv4-mapped IPv6 address" : "an IPv6 address" }
        guard n >= 7 else { return nil }
        var allDigits = true, allHex = true
        for b in u {
            if !isDigit(b) { allDigits = false }
            if !isHex(b) {
                // Not hex (so not all digits either): none of the kinds below; free text ends here.
                allHex = false
                break
            }
        }
        if allDigits && n >= 9 { return n == 10 || n == 13 ? "a timestamp" : "a numeric id" }
        if allHex && n >= 16 && !allDigits { return "a hexadecimal id" }
        return nil
    }

    static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 97 < 6 }

    /// 8-4-4-4-12 hex digits.
    static func isUUID(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<36 {
            let dash = i == 8 || i == 13 || i == 18 || i == 23
            if dash ? u[i] != UInt8(ascii: "-") : !isHex(u[i]) { return false }
        }
        return true
    }

    /// Four dot-separated decimal numbers, each up to 255.
    static func isIPv4(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var parts = 0, digits = 0, value = 0
        for b in u {
            if b == UInt8(ascii: ".") {
                if digits == 0 || parts == 3 { return false }
                parts += 1
                digits = 0
                value = 0
            } else if isDigit(b) && digits < 3 {
                digits += 1
                value = value * 10 + Int(b - 48)
                if value > 255 { return false }
            } else {
                return false
            }
        }
        return parts == 3 && digits > 0
    }

    /// Six pairs of hex digits, separated all by `:` or all by `-`.
    static func isMAC(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        let separator = u[2]
        guard separator == UInt8(ascii: ":") || separator == UInt8(ascii: "-") else { return false }
        for i in 0..<17 where i % 3 == 2 ? u[i] != separator : !isHex(u[i]) { return false }
        return true
    }

    /// `HH:MM` or `HH:MM:SS`, optionally with a fraction of a second: hours to 23, minutes and seconds to 59
    /// (60 for a leap second).
    static func isTimeOfDay(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = u.count
        guard n == 5 || n >= 8 else { return false }
        func twoDigits(_ i: Int, max: Int) -> Bool {
            isDigit(u[i]) && isDigit(u[i + 1]) && Int(u[i] - 48) * 10 + Int(u[i + 1] - 48) <= max
        }
        guard twoDigits(0, max: 23), u[2] == UInt8(ascii: ":"), twoDigits(3, max: 59) else { return false }
        if n == 5 { return true }
        guard u[5] == UInt8(ascii: ":"), twoDigits(6, max: 60) else { return false }
        if n == 8 { return true }
        guard n > 9, u[8] == UInt8(ascii: ".") else { return false }
        for i in 9..<n where !isDigit(u[i]) { return false }
        return true
    }

    /// An IPv6 address (RFC 4291 text form): up to eight groups of one to four hex digits separated by `:`,
    /// one `::` standing for the missing groups, optionally ending in a dotted IPv4 address (two groups);
    /// a `%zone` suffix is allowed. Nil when it is none; else whether it ends in an IPv4 address (IPv4-mapped
    /// or -compatible).
    static func ipv6(_ all: UnsafeBufferPointer<UInt8>) -> Bool? {
        // The address part is at most 45 bytes: look no further for the zone (free text ends at once).
        // A first group of at most four hex digits, then ':' (or '::' at once): most values end here.
        var first = 0
        while first < all.count && first < 5 && isHex(all[first]) { first += 1 }
        guard all.count >= 2, first < 5, first < all.count, all[first] == UInt8(ascii: ":") else { return nil }
        var n = all.count
        if let zone = all[0..<min(n, 46)].firstIndex(of: UInt8(ascii: "%")) {
            guard zone > 0 && zone < n - 1 else { return nil }
            n = zone
        }
        guard n >= 2 && n <= 45 else { return nil }
        let u = UnsafeBufferPointer(rebasing: all[0..<n])
        var groups = 0, i = 0
        var compressed = false
        if u[0] == UInt8(ascii: ":") {
            guard u[1] == UInt8(ascii: ":") else { return nil }
            compressed = true
            i = 2
            if i == n { return false }  // "::"
        }
        while i < n {
            // A group, or the IPv4 tail.
            var k = i
            while k < n && isHex(u[k]) { k += 1 }
            if k < n && u[k] == UInt8(ascii: ".") {
                guard isIPv4(UnsafeBufferPointer(rebasing: u[i..<n])) else { return nil }
                groups += 2
                return groups <= (compressed ? 7 : 8) && (compressed || groups == 8) ? true : nil
            }
            guard k > i && k - i <= 4 else { return nil }
            groups += 1
            i = k
            if i == n { break }
            guard u[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            if i < n && u[i] == UInt8(ascii: ":") {
                guard !compressed else { return nil }
                compressed = true
                i += 1
                if i == n { break }
            } else if i == n {
                return nil  // a single trailing ':'
            }
        }
        return (compressed ? groups <= 7 : groups == 8) ? false : nil
    }
}

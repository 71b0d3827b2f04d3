import PromKit

/// The same bucket bound spelled two ways (`1` and `1.0`) across series of a family.
struct LeSpelling: LintRule {
    static let description = RuleDescription(
        id: "le_spelling", severity: .warning, summary: "A bucket bound is spelled one way in a family (1 or 1.0, not both)",
        rationale:
            "le is a label: \"1\" and \"1.0\" are different series to Prometheus 2 and are rewritten by Prometheus 3, which splits or merges history.",
        good: [
            "# HELP h h\n# TYPE h histogram\nh_bucket{a=\"x\",le=\"1.0\"} 0\nh_bucket{a=\"x\",le=\"+Inf\"} 1\nh_bucket{a=\"y\",le=\"1.0\"} 0\nh_bucket{a=\"y\",le=\"+Inf\"} 1\n"
        ],
        bad: [
            "# HELP h h\n# TYPE h histogram\nh_bucket{a=\"x\",le=\"1\"} 0\nh_bucket{a=\"x\",le=\"+Inf\"} 1\nh_bucket{a=\"y\",le=\"1.0\"} 0\nh_bucket{a=\"y\",le=\"+Inf\"} 1\n"
        ])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.type == .histogram || f.type == .gaugehistogram || f.type == .summary else { return }
        let quantile = f.type == .summary
        let facts = c.labels(of: f)
        let id = facts.id(of: quantile ? "quantile" : "le")
        guard id >= 0 else { return }
        let clash = facts.withBuffers(f) { p, samples, labels, ids in Self.firstClash(p, samples, labels, ids, id) }
        if let (l, other) = clash {
            let name = quantile ? "quantile" : "le"
            c.report(
                at: Int(l.value.start),
                "\(name)=\"\(f.value(of: l))\" and \(name)=\"\(f.text(other))\" are the same bound spelled two ways in \"\(f.name)\"",
                family: f.name, label: name)
        }
    }

    /// The first bound spelled differently from an earlier one with the same value, and that earlier spelling.
    /// A family has a few spellings, met again and again in the same order: each is parsed once, and the next
    /// one in order is compared first (as bytes: bounds are short). The spellings met go in a temporary buffer
    /// with room for one per sample (on the stack for a family of the usual size; an array here was an
    /// allocation for every histogram family).
    private static func firstClash(
        _ p: UnsafeBufferPointer<UInt8>, _ samples: UnsafeBufferPointer<Sample>,
        _ labels: UnsafeBufferPointer<Label>, _ ids: UnsafeBufferPointer<Int32>,
        _ id: Int32
    ) -> (Label, ByteRange)? {
        withUnsafeTemporaryAllocation(of: (range: ByteRange, bits: UInt64).self, capacity: samples.count) { spellings in
            var count = 0, next = 0
            // Past `indexedFrom` spellings (a family with many distinct bounds), they are also found by hash:
            // the scans below would be quadratic in them.
            let indexedFrom = 32
            var bySpelling: [UInt64: Int] = [:], byValue: [UInt64: Int] = [:]
            func index(_ i: Int) {
                bySpelling[hashBytes(p, spellings[i].range)] = bySpelling[hashBytes(p, spellings[i].range)] ?? i
                if spellings[i].bits != UInt64.max { byValue[spellings[i].bits] = byValue[spellings[i].bits] ?? i }
            }
            func known(_ value: ByteRange) -> Int? {
                if count <= indexedFrom { return (0..<count).first(where: { bytesEqual(p, spellings[$0].range, value) }) }
                // A hash collision (not the same bytes) falls back to the scan.
                if let i = bySpelling[hashBytes(p, value)] {
                    return bytesEqual(p, spellings[i].range, value)
                        ? i : (0..<count).first(where: { bytesEqual(p, spellings[$0].range, value) })
                }
                return nil
            }
            func sameValue(_ bits: UInt64) -> Int? {
                if count <= indexedFrom { return (0..<count).first(where: { spellings[$0].bits == bits }) }
                return byValue[bits]
            }
            for s in samples.indices {
                // A sample has its label names once each (the reader drops lines that repeat one), and le is
                // usually the last: look from the end.
                let lower = Int(samples[s].labels.lowerBound)
                var k = Int(samples[s].labels.upperBound) - 1
                while k >= lower && ids[k] != id { k -= 1 }
                guard k >= lower else { continue }
                let value = labels[k].value
                if next < count && bytesEqual(p, spellings[next].range, value) {
                    next += 1
                    continue
                }
                if let known = known(value) {
                    next = known + 1
                    continue
                }
                // A new spelling: not a finite number (kept, so it is not parsed again), or a bound another
                // spelling already wrote.
                let v = NumberSyntax.parseDecimal(p, value.lowerBound, value.upperBound) ?? .nan
                if v.isFinite, let other = sameValue(v.bitPattern) {
                    return (labels[k], spellings[other].range)
                }
                spellings.baseAddress!.advanced(by: count).initialize(to: (value, v.isFinite ? v.bitPattern : UInt64.max))
                count += 1
                next = count
                if count == indexedFrom + 1 {
                    for i in 0..<count { index(i) }
                } else if count > indexedFrom + 1 {
                    index(count - 1)
                }
            }
            return nil
        }
    }
}

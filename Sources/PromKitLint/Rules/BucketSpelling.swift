import PromKit

/// The same bucket bound spelled two ways (`1` and `1.0`) across series of a family.
struct BucketSpelling: LintRule {
    static let description = RuleDescription(
        id: "le_spelling", severity: .warning, summary: "A bucket bound is spelled one way in a family (1 or 1.0, not both)",
        rationale: "le is a label: \"1\" and \"1.0\" are different series to Prometheus 2 and are rewritten by Prometheus 3, which splits or merges history.",
        good: ["# HELP h h\n# TYPE h histogram\nh_bucket{a=\"x\",le=\"1.0\"} 0\nh_bucket{a=\"x\",le=\"+Inf\"} 1\nh_bucket{a=\"y\",le=\"1.0\"} 0\nh_bucket{a=\"y\",le=\"+Inf\"} 1\n"],
        bad: ["# HELP h h\n# TYPE h histogram\nh_bucket{a=\"x\",le=\"1\"} 0\nh_bucket{a=\"x\",le=\"+Inf\"} 1\nh_bucket{a=\"y\",le=\"1.0\"} 0\nh_bucket{a=\"y\",le=\"+Inf\"} 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.type == .histogram || f.type == .gaugehistogram || f.type == .summary else { return }
        let quantile = f.type == .summary
        let facts = c.labels(of: f)
        let id = facts.id(of: quantile ? "quantile" : "le")
        guard id >= 0 else { return }
        var spellings: [UInt64: (hash: UInt64, range: ByteRange)] = [:]
        for s in f.samples {
            for k in Int(s.labels.lowerBound)..<Int(s.labels.upperBound) where facts.ids[k] == id {
                let l = f.labels[k]
                guard let v = f.withBytes(l.value, { NumberSyntax.parseDecimal($0, 0, $0.count) }), v.isFinite else { continue }
                let h = f.hash(of: l.value)
                if let other = spellings[v.bitPattern], other.hash != h {
                    let name = quantile ? "quantile" : "le"
                    c.report(at: Int(l.value.start), "\(name)=\"\(f.value(of: l))\" and \(name)=\"\(f.source.text(other.range))\" are the same bound spelled two ways in \"\(f.name)\"", family: f.name, label: name)
                    return
                }
                spellings[v.bitPattern] = (h, l.value)
            }
        }
    }
}

import PromKit

/// A histogram with only the +Inf bucket says nothing a counter pair would not.
struct HistogramSingleBucket: LintRule {
    static let description = RuleDescription(
        id: "histogram_single_bucket", severity: .warning, summary: "Histograms have buckets besides +Inf",
        rationale: "With only +Inf, histogram_quantile() has nothing to interpolate; expose _sum and _count as a summary, or add buckets.",
        good: ["# HELP h h\n# TYPE h histogram\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"],
        bad: ["# HELP h h\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.type == .histogram, f.format != .openMetrics2 else { return }
        let facts = c.labels(of: f)
        let le = facts.id(of: "le")
        guard le >= 0 else { return }
        var buckets = 0
        for s in f.samples {
            for k in Int(s.labels.lowerBound)..<Int(s.labels.upperBound) where facts.ids[k] == le {
                let l = f.labels[k]
                let isInf = f.withBytes(l.value) { $0.count >= 3 && ($0[$0.count - 1] | 0x20) == UInt8(ascii: "f") }
                if !isInf { return }
                buckets += 1
            }
        }
        if buckets > 0 {
            c.report(at: Int(f.offset), "histogram \"\(f.name)\" has only the +Inf bucket", family: f.name)
        }
    }
}

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
        let label = f.type == .summary ? "quantile" : "le"
        var spellings: [Double: String] = [:]
        for s in f.samples {
            guard let text = f.labelValue(label, of: s), let v = Double(text), v.isFinite else { continue }
            if let other = spellings[v], other != text {
                c.report(at: Int(s.offset), "\(label)=\"\(text)\" and \(label)=\"\(other)\" are the same bound spelled two ways in \"\(f.name)\"", family: f.name, label: label)
                return
            }
            spellings[v] = text
        }
    }
}

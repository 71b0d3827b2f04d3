import PromKit

/// The metrics of a family carry the same label names.
struct InconsistentLabels: LintRule {
    static let description = RuleDescription(
        id: "inconsistent_labels", severity: .info, summary: "All series of a family have the same label names",
        rationale: "OpenMetrics asks for one set of label names per family; a missing label is an empty value, which breaks sum by() and joins.",
        good: ["# HELP r_total r\n# TYPE r_total counter\nr_total{code=\"200\"} 1\nr_total{code=\"500\"} 1\n"],
        bad: ["# HELP r_total r\n# TYPE r_total counter\nr_total{code=\"200\"} 1\nr_total{method=\"GET\"} 1\n"])

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        guard f.samples.count > 1 else { return }
        let facts = c.labels(of: f)
        let (le, quantile, state) = (facts.id(of: "le"), facts.id(of: "quantile"), f.type == .stateset ? facts.id(of: f.name) : -1)
        // An order-insensitive sum over each sample's label-name indices (le, quantile, the state label left out).
        let odd: Sample? = facts.ids.withUnsafeBufferPointer { ids in
            var first: UInt64?
            for s in f.samples {
                var h: UInt64 = 0
                for k in Int(s.labels.lowerBound)..<Int(s.labels.upperBound) {
                    let id = ids[k]
                    if id == le || id == quantile || id == state { continue }
                    h &+= (UInt64(id) &+ 1) &* 0x9E37_79B9_7F4A_7C15
                }
                guard let expected = first else {
                    first = h
                    continue
                }
                if h != expected { return s }
            }
            return nil
        }
        if let s = odd {
            let names = f.labels(of: s).map { f.name(of: $0) }.joined(separator: ", ")
            c.report(at: Int(s.offset), "series \(f.seriesDescription(s)) has other label names (\(names)) than the family's first series", family: f.name)
        }
    }
}

import PromKit

/// promlint `LintDuplicateMetric`: the same series twice.
struct DuplicateSeries: LintRule {
    static let description = RuleDescription(
        id: "duplicate_series", severity: .error, summary: "Each series appears once",
        rationale: "Prometheus keeps one of the two values (which one is undefined) and counts a scrape error.",
        good: ["# HELP g g\n# TYPE g gauge\ng{a=\"1\"} 1\ng{a=\"2\"} 1\n"],
        bad: ["# HELP g g\n# TYPE g gauge\ng{a=\"1\"} 1\ng{a=\"1\"} 2\n"],
        promlint: true)

    func check(_ f: MetricFamily, _ c: inout LintContext) {
        // Outside promtool mode the validator finds duplicates (in any label order) and LintRun files them here.
        guard c.promtoolMode, f.type == .counter || f.type == .gauge || f.type == .unknown else { return }
        // promlint compares label pairs in order; an earlier series equal to a later one is reported.
        var seen: [String: Int] = [:]
        var keys: [String] = []
        for s in f.samples {
            var key = f.sampleName(s)
            for l in f.labels(of: s) { key += "\u{0}" + f.name(of: l) + "\u{1}" + f.value(of: l) }
            keys.append(key)
        }
        var reported = Set<Int>()
        for (i, key) in keys.enumerated() {
            if let previous = seen[key], !reported.contains(previous) {
                reported.insert(previous)
                c.report(at: Int(f.samples[i].offset), "series \(f.seriesDescription(f.samples[i])) appears more than once", family: f.name,
                         promtool: "metric not unique")
            }
            seen[key] = i
        }
    }
}

/// The series promtool's parser sees: histogram and summary lines merge per label set without le/quantile.
enum PromtoolSeries {
    static func series(of f: MetricFamily) -> [Sample] {
        guard f.type == .histogram || f.type == .summary else { return f.samples }
        var seen = Set<String>()
        var out: [Sample] = []
        for s in f.samples {
            var key = ""
            for l in f.labels(of: s) where !["le", "quantile"].contains(f.name(of: l)) { key += f.name(of: l) + "\u{1}" + f.value(of: l) + "\u{0}" }
            if seen.insert(key).inserted { out.append(s) }
        }
        return out
    }
}

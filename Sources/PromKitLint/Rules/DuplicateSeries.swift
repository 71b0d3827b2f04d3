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
        // promlint compares label lists in order (reflect.DeepEqual); an earlier series equal to a later one
        // is reported. The same identity as everywhere else, with order kept.
        var seen: [SeriesIdentity: Int] = [:]
        let keys = f.samples.map { SeriesIdentity(of: $0, in: f, ordered: true) }
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
        // expfmt merges by the label set's signature (order aside), without the sample name.
        var seen = Set<SeriesIdentity>()
        var out: [Sample] = []
        for s in f.samples where seen.insert(SeriesIdentity(of: s, in: f, excluding: ["le", "quantile"], includeName: false)).inserted {
            out.append(s)
        }
        return out
    }
}

/// What one input may hold at most (issue 18): promkit reads output nobody controls, in CI, so no input may make
/// a run crash, hang or take the machine. Past a limit the run reports a located error with the limit's name
/// (`--limit NAME=N` raises or lowers it; 0 turns it off). Each default is far above any real scrape, so that
/// only a broken or hostile input meets one; docs/limits.md gives the reasons.
public struct ReadLimits: Sendable, Equatable {
    /// Bytes in one line (its line feed aside). 1 MiB: four label values at their own limit.
    public var lineBytes = 1 << 20
    /// Labels on one sample (exemplar labels aside). 512: the scrapes we hold carry at most 12; a series that
    /// copies a Kubernetes object's labels (`kube_pod_labels`) carries tens.
    public var labelsPerSeries = 512
    /// Bytes in one label value (as written). 256 KiB: Kubernetes' limit on all of one object's annotations
    /// together, the largest text an exporter copies into a label.
    public var labelValueBytes = 256 << 10
    /// Samples (lines with a value, each a series in a valid input) in one input. 10 million: the largest single
    /// targets (kube-state-metrics, cAdvisor on a large cluster) expose a few hundred thousand, and the 100 MB
    /// benchmark corpus 1.2 million.
    public var series = 10_000_000
    /// Bytes in one input. 2 GiB, the most promkit can read (offsets are 32-bit); it may only be lowered.
    public var inputBytes = SourceFile.maximumSize

    /// The defaults.
    public init() {}

    /// The limits by the names `--limit` takes, with their defaults.
    public static let names = ["line_bytes", "labels_per_series", "label_value_bytes", "series", "input_bytes"]

    /// The limit called `name` (one of `names`), nil for a name that is none of them.
    public subscript(name: String) -> Int? {
        switch name {
        case "line_bytes": lineBytes
        case "labels_per_series": labelsPerSeries
        case "label_value_bytes": labelValueBytes
        case "series": series
        case "input_bytes": inputBytes
        default: nil
        }
    }

    /// Sets the limit called `name` (0: none); nil when `name` is not one or the value is out of range, with why.
    public mutating func set(_ name: String, _ value: Int) -> String? {
        guard Self.names.contains(name) else { return "no limit called '\(name)'; the limits are \(Self.names.joined(separator: ", "))" }
        guard value >= 0 else { return "a limit is a count, 0 for none; \(value) is not" }
        let n = value == 0 ? Int.max : value
        switch name {
        case "line_bytes": lineBytes = n
        case "labels_per_series": labelsPerSeries = n
        case "label_value_bytes": labelValueBytes = n
        case "series": series = n
        default:
            guard value <= SourceFile.maximumSize else { return "input_bytes is at most \(SourceFile.maximumSize) (2 GiB)" }
            inputBytes = value == 0 ? SourceFile.maximumSize : value
        }
        return nil
    }

    /// `NAME=N` as the option spells it; nil when well formed and set, else why not.
    public mutating func set(_ assignment: String) -> String? {
        let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let value = Int(parts[1]) else { return "--limit takes NAME=N (a count), not '\(assignment)'" }
        return set(String(parts[0]), value)
    }
}

extension DiagnosticCode {
    /// A line longer than `ReadLimits.lineBytes`: not read.
    public static let lineTooLong: Self = "line_too_long"
    /// A sample with more labels than `ReadLimits.labelsPerSeries`.
    public static let tooManyLabels: Self = "too_many_labels"
    /// A label value longer than `ReadLimits.labelValueBytes`.
    public static let labelValueTooLong: Self = "label_value_too_long"
    /// More samples than `ReadLimits.series` in one input.
    public static let tooManySeries: Self = "too_many_series"
}

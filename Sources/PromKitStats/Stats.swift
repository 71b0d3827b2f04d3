import PromKit
import PromKitReport

/// Per-family cardinality, counted as `promtool check metrics --extended` counts it, and each label's distinct
/// values: on any input and format (promtool prints its table only for lint-clean text).
///
/// promtool counts a family's *metrics* (label sets, `le` and `quantile` aside): a counter, gauge or untyped
/// family is its metric count; a histogram is metrics × (2 + the first metric's buckets, `+Inf` included); a
/// summary metrics × (2 + the first metric's quantiles). Here OpenMetrics' other types count as their
/// metrics, a gauge histogram as a histogram, and an OpenMetrics 2.0 composite histogram by its buckets.
public struct FamilyStats: Sendable, Equatable {
    public var name: String
    public var type: MetricType
    public var cardinality: Int
    /// Distinct values of each label name over the family's samples (`le` and `quantile` included).
    public var labels: [String: Int]
    /// The family's share of the input's total cardinality (0 when the total is 0).
    public var percentage: Double
}

public struct InputStats: Sendable {
    public var name: String
    /// Highest cardinality first; ties by name.
    public var families: [FamilyStats]
    public var total: Int
    /// Errors found while reading (the stats count what could be read).
    public var diagnostics: [Diagnostic]
}

public enum Stats {
    /// Reads `source` (on all cores when large) and counts.
    public static func compute(_ source: SourceFile, format: FormatChoice = .auto, options: ReadOptions = ReadOptions()) -> InputStats {
        let resolved = format.resolve(for: source)
        var options = options
        options.windowed = true
        let reader = FamilyReader(source: source, format: resolved, options: options)
        let (consumers, diagnostics) = reader.read(makeConsumer: { _ in Collector() })
        // A family may reach several chunks only when it is split (an invalid input): merged by name.
        var order: [String] = []
        var merged: [String: Collector.Family] = [:]
        for consumer in consumers {
            for family in consumer.families {
                if var existing = merged[family.name] {
                    existing.merge(family)
                    merged[family.name] = existing
                } else {
                    order.append(family.name)
                    merged[family.name] = family
                }
            }
        }
        var families = order.map { merged[$0]!.stats }
        let total = families.reduce(0) { $0 + $1.cardinality }
        for i in families.indices {
            families[i].percentage = total > 0 ? Double(families[i].cardinality) / Double(total) : 0
        }
        families.sort { $0.cardinality != $1.cardinality ? $0.cardinality > $1.cardinality : $0.name < $1.name }
        let errors = format.hinting(source.notes + diagnostics, for: source.bytes, resolved: resolved)
        return InputStats(name: source.name, families: families, total: total, diagnostics: errors)
    }

    /// Collects each family's metrics and label values as the reader hands them over: by 64-bit hashes of the
    /// bytes (escapes undone where there are any), not strings: a string per label per sample made stats 7x
    /// the time of `lint` on the 100 MB corpus. A count is off only if two different label sets (or values)
    /// of one family share a 64-bit hash: odds of about 1 in 10^7 for a family of a million series.
    struct Collector: FamilyConsumer {
        struct Family {
            var name: String
            var type: MetricType
            /// Each metric's label set (`le`/`quantile` aside in histograms and summaries), hashed in any order.
            var metrics: Set<UInt64> = []
            var firstMetric: UInt64?
            /// Buckets (histograms) or quantiles (summaries) of the first metric.
            var firstMetricParts = 0
            /// Each label name (by its hash, in the order met) and the hashes of its distinct values.
            var labels: [(hash: UInt64, name: String, values: Set<UInt64>)] = []

            mutating func merge(_ other: Family) {
                metrics.formUnion(other.metrics)
                if firstMetric == nil {
                    firstMetric = other.firstMetric
                    firstMetricParts = other.firstMetricParts
                }
                for label in other.labels {
                    let i = index(of: label.hash, name: label.name)
                    labels[i].values.formUnion(label.values)
                }
            }

            /// The entry of the label name with this hash, added when new (few names a family: a linear look).
            mutating func index(of hash: UInt64, name: @autoclosure () -> String) -> Int {
                for i in labels.indices where labels[i].hash == hash { return i }
                labels.append((hash, name(), []))
                return labels.count - 1
            }

            var stats: FamilyStats {
                let count = metrics.count
                let cardinality: Int
                switch type {
                case .histogram, .gaugehistogram, .summary: cardinality = count * (2 + firstMetricParts)
                default: cardinality = count
                }
                var distinct: [String: Int] = [:]
                for label in labels { distinct[label.name] = label.values.count }
                return FamilyStats(name: name, type: type, cardinality: cardinality, labels: distinct, percentage: 0)
            }
        }

        var families: [Family] = []

        mutating func consume(_ family: MetricFamily) {
            var f = Family(name: family.name, type: family.type)
            let hasParts = family.type == .histogram || family.type == .gaugehistogram || family.type == .summary
            let le = Self.leHash, quantile = Self.quantileHash
            let partHash = family.type == .summary ? quantile : le
            family.withInput { p in
                for sample in family.samples {
                    var isPart = false
                    // Sum of the labels' mixed hashes: the same for the same labels in any order.
                    var metric: UInt64 = 0
                    for label in family.labels(of: sample) {
                        let nameHash =
                            label.flags.contains(.nameEscaped) ? Self.hash(Array(family.name(of: label).utf8)) : hashBytes(p, label.name)
                        let valueHash =
                            label.flags.contains(.valueEscaped)
                            ? Self.hash(Array(family.value(of: label).utf8)) : hashBytes(p, label.value)
                        let i = f.index(of: nameHash, name: family.name(of: label))
                        f.labels[i].values.insert(valueHash)
                        if hasParts && (nameHash == le || nameHash == quantile) {
                            // Not part of the metric (as promtool counts); the type's own part counts its buckets.
                            if nameHash == partHash { isPart = true }
                        } else {
                            metric &+= mix64(nameHash ^ (valueHash << 17 | valueHash >> 47))
                        }
                    }
                    f.metrics.insert(metric)
                    if f.firstMetric == nil { f.firstMetric = metric }
                    guard hasParts, metric == f.firstMetric else { continue }
                    if isPart {
                        f.firstMetricParts += 1
                    } else if let composite = family.composite(of: sample) {
                        // OpenMetrics 2.0: one sample holds the buckets or quantiles.
                        f.firstMetricParts += family.type == .summary ? composite.quantiles.count : composite.buckets.count
                    }
                }
            }
            families.append(f)
        }

        static let leHash = hash(Array("le".utf8))
        static let quantileHash = hash(Array("quantile".utf8))

        static func hash(_ bytes: [UInt8]) -> UInt64 {
            bytes.withUnsafeBufferPointer { hashBytes($0, ByteRange(0, $0.count)) }
        }
    }
}

/// The tables and JSON of `promkit stats`.
public enum StatsRender {
    /// promtool's table (`Metric  Cardinality  Percentage`, a `Total` row; Go's tabwriter with padding 4, every
    /// cell padded), the first `top` families (0: all); then, unless `labelsOf` is 0, the distinct values of
    /// each label of the first `labelsOf` families.
    public static func text(_ stats: InputStats, top: Int, labelsOf: Int) -> String {
        let shown = top > 0 ? Array(stats.families.prefix(top)) : stats.families
        var rows = [["Metric", "Cardinality", "Percentage"]]
        for f in shown { rows.append([f.name, "\(f.cardinality)", percent(f.percentage) + "%"]) }
        rows.append(["Total", "\(stats.total)", "100%"])
        var out = table(rows)
        if top > 0 && stats.families.count > top {
            out += "(\(stats.families.count - top) more families; --top 0 shows all)\n"
        }
        let labelled = stats.families.prefix(labelsOf).filter { !$0.labels.isEmpty }
        if !labelled.isEmpty {
            out += "\n"
            var labelRows = [["Metric", "Label", "Distinct values"]]
            for f in labelled {
                for (label, count) in f.labels.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                    labelRows.append([f.name, label, "\(count)"])
                }
            }
            out += table(labelRows)
        }
        return out
    }

    /// `%.2f` of a share given as a fraction.
    static func percent(_ fraction: Double) -> String {
        let hundredths = Int((fraction * 10000).rounded(.toNearestOrEven))
        let fractional = hundredths % 100
        return "\(hundredths / 100).\(fractional < 10 ? "0" : "")\(fractional)"
    }

    /// Go's tabwriter as promtool sets it up (minwidth 4, padding 4, spaces, each cell tab-terminated).
    static func table(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.unicodeScalars.count) }
        }
        var out = ""
        for row in rows {
            for (i, cell) in row.enumerated() {
                out += cell + String(repeating: " ", count: max(4, widths[i] + 4) - cell.unicodeScalars.count)
            }
            out += "\n"
        }
        return out
    }

    /// `{"input", "families": [{"name", "type", "cardinality", "percentage", "labels": {NAME: distinct}}], "total"}`.
    public static func json(_ stats: InputStats, top: Int) -> String {
        let shown = top > 0 ? Array(stats.families.prefix(top)) : stats.families
        var out = "{\"input\":\(Escaping.json(stats.name)),\"families\":["
        for (i, f) in shown.enumerated() {
            if i > 0 { out += "," }
            out += "{\"name\":\(Escaping.json(f.name)),\"type\":\(Escaping.json(f.type.rawValue)),\"cardinality\":\(f.cardinality),"
            out += "\"percentage\":\(percent(f.percentage)),\"labels\":{"
            out += f.labels.sorted { $0.key < $1.key }.map { "\(Escaping.json($0.key)):\($0.value)" }.joined(separator: ",")
            out += "}}"
        }
        return out + "],\"total\":\(stats.total)}"
    }
}

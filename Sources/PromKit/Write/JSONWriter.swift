/// JSON in the shape prom2json emits — an array of families, each `name`, `help`, `type` and `metrics`, with
/// label values and numbers as strings — plus `unit`, `exemplars`, `timestamp_ms` and `created`.
/// Deterministic: families, series and labels in input order.
extension ExpositionWriter {
    func writeJSON(_ family: MetricFamily, plan: FamilyPlan) {
        let base = plan.inputBase
        let tail = metadataTail(family, plan: plan)
        sink.append(wroteFamily ? ",\n" : "\n")
        wroteFamily = true
        sink.append("{\"name\":")
        jsonString(base + tail)
        if let help = helpBytes(family) {
            sink.append(",\"help\":")
            jsonString(help)
        }
        sink.append(",\"type\":\"")
        sink.append(Self.jsonType(plan.type))
        sink.append(UInt8(ascii: "\""))
        if let unit = unitBytes(family) {
            sink.append(",\"unit\":")
            jsonString(unit)
        }
        sink.append(",\"metrics\":[")
        var created = foldedCreated(plan)
        let baseCount = base.count
        family.withInput { p in
            var key: [UInt8] = []
            if family.format == .openMetrics && [.counter, .histogram, .summary].contains(family.type) {
                for s in family.samples where Self.equals(suffix(family, p, s, baseCount: baseCount), "_created") {
                    Self.groupKey(family, p, s, into: &key)
                    created[key] = Array(p[s.valueRange.lowerBound..<s.valueRange.upperBound])
                }
            }
            var firstMetric = true
            func open(_ family: MetricFamily, _ s: Sample, group: Bool) {
                sink.append(firstMetric ? "\n  {\"labels\":{" : ",\n  {\"labels\":{")
                firstMetric = false
                var first = true
                for l in family.labels(of: s) {
                    if group {
                        let n = p[l.name.lowerBound..<l.name.upperBound]
                        if n.elementsEqual("le".utf8) || n.elementsEqual("quantile".utf8) { continue }
                    }
                    if !first { sink.append(UInt8(ascii: ",")) }
                    first = false
                    jsonString(l.flags.contains(.nameEscaped) ? Unescape.bytes(p, l.name) : Array(p[l.name.lowerBound..<l.name.upperBound]))
                    sink.append(UInt8(ascii: ":"))
                    jsonString(
                        l.flags.contains(.valueEscaped) ? Unescape.bytes(p, l.value) : Array(p[l.value.lowerBound..<l.value.upperBound]))
                }
                sink.append(UInt8(ascii: "}"))
            }
            func close(_ s: Sample, exemplars: [Exemplar]) {
                if let ts = s.timestamp {
                    sink.append(",\"timestamp_ms\":\"")
                    _ = TimestampDigits.append(
                        p, ts.range.lowerBound, ts.range.upperBound, from: family.format == .text ? .milliseconds : .seconds,
                        to: .milliseconds, sink: sink)
                    sink.append(UInt8(ascii: "\""))
                }
                if !created.isEmpty {
                    Self.groupKey(family, p, s, into: &key)
                    if let v = created[key] {
                        sink.append(",\"created\":\"")
                        sink.append(v)
                        sink.append(UInt8(ascii: "\""))
                    }
                }
                if !exemplars.isEmpty {
                    sink.append(",\"exemplars\":[")
                    for (k, e) in exemplars.enumerated() {
                        if k > 0 { sink.append(UInt8(ascii: ",")) }
                        sink.append("{\"labels\":{")
                        for i in Int(e.labels.lowerBound)..<Int(e.labels.upperBound) {
                            let l = family.labels[i]
                            if i > Int(e.labels.lowerBound) { sink.append(UInt8(ascii: ",")) }
                            jsonString(Array(p[l.name.lowerBound..<l.name.upperBound]))
                            sink.append(UInt8(ascii: ":"))
                            jsonString(
                                l.flags.contains(.valueEscaped)
                                    ? Unescape.bytes(p, l.value) : Array(p[l.value.lowerBound..<l.value.upperBound]))
                        }
                        sink.append("},\"value\":\"")
                        NumberSpelling.appendCanonical(e.value, to: sink)
                        sink.append(UInt8(ascii: "\""))
                        if let ts = e.timestamp {
                            sink.append(",\"timestamp\":\"")
                            sink.append(p, ts.range.lowerBound, ts.range.upperBound)
                            sink.append(UInt8(ascii: "\""))
                        }
                        sink.append(UInt8(ascii: "}"))
                    }
                    sink.append(UInt8(ascii: "]"))
                }
                sink.append(UInt8(ascii: "}"))
            }
            if ![.histogram, .gaugehistogram, .summary].contains(plan.type) {
                for s in family.samples {
                    if family.format == .openMetrics && Self.equals(suffix(family, p, s, baseCount: baseCount), "_created") { continue }
                    open(family, s, group: false)
                    sink.append(",\"value\":\"")
                    NumberSpelling.appendCanonical(s.value, to: sink)
                    sink.append(UInt8(ascii: "\""))
                    close(s, exemplars: Array(family.exemplars(of: s)))
                }
            } else {
                let samples = family.samples
                for group in Self.metricGroups(family, p, interleaved: family.pointsInterleaved || plan.pointsInterleaved, key: &key) {
                    open(family, samples[group.first!], group: true)
                    var exemplars: [Exemplar] = []
                    sink.append(plan.type == .summary ? ",\"quantiles\":{" : ",\"buckets\":{")
                    var firstPoint = true
                    var count: Sample?, sum: Sample?
                    for s in group.lazy.map({ samples[$0] }) {
                        let sfx = suffix(family, p, s, baseCount: baseCount)
                        if Self.equals(sfx, "_count") || Self.equals(sfx, "_gcount") { count = s; continue }
                        if Self.equals(sfx, "_sum") || Self.equals(sfx, "_gsum") { sum = s; continue }
                        if Self.equals(sfx, "_created") { continue }
                        let labelName = plan.type == .summary ? "quantile" : "le"
                        guard
                            let bound = family.labels(of: s).first(where: { l in
                                p[l.name.lowerBound..<l.name.upperBound].elementsEqual(labelName.utf8)
                            })
                        else { continue }
                        if !firstPoint { sink.append(UInt8(ascii: ",")) }
                        firstPoint = false
                        jsonString(Array(p[bound.value.lowerBound..<bound.value.upperBound]))
                        sink.append(":\"")
                        NumberSpelling.appendCanonical(s.value, to: sink)
                        sink.append(UInt8(ascii: "\""))
                        exemplars.append(contentsOf: family.exemplars(of: s))
                    }
                    sink.append(UInt8(ascii: "}"))
                    if let count {
                        sink.append(",\"count\":\"")
                        NumberSpelling.appendCanonical(count.value, to: sink)
                        sink.append(UInt8(ascii: "\""))
                    }
                    if let sum {
                        sink.append(",\"sum\":\"")
                        NumberSpelling.appendCanonical(sum.value, to: sink)
                        sink.append(UInt8(ascii: "\""))
                    }
                    close(samples[group.first!], exemplars: exemplars)
                }
            }
        }
        sink.append(firstMetricClose(family) ? "\n]}" : "]}")
    }

    private func firstMetricClose(_ family: MetricFamily) -> Bool { !family.samples.isEmpty }

    static func jsonType(_ t: MetricType) -> StaticString {
        switch t {
        case .counter: "COUNTER"
        case .gauge: "GAUGE"
        case .histogram: "HISTOGRAM"
        case .gaugehistogram: "GAUGE_HISTOGRAM"
        case .summary: "SUMMARY"
        case .info: "INFO"
        case .stateset: "STATESET"
        case .unknown: "UNTYPED"
        }
    }

    /// A JSON string: `"`, `\` and control characters escaped.
    func jsonString(_ bytes: [UInt8]) {
        sink.append(UInt8(ascii: "\""))
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): sink.append("\\\"")
            case UInt8(ascii: "\\"): sink.append("\\\\")
            case 0x0A: sink.append("\\n")
            case 0x0D: sink.append("\\r")
            case 0x09: sink.append("\\t")
            case 0..<0x20:
                sink.append("\\u00")
                sink.append(hex[Int(b >> 4)])
                sink.append(hex[Int(b & 15)])
            default: sink.append(b)
            }
        }
        sink.append(UInt8(ascii: "\""))
    }
}

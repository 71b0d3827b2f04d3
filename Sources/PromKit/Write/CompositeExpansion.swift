/// OpenMetrics 2.0 families in the classic shape older formats have: a composite histogram or summary value
/// becomes `_bucket`/quantile, `_count` and `_sum` samples, a start timestamp a `_created` sample, a counter
/// `x_total` family `x`. Native buckets have no classic form: they are dropped (a warning), and a histogram with
/// no classic buckets keeps its count as the `+Inf` bucket.
enum CompositeExpansion {
    /// The family written as OpenMetrics 1.0 and read back, or nil when that failed (a diagnostic says so).
    static func expand(_ family: MetricFamily, log: inout ConversionLog) -> MetricFamily? {
        let sink = ByteSink()
        let line = SampleLine(target: .openMetrics2, options: WriteOptions(), sink: sink)
        let name = Array(family.name.utf8)
        var base = name
        if family.type == .counter && ConversionPlanner.hasSuffix(name, ConversionPlanner.total) {
            base = ConversionPlanner.dropSuffix(name, ConversionPlanner.total)
        }
        if family.type == .info && ConversionPlanner.hasSuffix(name, ConversionPlanner.info) {
            base = ConversionPlanner.dropSuffix(name, ConversionPlanner.info)
        }
        var droppedNative = false
        var droppedExemplars = 0
        let counterNoTotal = family.type == .counter && base == name
        family.withInput { p in
            let help = family.helpRange.map { Unescape.bytes(p, $0) }
            let unit = family.unitRange.map { Array(p[$0.lowerBound..<$0.upperBound]) }
            let type: MetricType? = counterNoTotal ? .unknown : (family.typeDeclared ? family.type : nil)
            line.appendMetadata(name: base, quoted: false, help: help, type: type, unit: counterNoTotal ? nil : unit)
            for s in family.samples {
                let labels = s.labels
                func head(_ suffix: StaticString, extra: (name: StaticString, value: [UInt8])? = nil) {
                    sink.append(base)
                    sink.append(suffix)
                    line.appendLabels(family, p, labels, quotedName: nil, extra: extra)
                    sink.append(UInt8(ascii: " "))
                }
                func tail() {
                    if let ts = s.timestamp {
                        sink.append(UInt8(ascii: " "))
                        sink.append(p, ts.range.lowerBound, ts.range.upperBound)
                    }
                }
                let st = family.startTimestamp(of: s)
                func created() {
                    guard let st, !counterNoTotal else { return }
                    head("_created")
                    sink.append(p, st.range.lowerBound, st.range.upperBound)
                    tail()
                    sink.append(UInt8(ascii: "\n"))
                }
                guard let c = family.composite(of: s) else {
                    let suffix: StaticString =
                        family.type == .counter && !counterNoTotal ? "_total" : family.type == .info && base != name ? "_info" : ""
                    head(suffix)
                    line.appendValue(s.value, s.valueRange, p)
                    tail()
                    line.appendExemplars(family, p, family.exemplars(of: s))
                    sink.append(UInt8(ascii: "\n"))
                    created()
                    continue
                }
                if c.schema != nil || !c.positiveBuckets.isEmpty || !c.negativeBuckets.isEmpty { droppedNative = true }
                var exemplars = Array(family.exemplars(of: s))
                if family.type == .summary {
                    for q in c.quantiles {
                        head("", extra: ("quantile", NumberSpelling.canonical(q.quantile)))
                        NumberSpelling.appendCanonical(q.value, to: sink)
                        tail()
                        sink.append(UInt8(ascii: "\n"))
                    }
                    droppedExemplars += exemplars.count
                } else {
                    var buckets = c.buckets
                    if buckets.isEmpty { buckets = [(.infinity, c.count ?? 0)] }
                    for b in buckets {
                        let boundSink = ByteSink()
                        NumberSpelling.appendCanonical(b.bound, to: boundSink)
                        boundSink.flush()
                        head("_bucket", extra: ("le", boundSink.kept))
                        NumberSpelling.appendCanonical(b.value, to: sink)
                        tail()
                        // One exemplar per bucket: the first whose value falls in it.
                        if let k = exemplars.firstIndex(where: { $0.value <= b.bound }) {
                            line.appendExemplars(family, p, [exemplars[k]])
                            exemplars.remove(at: k)
                        }
                        sink.append(UInt8(ascii: "\n"))
                    }
                    droppedExemplars += exemplars.count
                }
                let gauge = family.type == .gaugehistogram
                if let count = c.count {
                    head(gauge ? "_gcount" : "_count")
                    NumberSpelling.appendCanonical(count, to: sink)
                    tail()
                    sink.append(UInt8(ascii: "\n"))
                }
                if let sum = c.sum {
                    head(gauge ? "_gsum" : "_sum")
                    NumberSpelling.appendCanonical(sum, to: sink)
                    tail()
                    sink.append(UInt8(ascii: "\n"))
                }
                created()
            }
        }
        sink.append("# EOF\n")
        sink.flush()
        let familyName = family.name
        if droppedNative {
            log.note(
                .nativeBucketsDropped, at: Int(family.offset), family: familyName,
                "native buckets of \(familyName) dropped: only OpenMetrics 2.0 carries them (classic buckets, count and sum kept; without classic buckets the count is the +Inf bucket)"
            )
        }
        if droppedExemplars > 0 {
            log.note(
                .exemplarsDropped, at: Int(family.offset), family: familyName,
                "\(droppedExemplars) exemplars of \(familyName) have no classic bucket to go on: dropped")
        }
        if counterNoTotal {
            log.note(
                .counterWithoutTotal, at: Int(family.offset), family: familyName,
                "counter \(familyName) is not named with _total, which older formats require of counters: written as unknown")
        }
        let source = SourceFile(name: family.source.name, bytes: sink.kept)
        var result: MetricFamily?
        let diagnostics = FamilyReader(source: source, format: .openMetrics, options: ReadOptions(threads: 1)).read { f in
            if result == nil { result = f }
        }
        if diagnostics.contains(where: { $0.severity == .error }) || result == nil {
            log.note(
                .notConvertible, at: Int(family.offset), family: familyName,
                "\(familyName) could not be written in the classic shape: \(diagnostics.first?.message ?? "no samples")")
            return nil
        }
        return result
    }
}

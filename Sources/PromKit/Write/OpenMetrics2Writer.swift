/// OpenMetrics 2.0: every sample named as its family; histograms and summaries as one composite sample per
/// series, `_created` as the `st@` start timestamp.
extension ExpositionWriter {
    func writeOpenMetrics2(_ family: MetricFamily, plan: FamilyPlan) {
        let familyName = family.name
        let offset = Int(family.offset)
        let (base, quoted) = outputName(family, plan: plan)
        if isReserved(base, family) || hasReservedLabel(family) { return }
        let tail = metadataTail(family, plan: plan)
        let fullName = base + tail
        let showType = family.typeDeclared || plan.typeChanged
        let composite = family.format != .openMetrics2 && [.histogram, .gaugehistogram, .summary].contains(plan.type)
        if composite && !compositeComplete(family, plan: plan) {
            log.note(
                .compositeIncomplete, at: offset, family: familyName,
                "\(plan.type.rawValue) \(familyName) has a series without \(plan.type == .summary ? "_sum or _count" : "_sum"), which an OpenMetrics 2.0 \(plan.type.rawValue) value requires: written as unknown families, one per sample name, every sample kept"
            )
            return writeBySuffix(family, plan: plan, base: base, quoted: quoted)
        }
        line.appendMetadata(
            name: fullName, quoted: quoted, help: helpBytes(family), type: showType ? plan.type : nil, unit: unitBytes(family))
        var created = foldedCreated(plan)
        let emptyName = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        var droppedExemplars = 0
        defer {
            if droppedExemplars > 0 {
                log.note(
                    .exemplarsDropped, at: offset, family: familyName,
                    "OpenMetrics 2.0 requires exemplar timestamps: \(droppedExemplars) exemplars of \(familyName) without one dropped")
            }
        }
        family.withInput { p in
            var key: [UInt8] = []
            let baseCount = plan.inputBase.count
            if family.format == .openMetrics && [.counter, .histogram, .summary].contains(family.type) {
                for s in family.samples where Self.equals(suffix(family, p, s, baseCount: baseCount), "_created") {
                    Self.groupKey(family, p, s, into: &key)
                    created[key] = Array(p[s.valueRange.lowerBound..<s.valueRange.upperBound])
                }
            }
            func startTimestamp(_ s: Sample) {
                if family.format == .openMetrics2, let st = family.startTimestamp(of: s) {
                    sink.append(" st@")
                    _ = line.appendTimestamp(st.range, p, from: family.format)
                    return
                }
                guard !created.isEmpty else { return }
                Self.groupKey(family, p, s, into: &key)
                guard let v = created[key] else { return }
                sink.append(" st@")
                v.withUnsafeBufferPointer { _ = TimestampDigits.append($0, 0, $0.count, from: .seconds, to: .seconds, sink: sink) }
            }
            func name(_ s: Sample, group: Bool = false) {
                if quoted {
                    line.appendLabels(
                        family, p, s.labels, quotedName: { self.line.appendName(fullName, emptyName, quoted: true) }, skipGroupLabels: group
                    )
                } else {
                    sink.append(fullName)
                    line.appendLabels(family, p, s.labels, quotedName: nil, skipGroupLabels: group)
                }
            }
            func timestamp(_ s: Sample) {
                if let ts = s.timestamp {
                    sink.append(UInt8(ascii: " "))
                    _ = line.appendTimestamp(ts.range, p, from: family.format)
                }
            }
            if !composite {
                for s in family.samples {
                    if family.format == .openMetrics && Self.equals(suffix(family, p, s, baseCount: baseCount), "_created") { continue }
                    name(s)
                    sink.append(UInt8(ascii: " "))
                    if let c = family.composite(of: s) { appendComposite(c) } else { line.appendValue(s.value, s.valueRange, p) }
                    timestamp(s)
                    startTimestamp(s)
                    droppedExemplars += line.appendExemplars(family, p, family.exemplars(of: s))
                    sink.append(UInt8(ascii: "\n"))
                }
                writeMerged(plan) { f, q, s in
                    if quoted {
                        line.appendLabels(f, q, s.labels, quotedName: { self.line.appendName(fullName, emptyName, quoted: true) })
                    } else {
                        sink.append(fullName)
                        line.appendLabels(f, q, s.labels, quotedName: nil)
                    }
                    sink.append(UInt8(ascii: " "))
                    line.appendValue(s.value, s.valueRange, q)
                    if let ts = s.timestamp {
                        sink.append(UInt8(ascii: " "))
                        _ = line.appendTimestamp(ts.range, q, from: f.format)
                    }
                    sink.append(UInt8(ascii: "\n"))
                }
                return
            }
            var derivedCount = false
            defer {
                if derivedCount {
                    log.note(
                        .countFromBuckets, at: offset, family: familyName,
                        "histogram \(familyName) has a series without _count, which an OpenMetrics 2.0 histogram value requires: its +Inf bucket written as the count (they are equal by definition)"
                    )
                }
            }
            // Classic series, grouped by their labels without le/quantile, each group one composite sample.
            let samples = family.samples
            for group in Self.metricGroups(family, p, interleaved: family.pointsInterleaved || plan.pointsInterleaved, key: &key) {
                let first = samples[group.first!]
                var count: Sample?, sum: Sample?
                var points: [(bound: [UInt8], value: Sample)] = []
                var exemplars: [Exemplar] = []
                for s in group.lazy.map({ samples[$0] }) {
                    let sfx = suffix(family, p, s, baseCount: baseCount)
                    if Self.equals(sfx, "_count") || Self.equals(sfx, "_gcount") {
                        count = s
                    } else if Self.equals(sfx, "_sum") || Self.equals(sfx, "_gsum") {
                        sum = s
                    } else if Self.equals(sfx, "_created") {
                        continue  // written as the start timestamp (`startTimestamp`)
                    } else {
                        let labelName = plan.type == .summary ? "quantile" : "le"
                        let bound = family.labels(of: s).first { l in p[l.name.lowerBound..<l.name.upperBound].elementsEqual(labelName.utf8)
                        }
                        points.append((bound.map { Array(p[$0.value.lowerBound..<$0.value.upperBound]) } ?? [], s))
                        exemplars.append(contentsOf: family.exemplars(of: s))
                    }
                }
                name(first, group: true)
                sink.append(UInt8(ascii: " "))
                let gauge = plan.type == .gaugehistogram
                sink.append(gauge ? "{gcount:" : "{count:")
                // (compositeComplete checked that every series has its sum, and a summary its count.)
                if let count {
                    line.appendValue(count.value, count.valueRange, p)
                } else if let inf = points.last(where: { pt in
                    pt.bound.withUnsafeBufferPointer { NumberSyntax.parseFloat($0, 0, $0.count) } == .infinity
                }) {
                    line.appendValue(inf.value.value, inf.value.valueRange, p)
                    derivedCount = true
                }
                sink.append(gauge ? ",gsum:" : ",sum:")
                if let sum { line.appendValue(sum.value, sum.valueRange, p) }
                sink.append(plan.type == .summary ? ",quantile:[" : ",bucket:[")
                for (k, point) in points.enumerated() {
                    if k > 0 { sink.append(UInt8(ascii: ",")) }
                    point.bound.withUnsafeBufferPointer { b in
                        if NumberSpelling.isPlainDecimal(b, 0, b.count) || point.bound.elementsEqual("+Inf".utf8) {
                            sink.append(b)
                        } else {
                            // `Inf`, `+inf`, …: a bound is a number here, spelled as OpenMetrics 2.0 spells it.
                            NumberSpelling.appendCanonical(NumberSyntax.parseFloat(b, 0, b.count) ?? .nan, to: sink)
                        }
                    }
                    sink.append(UInt8(ascii: ":"))
                    line.appendValue(point.value.value, point.value.valueRange, p)
                }
                sink.append("]}")
                timestamp(first)
                startTimestamp(first)
                droppedExemplars += line.appendExemplars(family, p, exemplars[...])
                sink.append(UInt8(ascii: "\n"))
            }
        }
    }

    /// Whether every series of a classic histogram or summary has what an OpenMetrics 2.0 composite value
    /// requires and cannot be worked out: the sum (and a summary's count; a histogram's is its +Inf bucket).
    func compositeComplete(_ family: MetricFamily, plan: FamilyPlan) -> Bool {
        family.withInput { p in
            var key: [UInt8] = []
            let baseCount = plan.inputBase.count
            for group in Self.metricGroups(family, p, interleaved: family.pointsInterleaved || plan.pointsInterleaved, key: &key) {
                var sum = false, count = false
                for index in group {
                    let sfx = suffix(family, p, family.samples[index], baseCount: baseCount)
                    sum = sum || Self.equals(sfx, "_sum") || Self.equals(sfx, "_gsum")
                    count = count || Self.equals(sfx, "_count") || Self.equals(sfx, "_gcount")
                }
                if !sum || (plan.type == .summary && !count) { return false }
            }
            return true
        }
    }

    /// A classic family as unknown families, one per sample name in order of first appearance, every sample
    /// as it is (OpenMetrics 2.0 names a family as its samples).
    func writeBySuffix(_ family: MetricFamily, plan: FamilyPlan, base: [UInt8], quoted: Bool) {
        let help = helpBytes(family)
        var asUnknown = plan
        asUnknown.type = .unknown  // (an unknown sample carries no exemplars: writeSample drops them)
        family.withInput { p in
            let baseCount = plan.inputBase.count
            var order: [[UInt8]] = []
            var seen = Set<[UInt8]>()
            for s in family.samples {
                let sfx = Array(suffix(family, p, s, baseCount: baseCount))
                if seen.insert(sfx).inserted { order.append(sfx) }
            }
            for sfx in order {
                line.appendMetadata(name: base + sfx, quoted: quoted, help: help, type: .unknown, unit: nil)
                for s in family.samples where suffix(family, p, s, baseCount: baseCount).elementsEqual(sfx) {
                    _ = writeSample(family, p, s, base: base, quoted: quoted, plan: asUnknown)
                }
            }
        }
    }

    /// A composite value from its numbers (OpenMetrics 2.0 to 2.0).
    func appendComposite(_ c: CompositeValue) {
        sink.append(c.isGauge ? "{gcount:" : "{count:")
        NumberSpelling.appendCanonical(c.count ?? 0, to: sink)
        sink.append(c.isGauge ? ",gsum:" : ",sum:")
        NumberSpelling.appendCanonical(c.sum ?? 0, to: sink)
        func list(_ name: StaticString, _ items: [(Double, Double)], bound: Bool) {
            sink.append(name)
            sink.append(":[")
            for (k, item) in items.enumerated() {
                if k > 0 { sink.append(UInt8(ascii: ",")) }
                if bound { NumberSpelling.appendBound(item.0, to: sink) } else { NumberSpelling.appendCanonical(item.0, to: sink) }
                sink.append(UInt8(ascii: ":"))
                NumberSpelling.appendCanonical(item.1, to: sink)
            }
            sink.append(UInt8(ascii: "]"))
        }
        if !c.quantiles.isEmpty || (c.buckets.isEmpty && c.schema == nil) {
            sink.append(UInt8(ascii: ","))
            list("quantile", c.quantiles.map { ($0.quantile, $0.value) }, bound: false)
        }
        if let schema = c.schema {
            sink.append(",schema:")
            NumberSpelling.appendInteger(Int64(schema), to: sink)
            sink.append(",zero_threshold:")
            NumberSpelling.appendCanonical(c.zeroThreshold ?? 0, to: sink)
            sink.append(",zero_count:")
            NumberSpelling.appendCanonical(c.zeroCount ?? 0, to: sink)
            func spans(_ name: StaticString, _ s: [(offset: Int, length: Int)], _ b: [Double], _ bname: StaticString) {
                guard !s.isEmpty || !b.isEmpty else { return }
                sink.append(UInt8(ascii: ","))
                sink.append(name)
                sink.append(":[")
                for (k, span) in s.enumerated() {
                    if k > 0 { sink.append(UInt8(ascii: ",")) }
                    NumberSpelling.appendInteger(Int64(span.offset), to: sink)
                    sink.append(UInt8(ascii: ":"))
                    NumberSpelling.appendInteger(Int64(span.length), to: sink)
                }
                sink.append("],")
                sink.append(bname)
                sink.append(":[")
                for (k, v) in b.enumerated() {
                    if k > 0 { sink.append(UInt8(ascii: ",")) }
                    NumberSpelling.appendCanonical(v, to: sink)
                }
                sink.append(UInt8(ascii: "]"))
            }
            spans("negative_spans", c.negativeSpans, c.negativeBuckets, "negative_buckets")
            spans("positive_spans", c.positiveSpans, c.positiveBuckets, "positive_buckets")
        }
        if !c.buckets.isEmpty {
            sink.append(UInt8(ascii: ","))
            list("bucket", c.buckets.map { ($0.bound, $0.value) }, bound: true)
        }
        sink.append(UInt8(ascii: "}"))
    }
}

import PromKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Descriptions (`name{label="value",…}`, as written) of the few series a report lists, made after the
/// comparison from their lines: each line is read again from the input and parsed alone, so the pass over
/// a million series made no string for any of them.
enum SeriesDescriber {
    /// A listed series: the line its sample starts at, and which part of the sample (`SeriesPart`).
    struct Line: Hashable {
        var offset: Int32
        var part: UInt16
        init(_ offset: Int32, _ part: UInt16) {
            self.offset = offset
            self.part = part
        }
    }

    /// The description of each listed series.
    /// (A composite value's line is read alone, without its TYPE line: the family's type comes with it.)
    static func describe(_ source: SourceFile, format: ExpositionFormat, lines: [(Int32, UInt16, MetricType)]) -> [Line: String] {
        var result: [Line: String] = [:]
        var options = ReadOptions(maxDiagnostics: 1, threads: 1)
        options.windowed = false
        for (offset, part, type) in lines.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) where result[Line(offset, part)] == nil {
            guard var line = self.line(source.bytes, at: Int(offset)) else { continue }
            let length = line.count
            line.append(0x0A)
            if format.isOpenMetrics { line += Array("# EOF\n".utf8) }
            var description: String?
            _ = FamilyReader(source: SourceFile(name: source.name, bytes: line), format: format, options: options).read { family in
                if description == nil, let sample = family.samples.first {
                    description = Self.description(family, sample, part: part, type: type)
                }
            }
            result[Line(offset, part)] = description ?? String(decoding: line.prefix(length), as: UTF8.self)
        }
        return result
    }

    /// The sample's description, or that of the classic series a part of it stands for (`x_bucket{…,le="1"}`,
    /// `x{…,quantile="0.5"}`, `x_count{…}`, `x_sum{…}`, `x_created{…}`).
    static func description(_ family: MetricFamily, _ sample: Sample, part: UInt16, type: MetricType) -> String {
        guard part != SeriesPart.whole else { return family.seriesDescription(sample) }
        let gauge = type == .gaugehistogram
        var suffix = ""
        var extra: String?
        switch part {
        case SeriesPart.count: suffix = gauge ? "_gcount" : "_count"
        case SeriesPart.sum: suffix = gauge ? "_gsum" : "_sum"
        case SeriesPart.created: suffix = "_created"
        default:
            let k = Int(part - SeriesPart.bucket(0))
            let c = family.composite(of: sample)
            if type == .summary {
                if let q = c?.quantiles, k < q.count { extra = "quantile=\"\(DiffNumber.format(q[k].quantile))\"" }
            } else {
                suffix = "_bucket"
                let buckets = c?.buckets ?? []
                extra = "le=\"\(k < buckets.count ? DiffNumber.format(buckets[k].bound) : "+Inf")\""
            }
        }
        // The name, made the classic one (an OpenMetrics 2.0 counter `x_total` has its `_created` on `x`).
        var name = family.sampleName(sample)
        if suffix == "_created" && type == .counter && name.hasSuffix("_total") { name = String(name.dropLast(6)) }
        let labels = family.labels(of: sample).map { label -> String in
            let n = family.name(of: label)
            return (ByteClass.isLegacyLabelName(n) ? n : "\"" + n + "\"") + "=\"" + family.value(of: label) + "\""
        }.joined(separator: ",")
        let all = [labels, extra ?? ""].filter { !$0.isEmpty }.joined(separator: ",")
        let fullName = name + suffix
        if !ByteClass.isLegacyMetricName(fullName) { return "{\"" + fullName + "\"" + (all.isEmpty ? "" : "," + all) + "}" }
        return all.isEmpty ? fullName : fullName + "{" + all + "}"
    }

    /// The line starting at `start`, without its line feed. A mapped file is read with pread, not through
    /// the mapping: a few thousand lines spread over 100 MB would fault in most of it (the kernel maps
    /// 64 KiB around each touched page), doubling the run's peak memory.
    static func line(_ bytes: ByteBuffer, at start: Int) -> [UInt8]? {
        guard start >= 0, start < bytes.count else { return nil }
        guard bytes.readsByPieces else {
            return bytes.withUnsafeBufferPointer { p in Array(p[start..<(p[start...].firstIndex(of: 0x0A) ?? p.count)]) }
        }
        var line: [UInt8] = []
        var piece = [UInt8](repeating: 0, count: 4096)
        var at = start
        while at < bytes.count {
            let got = piece.withUnsafeMutableBytes { bytes.read(into: $0.baseAddress!, count: min($0.count, bytes.count - at), at: at) }
            if got <= 0 { break }
            if let end = piece[0..<got].firstIndex(of: 0x0A) {
                line += piece[0..<end]
                return line
            }
            line += piece[0..<got]
            at += got
        }
        return line
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PromKit

/// Descriptions (`name{label="value",…}`, as written) of the few series a report lists, made after the
/// comparison from their lines: each line is read again from the input and parsed alone, so the pass over
/// a million series made no string for any of them.
enum SeriesDescriber {
    /// The description of the sample whose line starts at each offset.
    static func describe(_ source: SourceFile, format: ExpositionFormat, offsets: [Int32]) -> [Int32: String] {
        var result: [Int32: String] = [:]
        var options = ReadOptions(maxDiagnostics: 1, threads: 1)
        options.windowed = false
        source.bytes.withUnsafeBufferPointer { p in
            for offset in offsets where result[offset] == nil {
                let start = Int(offset)
                guard start < p.count, let base = p.baseAddress else { continue }
                let end = memchr(base + start, 0x0A, p.count - start).map {
                    UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base
                } ?? p.count
                var line = Array(p[start..<end])
                line.append(0x0A)
                if format.isOpenMetrics { line += Array("# EOF\n".utf8) }
                let alone = SourceFile(name: source.name, bytes: line)
                var description: String?
                _ = FamilyReader(source: alone, format: format, options: options).read { family in
                    if description == nil, let sample = family.samples.first {
                        description = family.seriesDescription(sample)
                    }
                }
                result[offset] = description ?? String(decoding: line.prefix(end - start), as: UTF8.self)
            }
        }
        return result
    }
}

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
    /// The description of the sample whose line starts at each offset.
    static func describe(_ source: SourceFile, format: ExpositionFormat, offsets: [Int32]) -> [Int32: String] {
        var result: [Int32: String] = [:]
        var options = ReadOptions(maxDiagnostics: 1, threads: 1)
        options.windowed = false
        for offset in offsets.sorted() where result[offset] == nil {
            guard var line = self.line(source.bytes, at: Int(offset)) else { continue }
            let length = line.count
            line.append(0x0A)
            if format.isOpenMetrics { line += Array("# EOF\n".utf8) }
            var description: String?
            _ = FamilyReader(source: SourceFile(name: source.name, bytes: line), format: format, options: options).read { family in
                if description == nil, let sample = family.samples.first {
                    description = family.seriesDescription(sample)
                }
            }
            result[offset] = description ?? String(decoding: line.prefix(length), as: UTF8.self)
        }
        return result
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

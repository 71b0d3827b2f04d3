import PromKit
import PromKitLint

#if canImport(Glibc)
    import Glibc
#endif

/// What every parser fuzz target checks on one input: no crash (the sanitizers watch the bytes), and answers
/// that agree with each other. `problem(in:format:)` says what broke, or nil; the fuzz targets abort on it (libFuzzer
/// then saves the input as a crash), and the suite runs it on every input in testdata/fuzz (the findings, fixed).
///
/// - One pass, the parallel read (chunked on 2 and 3 threads, whatever the size), and the windowed read of
///   the same bytes from a file (pieces of 1 to 16 bytes, so window edges land inside tokens) give the same
///   diagnostics; token reuse on and off read the same families.
/// - Every diagnostic's offset lies in `0...count`, and its line and column in the input.
/// - A diagnostic limit keeps the first findings by location and counts the rest: same total.
/// - OpenMetrics accepted only when the input ends with the `# EOF` line (optionally one line feed after it).
/// - The families of `Exposition` are in input order, each sample's bytes inside the input.
/// - The linter runs on it without failing.
public enum FuzzCheck {
    /// For a fuzz target: checks the bytes, and aborts with what broke.
    public static func run(_ data: UnsafePointer<UInt8>?, _ size: Int, format: ExpositionFormat) {
        abortOnProblem(data, size, "FuzzCheck") { problem(in: $0, format: format) }
    }

    /// Runs `check` on the fuzzer's bytes; on a problem, prints it under `label` with the input and aborts, so that
    /// libFuzzer saves the input as a crash.
    static func abortOnProblem(_ data: UnsafePointer<UInt8>?, _ size: Int, _ label: String, _ check: ([UInt8]) -> String?) {
        let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
        guard let problem = check(bytes) else { return }
        let message = Array(
            "\(label): \(problem)\ninput (\(bytes.count) bytes): \(String(decoding: bytes.prefix(2000), as: UTF8.self).debugDescription)\n"
                .utf8)
        _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }  // unbuffered: abort() follows
        abort()
    }

    /// What is wrong with promkit's reading of `bytes` as `format`; nil when every invariant holds.
    public static func problem(in bytes: [UInt8], format: ExpositionFormat) -> String? {
        do {
            try check(bytes, format: format)
            return nil
        } catch {
            return error.what
        }
    }

    struct Broken: Error { var what: String }

    static func fail(_ what: String, _ bytes: [UInt8]) throws(Broken) -> Never {
        throw Broken(what: what)
    }

    static func key(_ ds: [Diagnostic]) -> [String] {
        ds.map { "\($0.offset) \($0.code) \($0.severity) \($0.message) \($0.omitted.map { "\($0.code)x\($0.count)" })" }
    }

    static func check(_ bytes: [UInt8], format: ExpositionFormat) throws(Broken) {
        let source = SourceFile(name: "fuzz", bytes: bytes)
        let one = Validator.validate(source, format: format, options: ReadOptions(threads: 1))

        // Offsets and locations in the input.
        for d in one where d.offset < 0 || d.offset > bytes.count {
            try fail("diagnostic offset \(d.offset) outside 0...\(bytes.count): \(d)", bytes)
        }
        let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        for (d, loc) in zip(one, source.locations(of: one.map(\.offset))) where loc.line < 1 || loc.line > lines || loc.column < 1 {
            try fail("diagnostic at \(d.offset) located at \(loc.line):\(loc.column), input has \(lines) lines", bytes)
        }

        // The parallel read.
        for threads in [2, 3] {
            let many = Validator.validate(source, format: format, options: ReadOptions(threads: threads, parallelThreshold: 0))
            if key(many) != key(one) { try fail("\(threads) threads differ from one pass:\n\(key(one))\n\(key(many))", bytes) }
        }

        // The windowed read, from a file.
        if !bytes.isEmpty, let file = temporaryFile(bytes) {
            let piece = 1 + Int(bytes[bytes.count / 2] % 16)
            for threads in [1, 2] {
                var options = ReadOptions(threads: threads, parallelThreshold: 0)
                options.windowed = true
                options.windowPiece = piece
                let windowed = Validator.validate(file, format: format, options: options)
                if key(windowed) != key(one) {
                    try fail("windowed (piece \(piece), \(threads) threads) differs from one pass:\n\(key(one))\n\(key(windowed))", bytes)
                }
            }
        }

        // Token reuse.
        var fresh = ReadOptions(threads: 1)
        fresh.reuseTokens = false
        let reused = dump(source, format, ReadOptions(threads: 1)), scanned = dump(source, format, fresh)
        if reused != scanned { try fail("token reuse reads differently:\n\(reused)\n----\n\(scanned)", bytes) }

        // A limit keeps the first findings and counts the rest.
        // Both readings count past their limit (the default 1000 too), so totals are compared, not lengths.
        func total(_ ds: [Diagnostic]) -> (kept: [Diagnostic], total: Int) {
            let kept = ds.filter { $0.code != .tooManyDiagnostics }
            let counted = ds.filter { $0.code == .tooManyDiagnostics }.reduce(0) { $0 + $1.omitted.reduce(0) { $0 + $1.count } }
            return (kept, kept.count + counted)
        }
        let limited = total(Validator.validate(source, format: format, options: ReadOptions(maxDiagnostics: 2, threads: 1)))
        let unlimited = total(one)
        if limited.total != unlimited.total || limited.kept.map(\.offset) != one.prefix(2).map(\.offset) {
            try fail("limit 2 keeps \(key(limited.kept)) of \(limited.total); the default limit: \(unlimited.total): \(key(one))", bytes)
        }

        // OpenMetrics ends with # EOF.
        let errors = one.filter { $0.severity == .error }
        if format.isOpenMetrics && errors.isEmpty {
            var end = bytes.count
            if end > 0 && bytes[end - 1] == 0x0A { end -= 1 }
            let eof = Array("# EOF".utf8)
            if end < eof.count || Array(bytes[(end - eof.count)..<end]) != eof || (end > eof.count && bytes[end - eof.count - 1] != 0x0A) {
                try fail("OpenMetrics input accepted without ending in the # EOF line", bytes)
            }
        }

        // The front door: families in input order, samples inside the input.
        let exposition = Exposition(source: source, format: FormatChoice(format))
        if exposition.isValid != errors.isEmpty {
            try fail("Exposition.isValid \(exposition.isValid), validator errors \(errors.count)", bytes)
        }
        var last = -1
        for family in exposition.families {
            for s in family.samples {
                if s.offset <= last || s.offset >= bytes.count {
                    try fail("sample offset \(s.offset) after \(last), input \(bytes.count)", bytes)
                }
                last = Int(s.offset)
                if s.valueRange.upperBound > bytes.count { try fail("value range \(s.valueRange) past the input", bytes) }
                for l in family.labels(of: s) where l.name.upperBound > bytes.count || l.value.upperBound > bytes.count {
                    try fail("label range past the input", bytes)
                }
            }
            _ = family.decodedSamples
        }

        // The linter.
        _ = LintRun(linter: Linter(readOptions: ReadOptions(threads: 1)), format: FormatChoice(format)).lint(source)
    }

    /// Families, samples and labels as read, then the diagnostics.
    static func dump(_ source: SourceFile, _ format: ExpositionFormat, _ options: ReadOptions) -> String {
        var out = ""
        let diagnostics = FamilyReader(source: source, format: format, options: options).read { family in
            out += "family \(family.name) \(family.type)\n"
            for s in family.samples {
                out += "  \(s.offset) \(family.sampleName(s)) \(s.value.bitPattern) \(s.timestamp?.seconds ?? -1)"
                for l in family.labels(of: s) { out += " [\(family.name(of: l)) \(family.value(of: l))]" }
                out += "\n"
            }
        }
        return out + key(diagnostics).joined(separator: "\n")
    }

    /// The bytes in a file of this process's own, loaded as promkit loads a path (mapped, read by pieces).
    static func temporaryFile(_ bytes: [UInt8]) -> SourceFile? {
        var template = Array("/tmp/promkit-fuzz-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return nil }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(path) }
        guard written == bytes.count else { return nil }
        return try? InputLoader.load(path).get()
    }
}

extension FormatChoice {
    init(_ format: ExpositionFormat) {
        switch format {
        case .text: self = .text
        case .openMetrics: self = .openMetrics
        case .openMetrics2: self = .openMetrics2
        }
    }
}

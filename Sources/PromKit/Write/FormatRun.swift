#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `promkit fmt` as a library call: each input in its canonical form, in its own format.
public struct FormatRun: Sendable {
    /// What `run` does with each canonical form.
    public enum Mode: Sendable {
        /// Print it on standard output.
        case print
        /// Compare it with the input; list the inputs that differ.
        case check
        /// Rewrite the inputs that differ, atomically.
        case write
    }
    /// The inputs' format (detected by default).
    public var format: FormatChoice
    /// Sort each series' labels by name.
    public var sortLabels: Bool
    /// How the inputs are read.
    public var readOptions: ReadOptions

    /// A format run.
    public init(format: FormatChoice = .auto, sortLabels: Bool = false, readOptions: ReadOptions = ReadOptions()) {
        self.format = format
        self.sortLabels = sortLabels
        self.readOptions = readOptions
    }

    /// A run's report and exit status.
    public struct Outcome: Sendable {
        /// One report per input (findings of invalid inputs, the inputs not canonical).
        public var report: Report
        /// Inputs that are not canonical (--check prints them; --write rewrote them).
        public var changed: [String]
        /// 0 done (with --check: every input canonical); 1 an input is invalid, or (--check) not canonical;
        /// 2 an input cannot be read or written.
        public var exitStatus: Int32
        /// Standard output's reader went away (`… | head`): the caller ends quietly, by SIGPIPE.
        public var standardOutputClosed = false
    }

    func converter(_ resolved: ExpositionFormat) -> ConvertRun {
        ConvertRun(
            from: FormatChoice(rawValue: resolved.rawValue) ?? .auto, to: TargetFormat(resolved),
            options: WriteOptions(escaping: .allowUTF8, canonicalNumbers: true, sortLabels: sortLabels), readOptions: readOptions)
    }

    /// The canonical form of `source` in memory (tests): nil when the input is invalid.
    public func format(_ source: SourceFile) -> (output: [UInt8]?, diagnostics: [Diagnostic]) {
        converter(format.resolve(for: source)).convert(source)
    }

    /// Formats each input as `mode` says.
    public func run(paths: [String], mode: Mode) -> Outcome {
        var inputs: [InputReport] = []
        var changed: [String] = []
        var status: Int32 = 0
        var closed = false
        reading: for path in paths {
            let source: SourceFile
            switch InputLoader.load(path) {
            case .failure(let failure):
                status = 2
                inputs.append(failure.report)
                continue
            case .success(let s):
                source = s
            }
            let run = converter(format.resolve(for: source))
            switch mode {
            case .print:
                // Spooled, so that an input found invalid prints nothing; written through when it cannot be.
                if let stream = try? OutputStream.open(.standardOutput, label: "the formatted input", spool: true) {
                    switch run.convertInOnePass(source, to: stream.sink, rewind: stream.rewind) {
                    case .failure(let diagnostics):
                        stream.discard()
                        inputs.append(run.inputReport(source, diagnostics))
                        status = max(status, 1)
                    case .success:
                        do {
                            try stream.commit()
                        } catch {
                            if error.standardOutputClosed {
                                closed = true
                                break reading
                            }
                            inputs.append(run.inputReport(source, [Diagnostic("write_error", .error, at: 0, error.description)]))
                            status = 2
                        }
                    }
                    continue
                }
                let plan: ConvertRun.Plan
                switch run.prepare(source) {
                case .failure(let diagnostics):
                    inputs.append(run.inputReport(source, diagnostics))
                    status = max(status, 1)
                    continue
                case .success(let p):
                    plan = p
                }
                let sink = ByteSink(fd: 1)
                _ = run.write(source, plan: plan, to: sink)
                if let failure = sink.failure {
                    inputs.append(
                        run.inputReport(source, [Diagnostic("write_error", .error, at: 0, "cannot write to standard output: \(failure)")]))
                    status = 2
                }
            case .check, .write:
                // Compared with the input as it is made, the input read by pread in pieces (through the mapping,
                // its pages would count in the process's memory): nothing is held.
                let comparison = Comparison(source)
                let sink = ByteSink(handler: comparison.compare)
                let plan: ConvertRun.Plan
                switch run.convertInOnePass(
                    source, to: sink,
                    rewind: {
                        sink.flush(); comparison.restart()
                    })
                {
                case .failure(let diagnostics):
                    inputs.append(run.inputReport(source, diagnostics))
                    status = max(status, 1)
                    continue
                case .success(_, let p):
                    plan = p
                }
                sink.flush()
                if comparison.same && comparison.offset == source.bytes.count { continue }
                changed.append(path)
                if mode == .check {
                    status = max(status, 1)
                    continue
                }
                do {
                    let stream = try OutputStream.open(.file(path), label: "the formatted input")
                    _ = run.write(source, plan: plan, to: stream.sink)
                    try stream.commit()
                } catch {
                    inputs.append(run.inputReport(source, [Diagnostic("write_error", .error, at: 0, error.description)]))
                    status = 2
                }
            }
        }
        return Outcome(
            report: Report(command: "fmt", inputs: inputs, rules: ValidationCatalog.rules), changed: changed, exitStatus: status,
            standardOutputClosed: closed)
    }
}

/// Compares output, as it is handed on, with the input it was made from: the input read by pread in pieces
/// (or from memory, when it is held there).
final class Comparison {
    let source: SourceFile
    private(set) var same = true
    private(set) var offset = 0
    private var scratch: [UInt8] = []

    init(_ source: SourceFile) { self.source = source }

    func restart() {
        same = true
        offset = 0
    }

    func compare(_ chunk: UnsafeBufferPointer<UInt8>) {
        defer { offset += chunk.count }
        guard same else { return }
        let input = source.bytes
        if offset + chunk.count > input.count {
            same = false
            return
        }
        guard input.readsByPieces else {
            same = input.withUnsafeBufferPointer { p in
                memcmp(p.baseAddress! + offset, chunk.baseAddress!, chunk.count) == 0
            }
            return
        }
        let piece = 1 << 20
        if scratch.count < piece { scratch = [UInt8](repeating: 0, count: piece) }
        var done = 0
        scratch.withUnsafeMutableBytes { s in
            while done < chunk.count && same {
                let n = min(piece, chunk.count - done)
                if input.read(into: s.baseAddress!, count: n, at: offset + done) != n
                    || memcmp(s.baseAddress!, chunk.baseAddress! + done, n) != 0
                {
                    same = false
                }
                done += n
            }
        }
    }
}

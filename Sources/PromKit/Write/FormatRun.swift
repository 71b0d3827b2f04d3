/// `promkit fmt` as a library call: each input in its canonical form, in its own format.
public struct FormatRun: Sendable {
    public enum Mode: Sendable { case print, check, write }
    public var format: FormatChoice
    public var sortLabels: Bool
    public var readOptions: ReadOptions

    public init(format: FormatChoice = .auto, sortLabels: Bool = false, readOptions: ReadOptions = ReadOptions()) {
        self.format = format
        self.sortLabels = sortLabels
        self.readOptions = readOptions
    }

    public struct Outcome: Sendable {
        public var report: Report
        /// Inputs that are not canonical (--check prints them; --write rewrote them).
        public var changed: [String]
        /// 0 done (with --check: every input canonical); 1 an input is invalid, or (--check) not canonical;
        /// 2 an input cannot be read or written.
        public var exitStatus: Int32
    }

    func converter(_ resolved: ExpositionFormat) -> ConvertRun {
        ConvertRun(from: FormatChoice(rawValue: resolved.rawValue) ?? .auto, to: TargetFormat(resolved),
                   options: WriteOptions(escaping: .allowUTF8, canonicalNumbers: true, sortLabels: sortLabels), readOptions: readOptions)
    }

    /// The canonical form of `source` in memory (tests): nil when the input is invalid.
    public func format(_ source: SourceFile) -> (output: [UInt8]?, diagnostics: [Diagnostic]) {
        converter(format.resolve(for: source)).convert(source)
    }

    public func run(paths: [String], mode: Mode) -> Outcome {
        var inputs: [InputReport] = []
        var changed: [String] = []
        var status: Int32 = 0
        for path in paths {
            let source: SourceFile
            switch InputLoader.load(path) {
            case .failure(let failure):
                status = 2
                inputs.append(InputReport(path: failure.path, source: nil, findings: [
                    Finding(rule: "read_error", severity: .error, message: "cannot read input: \(failure.reason)", path: failure.path, line: 0, column: 0),
                ], rulesRun: ["read_error"]))
                continue
            case .success(let s):
                source = s
            }
            let run = converter(format.resolve(for: source))
            let plan: ConvertRun.Plan
            switch run.prepare(source) {
            case .failure(let diagnostics):
                inputs.append(run.inputReport(source, diagnostics))
                status = max(status, 1)
                continue
            case .success(let p):
                plan = p
            }
            switch mode {
            case .print:
                let sink = ByteSink(fd: 1)
                _ = run.write(source, plan: plan, to: sink)
                if let failure = sink.failure {
                    inputs.append(run.inputReport(source, [Diagnostic("write_error", .error, at: 0, "cannot write to standard output: \(failure)")]))
                    status = 2
                }
            case .check, .write:
                // Compared with the input as it is written: nothing is held.
                var same = true
                var offset = 0
                source.bytes.withUnsafeBufferPointer { input in
                    let sink = ByteSink { chunk in
                        guard same else { return }
                        if offset + chunk.count > input.count
                            || !UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(input)[offset..<(offset + chunk.count)]).elementsEqual(UnsafeRawBufferPointer(chunk)) {
                            same = false
                        }
                        offset += chunk.count
                    }
                    _ = run.write(source, plan: plan, to: sink)
                }
                if offset != source.bytes.count { same = false }
                if same { continue }
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
        return Outcome(report: Report(command: "fmt", inputs: inputs, rules: ValidationCatalog.rules), changed: changed, exitStatus: status)
    }
}

/// `promkit convert` as a library call: read an input, check it, plan the conversion (first pass: the
/// families' names and types only), then write it family by family as the reader hands them over.
public struct ConvertRun: Sendable {
    public var from: FormatChoice
    public var to: TargetFormat
    public var options: WriteOptions
    public var readOptions: ReadOptions

    public init(from: FormatChoice = .auto, to: TargetFormat, options: WriteOptions = WriteOptions(), readOptions: ReadOptions = ReadOptions()) {
        self.from = from
        self.to = to
        self.options = options
        self.readOptions = readOptions
    }

    public struct Outcome: Sendable {
        /// The input's findings (invalid input) or the conversion's warnings.
        public var report: Report
        /// 0 converted (warnings allowed); 1 invalid input, or a loss under --strict: nothing written;
        /// 2 the input cannot be read or the output cannot be written.
        public var exitStatus: Int32
    }

    /// Converts the input at `path` (`-`: standard input) to `destination` (checked against the input by the
    /// caller, `OutputFile.destinations`).
    public func run(path: String, destination: OutputFile.Destination) -> Outcome {
        let source: SourceFile
        switch InputLoader.load(path) {
        case .failure(let failure):
            return Outcome(report: report([InputReport(path: failure.path, source: nil, findings: [
                Finding(rule: "read_error", severity: .error, message: "cannot read input: \(failure.reason)", path: failure.path, line: 0, column: 0),
            ], rulesRun: ["read_error"])]), exitStatus: 2)
        case .success(let s):
            source = s
        }
        let stream: OutputStream
        let prepared = prepare(source)
        guard case .success(let plan) = prepared else {
            if case .failure(let diagnostics) = prepared {
                return Outcome(report: report([inputReport(source, diagnostics)]), exitStatus: 1)
            }
            fatalError()
        }
        do {
            stream = try OutputStream.open(destination, label: "the converted output", spool: options.strict)
        } catch {
            return Outcome(report: report([inputReport(source, plan.log.diagnostics + [Diagnostic("write_error", .error, at: 0, error.description)])]), exitStatus: 2)
        }
        let log = write(source, plan: plan, to: stream.sink)
        if log.hasErrors {
            stream.discard()
            return Outcome(report: report([inputReport(source, log.diagnostics)]), exitStatus: 1)
        }
        do {
            try stream.commit()
        } catch {
            return Outcome(report: report([inputReport(source, log.diagnostics + [Diagnostic("write_error", .error, at: 0, error.description)])]), exitStatus: 2)
        }
        return Outcome(report: report([inputReport(source, log.diagnostics)]), exitStatus: 0)
    }

    /// The plan made by the first pass, or the input's error diagnostics (and its warnings).
    public struct Plan: Sendable {
        var format: ExpositionFormat
        var plans: [FamilyPlan]
        var log: ConversionLog
    }

    public enum Prepared: Sendable {
        case success(Plan)
        case failure([Diagnostic])
    }

    /// First pass: validate and collect each family's name and type.
    public func prepare(_ source: SourceFile) -> Prepared {
        let format = from.resolve(for: source)
        var options = readOptions
        options.windowed = true
        let (consumers, read) = FamilyReader(source: source, format: format, options: options).read(makeConsumer: { _ in InfoCollector() })
        let diagnostics = from.hinting(read, for: source.bytes, resolved: format)
        if diagnostics.contains(where: { $0.severity == .error }) { return .failure(diagnostics) }
        var infos = consumers.flatMap(\.infos)
        for i in infos.indices { infos[i].end = i + 1 < infos.count ? infos[i + 1].offset : source.bytes.count }
        var log = ConversionLog(strict: self.options.strict)
        let plans = ConversionPlanner.plan(infos, from: format, to: to, log: &log)
        return .success(Plan(format: format, plans: plans, log: log))
    }

    /// Second pass: write every family to `sink`; the conversion's diagnostics.
    func write(_ source: SourceFile, plan: Plan, to sink: ByteSink) -> ConversionLog {
        let writer = ExpositionWriter(target: to, options: options, sink: sink, plans: plan.plans, input: source, log: plan.log)
        writer.begin()
        var options = readOptions
        options.windowed = true
        _ = FamilyReader(source: source, format: plan.format, options: options).read { writer.write($0) }
        writer.finish()
        if let failure = sink.failure {
            writer.log.diagnostics.append(Diagnostic("write_error", .error, at: 0, "cannot write the output: \(failure)"))
        }
        return writer.log
    }

    /// Converts in memory (tests, small inputs): the output, or nil when the input is invalid or --strict
    /// refused it; with the diagnostics.
    public func convert(_ source: SourceFile) -> (output: [UInt8]?, diagnostics: [Diagnostic]) {
        switch prepare(source) {
        case .failure(let diagnostics): return (nil, diagnostics)
        case .success(let plan):
            let sink = ByteSink()
            let log = write(source, plan: plan, to: sink)
            return (log.hasErrors ? nil : sink.kept, log.diagnostics)
        }
    }

    func inputReport(_ source: SourceFile, _ diagnostics: [Diagnostic]) -> InputReport {
        InputReport(source: source, diagnostics: diagnostics, rulesRun: ValidationCatalog.rules.map(\.id), limit: readOptions.maxDiagnostics)
    }

    func report(_ inputs: [InputReport]) -> Report {
        Report(command: "convert", inputs: inputs, rules: ValidationCatalog.rules)
    }
}

/// The first pass's consumer: each family's name and type.
struct InfoCollector: FamilyConsumer {
    var infos: [FamilyInfo] = []
    mutating func consume(_ family: MetricFamily) { infos.append(FamilyInfo(family)) }
}

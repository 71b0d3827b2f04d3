/// `promkit convert` as a library call: read an input, check it, plan the conversion (first pass: the
/// families' names and types only), then write it family by family as the reader hands them over.
public struct ConvertRun: Sendable {
    /// The input's format (detected by default).
    public var from: FormatChoice
    /// The format to write.
    public var to: TargetFormat
    /// How to write: escaping, canonical numbers, sorted labels, strict.
    public var options: WriteOptions
    /// How the input is read.
    public var readOptions: ReadOptions

    /// A conversion to `to`.
    public init(
        from: FormatChoice = .auto, to: TargetFormat, options: WriteOptions = WriteOptions(), readOptions: ReadOptions = ReadOptions()
    ) {
        self.from = from
        self.to = to
        self.options = options
        self.readOptions = readOptions
    }

    /// A run's report and exit status.
    public struct Outcome: Sendable {
        /// The input's findings (invalid input) or the conversion's warnings.
        public var report: Report
        /// 0 converted (warnings allowed); 1 invalid input, or a loss under --strict: nothing written;
        /// 2 the input cannot be read or the output cannot be written.
        public var exitStatus: Int32
        /// Standard output's reader went away (`… | head`): the caller ends quietly, by SIGPIPE.
        public var standardOutputClosed = false
    }

    /// Input bytes per chunk of the parallel pass (tests make it tiny).
    var chunkBytes = 2 << 20

    /// Converts the input at `path` (`-`: standard input) to `destination` (checked against the input by the
    /// caller, `OutputFile.destinations`).
    ///
    /// Where the output can be taken back (a temporary file beside OUT, or standard output spooled to an
    /// unlinked temporary file), one parallel pass validates and writes at once (`convertInOnePass`); it is
    /// dropped when the input is invalid. Elsewhere (a FIFO or device, no room for a spool) the input is
    /// validated first and written after.
    public func run(path: String, destination: OutputFile.Destination) -> Outcome {
        let source: SourceFile
        switch InputLoader.load(path) {
        case .failure(let failure):
            return Outcome(
                report: report([failure.report]), exitStatus: 2)
        case .success(let s):
            source = s
        }
        if let stream = try? OutputStream.open(destination, label: "the converted output", spool: true) {
            if stream.canRewind {
                switch convertInOnePass(source, to: stream.sink, rewind: stream.rewind) {
                case .failure(let diagnostics):
                    stream.discard()
                    return Outcome(report: report([inputReport(source, diagnostics)]), exitStatus: 1)
                case .success(let log, _):
                    return finish(source, stream, log)
                }
            }
            stream.discard()
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
            return Outcome(
                report: report([inputReport(source, plan.log.diagnostics + [Diagnostic("write_error", .error, at: 0, error.description)])]),
                exitStatus: 2)
        }
        return finish(source, stream, write(source, plan: plan, to: stream.sink))
    }

    /// Commits the written output, or drops it when the conversion failed (`--strict`, a write error).
    private func finish(_ source: SourceFile, _ stream: OutputStream, _ log: ConversionLog) -> Outcome {
        if log.hasErrors {
            stream.discard()
            return Outcome(report: report([inputReport(source, log.diagnostics)]), exitStatus: 1)
        }
        do {
            try stream.commit()
        } catch {
            return Outcome(
                report: report([inputReport(source, log.diagnostics + [Diagnostic("write_error", .error, at: 0, error.description)])]),
                exitStatus: 2, standardOutputClosed: error.standardOutputClosed)
        }
        return Outcome(report: report([inputReport(source, log.diagnostics)]), exitStatus: 0)
    }

    enum Converted {
        /// The conversion's diagnostics, and the plan it was written by.
        case success(ConversionLog, Plan)
        /// The input is invalid: its diagnostics (nothing of the output is to be used).
        case failure([Diagnostic])
    }

    /// Validates and converts in one parallel pass, each family written by the plan it has on its own, into
    /// `sink`; when the whole plan differs (a `_created` gauge to fold, a name clash) or the chunks did not
    /// read as one pass, `rewind` takes the output back and it is written again by the whole plan. On failure
    /// the output written so far is to be dropped by the caller.
    func convertInOnePass(_ source: SourceFile, to sink: ByteSink, rewind: () -> Void) -> Converted {
        let format = from.resolve(for: source.bytes)
        var options = readOptions
        options.windowed = true
        let pass = ChunkedWrite(
            source: source, format: format, target: to, options: self.options, readOptions: options, chunkBytes: chunkBytes)
        let outcome = pass.run(.local) { sink.append($0) }
        if outcome.unusable {
            rewind()
            switch prepare(source) {
            case .failure(let diagnostics): return .failure(diagnostics)
            case .success(let plan): return .success(write(source, plan: plan, to: sink), plan)
            }
        }
        let diagnostics = from.hinting(outcome.readDiagnostics, for: source.bytes, resolved: format)
        if diagnostics.contains(where: { $0.severity == .error }) { return .failure(diagnostics) }
        let plan = makePlan(outcome.infos, format: format, source: source)
        if plan.plans == outcome.usedPlans {
            var log = plan.log
            log.diagnostics += outcome.notes
            sink.flush()
            if let failure = sink.failure {
                log.diagnostics.append(Diagnostic("write_error", .error, at: 0, "cannot write the output: \(failure)"))
            }
            return .success(log, plan)
        }
        rewind()
        return .success(write(source, plan: plan, to: sink), plan)
    }

    /// The plan made by the first pass, or the input's error diagnostics (and its warnings).
    public struct Plan: Sendable {
        var format: ExpositionFormat
        var plans: [FamilyPlan]
        var log: ConversionLog
        /// Each family's offset in the input.
        var offsets: [Int]
    }

    /// The first pass's result: the plan, or the input's errors.
    public enum Prepared: Sendable {
        /// The input is valid: the plan to write it.
        case success(Plan)
        /// The input is invalid: its diagnostics.
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
        return .success(makePlan(consumers.flatMap(\.infos), format: format, source: source))
    }

    /// The whole plan, from every family's info.
    func makePlan(_ infos: [FamilyInfo], format: ExpositionFormat, source: SourceFile) -> Plan {
        var infos = infos
        let inputEnd = source.bytes.count
        for i in infos.indices { infos[i].end = i + 1 < infos.count ? infos[i + 1].offset : inputEnd }
        var log = ConversionLog(strict: self.options.strict)
        let plans = ConversionPlanner.plan(
            infos, from: format, to: to, log: &log,
            unmatchedCreated: { owner, created in
                ExpositionWriter.unmatchedCreated(
                    in: source, owner: infos[owner].offset..<infos[owner].end, created: infos[created].offset..<infos[created].end)
            },
            repeatsSeries: { ExpositionWriter.repeatsSeries(in: source, $0) })
        return Plan(format: format, plans: plans, log: log, offsets: infos.map(\.offset))
    }

    /// Second pass, on all cores (`ChunkedWrite`, without the checks: the first pass made them): every family
    /// written to `sink`; the conversion's diagnostics.
    func write(_ source: SourceFile, plan: Plan, to sink: ByteSink) -> ConversionLog {
        var options = readOptions
        options.windowed = true
        options.checks = false
        let pass = ChunkedWrite(
            source: source, format: plan.format, target: to, options: self.options, readOptions: options, chunkBytes: chunkBytes)
        let outcome = pass.run(.given(plan.plans, offsets: plan.offsets)) { sink.append($0) }
        var log = plan.log
        log.diagnostics += outcome.notes
        sink.flush()
        if let failure = sink.failure {
            log.diagnostics.append(Diagnostic("write_error", .error, at: 0, "cannot write the output: \(failure)"))
        }
        return log
    }

    /// Second pass on one thread, family by family as one reader hands them over: what the parallel passes
    /// must give byte for byte (tests).
    func writeOnePass(_ source: SourceFile, plan: Plan, to sink: ByteSink, copyLines: Bool = false) -> ConversionLog {
        let writer = ExpositionWriter(target: to, options: options, sink: sink, plans: plan.plans, input: source, log: plan.log)
        writer.copiesLines = copyLines
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
        let sink = ByteSink.growing()
        switch convertInOnePass(source, to: sink, rewind: sink.clear) {
        case .failure(let diagnostics): return (nil, diagnostics)
        case .success(let log, _): return (log.hasErrors ? nil : Array(sink.bytes), log.diagnostics)
        }
    }

    /// The same in two passes, the second on one thread (`writeOnePass`): the oracle for the parallel passes.
    func convertOnePass(_ source: SourceFile) -> (output: [UInt8]?, diagnostics: [Diagnostic]) {
        switch prepare(source) {
        case .failure(let diagnostics): return (nil, diagnostics)
        case .success(let plan):
            let sink = ByteSink()
            let log = writeOnePass(source, plan: plan, to: sink)
            return (log.hasErrors ? nil : sink.kept, log.diagnostics)
        }
    }

    func inputReport(_ source: SourceFile, _ diagnostics: [Diagnostic]) -> InputReport {
        InputReport(
            source: source, diagnostics: diagnostics, rulesRun: ValidationCatalog.rules.map(\.id), limit: readOptions.maxDiagnostics)
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

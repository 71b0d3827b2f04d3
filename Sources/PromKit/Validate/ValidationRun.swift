/// `promkit validate` as a library call: read each input, validate it, and gather one report.
public struct ValidationRun: Sendable {
    /// The format to read the inputs as (detected by default).
    public var format: FormatChoice
    /// How inputs are read (threads, the limit on findings).
    public var options: ReadOptions
    /// Keep each finding's source line around its column (`Finding.excerpt`), for carets on a terminal.
    public var excerpts: Bool

    /// A validation run.
    public init(format: FormatChoice = .auto, options: ReadOptions = ReadOptions(), excerpts: Bool = false) {
        self.format = format
        self.options = options
        self.excerpts = excerpts
    }

    /// A run's report and exit status.
    public struct Outcome: Sendable {
        /// One report per input.
        public var report: Report
        /// 0 every input valid, 1 an input is invalid, 2 an input could not be read.
        public var exitStatus: Int32
    }

    /// Validates each input (`-` for standard input, a path, or a URL once PromKitNet is installed), in order.
    public func run(paths: [String]) -> Outcome {
        var inputs: [InputReport] = []
        var unreadable = false
        var invalid = false
        for path in paths {
            switch InputLoader.load(path) {
            case .failure(let failure):
                if failure.unreadable { unreadable = true } else { invalid = true }
                inputs.append(failure.report)
            case .success(let source):
                // The report does not keep the input: it is closed and unmapped before the next is opened.
                let input = validate(source, keepingSource: false)
                if let failure = source.lateFailure {
                    if failure.unreadable { unreadable = true } else { invalid = true }
                    inputs.append(failure.report)
                    continue
                }
                if input.count(.error) > 0 { invalid = true }
                inputs.append(input)
            }
        }
        let status: Int32 = unreadable ? 2 : invalid ? 1 : 0
        return Outcome(
            report: Report(command: "validate", inputs: inputs, rules: ValidationCatalog.rules + [InputLoader.scrapeErrorRule]),
            exitStatus: status)
    }

    /// Validates one input already loaded: its findings, located.
    public func validate(_ source: SourceFile, keepingSource: Bool = true) -> InputReport {
        let resolved = format.resolve(for: source)
        let diagnostics =
            source.notes
            + format.hinting(Validator.validate(source, format: resolved, options: options), for: source.bytes, resolved: resolved)
        return InputReport(
            source: source, diagnostics: diagnostics, rulesRun: ValidationCatalog.rules.map(\.id),
            limit: options.maxDiagnostics, excerpts: excerpts, keepingSource: keepingSource)
    }
}

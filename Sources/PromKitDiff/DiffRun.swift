import PromKit

/// `promkit diff OLD NEW` as a library call: both inputs read (each on all cores), their findings, the diff.
///
/// A diff is often run exactly when something is broken, so only what loses data stops it: an input that
/// cannot be read, or a syntax error (a line that did not parse, so its sample is not known). The other
/// findings of validation (semantic ones: duplicate series, buckets out of order) are shown as warnings and
/// the diff goes on.
public struct DiffRun: Sendable {
    /// What is compared and how.
    public var options: DiffOptions

    /// A diff run with `options`.
    public init(options: DiffOptions = DiffOptions()) {
        self.options = options
    }

    /// A run's result: the diff (when both inputs could be read), the findings, and what went wrong.
    public struct Outcome: Sendable {
        /// The diff; nil when an input could not be read or has syntax errors.
        public var result: DiffResult?
        /// Each input's findings: syntax errors as errors, every other finding as a warning (read failures as
        /// one error each).
        public var findings: [Finding]
        /// An input could not be read.
        public var unreadable: Bool
        /// An input has syntax errors (`syntaxCodes`): some of its samples are not known, so no diff is made.
        public var syntaxErrors: Bool
        /// The two sides' families, released with the outcome: a run that exits once its report is written
        /// (the CLI) frees none of them (freeing a 100 MB input's families one by one was a serial 3 % of it).
        var sides: KeptSides? = nil

        /// 2 an input unreadable or with syntax errors; 1 a change at or above `failOn`; else 0.
        public func exitStatus(failOn: FailOn) -> Int32 {
            guard let result, !unreadable, !syntaxErrors else { return 2 }
            return result.fails(failOn) ? 1 : 0
        }
    }

    /// The codes that mean a line was not read (its sample is missing from the comparison), or the input not
    /// read whole.
    public static let syntaxCodes: Set<DiagnosticCode> = [
        .invalidMetricName, .invalidLabelName, .invalidLabels, .invalidEscape, .invalidValue, .invalidTimestamp,
        .invalidWhitespace, .invalidComment, .invalidMetadata, .unknownType, .invalidExemplar,
        .invalidCompositeValue, .unexpectedText, .inputTooLarge, .inputChanged, .invalidUTF8, .lineTooLong,
    ]

    /// Reads and compares two paths (`-`: standard input, for one of them).
    public func run(old: String, new: String) -> Outcome {
        var failures: [Finding] = []
        var sources: [SourceFile] = []
        for path in [old, new] {
            switch InputLoader.load(path) {
            case .success(let source): sources.append(source)
            case .failure(let failure):
                failures.append(failure.finding)
            }
        }
        guard failures.isEmpty else {
            return Outcome(result: nil, findings: failures, unreadable: true, syntaxErrors: false)
        }
        return diff(old: sources[0], new: sources[1])
    }

    /// Compares two inputs already loaded.
    public func diff(old: SourceFile, new: SourceFile) -> Outcome {
        // Both sides at once, each on half the threads: the parts of a read that run on one thread (splitting,
        // the checks across cuts, gathering the families) overlap the other side's.
        var sides: [ComparableSide?] = [nil, nil]
        var each = options
        each.readOptions.threads = max(1, (options.readOptions.threads + 1) / 2)
        sides.withUnsafeMutableBufferPointer { out in
            ParallelLoop.forEach(2, threads: options.readOptions.threads > 1 ? 2 : 1) { i, _ in
                out[i] = ComparableSide(source: i == 0 ? old : new, format: i == 0 ? options.oldFormat : options.newFormat, options: each)
            }
        }
        let oldSide = sides[0]!, newSide = sides[1]!
        var findings: [Finding] = []
        var syntax = false
        for side in [oldSide, newSide] {
            let (sideFindings, sideSyntax) = Self.findings(side)
            findings += sideFindings
            syntax = syntax || sideSyntax
        }
        guard !syntax else { return Outcome(result: nil, findings: findings, unreadable: false, syntaxErrors: true) }
        let result = Differ(old: oldSide, new: newSide, options: options).compare(
            oldPath: old.name, newPath: new.name, threads: options.readOptions.threads)
        // The entries (most of the memory) go now; the families, many small pieces, go with the outcome.
        for side in [oldSide, newSide] {
            for store in side.entries { store.release() }
        }
        return Outcome(
            result: result, findings: findings, unreadable: false, syntaxErrors: false, sides: KeptSides([oldSide, newSide]))
    }

    /// A side's findings, semantic errors lowered to warnings; and whether it has a syntax error (shown or
    /// among those the limit left out).
    private static func findings(_ side: ComparableSide) -> ([Finding], Bool) {
        var syntax = false
        let diagnostics = side.diagnostics.map { d -> Diagnostic in
            var d = d
            if d.code == .tooManyDiagnostics {
                if d.omitted.contains(where: { syntaxCodes.contains($0.code) && $0.severity == .error }) { syntax = true }
                return d
            }
            if d.severity == .error {
                if syntaxCodes.contains(d.code) { syntax = true } else { d.severity = .warning }
            }
            return d
        }
        let report = InputReport(source: side.source, diagnostics: diagnostics, rulesRun: [], keepingSource: false)
        return (report.findings, syntax)
    }
}

/// Both sides of a diff, kept with its outcome (`DiffRun.Outcome.sides`); only released, never read.
final class KeptSides: @unchecked Sendable {
    private let sides: [ComparableSide]

    init(_ sides: [ComparableSide]) {
        self.sides = sides
    }
}

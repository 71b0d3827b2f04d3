#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Options for reading an input.
public struct ReadOptions: Sendable {
    /// Diagnostics kept per input before the rest are summarised in one final note (0: no limit).
    public var maxDiagnostics: Int
    /// Threads for large inputs, split at family boundaries (1: one pass on the calling thread).
    public var threads: Int
    /// Inputs smaller than this are read in one pass.
    package var parallelThreshold: Int
    /// Whether the line parser takes over tokens a line shares with the line before (off only in tests).
    package var reuseTokens = true
    /// A mapped file is read in stretches copied from the file (`InputWindow`) rather than through the
    /// mapping: for callers that read each family during the consumer call, on the reading thread (the
    /// validator, the linter). Not public: a family kept past the call reads through its `source` (correct,
    /// but through the mapping the window was there to avoid), and `readAll` ignores it.
    package var windowed = false
    /// The window's piece size (tests make it small, so that every line meets a window's edge somewhere).
    package var windowPiece = InputWindow.piece
    /// Whether each family's semantics are checked (`FamilyChecker`). Off only for a pass over an input
    /// already validated (a conversion's writing pass).
    package var checks = true
    /// What one input may hold at most (line length, labels, series, size): past a limit, a located error.
    public var limits = ReadLimits()

    /// How to read: the findings kept per input, threads for a large input, and the size from which it is read on several.
    public init(maxDiagnostics: Int = 1000, threads: Int = ReadOptions.availableCores, parallelThreshold: Int = 8 << 20) {
        self.maxDiagnostics = maxDiagnostics
        self.threads = min(max(1, threads), Self.maximumThreads)
        self.parallelThreshold = parallelThreshold
    }

    /// More threads than this only cost memory (a stack and buffers each: 100,000 took 517 MB).
    public static let maximumThreads = 256

    /// The cores online (at least 1): the default thread count.
    public static var availableCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// Receives the families of one stretch of an input, in order. Parallel reads make one per chunk.
package protocol FamilyConsumer: SendableMetatype {
    mutating func consume(_ family: MetricFamily)
}

/// Reads an input line by line and hands over one complete `MetricFamily` at a time, in input order.
///
/// This is where the structure of an exposition is checked: which family each sample belongs to (by the
/// format's suffix rules), metadata before samples and at most once, families contiguous, `# EOF`, line
/// ends, UTF-8. The line syntax is `LineParser`'s; the semantics of a family's samples are `FamilyChecker`'s.
/// Only the current family is held, so memory stays flat however large the input.
public struct FamilyReader: Sendable {
    /// The input.
    public let source: SourceFile
    /// The format it is read as.
    public let format: ExpositionFormat
    /// How it is read.
    public let options: ReadOptions

    /// A reader of `source` as `format`.
    public init(source: SourceFile, format: ExpositionFormat, options: ReadOptions = ReadOptions()) {
        self.source = source
        self.format = format
        self.options = options
    }

    /// Calls `body` with each family, in input order, on the calling thread; returns the structural and
    /// syntax diagnostics. One pass, whatever `options.threads` says.
    public func read(_ body: (MetricFamily) -> Void) -> [Diagnostic] {
        source.bytes.withUnsafeBufferPointer { p in
            var pass = ReaderState(source: source, p: p, format: format, options: options, range: 0..<p.count, first: true, last: true)
            pass.run(body)
            LineIndex.record([pass], in: source)
            return ChunkMerge.diagnostics([pass], format: format, options: options, inputEnd: p.count)
        }
    }

    /// Reads large inputs in parallel: split at family boundaries into chunks (`ChunkSplitter.shares`) that
    /// `options.threads` threads take in order, each read into its own consumer (from `makeConsumer`, given the
    /// chunk's index). Checks that span chunks (families split apart, name clashes) run after. Returns the
    /// consumers in input order. A body still arriving (`BodyArrival`) is cut and read as it comes in.
    package func read<C: FamilyConsumer>(makeConsumer: (Int) -> C) -> (consumers: [C], diagnostics: [Diagnostic]) {
        source.bytes.withArrivingBufferPointer { p, arrival in
            let parallel = p.count >= options.parallelThreshold
            // A body still arriving (HTTP) is cut as it comes in, and the chunks before each cut are read
            // meanwhile, on all cores (`ArrivingChunks`); anything else is cut first.
            let arriving =
                arrival.flatMap { arrival -> ArrivingChunks? in
                    guard parallel, options.windowed, source.bytes.readsByPieces else { return nil }
                    return ArrivingChunks(
                        p, format: format, shares: ChunkSplitter.arrivingShares(threads: options.threads), arrival: arrival)
                }
            if arriving == nil { arrival?.waitAll() }
            let ranges =
                arriving != nil
                ? [] : ChunkSplitter.split(p, format: format, shares: ChunkSplitter.shares(threads: parallel ? options.threads : 1))
            let count = arriving?.maximumCount ?? ranges.count
            var consumers = (0..<count).map(makeConsumer)
            var passes: [ReaderState?] = Array(repeating: nil, count: count)
            if count == 1 {
                var pass = ReaderState(source: source, p: p, format: format, options: options, range: ranges[0], first: true, last: true)
                pass.run { consumers[0].consume($0) }
                passes[0] = pass
            } else {
                // Each thread hands the buffers its pass grew to its next pass (fresh memory costs a page fault
                // per 4 KiB, a few MiB per pass on a large input).
                var spares: [ReaderState.Buffers?] = Array(repeating: nil, count: options.threads)
                consumers.withUnsafeMutableBufferPointer { cs in
                    passes.withUnsafeMutableBufferPointer { ps in
                        spares.withUnsafeMutableBufferPointer { spares in
                            let work = ParallelWork(consumers: cs, passes: ps, input: p)
                            ParallelLoop.forEach(count, threads: options.threads) { i, worker in
                                // The chunk: cut already, or once its bytes are in (none when the cuts ran out).
                                let range: Range<Int>
                                if let arriving {
                                    guard let r = arriving.range(i) else { return }
                                    range = r
                                } else {
                                    range = ranges[i]
                                }
                                // Plain values only in the per-family closure: capturing the shared `work` object
                                // would retain and release it around every sample, from every thread at once
                                // (cache-line ping-pong that cost a third of the time on two cores).
                                let consumers = work.consumers
                                var pass = ReaderState(
                                    source: source, p: work.input, format: format, options: options, range: range,
                                    first: i == 0, last: range.upperBound == work.input.count, reusing: spares[worker].take())
                                pass.run { consumers[i].consume($0) }
                                spares[worker] = pass.takeBuffers()
                                work.passes[i] = pass
                            } finished: { worker in
                                // Freed on the thread that used them, while the others still work.
                                spares[worker] = nil
                            }
                        }
                    }
                }
                if arriving != nil {
                    // Fewer chunks than the shares allow (no cut near some boundaries): the slots left empty go.
                    let used = passes.indices.filter { passes[$0] != nil }
                    consumers = used.map { consumers[$0] }
                    passes = used.map { passes[$0] }
                }
                // A "# EOF" before the last chunk, or a cut that fell inside a family (the line before it was
                // broken, so the family went on): read it again in one pass, which reports it exactly.
                if !ChunkMerge.readAsOnePass(passes.map { $0! }) {
                    var pass = ReaderState(
                        source: source, p: p, format: format, options: options, range: 0..<p.count, first: true, last: true)
                    consumers = [makeConsumer(0)]
                    pass.run { consumers[0].consume($0) }
                    passes = [pass]
                }
            }
            let all = passes.map { $0! }
            LineIndex.record(all, in: source)
            return (consumers, ChunkMerge.diagnostics(all, format: format, options: options, inputEnd: p.count))
        }
    }

    /// Every family of the input, with the diagnostics (for commands that need the whole document).
    public func readAll() -> (families: [MetricFamily], diagnostics: [Diagnostic]) {
        var families: [MetricFamily] = []
        // Every family is kept: no window (its bytes would be read back through the mapping anyway).
        var options = options
        options.windowed = false
        let diagnostics = FamilyReader(source: source, format: format, options: options).read { families.append($0) }
        return (families, diagnostics)
    }
}

/// Collects diagnostics up to the limit, then counts the rest.
struct DiagnosticSink {
    var diagnostics: [Diagnostic] = []
    let limit: Int
    /// Diagnostics at or past this offset are only counted: `limit` diagnostics before it are held already.
    /// Lowered each time the held ones reach twice the limit and are cut back to the first `limit` by location
    /// (checks report a family's findings when it ends, after later lines' syntax errors: the first diagnostics
    /// made are not the first in the input). Memory stays under twice the limit.
    private(set) var cutoff = Int.max
    /// What was not held, by code and severity (reporters give true totals).
    private(set) var omitted: [OmittedCount] = []

    init(limit: Int) { self.limit = limit }

    /// Whether a diagnostic at `offset` would be held (callers skip making one that would only be counted).
    func keeps(_ offset: Int) -> Bool { offset < cutoff }

    mutating func add(_ d: Diagnostic) {
        guard d.offset < cutoff else { return countDropped(d.code, d.severity) }
        diagnostics.append(d)
        if limit > 0 && diagnostics.count >= 2 * limit { cut() }
    }

    /// One more not held, for callers that skip making the diagnostic once it would only be counted.
    mutating func countDropped(_ code: DiagnosticCode, _ severity: Severity) {
        omitted.add(code, severity)
    }

    mutating func add(_ e: SyntaxError, family: String? = nil) {
        add(Diagnostic(e.code, .error, at: e.offset, e.message, family: family))
    }

    /// Forgets the invalid-UTF-8 findings past `offset` (what follows `# EOF` is not read): the held ones, and
    /// of the `found` there in all, those only counted (past the limit, or cut back to it).
    mutating func dropUTF8(after offset: Int, found: Int) {
        let held = diagnostics.count
        diagnostics.removeAll { $0.code == .invalidUTF8 && $0.offset > offset }
        let counted = found - (held - diagnostics.count)
        guard counted > 0, let i = omitted.firstIndex(where: { $0.code == .invalidUTF8 && $0.severity == .error }) else { return }
        omitted[i].count -= counted
        if omitted[i].count <= 0 { omitted.remove(at: i) }
    }

    private mutating func cut() {
        diagnostics = diagnostics.sortedByLocation()
        for d in diagnostics[limit...] { omitted.add(d.code, d.severity) }
        diagnostics.removeSubrange(limit...)
        cutoff = diagnostics[limit - 1].offset
    }
}

/// The reader's working state for one pass over one input.
///
/// Holds pointers to the input (`p`, `input`, and the parser's and checks' copies of them) lent by
/// `ByteBuffer.withUnsafeBufferPointer`: a pass is made, run and dropped inside that call (`FamilyReader.read`),
/// never returned, and the families it hands over read through their `source` once the call is over.
struct ReaderState {
    let source: SourceFile
    /// The input's bytes as this pass reads them: the whole input, or (windowed) the current window, shifted
    /// so that offsets stay the input's.
    private(set) var p: UnsafeBufferPointer<UInt8>
    /// The whole input.
    let input: UnsafeBufferPointer<UInt8>
    private var window: InputWindow?
    /// Lends the window to each family for its hand-over (nil when not windowed).
    private let lease: WindowLease?
    private let windowPiece: Int
    let format: ExpositionFormat
    var sink: DiagnosticSink
    var parser: LineParser
    var line = ParsedLine()

    /// The family being read, until it is handed over.
    var current: FamilyInProgress
    /// The families met so far, for the checks that span the passes (`ChunkMerge`).
    var met = FamiliesMet()
    /// How far the lines went: what the merge and the line index need from the pass.
    var lines = LineProgress()
    /// The stretch of the input this pass reads, and whether it is the input's start or end.
    let range: Range<Int>
    let first: Bool
    let last: Bool
    /// Where the file ended when it turned out shorter than when it was mapped (read no further).
    var shrankAt: Int?
    /// The semantic checks, with scratch buffers reused from family to family.
    var checker: FamilyChecker
    /// Whether the checks run (`ReadOptions.checks`).
    let checks: Bool
    /// What one input may hold at most (`ReadOptions.limits`).
    let limits: ReadLimits

    /// The stretch mapped in and checked ahead of the line parser, when the input is read through its mapping.
    static let piece = 2 << 20
    /// The suffixes some type generates in this format, for each family entry's name-clash key.
    let generatedRoles: SampleRoles

    /// What a pass grows and a later pass on the same thread can take over: the family's arrays, the line
    /// parser's, the checks' scratch.
    struct Buffers {
        var family: MetricFamily
        var parser: LineParser
        var checker: FamilyChecker
    }

    private static func reserve<T>(_ array: inout [T], _ n: Int) {
        if n > array.capacity { array.reserveCapacity(n) }
    }

    /// The buffers, for the next pass; this pass keeps what the merge reads (diagnostics, families met).
    mutating func takeBuffers() -> Buffers {
        let taken = Buffers(family: current.family, parser: parser, checker: checker)
        current.family = MetricFamily(source: source, format: format, name: "")
        parser = LineParser(input, format: format)
        checker = FamilyChecker(p: input, source: source, format: format)
        return taken
    }

    init(
        source: SourceFile, p: UnsafeBufferPointer<UInt8>, format: ExpositionFormat, options: ReadOptions,
        range: Range<Int>, first: Bool, last: Bool, reusing buffers: Buffers? = nil
    ) {
        self.range = range
        self.first = first
        self.last = last
        self.source = source
        self.p = p
        self.input = p
        self.window =
            options.windowed && source.bytes.readsByPieces && !range.isEmpty
            ? InputWindow(at: range.lowerBound, inputCount: p.count) : nil
        self.lease = window != nil ? WindowLease() : nil
        self.windowPiece = options.windowPiece
        self.checks = options.checks
        self.limits = options.limits
        self.format = format
        self.sink = DiagnosticSink(limit: options.maxDiagnostics)
        if var buffers {
            buffers.family.reset(name: "", offset: 0)
            buffers.parser.restart(p)
            buffers.checker.rebase(p)
            self.current = FamilyInProgress(family: buffers.family)
            self.parser = buffers.parser
            self.checker = buffers.checker
        } else {
            self.current = FamilyInProgress(family: MetricFamily(source: source, format: format, name: ""))
            self.parser = LineParser(p, format: format)
            self.checker = FamilyChecker(p: p, source: source, format: format)
        }
        // Room reserved up front by the stretch's size, for what grows with it (a large family's samples and
        // labels, the families met): an array that doubles copies itself into fresh pages each time, a fault
        // per 4 KiB of the copy; reserved room is only address space until it is written.
        let expected = range.count >> 6
        Self.reserve(&current.family.samples, min(expected / 80, 1 << 14))
        Self.reserve(&current.family.labels, min(expected / 20, 1 << 16))
        Self.reserve(&met.entries, expected / 40)
        Self.reserve(&met.names, expected)
        self.parser.reuseTokens = options.reuseTokens
        self.generatedRoles = FamilySuffixes.generatedRoles(in: format)
    }

    /// Whether a CR ending the line `pos..<end` is part of the line rather than half of a CR LF line end: in
    /// help text (every format's grammar allows it there: OpenMetrics' `normal-char` holds %x0D, the text format's
    /// help is "any sequence of UTF-8 characters") and in a text comment, which Prometheus reads to the line feed.
    /// Elsewhere (names, numbers, types, `# EOF`) the grammars have no room for it: there it is a CR LF line end.
    /// Asked only when a line ends with a CR.
    func carriageReturnIsText(_ pos: Int, _ end: Int) -> Bool {
        let scan = parser.scan
        if format.isOpenMetrics { return end - pos > 7 && scan.equals(ByteRange(pos, pos + 7), "# HELP ") }
        var i = scan.skipBlanks(pos, end)
        guard i < end && p[i] == UInt8(ascii: "#") else { return false }
        i = scan.skipBlanks(i + 1, end)
        // A TYPE line's CR would be read into its type word; every other `#` line (`# TYPE` needs a blank after
        // the keyword) is help or a comment.
        return !(end - i > 4 && scan.equals(ByteRange(i, i + 4), "TYPE") && scan.isBlank(p[i + 4]))
    }

    mutating func run(_ body: (MetricFamily) -> Void) {
        defer { closeWindow() }
        // The end: the stretch's, or sooner when the file turns out shorter than when it was mapped.
        var n = range.upperBound
        var pos = range.lowerBound
        // The input's bytes before `available` are at hand (in the window, or a mapped file's pages mapped in;
        // all of an input held in memory), and those before `checked` are whole lines checked for UTF-8.
        var available = pos
        var checked = pos
        if window != nil {
            // Enough for the byte order mark check, however small the pieces.
            while available < min(n, range.lowerBound + 3) { available = advance(from: available, keeping: pos, limit: n) }
            if let end = shrankAt { n = min(n, end) }
        } else if !source.bytes.readsByPieces {
            available = n
        }
        if first {
            if p.count > SourceFile.maximumSize {
                sink.add(Diagnostic(.inputTooLarge, .error, at: 0, "input is \(p.count) bytes; promkit reads inputs up to 2 GiB"))
                return
            }
            if p.count > limits.inputBytes {
                sink.add(
                    Diagnostic(
                        .inputTooLarge, .error, at: 0,
                        "input is \(p.count) bytes, over the limit of \(limits.inputBytes) (--limit input_bytes=N); not read"))
                return
            }
            if p.count == 0 {
                if format.isOpenMetrics {
                    sink.add(Diagnostic(.missingEOF, .error, at: 0, "input is empty; an OpenMetrics exposition ends with \"# EOF\""))
                } else {
                    sink.add(Diagnostic(.emptyInput, .warning, at: 0, "input is empty: no metrics"))
                }
                return
            }
            if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF {
                sink.add(Diagnostic(.byteOrderMark, .error, at: 0, "input starts with a UTF-8 byte order mark; the formats forbid it"))
                pos = 3
                // The mark is well-formed UTF-8, and the check starts after it: a window keeps bytes from `pos` on,
                // and checking from 0 read the three bytes before the window's buffer (found by fuzzing and ASan).
                checked = max(checked, pos)
            }
        }
        var base = p.baseAddress!
        // Bytes in `checked..<noLineEnd` are known to hold no line end: a line longer than a piece is looked
        // over once, not again after every piece read (that was quadratic in the line's length).
        var noLineEnd = checked
        while pos < n {
            // The line must be whole in memory, and checked: more input when its end is not in sight.
            let hit = pos < checked ? memchr(base + pos, 0x0A, checked - pos) : nil
            if hit == nil && checked < n {
                // Whole lines are checked (a character may go on in the next piece): up to the last line end
                // in what is readable, or more input first when there is none.
                var upTo = available
                if available < n {
                    let floor = max(checked, noLineEnd)
                    while upTo > floor && p[upTo - 1] != 0x0A { upTo -= 1 }
                    if upTo == floor { upTo = checked; noLineEnd = available }
                }
                if upTo == checked {
                    available = advance(from: available, keeping: pos, limit: n)
                    base = p.baseAddress!
                    if let end = shrankAt, end < n {
                        n = end
                        available = min(available, n)
                        checked = min(checked, n)
                    }
                } else {
                    checkUTF8(from: checked, to: upTo)
                    checked = upTo
                }
                continue
            }
            let lineEnd = hit.map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? n
            if lines.sawEOF {
                sink.add(Diagnostic(.contentAfterEOF, .error, at: pos, "text after \"# EOF\"; nothing may follow it"))
                // Nothing after it is read: invalid UTF-8 there, found by a check ahead of the lines when the
                // input is in memory, is not reported either (the windowed read never looks; found by fuzzing),
                // nor counted past the limit. Nor is its line end looked at (a CR there was reported before it;
                // found by fuzzing).
                var found = 0
                UTF8Check.forEachInvalidLine(p, from: pos, to: checked) { i in if i > pos { found += 1 } }
                sink.dropUTF8(after: pos, found: found)
                break
            }
            var contentEnd = lineEnd
            if contentEnd > pos && p[contentEnd - 1] == 0x0D && !carriageReturnIsText(pos, contentEnd) {
                contentEnd -= 1
                if !lines.reportedCR {
                    lines.reportedCR = true
                    sink.add(
                        Diagnostic(
                            .carriageReturn, .error, at: contentEnd,
                            "line ends with CR LF; \(format.displayName) requires LF line ends (reported once; read as LF)"))
                }
            }
            assert(window.map { $0.holds(pos..<lineEnd) } ?? true, "line \(pos)..<\(lineEnd) outside the window")
            if contentEnd - pos > limits.lineBytes {
                // Not parsed: its tokens would be as long (a line is where a hostile input puts its bulk).
                sink.add(
                    Diagnostic(
                        .lineTooLong, .error, at: pos,
                        "line is \(contentEnd - pos) bytes, over the limit of \(limits.lineBytes) (--limit line_bytes=N); not read"))
            } else {
                handleLine(pos, contentEnd, body)
            }
            lines.lastLineEnd = lineEnd
            pos = lineEnd + 1
            if lineEnd < n {
                lines.ended += 1
                if lines.ended & (LineIndex.every - 1) == 0 { lines.starts.append(pos) }
            }
        }
        lines.reachedEnd = pos >= n
        finishFamily(body)
    }

    /// More of the input made readable after `available`, up to `limit`; returns the new end of what is
    /// readable. Windowed: the next piece is copied in, keeping the current family's bytes (from `pos` or the
    /// family's start). Mapped: the next stretch's pages are mapped in at once (`ByteBuffer.willRead`).
    private mutating func advance(from available: Int, keeping pos: Int, limit: Int) -> Int {
        guard var w = window else {
            let end = min(limit, available + Self.piece)
            source.bytes.willRead(available..<end)
            return end
        }
        window = nil
        let keep = current.active ? min(pos, Int(current.family.offset)) : pos
        w.advance(keeping: keep, limit: limit, piece: windowPiece, from: source.bytes)
        window = w
        if shrankAt == nil, let end = w.shrankAt {
            shrankAt = end
            sink.add(
                Diagnostic(
                    .inputChanged, .error, at: end,
                    "the file got shorter while it was read (it now ends at byte \(end)); what followed was not checked"))
        }
        rebase(w.bytes)
        // The previous sample line may lie before what was kept: its tokens are not taken over then.
        parser.forgetPrevious(before: keep)
        return w.end
    }

    private mutating func rebase(_ bytes: UnsafeBufferPointer<UInt8>) {
        p = bytes
        parser.rebase(bytes)
        checker.rebase(bytes)
    }

    /// After the pass: the window is freed, and what reads the pass's bytes later reads the whole input.
    private mutating func closeWindow() {
        guard let w = window else { return }
        window = nil
        w.deallocate()
        rebase(input)
    }

    // MARK: Lines

    mutating func handleLine(_ start: Int, _ end: Int, _ body: (MetricFamily) -> Void) {
        do throws(SyntaxError) {
            try parser.parse(start, end, into: &line)
        } catch {
            sink.add(error)
            return
        }
        switch line.kind {
        case .blank, .comment:
            return
        case .eof:
            lines.sawEOF = true
        case .help, .type, .unit:
            if line.kind == .help && line.helpEscape >= 0 {
                let w = parser.scan.helpEscapeWarning(line.helpEscape, line.text.upperBound)
                sink.add(Diagnostic(w.code, .warning, at: w.offset, w.message))
            }
            handleMetadata(body)
        case .sample:
            handleSample(body)
        }
    }

    mutating func handleMetadata(_ body: (MetricFamily) -> Void) {
        let kindWord = line.kind == .help ? "HELP" : line.kind == .type ? "TYPE" : "UNIT"
        // The family's own name (not one of its suffixed sample names) goes on with it.
        if !current.active
            || FamilyMatch.role(
                line.name, line.nameFlags, key: current.key, type: current.family.type, format: format,
                p: p) != .bare
        {
            finishFamily(body)
            startFamily(line.name, line.nameFlags, at: line.start)
        } else if current.hasSamples && (format.isOpenMetrics || line.kind == .type) {
            let already =
                line.kind == .help
                ? current.family.helpOffset != nil
                : line.kind == .type ? current.family.typeOffset != nil : current.family.unitOffset != nil
            if already {
                // A second HELP/TYPE after samples is nearly always a second family with the same name.
                sink.add(
                    Diagnostic(
                        .duplicateMetadata, .error, at: line.start,
                        "second \(kindWord) line for \"\(current.family.name)\", after its samples: two metric families cannot share a name",
                        family: current.family.name))
            } else {
                sink.add(
                    Diagnostic(
                        .metadataAfterSamples, .error, at: line.start,
                        "\(kindWord) line for \"\(current.family.name)\" after its samples; metadata goes before the first sample",
                        family: current.family.name))
            }
            return
        }
        let offset = Int32(line.start)
        noteQuoting()
        switch line.kind {
        case .help:
            if current.family.helpOffset != nil {
                duplicate(kindWord)
                return
            }
            current.family.helpOffset = offset
            // "# HELP x " with nothing after: OpenMetrics 2.0 says an empty HELP means none; keep it empty.
            current.family.helpRange = line.text
        case .type:
            if current.family.typeOffset != nil {
                duplicate(kindWord)
                return
            }
            current.family.typeOffset = offset
            current.family.type = line.type
            current.family.typeDeclared = true
        default:
            if current.family.unitOffset != nil {
                duplicate(kindWord)
                return
            }
            current.family.unitOffset = offset
            current.family.unitRange = line.text
        }
    }

    private mutating func duplicate(_ kindWord: String) {
        sink.add(
            Diagnostic(
                .duplicateMetadata, .error, at: line.start,
                "second \(kindWord) line for metric family \"\(current.family.name)\"; a family has at most one",
                family: current.family.name))
    }

    mutating func handleSample(_ body: (MetricFamily) -> Void) {
        let lineLabels = parser.sampleLabels
        let labelCount = lineLabels.count
        // The same name as the previous sample line, which (as the family has samples) is this family's last
        // sample: its role, without matching again. (A static call on the fields, not a method: a method call
        // from here would copy the whole state.)
        var role: SampleRole? = nil
        if current.active {
            role =
                line.nameShared && current.hasSamples
                ? current.family.samples[current.family.samples.count - 1].role
                : FamilyMatch.role(line.name, line.nameFlags, key: current.key, type: current.family.type, format: format, p: p)
        }
        if role == nil {
            finishFamily(body)
            startFamily(line.name, line.nameFlags, at: line.start, implicit: true)
            role = .bare
        }
        // The line's labels, copied from the parser's tokens (one by one: a few labels, where the bulk
        // append's set-up cost more than the copy).
        let labelStart = current.family.labels.count
        for label in lineLabels {
            if label.value.count > limits.labelValueBytes { labelValueTooLong(label) }
            current.family.labels.append(label)
        }
        if labelCount > limits.labelsPerSeries {
            sink.add(
                Diagnostic(
                    .tooManyLabels, .error, at: line.start,
                    "series has \(labelCount) labels, over the limit of \(limits.labelsPerSeries) (--limit labels_per_series=N)",
                    family: current.family.name))
        }
        // The previous line's labels are the previous sample's only within one family.
        let sharedLabels = current.hasSamples ? UInt8(min(line.sharedLabels, 255)) : 0
        let sameLabelNames = current.hasSamples && line.sameLabelNames
        current.hasSamples = true
        noteQuoting()
        var exemplarRange: Range<Int32> = 0..<0
        if !parser.exemplars.isEmpty {
            let first = Int32(current.family.exemplars.count)
            for e in parser.exemplars {
                let ls = Int32(current.family.labels.count)
                current.family.labels.append(contentsOf: parser.exemplarLabels[e.labels])
                current.family.exemplars.append(
                    Exemplar(
                        offset: Int32(e.offset), labels: ls..<Int32(current.family.labels.count),
                        value: e.value, valueRange: e.valueRange, timestamp: e.timestamp))
            }
            exemplarRange = first..<Int32(current.family.exemplars.count)
        }
        var extra: Int32 = -1
        if line.hasComposite || line.startTimestamp != nil || !exemplarRange.isEmpty {
            extra = Int32(current.family.extras.count)
            current.family.extras.append(
                SampleExtra(
                    exemplars: exemplarRange, composite: line.hasComposite ? parser.composite : nil,
                    startTimestamp: line.startTimestamp))
        }
        var sample = Sample(
            offset: Int32(line.start), name: line.name, nameFlags: line.nameFlags,
            labels: Int32(labelStart)..<Int32(labelStart + labelCount),
            value: line.value, valueRange: line.valueRange, timestamp: line.timestamp,
            extra: extra)
        sample.role = role
        sample.sharedLabels = sharedLabels
        sample.sameLabelNames = sameLabelNames
        current.family.samples.append(sample)
    }

    private mutating func labelValueTooLong(_ label: Label) {
        sink.add(
            Diagnostic(
                .labelValueTooLong, .error, at: label.value.lowerBound,
                "label value is \(label.value.count) bytes, over the limit of \(limits.labelValueBytes) (--limit label_value_bytes=N)",
                family: current.family.name))
    }

    // MARK: Families

    mutating func startFamily(_ nameRange: ByteRange, _ flags: Label.Flags, at offset: Int, implicit: Bool = false) {
        if flags.contains(.nameEscaped) {
            current.key = Unescape.bytes(p, nameRange)
        } else {
            // The key's storage is reused from family to family.
            current.key.removeAll(keepingCapacity: true)
            current.key.append(contentsOf: UnsafeBufferPointer(rebasing: p[nameRange.lowerBound..<nameRange.upperBound]))
        }
        current.family.reset(name: String(decoding: current.key, as: UTF8.self), offset: Int32(offset))
        current.implicit = implicit
        current.quoting = []
        current.active = true
        current.hasSamples = false
    }

    /// OpenMetrics 2.0: a family's name SHOULD be written the same way (quoted or not) on all its lines.
    /// (Inlined: for the other formats, on every line, it is the one comparison.)
    @inline(__always) private mutating func noteQuoting() {
        guard format == .openMetrics2 else { return }
        let quoted = line.nameFlags.contains(.nameQuoted)
        let before = current.quoting
        current.quoting.insert(quoted ? .quoted : .plain)
        if current.quoting.count == 2 && before.count == 1 {
            sink.add(
                Diagnostic(
                    .metadataQuoting, .warning, at: line.start,
                    "\"\(current.family.name)\" is written \(quoted ? "quoted" : "unquoted") here but \(quoted ? "unquoted" : "quoted") before; write a family's name the same way on all its lines",
                    family: current.family.name))
        }
    }

    mutating func finishFamily(_ body: (MetricFamily) -> Void) {
        guard current.active else { return }
        current.active = false
        let nameStart = met.names.count
        met.names.append(contentsOf: current.key)
        met.entries.append(
            FamilyEntry(
                name: ByteRange(nameStart, met.names.count), key: current.key,
                type: current.family.type, offset: Int(current.family.offset), implicit: current.implicit,
                generated: generatedRoles, samples: current.family.samples.count))
        guard let lease else {
            if checks { checker.check(&current.family, into: &sink) }
            return body(current.family)
        }
        // The window for the checks' messages and the consumer call only: a copy the consumer keeps reads
        // through `source` afterwards. The family is whole in the window: from its first line to the line
        // that ended it.
        assert(
            window.map { $0.holds(Int(current.family.offset)..<max(Int(current.family.offset), lines.lastLineEnd)) } ?? true,
            "family at \(current.family.offset) not whole in the window")
        current.family.lease = lease
        current.family.leaseTerm = lease.lend(p)
        if checks { checker.check(&current.family, into: &sink) }
        body(current.family)
        lease.end()
        current.family.lease = nil
    }

    // MARK: UTF-8

    /// Reports invalid UTF-8, once per line.
    mutating func checkUTF8(from start: Int, to n: Int) {
        assert(window.map { $0.holds(start..<n) } ?? true, "UTF-8 check of \(start)..<\(n) outside the window")
        UTF8Check.forEachInvalidLine(p, from: start, to: n) { i in
            // Past the limit only counted (no message made): the input is read in pieces, and each
            // invalid line counts once, whichever piece it is in.
            if !sink.keeps(i) {
                sink.countDropped(.invalidUTF8, .error)
            } else {
                sink.add(
                    Diagnostic(.invalidUTF8, .error, at: i, "invalid UTF-8 (byte 0x\(Printable.hex(p[i]))); the formats are UTF-8 text"))
            }
        }
    }
}

/// The family a pass is reading, until it is handed over.
struct FamilyInProgress {
    var family: MetricFamily
    /// A family has begun and is not yet handed over.
    var active = false
    var hasSamples = false
    /// The family's name as bytes (escapes undone), for matching sample names.
    var key: [UInt8] = []
    /// Begun by a sample, without metadata.
    var implicit = false
    /// How the family's name has been written so far (OpenMetrics 2.0 quoting consistency).
    var quoting: Set<NameQuoting> = []
    enum NameQuoting { case quoted, plain }
}

/// The families a pass met, in input order: what the checks that span the passes compare.
struct FamiliesMet {
    var entries: [FamilyEntry] = []
    /// The families' names one after another (escapes undone), for the entries.
    var names: [UInt8] = []
}

/// How far a pass's lines went.
struct LineProgress {
    /// Where the last line read ended (at its line feed, or the stretch's end).
    var lastLineEnd = -1
    var reportedCR = false
    var sawEOF = false
    /// The pass read its whole range (it stops early only at "# EOF" or a refused input).
    var reachedEnd = false
    /// Line feeds passed, and the offset after every `LineIndex.every`-th: the input's line index, per chunk.
    var ended = 0
    var starts: [Int] = []
}

/// Which sample names belong to a family. Static, on plain values: called for every sample, it must not
/// copy the reader's state (a method on the reader would, to call it from a mutating one).
enum FamilyMatch {
    /// The sample's role in the family, or nil when its name is not one the family's type generates.
    @inline(__always)
    static func role(
        _ r: ByteRange, _ flags: Label.Flags, key: [UInt8], type: MetricType, format: ExpositionFormat,
        p: UnsafeBufferPointer<UInt8>
    ) -> SampleRole? {
        if flags.contains(.nameEscaped) {
            let name = Unescape.bytes(p, r)
            if name == key { return .bare }
            return name.count > key.count && name.starts(with: key) ? suffixRole(name.count, key.count, type, format, { name[$0] }) : nil
        }
        let n = key.count
        if r.count < n { return nil }
        let matchesPrefix = key.withUnsafeBufferPointer { k in
            n == 0 || memcmpBytes(p.baseAddress! + r.lowerBound, k.baseAddress!, n)
        }
        guard matchesPrefix else { return nil }
        if r.count == n { return .bare }
        return suffixRole(r.count, n, type, format, { p[r.lowerBound + $0] })
    }

    /// The role of the name bytes past the family name, when it is a suffix this family's type generates.
    @inline(__always)
    private static func suffixRole(
        _ count: Int, _ n: Int, _ type: MetricType, _ format: ExpositionFormat,
        _ byte: (Int) -> UInt8
    ) -> SampleRole? {
        guard count > n else { return nil }
        let role = SampleRole.match(count - n) { byte(n + $0) }
        return role != .other && FamilySuffixes.roles(of: type, in: format).contains(role) ? role : nil
    }
}

/// The line starts the passes passed, numbered across chunks, for `SourceFile.locations(of:)`.
enum LineIndex {
    /// One checkpoint per this many lines (a power of two).
    static let every = 64

    static func record(_ passes: [ReaderState], in source: SourceFile) {
        var checkpoints: [SourceFile.LineCheckpoint] = []
        var linesBefore = 0  // line feeds in the chunks before
        for pass in passes {
            for (k, offset) in pass.lines.starts.enumerated() {
                checkpoints.append(.init(offset: offset, line: linesBefore + (k + 1) * every + 1))
            }
            // A pass that stopped early did not count its lines: later chunks cannot be numbered.
            guard pass.lines.reachedEnd else { break }
            linesBefore += pass.lines.ended
        }
        source.setLineIndex(checkpoints)
    }
}

/// UTF-8 well-formedness (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
enum UTF8Check {
    /// Calls `body` with the offset of the first invalid byte of each line in `start..<n` that has one.
    /// ASCII goes 32, then eight bytes a step.
    @inline(__always)
    static func forEachInvalidLine(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to n: Int, _ body: (Int) -> Void) {
        let base = p.baseAddress!
        var i = start
        while i < n {
            // 32 bytes a step while all is ASCII, then 8.
            while i + 32 <= n {
                let r = UnsafeRawPointer(base + i)
                let any =
                    r.loadUnaligned(as: UInt64.self) | r.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    | r.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | r.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                if any & 0x8080_8080_8080_8080 != 0 { break }
                i += 32
            }
            if i + 8 <= n && UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            if i >= n { break }
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            let len = sequenceLength(p, i)
            if len == 0 {
                body(i)
                while i < n && p[i] != 0x0A { i += 1 }
                continue
            }
            i += len
        }
    }

    /// The length of the well-formed sequence at `i`, or 0.
    static func sequenceLength(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let n = p.count
        let b0 = p[i]
        func cont(_ k: Int) -> Bool { i + k < n && p[i + k] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0...0xEF:
            guard cont(1), cont(2) else { return 0 }
            let b1 = p[i + 1]
            if b0 == 0xE0 && b1 < 0xA0 { return 0 }
            if b0 == 0xED && b1 > 0x9F { return 0 }
            return 3
        case 0xF0...0xF4:
            guard cont(1), cont(2), cont(3) else { return 0 }
            let b1 = p[i + 1]
            if b0 == 0xF0 && b1 < 0x90 { return 0 }
            if b0 == 0xF4 && b1 > 0x8F { return 0 }
            return 4
        default:
            return 0
        }
    }
}

/// Which sample names a family of each type produces, per format.
package enum FamilySuffixes {
    /// The suffixes after the family name that the family's samples may carry ("" = the name itself).
    package static func sampleSuffixes(of type: MetricType, in format: ExpositionFormat) -> [[UInt8]] {
        SampleRole.allCases.filter { $0 != .other && roles(of: type, in: format).contains($0) }.map {
            let s = $0.suffix
            return Array(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }
    }

    /// Every suffix role some type generates in `format` (`_total`, `_bucket`, …; not the bare name).
    static func generatedRoles(in format: ExpositionFormat) -> SampleRoles {
        var all: UInt16 = 0
        for type in MetricType.allCases { all |= roles(of: type, in: format).rawValue }
        return SampleRoles(rawValue: all & ~SampleRoles.bare.rawValue)
    }

    /// The same as a set of roles: no reference counting, for per-sample use on any thread.
    static func roles(of type: MetricType, in format: ExpositionFormat) -> SampleRoles {
        switch format {
        case .openMetrics2:
            return [.bare]
        case .text:
            switch type {
            case .summary: return [.bare, .sum, .count]
            case .histogram: return [.bucket, .sum, .count]
            case .gaugehistogram: return [.bucket, .gsum, .gcount, .sum, .count]
            default: return [.bare]
            }
        case .openMetrics:
            switch type {
            case .counter: return [.total, .created]
            case .summary: return [.bare, .sum, .count, .created]
            case .histogram: return [.bucket, .sum, .count, .created]
            case .gaugehistogram: return [.bucket, .gsum, .gcount]
            case .info: return [.info]
            default: return [.bare]
            }
        }
    }

}

/// What a sample is within its family, from its name's suffix.
enum SampleRole: UInt8, CaseIterable {
    case bare, total, created, bucket, sum, count, gsum, gcount, info, other

    var suffix: StaticString {
        switch self {
        case .bare, .other: ""
        case .total: "_total"
        case .created: "_created"
        case .bucket: "_bucket"
        case .sum: "_sum"
        case .count: "_count"
        case .gsum: "_gsum"
        case .gcount: "_gcount"
        case .info: "_info"
        }
    }

    /// The role whose suffix is the `count` bytes given by `byte`. Called for every sample: dispatch on the
    /// length, then compare bytes, no loop over the cases.
    @inline(__always)
    static func match(_ count: Int, _ byte: (Int) -> UInt8) -> SampleRole {
        @inline(__always) func equals(_ s: StaticString) -> Bool {
            let w = s.utf8Start
            for k in 0..<count where byte(k) != w[k] { return false }
            return true
        }
        @inline(__always) func check(_ role: SampleRole) -> SampleRole { equals(role.suffix) ? role : .other }
        switch count {
        case 0: return .bare
        case 4: return check(.sum)
        case 5: return check(byte(1) == UInt8(ascii: "i") ? .info : .gsum)
        case 6: return check(byte(1) == UInt8(ascii: "t") ? .total : .count)
        case 7: return check(byte(1) == UInt8(ascii: "b") ? .bucket : .gcount)
        case 8: return check(.created)
        default: return .other
        }
    }
}

/// A set of sample roles.
struct SampleRoles: OptionSet {
    let rawValue: UInt16
    init(rawValue: UInt16) { self.rawValue = rawValue }
    init(_ role: SampleRole) { rawValue = 1 << role.rawValue }
    static let bare = SampleRoles(.bare), total = SampleRoles(.total), created = SampleRoles(.created)
    static let bucket = SampleRoles(.bucket), sum = SampleRoles(.sum), count = SampleRoles(.count)
    static let gsum = SampleRoles(.gsum), gcount = SampleRoles(.gcount), info = SampleRoles(.info)

    func contains(_ role: SampleRole) -> Bool { rawValue & (1 << role.rawValue) != 0 }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A conversion's pass on all cores with bounded memory: the input is cut at family boundaries into chunks of
/// about `chunkBytes`, each read by its own pass and written by its own writer into a buffer of its own; the
/// buffers are handed on strictly in input order as they complete, and a thread does not start a chunk more
/// than `ahead` past the next one to hand on, so only a few chunks' output is held at once.
///
/// Two uses. With `.given` plans (the input validated and planned by a first pass) the pass reads without the
/// checks. With `.local` plans it is the only pass: it validates as `FamilyReader.read(makeConsumer:)` does
/// and writes each family by the plan it has on its own (`ConversionPlanner.localPlan`); the caller makes the
/// whole plan from the infos collected and keeps the output only when the input is valid and the plans agree
/// (written where it can be taken back: a temporary file, a spool, memory).
///
/// The output is byte for byte the one-pass writer's (`ConvertRun.writeOnePass`; tests check it with tiny
/// chunks): what crosses chunks is the JSON comma before a family, the opening and closing lines, and the
/// order of the writers' notes, all put together here in chunk order.
struct ChunkedWrite {
    let source: SourceFile
    let format: ExpositionFormat
    let target: TargetFormat
    let options: WriteOptions
    let readOptions: ReadOptions
    /// Input bytes per chunk (tests make it tiny).
    let chunkBytes: Int

    enum Plans {
        /// Each family's plan, by its index in the input, and each family's offset (chunks are cut only there).
        case given([FamilyPlan], offsets: [Int])
        /// Each family planned on its own.
        case local
    }

    struct Outcome {
        /// The reader's diagnostics as one pass would give them (empty without the checks).
        var readDiagnostics: [Diagnostic] = []
        /// `.local`: each family's info and the plan it was written by, in input order.
        var infos: [FamilyInfo] = []
        var usedPlans: [FamilyPlan] = []
        /// The writers' notes, in input order.
        var notes: [Diagnostic] = []
        /// The chunks did not read as one pass would (a cut inside a family or "# EOF" before the last chunk:
        /// a broken input): neither the output nor the diagnostics are to be used.
        var unusable = false
    }

    /// What one chunk left.
    fileprivate struct ChunkResult {
        var pass: ReaderState
        var sink: ByteSink
        var infos: [FamilyInfo]
        var usedPlans: [FamilyPlan]
        var notes: [Diagnostic]
        var wroteFamily: Bool
    }

    /// Runs the pass, handing the output to `emit` in order.
    func run(_ plans: Plans, emit: (UnsafeBufferPointer<UInt8>) -> Void) -> Outcome {
        source.bytes.withUnsafeBufferPointer { p in
            var ranges = [0..<p.count]
            if p.count >= readOptions.parallelThreshold && p.count > chunkBytes {
                let k = max(1, p.count / max(1, chunkBytes))
                ranges = ChunkSplitter.split(p, format: format, shares: Array(repeating: 1.0 / Double(k), count: k))
            }
            var givenPlans: [FamilyPlan] = []
            var offsets: [Int] = []
            if case .given(let ps, let os) = plans {
                givenPlans = ps
                offsets = os
                ranges = Self.cutAtFamilies(ranges, offsets)
            }
            let threads = max(1, min(readOptions.threads, ranges.count))
            let state = ChunkQueue(count: ranges.count, ahead: threads + 1)
            defer { state.close() }
            if target == .json { emit(Self.bytes("[")) }
            let spares = UnsafeMutableBufferPointer<ReaderState.Buffers?>.allocate(capacity: threads)
            spares.initialize(repeating: nil)
            defer { spares.deinitialize(); spares.deallocate() }
            let local: Bool
            if case .local = plans { local = true } else { local = false }
            let (format, target, options, readOptions, source) = (self.format, self.target, self.options, self.readOptions, self.source)
            ParallelLoop.forEach(ranges.count, threads: threads) { i, worker in
                state.waitTurn(i)
                let sink = state.takeSink()
                let writer = ExpositionWriter(
                    target: target, options: options, sink: sink, plans: givenPlans, input: source,
                    log: ConversionLog(strict: options.strict))
                writer.index = Self.firstFamily(at: ranges[i].lowerBound, offsets)
                var infos: [FamilyInfo] = []
                var used: [FamilyPlan] = []
                var pass = ReaderState(
                    source: source, p: p, format: format, options: readOptions, range: ranges[i],
                    first: i == 0, last: i == ranges.count - 1, reusing: spares[worker].take())
                if local {
                    pass.run { family in
                        let info = FamilyInfo(family)
                        let plan = ConversionPlanner.localPlan(info, from: format, to: target)
                        infos.append(info)
                        used.append(plan)
                        writer.write(family, planned: plan)
                    }
                } else {
                    pass.run { writer.write($0) }
                }
                spares[worker] = pass.takeBuffers()
                state.finish(
                    i,
                    ChunkResult(
                        pass: pass, sink: sink, infos: infos, usedPlans: used, notes: writer.log.diagnostics,
                        wroteFamily: writer.wroteFamily), target: target, emit: emit)
            } finished: { worker in
                spares[worker] = nil
            }
            var outcome = state.outcome
            let passes = state.passes
            outcome.unusable = !ChunkMerge.readAsOnePass(passes)
            switch target {
            case .openMetrics, .openMetrics2: emit(Self.bytes("# EOF\n"))
            case .json: emit(Self.bytes(state.wroteFamily ? "\n]\n" : "]\n"))
            case .text: break
            }
            if readOptions.checks && !outcome.unusable {
                LineIndex.record(passes, in: source)
                outcome.readDiagnostics = ChunkMerge.diagnostics(passes, format: format, options: readOptions, inputEnd: p.count)
            }
            return outcome
        }
    }

    private static func bytes(_ s: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)
    }

    /// The index of the first family at or after `offset` (0 without offsets).
    static func firstFamily(at offset: Int, _ offsets: [Int]) -> Int {
        var lo = 0, hi = offsets.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if offsets[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The chunks joined where a cut is not the start of a family the first pass met.
    static func cutAtFamilies(_ ranges: [Range<Int>], _ offsets: [Int]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for r in ranges {
            if let last = result.last {
                let k = firstFamily(at: r.lowerBound, offsets)
                if k >= offsets.count || offsets[k] != r.lowerBound {
                    result[result.count - 1] = last.lowerBound..<r.upperBound
                    continue
                }
            }
            result.append(r)
        }
        return result
    }
}

/// The chunks' results, handed on in order; the growing sinks reused. Shared by the threads under a mutex.
private final class ChunkQueue: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let turn = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var results: [ChunkedWrite.ChunkResult?]
    /// The next chunk to hand on.
    private var next = 0
    /// Chunks handed on so far: a thread starts a chunk at most `ahead` past them (memory stays bounded).
    private var emitted = 0
    private let ahead: Int
    private var spareSinks: [ByteSink] = []
    private(set) var passes: [ReaderState] = []
    private(set) var outcome = ChunkedWrite.Outcome()
    private(set) var wroteFamily = false

    init(count: Int, ahead: Int) {
        results = Array(repeating: nil, count: count)
        self.ahead = ahead
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(turn, nil)
        passes.reserveCapacity(count)
    }

    func close() {
        pthread_cond_destroy(turn)
        pthread_mutex_destroy(mutex)
        turn.deallocate()
        mutex.deallocate()
    }

    /// Waits until chunk `i` is at most `ahead` past the chunks handed on (the next one to hand on never
    /// waits).
    func waitTurn(_ i: Int) {
        pthread_mutex_lock(mutex)
        while i >= emitted + ahead { pthread_cond_wait(turn, mutex) }
        pthread_mutex_unlock(mutex)
    }

    func takeSink() -> ByteSink {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return spareSinks.popLast() ?? ByteSink.growing(capacity: 1 << 20)
    }

    /// One thread at a time hands chunks on (`emit`), outside the mutex: writing the output (a third of a
    /// conversion's time is the kernel copying it) then holds up no thread that finishes a chunk meanwhile.
    private var emitting = false

    /// Chunk `i` is done: hands on every finished chunk from the next one in order, unless another thread is
    /// doing so (it takes this one too).
    func finish(
        _ i: Int, _ result: ChunkedWrite.ChunkResult, target: TargetFormat,
        emit: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        pthread_mutex_lock(mutex)
        results[i] = result
        if emitting {
            pthread_mutex_unlock(mutex)
            return
        }
        emitting = true
        while true {
            var ready: [ChunkedWrite.ChunkResult] = []
            while next < results.count, let r = results[next] {
                results[next] = nil
                passes.append(r.pass)
                outcome.infos += r.infos
                outcome.usedPlans += r.usedPlans
                outcome.notes += r.notes
                next += 1
                ready.append(r)
            }
            if ready.isEmpty { break }
            pthread_mutex_unlock(mutex)
            for r in ready {
                if target == .json && r.wroteFamily && wroteFamily {
                    // The chunk's first family was written as the first of all ("\n"); one came before it.
                    emit(UnsafeBufferPointer(start: StaticString(",").utf8Start, count: 1))
                }
                emit(r.sink.bytes)
                wroteFamily = wroteFamily || r.wroteFamily
            }
            pthread_mutex_lock(mutex)
            for r in ready {
                r.sink.clear()
                spareSinks.append(r.sink)
            }
            emitted += ready.count
            pthread_cond_broadcast(turn)
        }
        emitting = false
        pthread_mutex_unlock(mutex)
    }
}

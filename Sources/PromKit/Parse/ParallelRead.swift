#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A family as the reader met it: what the checks that span the whole input need. No strings: the merge
/// runs after the read, when a family's strings are long out of the cache (one miss each, tens of thousands),
/// so everything it compares is worked out in the pass, on its thread.
struct FamilyEntry {
    /// Where the name (escapes undone) is in its pass's name store (`ReaderState.met.names`): the merge
    /// does not go back to the input, whose pages may no longer be in memory.
    var nameRange: ByteRange
    var type: MetricType
    var offset: Int
    /// Started by a sample, without metadata.
    var implicit: Bool
    /// `hashBytes` of the name.
    var hash: UInt64
    /// When the name ends in a suffix some type generates in the format (`_count`, `_bucket`, …), the role of
    /// that suffix and the hash of the name before it, for the name-clash look-up; else `.other`.
    var suffixRole: SampleRole
    var stemHash: UInt64
    /// How many samples the family has (for the input's series limit).
    var samples: Int

    init(name: ByteRange, key: [UInt8], type: MetricType, offset: Int, implicit: Bool, generated: SampleRoles, samples: Int) {
        self.nameRange = name
        self.samples = samples
        self.type = type
        self.offset = offset
        self.implicit = implicit
        (hash, suffixRole, stemHash) = key.withUnsafeBufferPointer { b in
            let hash = hashBytes(b, ByteRange(0, b.count))
            for suffixLength in 4...8 where b.count > suffixLength {
                let role = SampleRole.match(suffixLength) { b[b.count - suffixLength + $0] }
                if role == .other || !generated.contains(role) { continue }
                return (hash, role, hashBytes(b, ByteRange(0, b.count - suffixLength)))
            }
            return (hash, .other, 0)
        }
    }

    /// The name's bytes (`names`: the name store the range is in).
    func withName<R>(_ names: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(rebasing: names[nameRange.lowerBound..<nameRange.upperBound]))
    }

    func sameName(as other: FamilyEntry, _ names: UnsafeBufferPointer<UInt8>, _ otherNames: UnsafeBufferPointer<UInt8>) -> Bool {
        hash == other.hash && withName(names) { a in other.withName(otherNames) { b in bytesEqual(a, b) } }
    }
}

/// The passes' family entries and name stores, read where the passes left them (copying tens of thousands
/// of entries into one array cost fresh pages, a fault each). An entry's id is its pass in the high 32 bits
/// and its index in that pass in the low 32: ids grow in input order.
struct FamilyEntryTable {
    private let entries: [[FamilyEntry]]
    private let names: [[UInt8]]

    init(_ passes: [ReaderState]) {
        entries = passes.map(\.met.entries)
        names = passes.map(\.met.names)
    }

    /// Calls `body` with every entry's id, in input order.
    func forEachID(_ body: (Int) -> Void) {
        for k in entries.indices {
            for i in entries[k].indices { body(k << 32 | i) }
        }
    }

    var count: Int { entries.reduce(0) { $0 + $1.count } }

    subscript(id: Int) -> FamilyEntry {
        entries[id >> 32][id & 0xFFFF_FFFF]
    }

    /// The entry's name (escapes undone).
    func withName<R>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        names[id >> 32].withUnsafeBufferPointer { self[id].withName($0, body) }
    }

    func name(_ id: Int) -> String {
        withName(id) { String(decoding: $0, as: UTF8.self) }
    }
}

/// Each family name's first entry, by the names' byte hashes (open addressing): the merge looks up every
/// family and the stems of suffixed names, tens of thousands on a large input.
struct FamilyNameIndex {
    private var slots: [Int]
    private let mask: Int
    /// Entries whose name an earlier entry has (a family met again), with that first entry.
    private(set) var repeats: [(entry: Int, first: Int)] = []

    init(_ table: FamilyEntryTable) {
        var size = 16
        while size < table.count * 2 { size <<= 1 }
        slots = [Int](repeating: -1, count: size)
        mask = size - 1
        table.forEachID { id in
            let hash = table[id].hash
            if let found = table.withName(id, { first(table, $0, hash: hash) }) {
                repeats.append((id, found))
            } else {
                insert(id, hash: hash)
            }
        }
    }

    private mutating func insert(_ id: Int, hash: UInt64) {
        var k = Int(truncatingIfNeeded: mix64(hash)) & mask
        while slots[k] >= 0 { k = (k + 1) & mask }
        slots[k] = id
    }

    /// The first entry whose name is these bytes (compared only when the hashes agree).
    func first(_ table: FamilyEntryTable, _ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        var k = Int(truncatingIfNeeded: mix64(hash)) & mask
        while true {
            let id = slots[k]
            if id < 0 { return nil }
            if table[id].hash == hash && table.withName(id, { bytesEqual($0, bytes) }) { return id }
            k = (k + 1) & mask
        }
    }
}

/// The slots parallel chunk reads write their results into: one per chunk, each written by one thread only.
final class ParallelWork<C>: @unchecked Sendable {
    let consumers: UnsafeMutableBufferPointer<C>
    let passes: UnsafeMutableBufferPointer<ReaderState?>
    let input: UnsafeBufferPointer<UInt8>

    init(consumers: UnsafeMutableBufferPointer<C>, passes: UnsafeMutableBufferPointer<ReaderState?>, input: UnsafeBufferPointer<UInt8>) {
        self.consumers = consumers
        self.passes = passes
        self.input = input
    }
}

/// Where an input may be cut so that no family straddles two chunks: at a HELP/TYPE/UNIT line right after a
/// sample line, naming a family the sample cannot belong to (the first metadata line of the next family).
enum ChunkSplitter {
    /// Chunk sizes for `threads` threads taking chunks in order as they come free: most of the input in one
    /// large chunk per thread, the rest in smaller and smaller ones, so that threads finish close together
    /// (work per byte varies, and a thread may start late) without many chunks to merge.
    static func shares(threads: Int) -> [Double] {
        guard threads > 1 else { return [1] }
        let t = Double(threads)
        return [0.80, 0.12, 0.06, 0.02].flatMap { part in Array(repeating: part / t, count: threads) }
    }

    /// For a body still arriving: equal chunks, eight a thread, so that reading starts once the first two
    /// sixteenths or so are in, rather than most of the body (the large first chunks of `shares`).
    static func arrivingShares(threads: Int) -> [Double] {
        let count = 8 * max(1, threads)
        return Array(repeating: 1 / Double(count), count: count)
    }

    /// How far back from a nominal boundary the walk looks for the start of its line.
    static let longestLine = 1 << 20

    /// Cuts near the boundaries the shares give (each a fraction of the input, in order).
    static func split(
        _ p: UnsafeBufferPointer<UInt8>, format: ExpositionFormat, shares: [Double],
        longestLine: Int = longestLine
    ) -> [Range<Int>] {
        var cutter = ChunkCutter(count: p.count, format: format, shares: shares, longestLine: longestLine)
        while !cutter.finished { cutter.step(p) }
        return zip(cutter.cuts, cutter.cuts.dropFirst()).map { $0..<$1 }
    }

    /// The legacy name after `# HELP ` etc.; nil for a quoted name (no cut there).
    static func metadataName(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Range<Int>? {
        var e = i + 7
        while e < p.count && ByteClass.table[Int(p[e])] & ByteClass.metricNameContinue != 0 { e += 1 }
        return e > i + 7 ? (i + 7)..<e : nil
    }

    /// Whether the sample name starts with the metadata name (then the line may still be the sample's family).
    static func hasPrefix(_ p: UnsafeBufferPointer<UInt8>, _ sample: Range<Int>, _ name: Range<Int>) -> Bool {
        guard sample.count >= name.count else { return false }
        for k in 0..<name.count where p[sample.lowerBound + k] != p[name.lowerBound + k] { return false }
        return true
    }

    static func startsMetadata(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, format: ExpositionFormat) -> Bool {
        guard i + 7 <= p.count, p[i] == UInt8(ascii: "#"), p[i + 1] == 0x20 else { return false }
        let w = (p[i + 2], p[i + 3], p[i + 4], p[i + 5], p[i + 6])
        let help = (UInt8(ascii: "H"), UInt8(ascii: "E"), UInt8(ascii: "L"), UInt8(ascii: "P"), UInt8(0x20))
        let type = (UInt8(ascii: "T"), UInt8(ascii: "Y"), UInt8(ascii: "P"), UInt8(ascii: "E"), UInt8(0x20))
        let unit = (UInt8(ascii: "U"), UInt8(ascii: "N"), UInt8(ascii: "I"), UInt8(ascii: "T"), UInt8(0x20))
        return w == help || w == type || (format.isOpenMetrics && w == unit)
    }
}

/// The cuts `ChunkSplitter.split` makes, one at a time: a reader of a body still arriving makes each once
/// the bytes it looks at (up to `lookedAt`) are in, and starts reading the chunks before it meanwhile.
struct ChunkCutter {
    let n: Int
    let format: ExpositionFormat
    let shares: [Double]
    let longestLine: Int
    /// The cuts so far, from 0; the last is `n` once `finished`.
    private(set) var cuts: [Int] = [0]
    private(set) var finished = false
    /// The nominal boundary the next step looks near (by its index in `shares`), and the shares before it.
    private var k = 0
    private var sum = 0.0
    // What the last walk knew when it stopped: the line starting at `knownStart` has no line end before
    // `knownEnd`. A line longer than a share was otherwise scanned again for every cut, back to its start
    // and forward to its end; now each walk looks at its own share of the input only.
    private var knownStart = 0
    private var knownEnd = 0

    init(count n: Int, format: ExpositionFormat, shares: [Double], longestLine: Int = ChunkSplitter.longestLine) {
        self.n = n
        self.format = format
        self.shares = shares
        self.longestLine = longestLine
        if shares.count <= 1 || n == 0 {
            cuts.append(n)
            finished = true
        }
    }

    /// The input bytes the next step reads lie before this (a few bytes past it at most, for a name that
    /// runs over: the walk finds fewer cuts then, never a wrong one).
    var lookedAt: Int {
        k < shares.count - 1 ? min(n, Int(Double(n) * (sum + shares[k] + shares[k + 1]))) : n
    }

    /// Looks for the next cut (there may be none near a nominal boundary: fewer chunks is always safe).
    mutating func step(_ p: UnsafeBufferPointer<UInt8>) {
        guard !finished else { return }
        defer {
            k += 1
            if k >= shares.count - 1 {
                cuts.append(n)
                finished = true
            }
        }
        let base = p.baseAddress!
        sum += shares[k]
        let nominal = min(n, Int(Double(n) * sum))
        // Look no further than the next nominal boundary.
        let limit = min(n, Int(Double(n) * (sum + shares[k + 1])))
        guard nominal > cuts.last! else { return }
        // The line holding `nominal`, then forward line by line.
        var lineStart = nominal
        // A line longer than `longestLine` around a nominal boundary is not walked back over: no cut there
        // (fewer chunks is always safe), and its pages are left to the reader instead of read here too.
        let known = knownStart >= cuts.last! && nominal >= knownStart
        let floor = max(known ? knownEnd : cuts.last!, nominal - longestLine)
        while lineStart > floor && p[lineStart - 1] != 0x0A { lineStart -= 1 }
        if lineStart <= floor && lineStart > cuts.last! && (lineStart == 0 || p[lineStart - 1] != 0x0A) {
            // Back no further than what the last walk knew: past it, the line is the one it knew.
            guard known && lineStart <= knownEnd && nominal - knownStart <= longestLine else { return }
            lineStart = knownStart
        }
        var previousSample: Range<Int>?  // the name of the sample on the line before
        var pos = lineStart
        var found: Int?
        while pos < limit {
            if let sample = previousSample, pos > cuts.last!, ChunkSplitter.startsMetadata(p, pos, format: format),
                let name = ChunkSplitter.metadataName(p, pos), !ChunkSplitter.hasPrefix(p, sample, name)
            {
                found = pos
                (knownStart, knownEnd) = (pos, pos)
                break
            }
            let b = p[pos]
            previousSample = nil
            if ByteClass.table[Int(b)] & ByteClass.metricNameStart != 0 {
                var e = pos
                while e < n && ByteClass.table[Int(p[e])] & ByteClass.metricNameContinue != 0 { e += 1 }
                previousSample = pos..<e
            }
            guard let hit = memchr(base + pos, 0x0A, limit - pos) else {
                (knownStart, knownEnd) = (pos, limit)
                break
            }
            let lineEnd = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            (knownStart, knownEnd) = (pos, lineEnd)
            pos = lineEnd + 1
        }
        if let found { cuts.append(found) }
    }
}

/// The chunks of a body still arriving (`BodyArrival`): each cut is made once the bytes its walk looks at are
/// in, so the threads read the chunks before it while the rest arrives. Chunk `i` is whole when handed out.
final class ArrivingChunks: @unchecked Sendable {
    private var cutter: ChunkCutter
    private let p: UnsafeBufferPointer<UInt8>
    private let arrival: BodyArrival
    private var mutex = pthread_mutex_t()
    /// At most this many chunks (one a share; fewer when no cut is found near a boundary).
    let maximumCount: Int

    init(_ p: UnsafeBufferPointer<UInt8>, format: ExpositionFormat, shares: [Double], arrival: BodyArrival) {
        self.p = p
        self.arrival = arrival
        cutter = ChunkCutter(count: p.count, format: format, shares: shares)
        maximumCount = shares.count
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// Chunk `i`'s range once its bytes are in, or nil when there are fewer chunks. Taken in order (the
    /// threads take the chunks in turn); one thread cuts at a time, the others wait for their chunk.
    func range(_ i: Int) -> Range<Int>? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while cutter.cuts.count <= i + 1 && !cutter.finished {
            // A little past what the walk looks at: a metadata name running over its limit is read whole.
            arrival.wait(through: min(p.count, cutter.lookedAt + 4096))
            cutter.step(p)
        }
        let cuts = cutter.cuts
        return i + 1 < cuts.count ? cuts[i]..<cuts[i + 1] : nil
    }
}

/// Puts the passes' findings together and runs the checks that need the whole input.
enum ChunkMerge {
    /// Whether the chunks read as one pass would: no chunk starts inside the family before it and no
    /// "# EOF" comes before the last chunk. A good cut starts a chunk with a new family's metadata line; a
    /// chunk whose first family began at a sample, or continues the previous name, was cut where that line
    /// did not parse (a broken input, which one pass reports exactly).
    static func readAsOnePass(_ passes: [ReaderState]) -> Bool {
        var last: (entry: FamilyEntry, names: [UInt8])?
        for pass in passes {
            if let first = pass.met.entries.first, let last {
                let same = pass.met.names.withUnsafeBufferPointer { mine in
                    last.names.withUnsafeBufferPointer { theirs in first.sameName(as: last.entry, mine, theirs) }
                }
                if first.implicit || same { return false }
            }
            if let entry = pass.met.entries.last { last = (entry, pass.met.names) }
        }
        return !passes.dropLast().contains { $0.lines.sawEOF }
    }

    static func diagnostics(_ passes: [ReaderState], format: ExpositionFormat, options: ReadOptions, inputEnd: Int) -> [Diagnostic] {
        var all: [Diagnostic] = []
        var omitted: [OmittedCount] = []
        var sawCR = false
        for pass in passes {
            for d in pass.sink.diagnostics {
                if d.code == .carriageReturn {
                    if sawCR { continue }
                    sawCR = true
                }
                all.append(d)
            }
            for o in pass.sink.omitted { omitted.add(o.code, o.severity, o.count) }
        }
        // Each family name's first entry, for both checks.
        if let first = passes.first {
            let table = FamilyEntryTable(passes)
            let firstIndex = FamilyNameIndex(table)
            all += splitFamilies(table, firstIndex: firstIndex, source: first.source, format: format)
            all += nameClashes(table, firstIndex: firstIndex, source: first.source, format: format)
            if let d = tooManySeries(table, limit: options.limits.series) { all.append(d) }
        }
        if let last = passes.last, inputEnd > 0, inputEnd <= SourceFile.maximumSize {
            if format.isOpenMetrics {
                if !last.lines.sawEOF {
                    all.append(
                        Diagnostic(
                            .missingEOF, .error, at: inputEnd,
                            "missing \"# EOF\" at the end of the input; OpenMetrics requires it (is the input truncated?)"))
                }
            } else if last.lines.lastLineEnd == inputEnd {
                all.append(
                    Diagnostic(
                        .missingFinalNewline, .error, at: inputEnd,
                        "the last line has no line feed; the text format ends every line with LF (is the input truncated?)"))
            }
        }
        all = all.sortedByLocation()
        // The first `limit` in input order; the rest counted by code and severity on the closing note.
        let limit = options.maxDiagnostics
        if limit > 0 && all.count > limit {
            for d in all[limit...] { omitted.add(d.code, d.severity) }
            all.removeLast(all.count - limit)
        }
        if !omitted.isEmpty {
            all.append(Diagnostic.omissionNote(omitted, limit: limit, at: inputEnd))
        }
        return all
    }

    /// The family in which the input's samples pass the series limit (counted per family by the passes).
    private static func tooManySeries(_ table: FamilyEntryTable, limit: Int) -> Diagnostic? {
        var total = 0
        var found: Diagnostic?
        table.forEachID { id in
            guard found == nil else { return }
            total += table[id].samples
            if total > limit {
                found = Diagnostic(
                    .tooManySeries, .error, at: table[id].offset,
                    "the input has more than \(limit) series (samples) by this family's end, over the limit (--limit series=N)",
                    family: table.name(id))
            }
        }
        return found
    }

    /// A family met again after other families: its lines must form one group. The text format's reference
    /// parser merges such groups, and without metadata it is a common shape (summaries and histograms exposed
    /// untyped), so there it is a warning.
    private static func splitFamilies(
        _ table: FamilyEntryTable, firstIndex: FamilyNameIndex,
        source: SourceFile, format: ExpositionFormat
    ) -> [Diagnostic] {
        let repeats = firstIndex.repeats
        guard !repeats.isEmpty else { return [] }
        // Line numbers for all of them in one pass.
        let lines = source.locations(of: repeats.map { table[$0.first].offset }).map(\.line)
        return zip(repeats, lines).map { r, line in
            let e = table[r.entry]
            let name = table.name(r.entry)
            return Diagnostic(
                .familyNotContiguous, e.implicit && format == .text ? .warning : .error, at: e.offset,
                "metric family \"\(name)\" appears again (first on line \(line)); all lines of a family must form one group",
                family: name)
        }
    }

    /// A family's name must not be a name another family's samples use (`a_created` beside a counter `a`;
    /// in the text format `x_sum`, `x_count`, `x_bucket` beside a summary or histogram `x`). Only names that
    /// end in a generated suffix are looked at: their stem is looked up among the families.
    private static func nameClashes(
        _ table: FamilyEntryTable, firstIndex: FamilyNameIndex,
        source: SourceFile, format: ExpositionFormat
    ) -> [Diagnostic] {
        guard table.count > 1 else { return [] }
        // Only names ending in a suffix some type generates in this format (found in the pass) need a look-up.
        var clashes: [(entry: Int, owner: Int, role: SampleRole)] = []
        table.forEachID { id in
            let f = table[id]
            guard f.suffixRole != .other else { return }
            let role = f.suffixRole
            let owner = table.withName(id) { b in
                firstIndex.first(table, UnsafeBufferPointer(rebasing: b.dropLast(role.suffix.utf8CodeUnitCount)), hash: f.stemHash)
            }
            if let owner, FamilySuffixes.roles(of: table[owner].type, in: format).contains(role) {
                clashes.append((id, owner, role))
            }
        }
        guard !clashes.isEmpty else { return [] }
        // The other family's line, for all of them in one pass.
        let lines = source.locations(of: clashes.map { table[$0.owner].offset }).map(\.line)
        return zip(clashes, lines).map { c, line in
            let owner = table[c.owner]
            let name = table.name(c.entry)
            return Diagnostic(
                .nameClash, .error, at: table[c.entry].offset,
                "metric family \"\(name)\" has the name of the \(c.role.suffix) samples of \(owner.type.rawValue) \"\(table.name(c.owner))\" (line \(line)); rename one of the two",
                family: name)
        }
    }
}

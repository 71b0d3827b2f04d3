/// The line parser's fast path: what a sample line shares with the previous good sample line is taken over
/// rather than parsed again, and what follows is checked against the previous line's names before it is
/// scanned. Everything else, and everything when it is off (`LineParser.reuseTokens`, off only in tests), is
/// the plain grammar's (LabelGrammar.swift); seeded tests (`TokenReuseTests`) read the same inputs both ways
/// and compare samples and diagnostics byte for byte.
extension LineParser {
    /// The previous sample line's tokens may be used for this one.
    var mayReuse: Bool { previous.valid && reuseTokens }

    /// How many bytes the line `[start, end)` shares with the previous good sample line: 0 when there is none
    /// to share with.
    @inline(__always) func sharedWithPrevious(_ start: Int, _ end: Int) -> Int {
        mayReuse ? scan.sharedPrefix(previous.start, previous.end, start, end) : 0
    }

    /// A sample's label set from its `{`; returns the offset after the `}`. Sets `line.sharedLabels` (how
    /// many labels were taken over from the previous line) and `line.sameLabelNames` (all names are the
    /// previous line's, in order). `shared`: the bytes this line shares with the previous one; `delta`: how
    /// far its tokens move to this line.
    @inline(__always)
    mutating func parseSampleLabels(
        _ open: Int, _ end: Int, allowName: Bool, shared: Int, delta: Int, line: inout ParsedLine
    ) throws(SyntaxError) -> Int {
        line.sharedLabels = 0
        line.sameLabelNames = false
        guard mayReuse else {
            let i = try parseLabelItems(from: open + 1, end, items: 0, allowName: allowName, exemplar: false, into: current)
            try scan.checkLabelNames(0, current.labelList)
            return i
        }
        var i = open + 1
        var k = 0  // labels read so far, each at the same position as on the previous line
        // 1. The labels that lie, with the byte after their separator, in the shared bytes: taken over, shifted.
        while k < previous.count {
            let resume = previous.after[k]
            guard resume - previous.start < shared else { break }
            let l = previous.labels[k]
            let closes = previous.closes && k == previous.count - 1
            current.add(
                Label(
                    name: ByteRange(Int(l.name.start) + delta, Int(l.name.end) + delta),
                    value: ByteRange(Int(l.value.start) + delta, Int(l.value.end) + delta), flags: l.flags),
                after: resume + delta, closes: closes)
            i = resume + delta
            k += 1
            line.sharedLabels = k
            if closes {
                // Every label taken over: the previous line's names, checked there.
                line.sameLabelNames = true
                return i
            }
        }
        // 2. Past the shared bytes the names usually still follow the previous line's, position by position:
        // each is compared with the name there (what scanning would find, without scanning).
        while k < previous.count {
            if !strict { i = scan.skipBlanks(i, end) }
            guard let n = scan.sameName(previous.labels[k], at: i, end) else { break }
            let next = try scan.labelValue(of: ByteRange(i, i &+ n), [], from: i &+ n, end, into: current)
            k += 1
            i = next.offset
            if next.closed { return try checkSampleLabelNames(allPredicted: k == previous.count, line: &line, after: i) }
        }
        // 3. The rest by the plain grammar. (`{}` after a line without labels is not marked: nothing was compared.)
        let allPredicted = k == previous.count && k > 0
        i = try parseLabelItems(from: i, end, items: k, allowName: allowName, exemplar: false, into: current)
        return try checkSampleLabelNames(allPredicted: allPredicted, line: &line, after: i)
    }

    /// A line whose names are all the previous line's (which was checked) needs no duplicate check; other
    /// lines' labels are checked, but for those taken over. Returns `after`.
    @inline(__always)
    private mutating func checkSampleLabelNames(allPredicted: Bool, line: inout ParsedLine, after: Int) throws(SyntaxError) -> Int {
        if allPredicted && current.count == previous.count {
            line.sameLabelNames = true
        } else {
            try scan.checkLabelNames(0, current.labelList, known: line.sharedLabels)
        }
        return after
    }
}

extension LineScanner {
    /// How many bytes the lines starting at `a` and `b` have in common, eight at a time.
    @inline(__always) func sharedPrefix(_ a: Int, _ aEnd: Int, _ b: Int, _ bEnd: Int) -> Int {
        // Offsets within one input (under 2 GiB): the sums cannot overflow, so they are not checked.
        let n = min(aEnd &- a, bEnd &- b)
        let x0 = UnsafeRawPointer(p.baseAddress! + a), y0 = UnsafeRawPointer(p.baseAddress! + b)
        var k = 0
        while k &+ 8 <= n {
            let x = x0.loadUnaligned(fromByteOffset: k, as: UInt64.self) ^ y0.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            if x != 0 { return k &+ x.littleEndian.trailingZeroBitCount &>> 3 }
            k &+= 8
        }
        while k < n && x0.load(fromByteOffset: k, as: UInt8.self) == y0.load(fromByteOffset: k, as: UInt8.self) { k &+= 1 }
        return k
    }

    /// The length of `label`'s name (a legacy name of an earlier line) when the bytes at `i` are that name and
    /// the byte that ended its scan there: what `scanLabelName` would find at `i`, without scanning; nil when
    /// they are not. Short names (nearly all) take one masked word compare.
    @inline(__always) func sameName(_ label: Label, at i: Int, _ end: Int) -> Int? {
        let a = Int(label.name.start), n = Int(label.name.end) &- a
        guard !label.flags.contains(.nameQuoted), i &+ n < end else { return nil }
        let base = p.baseAddress!
        if n < 8 && i &+ 8 <= p.count {
            let x = UnsafeRawPointer(base + a).loadUnaligned(as: UInt64.self) ^ UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            return x & (UInt64.max >> (56 &- 8 &* UInt64(truncatingIfNeeded: n))) == 0 ? n : nil
        }
        return memcmpBytes(base + a, base + i, n &+ 1) ? n : nil
    }
}

/// The tokens of one sample line, kept for the next line. Consecutive lines share long prefixes (a
/// histogram's buckets differ only in `le` and the value; a family's series often in one label), and a token
/// that lies, with the byte that ended its scan, wholly inside the bytes both lines share parses the same in
/// both: it is taken over, shifted, after comparing the bytes eight at a time instead of scanning them.
///
/// A class over plain buffers: written for every label of every line, so no copy-on-write checks.
final class SampleTokens {
    var valid = false
    var start = 0
    var end = 0
    /// Where the metric name ended (absolute; the scan stopped at this byte).
    var nameEnd = Int.max / 2
    private(set) var count = 0
    /// (Used by one parser on one thread: its accesses skip the runtime's exclusivity bookkeeping, a look-up
    /// in a per-thread access set for every label of every line.)
    @exclusivity(unchecked) private(set) var labels = ScratchBuffer<Label>(capacity: 16)
    /// Where parsing went on after each label: past its `,`, or past the `}` when that label `closes`.
    @exclusivity(unchecked) private(set) var after = ScratchBuffer<Int>(capacity: 16)
    /// The last label's separator was the `}` (rather than a `,` before the `}`, or a quoted metric name).
    private(set) var closes = false

    /// The labels read so far.
    var labelList: UnsafeBufferPointer<Label> { UnsafeBufferPointer(start: labels.base, count: count) }

    func reset(start: Int, end: Int) {
        valid = false
        self.start = start
        self.end = end
        nameEnd = Int.max / 2
        count = 0
        closes = false
    }

    @inline(__always)
    func add(_ label: Label, after position: Int, closes: Bool) {
        if count == labels.capacity {
            labels.reserve(count + 1, keeping: count)
            after.reserve(count + 1, keeping: count)
        }
        labels[count] = label
        after[count] = position
        self.closes = closes
        count += 1
    }
}

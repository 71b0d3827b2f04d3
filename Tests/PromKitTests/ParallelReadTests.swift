import Foundation
import PromKitTestSupport
import Testing

@testable import PromKit

/// Reading in chunks on several threads gives exactly the findings of one pass.
@Suite struct ParallelReadTests {
    static let inputs: [URL] = {
        var urls: [URL] = []
        let validate = Paths.testdata.appendingPathComponent("validate")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: validate.path)) ?? [] where !name.hasSuffix(".diag") {
            urls.append(validate.appendingPathComponent(name))
        }
        let scrapes = Paths.shared.appendingPathComponent("scrapes")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: scrapes.path)) ?? [] {
            urls.append(scrapes.appendingPathComponent(name))
        }
        return urls.sorted { $0.path < $1.path }
    }()

    func compare(_ source: SourceFile, _ format: ExpositionFormat, seed: UInt64? = nil) {
        let one = Validator.validate(source, format: format, options: ReadOptions(threads: 1))
        for threads in [2, 3, 7] {
            let many = Validator.validate(source, format: format, options: ReadOptions(threads: threads, parallelThreshold: 0))
            if many != one {
                let a = Set(one.map { "\($0.offset) \($0.code) \($0.message)" }),
                    b = Set(many.map { "\($0.offset) \($0.code) \($0.message)" })
                Issue.record(
                    "\(source.name) \(format) with \(threads) threads\(seed.map { ", seed \($0)" } ?? "")\n\(one.map { "\($0.offset):\($0.code)" })\n\(many.map { "\($0.offset):\($0.code)" })\nonly single: \(a.subtracting(b).sorted())\nonly chunked: \(b.subtracting(a).sorted())\n----\n\(String(decoding: source.bytes, as: UTF8.self).prefix(3000))"
                )
                return
            }
        }
    }

    @Test(arguments: inputs)
    func sameFindings(_ url: URL) throws {
        let source = SourceFile(name: url.lastPathComponent, bytes: try [UInt8](Data(contentsOf: url)))
        compare(source, FormatDetector.detect(source.bytes))
    }

    /// Families repeated across the cut, clashes across it, a CR LF and # EOF in the middle.
    @Test func findingsThatSpanChunks() {
        var text = ""
        for i in 0..<40 { text += "# HELP f\(i) h\n# TYPE f\(i) gauge\nf\(i){a=\"1\"} 1\n" }
        text +=
            "# TYPE f3 gauge\nf3 2\n# TYPE f5_sum gauge\nf5_sum 1\n# TYPE s summary\ns_sum 1\ns_count 1\n# TYPE s_count gauge\ns_count 1\n"
        compare(SourceFile(name: "t", text: text), .text)
        compare(SourceFile(name: "t", text: text.replacingOccurrences(of: "f20{", with: "f20\r\n{")), .text)
        let om = text.replacingOccurrences(of: "# TYPE f30 gauge", with: "# EOF\n# TYPE f30 gauge") + "# EOF\n"
        compare(SourceFile(name: "o", text: om), .openMetrics)
    }

    /// Family names are compared as bytes, as Prometheus compares them: "é" written precomposed and decomposed
    /// are two families (Swift's String == would call them one and report the second as the first met again).
    @Test func familyNamesCompareAsBytes() {
        let text = "# TYPE \"\u{E9}\" gauge\n{\"\u{E9}\"} 1\n# TYPE \"e\u{301}\" gauge\n{\"e\u{301}\"} 1\n"
        let findings = Validator.validate(SourceFile(name: "t", text: text), format: .text)
        #expect(!findings.contains { $0.code == .familyNotContiguous }, "\(findings.map(\.message))")
        compare(SourceFile(name: "t", text: text), .text)
    }

    /// A family name written with escapes is compared, and named in messages, with its escapes undone.
    @Test func escapedFamilyNames() {
        let text = "# TYPE \"a\\\"b\" gauge\n{\"a\\\"b\"} 1\n# TYPE c gauge\nc 1\n# TYPE \"a\\\"b\" gauge\n{\"a\\\"b\"} 2\n"
        let findings = Validator.validate(SourceFile(name: "t", text: text), format: .text)
        let repeats = findings.filter { $0.code == .familyNotContiguous }
        #expect(
            repeats.count == 1 && repeats.first?.message.hasPrefix("metric family \"a\"b\" appears again (first on line 1)") == true,
            "\(findings.map(\.message))")
        compare(SourceFile(name: "t", text: text), .text)
    }

    /// Random expositions built from valid and broken lines: chunked and single-pass reads agree.
    /// Seeded: the seed is printed, and PROMKIT_SEED replays it.
    @Test func randomExpositions() {
        let seed = Seed.forTest("randomExpositions")
        var g = SeededGenerator(seed: seed)
        let names = ["a", "a_total", "a_sum", "a_count", "a_bucket", "b", "b_created", "c", "c_info"]
        let types = ["counter", "gauge", "histogram", "summary", "untyped", "info", "bogus"]
        for round in 0..<200 {
            var text = ""
            for _ in 0..<Int.random(in: 1..<60, using: &g) {
                let name = names.randomElement(using: &g)!
                switch Int.random(in: 0..<10, using: &g) {
                case 0: text += "# TYPE \(name) \(types.randomElement(using: &g)!)\n"
                case 1: text += "# HELP \(name) help\n"
                case 2: text += "# UNIT \(name) seconds\n"
                case 3: text += "\(name){le=\"\(Int.random(in: 0..<3, using: &g))\"} \(Int.random(in: 0..<5, using: &g))\n"
                case 4: text += "\(name){quantile=\"0.5\"} 1\n"
                case 5: text += "\(name){x=\"\(Int.random(in: 0..<3, using: &g))\"} 1 \(Int.random(in: 0..<3, using: &g))\n"
                case 6: text += "\(name){bad 1\n"
                case 7: text += "\n"
                default: text += "\(name) \(Int.random(in: -1..<3, using: &g))\n"
                }
            }
            if round % 2 == 0 { text += "# EOF\n" }
            let source = SourceFile(name: "r\(round)", text: text)
            for format in ExpositionFormat.allCases { compare(source, format, seed: seed) }
        }
    }
}

/// The splitter looks at each share of the input once; its cuts must be those of the plain walk that scans
/// back to each nominal boundary's line start and forward to the next cut, whatever the lines' lengths.
@Suite struct ChunkSplitterTests {
    /// The plain walk (quadratic on a line longer than a share): the oracle.
    static func plainSplit(_ p: [UInt8], format: ExpositionFormat, shares: [Double], longestLine: Int) -> [Range<Int>] {
        let n = p.count
        guard shares.count > 1, n > 0 else { return [0..<n] }
        func isName(_ b: UInt8, first: Bool) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b == 0x3A || (!first && b >= 0x30 && b <= 0x39)
        }
        func metadataName(_ i: Int) -> Range<Int>? {
            guard i + 7 <= n, p[i] == 0x23, p[i + 1] == 0x20 else { return nil }
            let word = String(decoding: p[(i + 2)..<(i + 7)], as: UTF8.self)
            guard word == "HELP " || word == "TYPE " || (format.isOpenMetrics && word == "UNIT ") else { return nil }
            var e = i + 7
            while e < n && isName(p[e], first: false) { e += 1 }
            return e > i + 7 ? (i + 7)..<e : nil
        }
        var cuts = [0]
        var sum = 0.0
        for k in 0..<(shares.count - 1) {
            sum += shares[k]
            let nominal = min(n, Int(Double(n) * sum)), limit = min(n, Int(Double(n) * (sum + shares[k + 1])))
            guard nominal > cuts.last! else { continue }
            var pos = nominal
            while pos > cuts.last! && p[pos - 1] != 0x0A { pos -= 1 }
            // A line start further back than longestLine: no cut in this share.
            if nominal - pos > longestLine { continue }
            var previous: Range<Int>?
            while pos < limit {
                if let sample = previous, pos > cuts.last!, let name = metadataName(pos),
                    !(sample.count >= name.count && p[sample.lowerBound..<(sample.lowerBound + name.count)].elementsEqual(p[name]))
                {
                    cuts.append(pos)
                    break
                }
                previous = nil
                if isName(p[pos], first: true) {
                    var e = pos
                    while e < n && isName(p[e], first: false) { e += 1 }
                    previous = pos..<e
                }
                guard let lineEnd = p[pos...].firstIndex(of: 0x0A) else { break }
                pos = lineEnd + 1
            }
        }
        cuts.append(n)
        return zip(cuts, cuts.dropFirst()).map { $0..<$1 }
    }

    @Test func cutsAsThePlainWalk() {
        let seed = Seed.forTest("cutsAsThePlainWalk")
        var g = SeededGenerator(seed: seed)
        for round in 0..<400 {
            var text = ""
            for _ in 0..<Int.random(in: 1..<40, using: &g) {
                let name = ["a", "ab", "b", "c_total", "d"].randomElement(using: &g)!
                switch Int.random(in: 0..<6, using: &g) {
                case 0: text += "# TYPE \(name) gauge\n"
                case 1: text += "# HELP \(name) \(String(repeating: "h", count: Int.random(in: 0..<300, using: &g)))\n"
                case 2: text += "\(name){v=\"\(String(repeating: "x", count: Int.random(in: 0..<2000, using: &g)))\"} 1\n"
                case 3: text += "\n"
                default: text += "\(name) 1\n"
                }
            }
            if Bool.random(using: &g) { text.removeLast() }
            let bytes = Array(text.utf8)
            for (threads, longest) in [(2, 1 << 20), (3, 700), (5, 100)] {
                let shares = ChunkSplitter.shares(threads: threads)
                for format in [ExpositionFormat.text, .openMetrics] {
                    let fast = bytes.withUnsafeBufferPointer {
                        ChunkSplitter.split($0, format: format, shares: shares, longestLine: longest)
                    }
                    let plain = Self.plainSplit(bytes, format: format, shares: shares, longestLine: longest)
                    #expect(fast == plain, "seed \(seed) round \(round) threads \(threads) longest line \(longest) \(format)")
                    if fast != plain { return }
                }
            }
        }
    }
}

/// The line parser takes over the tokens a line shares with the previous sample line and predicts the names
/// after them (TokenReuse.swift); that must give exactly what the plain grammar alone gives (LabelGrammar.swift,
/// `reuseTokens` off), however the lines differ (escapes, blanks, commas, quoted names).
@Suite struct TokenReuseTests {
    static func dump(_ source: SourceFile, _ format: ExpositionFormat, reuse: Bool) -> String {
        var options = ReadOptions(threads: 1)
        options.reuseTokens = reuse
        return dump(source, format, options: options)
    }

    /// Every family, sample and label as read, then the diagnostics: what two ways of reading must agree on.
    static func dump(_ source: SourceFile, _ format: ExpositionFormat, options: ReadOptions) -> String {
        var out = ""
        let diagnostics = FamilyReader(source: source, format: format, options: options).read { family in
            out += "family \(family.name) \(family.type)\n"
            for s in family.samples {
                out += "  \(s.offset) \(s.name) \(s.nameFlags.rawValue) \(family.sampleName(s)) \(s.value) \(s.timestamp?.seconds ?? -1)"
                for l in family.labels(of: s) { out += " [\(l.name) \(l.value) \(l.flags.rawValue)]" }
                out += "\n"
            }
        }
        for d in diagnostics { out += "\(d.offset) \(d.code) \(d.severity) \(d.message)\n" }
        return out
    }

    /// What `Sample.sharedLabels` and `Sample.sameLabelNames` promise, checked against the bytes: the first
    /// `sharedLabels` labels are the family's previous sample's, byte for byte, and with `sameLabelNames` every
    /// label's name is that sample's at the same position (the checks and the lint label pass reuse work on
    /// them). nil when they hold; else the first sample where they do not.
    static func sharedLabelsHold(_ source: SourceFile, _ format: ExpositionFormat) -> String? {
        var broken: String?
        let bytes = Array(source.bytes)
        func text(_ r: ByteRange) -> ArraySlice<UInt8> { bytes[r.lowerBound..<r.upperBound] }
        _ = FamilyReader(source: source, format: format, options: ReadOptions(threads: 1)).read { f in
            for i in f.samples.indices where broken == nil {
                let s = f.samples[i], labels = Array(f.labels(of: s))
                let before = i > 0 ? Array(f.labels(of: f.samples[i - 1])) : []
                guard Int(s.sharedLabels) <= min(labels.count, before.count) else {
                    broken = "sharedLabels \(s.sharedLabels) past the labels at \(s.offset)"
                    return
                }
                for k in 0..<Int(s.sharedLabels)
                where text(labels[k].name) != text(before[k].name)
                    || text(labels[k].value) != text(before[k].value) || labels[k].flags != before[k].flags
                {
                    broken = "label \(k) differs from the previous sample's at \(s.offset)"
                }
                if s.sameLabelNames
                    && (i == 0 || labels.count != before.count
                        || labels.indices.contains(where: {
                            text(labels[$0].name) != text(before[$0].name)
                                || labels[$0].flags.contains(.nameQuoted) != before[$0].flags.contains(.nameQuoted)
                        }))
                {
                    broken = "sameLabelNames, but the names differ from the previous sample's at \(s.offset)"
                }
            }
        }
        return broken
    }

    /// The flag is set where the names repeat, and only there (the random rounds check it never lies).
    @Test func sameLabelNamesMarked() {
        let text =
            "# TYPE a gauge\na{x=\"1\",y=\"2\"} 1\na{x=\"3\",y=\"4\"} 2\na{y=\"1\",x=\"2\"} 3\na{y=\"5\",x=\"2\"} 4\n"
            + "a{y=\"5\"} 5\na{y=\"6\",x=\"2\",z=\"1\"} 6\nb 1\nb 2\nb{} 3\nb{} 4\n"
        for format in [ExpositionFormat.text, .openMetrics] {
            var marks: [Bool] = []
            _ = FamilyReader(
                source: SourceFile(name: "t", text: text + (format == .text ? "" : "# EOF\n")), format: format,
                options: ReadOptions(threads: 1)
            ).read { f in marks += f.samples.map(\.sameLabelNames) }
            #expect(marks == [false, true, false, true, false, false, false, true, false, false], "\(format)")
        }
    }

    /// Every test input and real scrape, read as each format: the plain grammar alone (no token taken over, no
    /// name predicted: `reuseTokens` off) reads what the fast path reads, samples and diagnostics byte for byte.
    @Test(arguments: ParallelReadTests.inputs)
    func plainGrammarReadsTheSame(_ url: URL) throws {
        let source = SourceFile(name: url.lastPathComponent, bytes: try [UInt8](Data(contentsOf: url)))
        for format in ExpositionFormat.allCases {
            let plain = Self.dump(source, format, reuse: false), fast = Self.dump(source, format, reuse: true)
            if plain != fast {
                let a = plain.split(separator: "\n"), b = fast.split(separator: "\n")
                let k = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                Issue.record(
                    "\(url.lastPathComponent) as \(format): plain and fast differ at dump line \(k)\n--- plain\n\(k < a.count ? a[k] : "(end)")\n--- fast\n\(k < b.count ? b[k] : "(end)")"
                )
            }
            // The plain reading took nothing over: the samples carry no reuse marks.
            var options = ReadOptions(threads: 1)
            options.reuseTokens = false
            var marked = 0, samples = 0
            _ = FamilyReader(source: source, format: format, options: options).read { f in
                samples += f.samples.count
                marked += f.samples.filter { $0.sharedLabels > 0 || $0.sameLabelNames }.count
            }
            #expect(marked == 0, "\(url.lastPathComponent) as \(format): \(marked) of \(samples) samples marked as reused with reuse off")
        }
    }

    /// Fixed seeds, so a failure replays; each seed is a few thousand lines of near-identical neighbours.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func sameAsFreshScan(seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        let names = ["a", "ab", "a_b", "a_bucket", "a_sum", "a_count", "a_total", "\"a.b\"", "1a"]
        let labelNames = ["x", "xy", "le", "__name__", "\"q.r\"", "quantile", "x-y"]
        let values = ["1", "12", "a\\\"b", "a\\\\", "", "\\n", "0.5", "+Inf", "a\\q", "12\"", "é"]
        let separators = [",", ",", ",", ",,", " ,", ", ", ""]
        let headers = ["", "", "", "# TYPE a histogram\n", "# TYPE a summary\n", "# TYPE a counter\n", "# HELP a h\n", "# c\n", "\n"]
        let tails = [" 1", " 2", " 1.5", "  1", " 1 100", " x", " 1 # {a=\"b\"} 1"]
        // A line as parts (name, "{", label, separator, label, …, "}", tail), so the next line can be the
        // same with one part changed: lines that share long prefixes and differ just after a token.
        func randomLine() -> [String] {
            var parts = [names.randomElement(using: &g)!]
            if Bool.random(using: &g) {
                parts.append(Int.random(in: 0..<8, using: &g) == 0 ? " {" : "{")
                let count = Int.random(in: 0..<4, using: &g)
                for k in 0..<count {
                    if k > 0 { parts.append(separators.randomElement(using: &g)!) }
                    parts.append(labelNames.randomElement(using: &g)! + "=\"" + values.randomElement(using: &g)! + "\"")
                }
                if count > 0 && Int.random(in: 0..<6, using: &g) == 0 { parts.append(",") }
                parts.append(Int.random(in: 0..<20, using: &g) == 0 ? "" : "}")
            }
            parts.append(tails.randomElement(using: &g)!)
            return parts
        }
        let pieces =
            names + labelNames.map { $0 + "=\"1\"" } + values.map { "x=\"" + $0 + "\"" } + separators + tails + ["{", "}", " ", ""]
        for round in 0..<1500 {
            var text = ""
            var parts = randomLine()
            for _ in 0..<Int.random(in: 1..<30, using: &g) {
                if Int.random(in: 0..<5, using: &g) == 0 { text += headers.randomElement(using: &g)! }
                text += parts.joined() + "\n"
                if Int.random(in: 0..<4, using: &g) == 0 {
                    parts = randomLine()
                } else {
                    let k = Int.random(in: 0..<parts.count, using: &g)
                    switch Int.random(in: 0..<3, using: &g) {
                    case 0: parts[k] = pieces.randomElement(using: &g)!
                    case 1: parts.insert(pieces.randomElement(using: &g)!, at: k)
                    default: if parts.count > 1 { parts.remove(at: k) }
                    }
                }
            }
            let source = SourceFile(name: "r\(round)", text: text)
            for format in ExpositionFormat.allCases {
                let fresh = Self.dump(source, format, reuse: false), reused = Self.dump(source, format, reuse: true)
                if fresh != reused {
                    Issue.record("seed \(seed), round \(round), \(format):\n\(text)\n--- fresh\n\(fresh)\n--- reused\n\(reused)")
                    return
                }
                if let broken = Self.sharedLabelsHold(source, format) {
                    Issue.record("seed \(seed), round \(round), \(format): \(broken)\n\(text)")
                    return
                }
            }
        }
    }
}

/// The line index the reader leaves gives the same line and column as counting from the top.
@Suite struct LineIndexTests {
    @Test(arguments: [1, 2, 3])
    func sameLocations(threads: Int) {
        var text = ""
        var g = SeededGenerator(seed: 9)
        for i in 0..<30_000 {
            text += i % 977 == 0 ? "# HELP f\(i) h\n# TYPE f\(i) gauge\n" : ""
            text += "f\(i - i % 977){a=\"\(String(repeating: "é", count: Int.random(in: 0..<3, using: &g)))\"} \(i)\n"
        }
        let indexed = SourceFile(name: "t", text: text), plain = SourceFile(name: "t", text: text)
        _ = Validator.validate(indexed, format: .text, options: ReadOptions(threads: threads, parallelThreshold: 0))
        let offsets = (0..<500).map { _ in Int.random(in: 0...text.utf8.count, using: &g) } + [0, text.utf8.count]
        let a = indexed.locations(of: offsets), b = plain.locations(of: offsets)
        let wrong = offsets.indices.filter { a[$0] != b[$0] }
        #expect(wrong.isEmpty, "\(wrong.count) offsets misplaced, first at \(wrong.first.map { offsets[$0] } ?? -1)")
        let single = offsets.prefix(50).filter { indexed.location(of: $0) != plain.location(of: $0) }
        #expect(single.isEmpty, "location(of:) differs at \(single.prefix(3))")
    }
}

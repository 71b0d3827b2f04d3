import Testing

@testable import PromKit

/// Families kept past the consumer call own their bytes through `source`, however the input was read: the
/// reader's window (moved by every piece, freed at the end of the pass) is lent to a family only for its
/// hand-over. Before, 35,060 of 40,000 kept families read garbage names through a window gone stale.
@Suite struct KeptFamiliesTests {
    static let families = 40_000

    /// 40,000 families, each with HELP, TYPE and a sample with two labels, all spelled from its number.
    static let input: [UInt8] = {
        var text = ""
        for i in 0..<families {
            text += "# HELP fam_\(i) help \(i)\n# TYPE fam_\(i) gauge\nfam_\(i){k=\"v\(i)\",j=\"x\(i)\"} \(i)\n"
        }
        return Array(text.utf8)
    }()

    /// How many of `families` do not read back as the input spelled them.
    static func wrong(_ families: [MetricFamily]) -> Int {
        var bad = abs(families.count - Self.families)
        for (i, f) in families.enumerated() {
            let s = f.samples.first
            let ok =
                f.name == "fam_\(i)" && f.help == "help \(i)" && f.samples.count == 1
                && s.map {
                    f.sampleName($0) == "fam_\(i)" && f.labelValue("k", of: $0) == "v\(i)"
                        && f.labelValue("j", of: $0) == "x\(i)" && f.text($0.valueRange) == "\(i)"
                } == true
            if !ok { bad += 1 }
        }
        return bad
    }

    /// `readAll` with the options a public caller can set, on a mapped file (read in pieces when windowed).
    @Test(arguments: [1, 2])
    func readAllKeepsEveryFamily(threads: Int) throws {
        let file = try WindowedReadTests.fileSource(Self.input, "kept-\(threads)")
        let (families, diagnostics) = FamilyReader(
            source: file, format: .text,
            options: ReadOptions(threads: threads, parallelThreshold: 0)
        ).readAll()
        #expect(diagnostics.isEmpty)
        #expect(Self.wrong(families) == 0)
    }

    /// `readAll` ignores the windowed mode (package code could ask for it): every family is kept.
    @Test func readAllIgnoresTheWindow() throws {
        let file = try WindowedReadTests.fileSource(Self.input, "kept-window")
        var options = ReadOptions(threads: 1)
        options.windowed = true
        options.windowPiece = 4096
        #expect(Self.wrong(FamilyReader(source: file, format: .text, options: options).readAll().families) == 0)
    }

    struct Keeper: FamilyConsumer {
        var kept: [MetricFamily] = []
        /// Kept families that read wrong while a later one was handed over (the window lent to it, not them).
        var wrongDuringLaterHandOver = 0
        mutating func consume(_ family: MetricFamily) {
            if kept.count >= 100 {
                let earlier = kept[kept.count - 100]
                if earlier.sampleName(earlier.samples[0]) != earlier.name { wrongDuringLaterHandOver += 1 }
            }
            kept.append(family)
        }
    }

    /// A consumer that keeps the families of a windowed read: each copy reads its window during its hand-over
    /// only, and through `source` after (the window's pieces have moved on, then it was freed).
    @Test(arguments: [1, 3])
    func windowedCopiesReadThroughSource(threads: Int) throws {
        let file = try WindowedReadTests.fileSource(Self.input, "kept-copies-\(threads)")
        var options = ReadOptions(threads: threads, parallelThreshold: 0)
        options.windowed = true
        options.windowPiece = 4096
        let (consumers, diagnostics) = FamilyReader(source: file, format: .text, options: options).read { _ in Keeper() }
        #expect(diagnostics.isEmpty)
        #expect(Self.wrong(consumers.flatMap(\.kept)) == 0)
        #expect(consumers.map(\.wrongDuringLaterHandOver).reduce(0, +) == 0)
    }
}

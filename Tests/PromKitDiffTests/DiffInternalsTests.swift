import PromKitTestSupport
import Testing

@testable import PromKit
@testable import PromKitDiff

/// The diff's shortcuts give what the plain way gives.
@Suite struct DiffInternalsTests {
    /// Families sorted by their names' first sixteen bytes first give the order of comparing the strings.
    @Test(arguments: [1, 2, 3, 4] as [UInt64]) func nameOrderIsTheStringOrder(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let alphabet = Array("ab_:zA0\u{1}".utf8)
        let stems = [
            "", "a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "kube_latency_", "kube_latency_x", "abcdefghijklmno",
            "abcdefghijklmnop", "abcdefghijklmnopq",
        ]
        var names: [(String, String)] = []
        for _ in 0..<400 {
            var bytes = Array(stems.randomElement(using: &random)!.utf8)
            for _ in 0..<Int.random(in: 0...4, using: &random) { bytes.append(alphabet.randomElement(using: &random)!) }
            let name = String(decoding: bytes, as: UTF8.self)
            names.append((name, Bool.random(using: &random) ? name : name + "_total"))
        }
        let plain = names.indices.sorted { names[$0] < names[$1] }
        #expect(Differ.sortedByName(names).map { names[$0] }.elementsEqual(plain.map { names[$0] }, by: ==))
        // Names that are not all ASCII are compared as strings (`e` and a combining accent is `é`).
        let unicode = names + [("e\u{301}", "e\u{301}"), ("\u{E9}x", "\u{E9}x"), ("f", "f"), ("ea", "ea")]
        #expect(
            Differ.sortedByName(unicode).map { unicode[$0] }
                .elementsEqual(unicode.indices.sorted { unicode[$0] < unicode[$1] }.map { unicode[$0] }, by: ==))
    }

    /// Numeric label values taken from the table give what parsing and hashing them gives, however many share
    /// a place in it; each is new once per family.
    @Test func numberPartsAreTheParsedValues() {
        var text = ""
        var ranges: [(ByteRange, Bool)] = []
        var random = SeededGenerator(seed: 7)
        for k in 0..<3000 {
            let value =
                [
                    "+Inf", "-Inf", "NaN", "0", "-0", "0.5", "1e3", "1000", "x", "0x10", "12345678", "123456789", "1_0",
                ].randomElement(using: &random)! + (k % 3 == 0 ? "" : String(k % 997))
            let start = text.utf8.count
            text += value
            ranges.append((ByteRange(start, text.utf8.count), Bool.random(using: &random)))
            text += "\""
        }
        let bytes = Array(text.utf8)
        let numbers = NumberParts()
        bytes.withUnsafeBufferPointer { p in
            for family in 0..<3 {
                numbers.nextFamily()
                var seen = Set<[UInt8]>()
                for (range, quantile) in ranges {
                    let label = Label(name: ByteRange(0, 0), value: range, flags: [])
                    let tag: UInt64 = quantile ? 0x1234 : 0x5678
                    let got = numbers.part(p, label, tag: tag, kind: quantile ? 1 : 0)
                    let expected = SeriesKeying.number(p, label).map { ($0, mix64(SeriesKeying.numberHash(tag, $0))) }
                    #expect(got?.part == expected?.1, "family \(family)")
                    #expect(got.map { $0.value.bitPattern } == expected.map { $0.0.bitPattern })
                    let key = Array(bytes[range.lowerBound..<range.upperBound]) + [quantile ? 1 : 0]
                    // New at least the first time in a family (again only after its place was taken).
                    if let got, seen.insert(key).inserted { #expect(got.newInFamily) }
                }
            }
        }
    }

    /// A chunk's timestamps are found by entry, and entries without one have none.
    @Test func timestampsByEntry() {
        var timestamps = Timestamps()
        for i in stride(from: 3, to: 300, by: 7) { timestamps.append(i, Double(i) / 2) }
        for i in 0..<310 {
            #expect(timestamps.seconds(of: i) == (i >= 3 && i < 300 && (i - 3) % 7 == 0 ? Double(i) / 2 : nil))
        }
        #expect(Timestamps().seconds(of: 0) == nil)
    }
}

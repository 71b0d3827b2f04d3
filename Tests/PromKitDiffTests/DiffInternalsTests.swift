import PromKitTestSupport
import Testing

@testable import PromKitDiff

/// The diff's shortcuts give what the plain way gives.
@Suite struct DiffInternalsTests {
    /// Families sorted by their names' first eight bytes first give the order of comparing the strings.
    @Test(arguments: [1, 2, 3, 4] as [UInt64]) func nameOrderIsTheStringOrder(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let alphabet = Array("ab_:zA0\u{1}".utf8)
        let stems = ["", "a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "kube_latency_", "kube_latency_x"]
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

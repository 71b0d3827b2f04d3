import PromKitTestSupport
import Testing

@testable import PromKit

@Suite struct NumberSyntaxTests {
    func parse(_ s: String) -> Double? {
        let bytes = Array(s.utf8)
        return bytes.withUnsafeBufferPointer { NumberSyntax.parseFloat($0, 0, $0.count) }
    }

    @Test(arguments: [
        ("1", 1.0), ("-1.5", -1.5), ("1e3", 1000), ("1.5E-3", 0.0015), (".5", 0.5), ("5.", 5), ("+3", 3),
        ("0.1", 0.1), ("123456789012345678901234567890", 1.2345678901234568e29), ("1e-400", 0), ("007", 7),
        ("4.20072246e+06", 4200722.46), ("+Inf", .infinity), ("-inf", -.infinity), ("Infinity", .infinity),
    ])
    func accepts(_ text: String, _ value: Double) {
        #expect(parse(text) == value)
    }

    @Test func nan() {
        #expect(parse("NaN")!.isNaN)
        #expect(parse("nan")!.isNaN)
    }

    /// What Double(String) accepts but the exposition grammar does not.
    @Test(arguments: ["0x1p-3", "1_000", "", "-", "e5", "1e", "1.2.3", " 1", "1 ", "+NaN", "Infinit", "0b1", "0o7", "inf1"])
    func rejects(_ text: String) {
        #expect(parse(text) == nil)
    }

    /// The exact fast path agrees with strtod on many decimals.
    @Test func fastPathIsExact() {
        let seed = Seed.forTest("fastPathIsExact")
        var g = SeededGenerator(seed: seed)
        for _ in 0..<20_000 {
            let v = Double.random(in: -1e6...1e6, using: &g)
            let s = String(format6(v))
            #expect(parse(s) == Double(s), "\(s), seed \(seed)")
        }
    }

    /// Long mantissas (16–19 digits) with small exponents take the 128-bit path: it must round like strtod.
    @Test func wideDecimalsRoundCorrectly() {
        let seed = Seed.forTest("wideDecimalsRoundCorrectly")
        var g = SeededGenerator(seed: seed)
        for _ in 0..<50_000 {
            let digits = Int.random(in: 16...19, using: &g)
            var m = String(Int.random(in: 1...9, using: &g))
            for _ in 1..<digits { m += String(Int.random(in: 0...9, using: &g)) }
            let point = Int.random(in: 0...digits, using: &g)
            var text = String(m.prefix(point)) + "." + String(m.dropFirst(point))
            if text.hasPrefix(".") { text = "0" + text }
            if Bool.random(using: &g) { text += "e" + String(Int.random(in: -6...6, using: &g)) }
            #expect(parse(text) == Double(text), "\(text), seed \(seed)")
        }
        #expect(parse("1.7380636976181264e+09") == 1.7380636976181264e+09)
        #expect(parse("9007199254740993") == 9007199254740992)
        #expect(parse("12345678901234567.5") == Double("12345678901234567.5"))
    }

    /// Eight digits in one step: the value when all eight are digits, nil when any byte is not (the bytes
    /// next to '0' and '9' included, at every position).
    @Test func eightDigitsAtOnce() {
        func eight(_ bytes: [UInt8]) -> UInt64? {
            bytes.withUnsafeBufferPointer { NumberSyntax.eightDigits($0, 0) }
        }
        let seed = Seed.forTest("eightDigitsAtOnce")
        var g = SeededGenerator(seed: seed)
        for _ in 0..<10_000 {
            let digits = (0..<8).map { _ in UInt8.random(in: 0x30...0x39, using: &g) }
            #expect(eight(digits) == UInt64(String(decoding: digits, as: UTF8.self)), "seed \(seed)")
            var bad = digits
            bad[Int.random(in: 0..<8, using: &g)] = [0x2F, 0x3A, 0x2E, 0x65, 0x20, 0x00, 0xFF, 0xB0, 0x40].randomElement(using: &g)!
            #expect(eight(bad) == nil, "\(bad), seed \(seed)")
        }
        #expect(eight(Array("00000000".utf8)) == 0 && eight(Array("99999999".utf8)) == 99_999_999)
    }

    func format6(_ v: Double) -> String {
        let scaled = (v * 1_000_000).rounded() / 1_000_000
        return "\(scaled)"
    }

    @Test func int64Timestamps() {
        func ts(_ s: String) -> Int64? {
            Array(s.utf8).withUnsafeBufferPointer { NumberSyntax.parseInt64($0, 0, $0.count) }
        }
        #expect(ts("1700000000000") == 1_700_000_000_000)
        #expect(ts("-5") == -5)
        #expect(ts("9223372036854775808") == nil)
        #expect(ts("1.5") == nil)
    }

    @Test func formatting() {
        #expect(NumberFormat.text(1) == "1")
        #expect(NumberFormat.text(.infinity) == "+Inf")
        #expect(NumberFormat.text(.nan) == "NaN")
        #expect(NumberFormat.text(1e-5) == "1e-05")
        #expect(NumberFormat.openMetricsFloat(1) == "1.0")
    }
}

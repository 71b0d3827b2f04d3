import PromKitTestSupport
import Testing

@testable import PromKit

/// Hostile inputs get diagnostics, in bounded time and memory, and never a crash.
@Suite struct RobustnessTests {
    /// Without the reading limits (`LimitTests` has those): the parser itself must stand these inputs.
    func validate(_ bytes: [UInt8], _ format: ExpositionFormat = .text) -> [Diagnostic] {
        var options = ReadOptions()
        for name in ReadLimits.names { _ = options.limits.set(name, 0) }
        return Validator.validate(SourceFile(name: "x", bytes: bytes), format: format, options: options)
    }

    @Test func longSingleLine() {
        var bytes = Array("a{x=\"".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "y"), count: 8_000_000)
        bytes += Array("\"} 1\n".utf8)
        #expect(validate(bytes).isEmpty)
    }

    @Test func manyLabelsOnOneSeries() {
        var line = "a{"
        for i in 0..<100_000 { line += "l\(i)=\"v\"," }
        line += "l0=\"dup\"} 1\n"
        let d = validate(Array(line.utf8))
        #expect(d.map(\.code) == [.duplicateLabelName])
    }

    @Test func repeatedEscapes() {
        let line = "a{x=\"" + String(repeating: "\\\\", count: 500_000) + "\"} 1\n"
        #expect(validate(Array(line.utf8)).isEmpty)
    }

    @Test func diagnosticsAreCapped() {
        let bytes = Array(String(repeating: "bad line here\n", count: 5000).utf8)
        let d = Validator.validate(SourceFile(name: "x", bytes: bytes), format: .text, options: ReadOptions(maxDiagnostics: 100))
        #expect(d.count == 101)
        #expect(d.last?.code.rawValue == "too_many_diagnostics")
    }

    @Test func randomBytesNeverCrash() {
        let seed = Seed.forTest("randomBytesNeverCrash")
        var g = SeededGenerator(seed: seed)
        let alphabet = Array("ab_{}=\",# \n\\.:0123456789eE+-InfNa\t\r\u{0}".utf8) + [0xC3, 0xFF, 0x80]
        for _ in 0..<3000 {
            let n = Int.random(in: 0..<80, using: &g)
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &g)! }
            for format in ExpositionFormat.allCases { _ = validate(bytes, format) }
        }
    }

    @Test func detection() {
        #expect(FormatDetector.detect(Array("a 1\n".utf8)) == .text)
        #expect(FormatDetector.detect(Array("a 1\n# EOF\n".utf8)) == .openMetrics)
        #expect(FormatDetector.detect(Array("a 1\n# EOF".utf8)) == .openMetrics)
        #expect(FormatDetector.detect(Array("h {count:1,sum:1,bucket:[+Inf:1]}\n# EOF\n".utf8)) == .openMetrics2)
        #expect(FormatDetector.fromContentType("application/openmetrics-text; version=1.0.0; charset=utf-8") == .openMetrics)
        #expect(FormatDetector.fromContentType("text/plain; version=0.0.4") == .text)
    }
}

extension RobustnessTests {
    /// A family's checks report when it ends, after later lines' syntax errors: the limit still keeps the first
    /// diagnostics by location, and counts the rest by code and severity on the closing note.
    @Test func limitKeepsTheFirstByLocation() {
        let text =
            "b{ 1\nd{ 1\n# TYPE e histogram\ne_bucket{le=\"+Inf\"} 1\ne_bucket{le=\"1\"} 2\ne_count 1\ne_sum 1\ne_bucket{ 1\nf{ 1\ng{ 1\n"
        for limit in 1...4 {
            let d = Validator.validate(
                SourceFile(name: "x", bytes: Array(text.utf8)), format: .text, options: ReadOptions(maxDiagnostics: limit))
            let all = Validator.validate(
                SourceFile(name: "x", bytes: Array(text.utf8)), format: .text, options: ReadOptions(maxDiagnostics: 0))
            #expect(d.dropLast().map(\.offset) == Array(all.prefix(limit).map(\.offset)), "limit \(limit)")
            #expect(d.last?.code == .tooManyDiagnostics)
            #expect(d.last?.omitted.total == all.count - limit)
            #expect(d.last?.omitted.count(.warning) == all.dropFirst(limit).filter { $0.severity == .warning }.count)
        }
    }
}

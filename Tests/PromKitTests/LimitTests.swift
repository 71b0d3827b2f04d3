import PromKitTestSupport
import Testing

@testable import PromKit

/// The reading limits (issue 18, docs/limits.md): each past its value gives one located error with its code,
/// at the defaults no real input meets them, and the parallel read reports what one pass reports.
@Suite struct LimitTests {
    func validate(_ text: String, _ set: [(String, Int)], format: ExpositionFormat = .text, threads: Int = 1) -> [Diagnostic] {
        var options = ReadOptions(threads: threads, parallelThreshold: threads > 1 ? 0 : 8 << 20)
        for (name, value) in set { #expect(options.limits.set(name, value) == nil) }
        return Validator.validate(SourceFile(name: "x", text: text), format: format, options: options)
    }

    static let input = "# TYPE a gauge\na{x=\"1\",y=\"2\"} 1\na{x=\"2\",y=\"22222\"} 1\n# TYPE b gauge\nb 1\nb{z=\"3\"} 2\n"

    @Test func defaultsLetRealInputsThrough() {
        #expect(validate(Self.input, []).isEmpty)
        let limits = ReadLimits()
        #expect(limits.lineBytes == 1 << 20 && limits.labelsPerSeries == 512 && limits.labelValueBytes == 256 << 10)
        #expect(limits.series == 10_000_000 && limits.inputBytes == SourceFile.maximumSize)
        for name in ReadLimits.names { #expect(limits[name] != nil, "\(name)") }
    }

    @Test func lineLength() {
        let d = validate(Self.input, [("line_bytes", 19)])
        #expect(d.map(\.code) == [.lineTooLong], "\(d)")
        // The third line (20 bytes) is not read: located at its start.
        #expect(d.first?.offset == 32 && d.first?.message.contains("line_bytes") == true, "\(d)")
        // At the default: a line of 1 MiB and one byte.
        let long = "a{x=\"" + String(repeating: "y", count: 1 << 20) + "\"} 1\n"
        #expect(validate(long, []).map(\.code) == [.lineTooLong])
    }

    @Test func labelsPerSeries() {
        let d = validate(Self.input, [("labels_per_series", 1)])
        #expect(d.map(\.code) == [.tooManyLabels, .tooManyLabels], "\(d)")
        #expect(d.map(\.offset) == [15, 32])
    }

    @Test func labelValueSize() {
        let d = validate(Self.input, [("label_value_bytes", 4)])
        #expect(d.map(\.code) == [.labelValueTooLong], "\(d)")
        #expect(d.first?.offset == 43, "at the value: \(d)")
    }

    @Test func totalSeries() {
        for threads in [1, 2, 3] {
            let d = validate(Self.input, [("series", 3)], threads: threads)
            #expect(d.map(\.code) == [.tooManySeries], "\(threads) threads: \(d)")
            #expect(d.first?.family == "b", "\(threads) threads: \(d)")
        }
        #expect(validate(Self.input, [("series", 4)]).isEmpty)
    }

    @Test func inputSize() {
        let d = validate(Self.input, [("input_bytes", 10)])
        #expect(d.map(\.code) == [.inputTooLarge] && d.first?.offset == 0, "\(d)")
        #expect(validate(Self.input, [("input_bytes", Self.input.utf8.count)]).isEmpty)
    }

    @Test func zeroTurnsALimitOffAndBadValuesAreRefused() {
        var limits = ReadLimits()
        #expect(limits.set("line_bytes=0") == nil && limits.lineBytes == Int.max)
        #expect(limits.set("input_bytes=0") == nil && limits.inputBytes == SourceFile.maximumSize)
        #expect(limits.set("nope=3")?.contains("no limit called 'nope'") == true)
        #expect(limits.set("series=-1")?.contains("not") == true)
        #expect(limits.set("series") != nil)
        #expect(limits.set("input_bytes=\(Int(SourceFile.maximumSize) + 1)") != nil)
    }
}

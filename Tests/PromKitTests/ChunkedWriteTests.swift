import Foundation
import PromKitTestSupport
import Testing

@testable import PromKit

/// The parallel conversion (`ChunkedWrite`: chunks read and written on their own, handed on in order; one pass
/// that validates and writes, or a writing pass after the first) against the one-thread writer as it was, with
/// no line copied whole (`ConvertRun.convertOnePass`): the same bytes and the same diagnostics, with chunks cut
/// as small as the input allows.
@Suite struct ChunkedWriteTests {
    /// Every way the commands write: each target, and fmt's canonical form (with and without sorted labels).
    static func runs(_ format: ExpositionFormat) -> [(String, ConvertRun)] {
        let from = FormatChoice(rawValue: format.rawValue)!
        var runs = TargetFormat.allCases.map { ("\(format.rawValue) -> \($0.rawValue)", ConvertRun(from: from, to: $0)) }
        runs.append(
            ("fmt", ConvertRun(from: from, to: TargetFormat(format), options: WriteOptions(escaping: .allowUTF8, canonicalNumbers: true))))
        runs.append(
            (
                "fmt --sort-labels",
                ConvertRun(
                    from: from, to: TargetFormat(format),
                    options: WriteOptions(escaping: .allowUTF8, canonicalNumbers: true, sortLabels: true))
            ))
        runs.append(("--strict", ConvertRun(from: from, to: format == .text ? .openMetrics : .text, options: WriteOptions(strict: true))))
        return runs
    }

    /// Checks one input every way; returns whether it converted (valid).
    @discardableResult
    static func check(_ bytes: [UInt8], name: String) -> Bool {
        let source = SourceFile(name: name, bytes: bytes)
        let format = FormatChoice.auto.resolve(for: source.bytes)
        var valid = false
        for (what, run) in runs(format) {
            var oracle = run
            oracle.readOptions = ReadOptions(threads: 1)
            let expected = oracle.convertOnePass(source)
            // Tiny chunks: most family boundaries are cuts.
            for chunk in [1, 61, max(64, bytes.count / 7)] {
                var parallel = run
                parallel.readOptions = ReadOptions(threads: 3, parallelThreshold: 0)
                parallel.chunkBytes = chunk
                let got = parallel.convert(SourceFile(name: name, bytes: bytes))
                #expect(got.output == expected.output, "\(name) (\(what), chunks of \(chunk)): output differs")
                #expect(got.diagnostics == expected.diagnostics, "\(name) (\(what), chunks of \(chunk)): diagnostics differ")
                // The writing pass after a first pass (destinations that cannot be taken back).
                if case .success(let plan) = parallel.prepare(source) {
                    let sink = ByteSink()
                    let log = parallel.write(source, plan: plan, to: sink)
                    sink.flush()
                    #expect(
                        (log.hasErrors ? nil : sink.kept) == expected.output,
                        "\(name) (\(what), chunks of \(chunk), second pass): output differs")
                    #expect(
                        log.diagnostics == expected.diagnostics, "\(name) (\(what), chunks of \(chunk), second pass): diagnostics differ")
                }
                if bytes.count < 4096 { continue }
                break
            }
            if expected.output != nil { valid = true }
        }
        return valid
    }

    @Test(.enabled(if: Paths.runsShared, Comment(rawValue: Paths.sharedAbsent))) func sameAsOneThreadEverywhere() throws {
        #expect(Paths.sharedAvailable, Comment(rawValue: Paths.sharedAbsentInCI))
        var valid = 0
        let dirs = [Paths.shared.appendingPathComponent("conformance"), Paths.shared.appendingPathComponent("scrapes"), Paths.testdata]
        for url in dirs.flatMap(ConvertTests.files) {
            guard let data = try? Data(contentsOf: url), data.count < 8 << 20 else { continue }
            if Self.check([UInt8](data), name: url.path) { valid += 1 }
        }
        print("parallel conversion checked against one thread on \(valid) valid files (and the invalid ones)")
        #expect(valid >= 50)
    }

    @Test func sameAsOneThreadOnGeneratedInputs() {
        let seed = UInt64(ProcessInfo.processInfo.environment["PROMKIT_SEED"] ?? "") ?? 20240615
        print("sameAsOneThreadOnGeneratedInputs seed \(seed) (PROMKIT_SEED to repeat)")
        var rng = ConvertTests.SplitMix(seed: seed)
        for round in 0..<60 {
            var text = ConvertTests.generate(&rng)
            // Shapes the plan changes from elsewhere in the input (a _created gauge to fold, a name clash), lines
            // the writer cannot copy (spacing, a timestamp, a trailing comma), and a broken line now and then.
            let extras = [
                "# TYPE folded_total counter\nfolded_total{a=\"1\"} 3\n# TYPE folded_created gauge\nfolded_created{a=\"1\"} 1.7e+09\n",
                "# TYPE clash gauge\nclash 1\n# TYPE clash_total counter\nclash_total 2\n",
                "# TYPE spaced gauge\nspaced{a=\"1\" , b=\"2\"}  1\t 1700000000000\nspaced{a=\"2\",} 01\n",
                "# TYPE noTotal counter\nnoTotal 1\n",
                "# TYPE up_info gauge\nup_info{v=\"1\"} 1\n",
                "broken{ 1\n",
            ]
            for _ in 0..<rng.below(3) { text += extras[rng.below(extras.count)] }
            Self.check(Array(text.utf8), name: "generated \(seed)/\(round)")
            Self.check(
                Array((ConvertTests.convert(text, from: .text, to: .openMetrics).0 ?? "# EOF\n").utf8),
                name: "generated OM \(seed)/\(round)")
        }
    }

    /// Families planned on their own agree with the whole plan wherever no other family bears on them.
    @Test func localPlansAreThePlanOfOneFamily() {
        let names = ["x", "x_total", "x_info", "x_created", "x_count"]
        for from in ExpositionFormat.allCases {
            for to in TargetFormat.allCases {
                for type in MetricType.allCases {
                    for name in names {
                        for (ones, negative) in [(false, false), (true, false), (false, true)] {
                            var info = FamilyInfo(MetricFamily(source: SourceFile(name: "x", text: ""), format: from, name: name))
                            info.type = type
                            info.allOnes = ones
                            info.negative = negative
                            info.hasSamples = true
                            var log = ConversionLog(strict: false)
                            #expect(
                                ConversionPlanner.localPlan(info, from: from, to: to)
                                    == ConversionPlanner.plan([info], from: from, to: to, log: &log)[0],
                                "\(name) \(type) \(from) -> \(to)")
                        }
                    }
                }
            }
        }
    }
}

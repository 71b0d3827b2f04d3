import Foundation
import PromKit
import PromKitTestSupport
import Testing

@testable import FuzzSupport

/// Every input fuzzing found (testdata/fuzz: a crash, a hang or a broken invariant, since fixed) passes the fuzz
/// targets' invariants (`FuzzCheck`, and the writers' `RoundTripCheck`), read as each format. Under the sanitizers a memory error shows as a crash;
/// here the invariants compare the windowed, parallel and single reads, which such an error disturbs.
@Suite struct FuzzRegressionTests {
    static let inputs: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: Paths.testdata.appendingPathComponent("fuzz").path)) ?? []).sorted()

    @Test func thereAreInputs() {
        #expect(Self.inputs.count >= 1, "testdata/fuzz holds the fuzzers' findings")
    }

    @Test(arguments: inputs)
    func invariantsHold(_ name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Paths.testdata.appendingPathComponent("fuzz/\(name)")))
        for format in [ExpositionFormat.text, .openMetrics, .openMetrics2] {
            #expect(FuzzCheck.problem(in: bytes, format: format) == nil, "testdata/fuzz/\(name) as \(format)")
        }
        for kind in RoundTripCheck.Kind.allCases {
            #expect(RoundTripCheck.problem(in: bytes, kind: kind) == nil, "testdata/fuzz/\(name): \(kind)")
        }
    }

    /// The checks can fail: an input whose one-pass and windowed reads would agree still trips the EOF rule when a
    /// broken reader accepts it. Here: the invariants report nothing on a valid input and hold on an invalid one.
    @Test func checksRunOnValidAndInvalidInputs() {
        #expect(FuzzCheck.problem(in: Array("# TYPE a counter\na_total 1\n# EOF\n".utf8), format: .openMetrics) == nil)
        #expect(FuzzCheck.problem(in: Array("a{b=\"\\q\"} x\n\u{FEFF}".utf8), format: .text) == nil)
        for kind in RoundTripCheck.Kind.allCases {
            #expect(
                RoundTripCheck.problem(in: Array("# TYPE a counter\na_total{x=\"1\"} 1 # {t=\"u\"} 2 3\n# EOF\n".utf8), kind: kind) == nil)
        }
    }

    /// The writers' checks can fail: a model that changed, and a diff of an input with itself that found a change.
    @Test func roundTripChecksCanFail() throws {
        let a = try #require(RoundTripCheck.Model(Array("a 1\n".utf8), .text))
        let b = try #require(RoundTripCheck.Model(Array("a 2\n".utf8), .text))
        #expect(a.dump() != b.dump())
        #expect(a.samples() != b.samples())
        let lost = RoundTripCheck.Losses([Diagnostic(.exemplarsDropped, .warning, at: 0, "x", family: "a")])
        #expect(lost.names(lost.exemplars, "a") && !lost.names(lost.families, "a"))
    }
}

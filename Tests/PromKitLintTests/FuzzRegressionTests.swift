import Foundation
import FuzzSupport
import PromKit
import PromKitTestSupport
import Testing

/// Every input fuzzing found (testdata/fuzz: a crash, a hang or a broken invariant, since fixed) passes the fuzz
/// targets' invariants (`FuzzCheck`), read as each format. Under the sanitizers a memory error shows as a crash;
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
    }

    /// The checks can fail: an input whose one-pass and windowed reads would agree still trips the EOF rule when a
    /// broken reader accepts it. Here: the invariants report nothing on a valid input and hold on an invalid one.
    @Test func checksRunOnValidAndInvalidInputs() {
        #expect(FuzzCheck.problem(in: Array("# TYPE a counter\na_total 1\n# EOF\n".utf8), format: .openMetrics) == nil)
        #expect(FuzzCheck.problem(in: Array("a{b=\"\\q\"} x\n\u{FEFF}".utf8), format: .text) == nil)
    }
}

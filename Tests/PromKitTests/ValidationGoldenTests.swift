import Foundation
import PromKitTestSupport
import Testing

@testable import PromKit

/// Each input in testdata/validate/ against its golden `.diag`: code, line, column and message of every
/// diagnostic, in input order.
@Suite struct ValidationGoldenTests {
    static let inputs: [String] = {
        let dir = Paths.testdata.appendingPathComponent("validate")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { !$0.hasSuffix(".diag") }.sorted()
    }()

    @Test func thereAreCases() {
        #expect(Self.inputs.count >= 20)
    }

    @Test(arguments: inputs)
    func diagnostics(_ name: String) throws {
        let dir = Paths.testdata.appendingPathComponent("validate")
        let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))
        let source = SourceFile(name: name, bytes: bytes)
        let diagnostics = Validator.validate(source, format: .forTestFile(name))
        let mismatch = Golden.mismatch(renderDiagnostics(source, diagnostics), dir.appendingPathComponent(name + ".diag"))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }
}

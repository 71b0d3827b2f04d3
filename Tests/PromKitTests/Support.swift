import Foundation
import Testing
@testable import PromKit

/// Where the repository's `testdata/` and the shared reference material live.
enum Paths {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let testdata = repoRoot.appendingPathComponent("testdata")
    /// `../shared` beside the repository (CI always has it).
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static var sharedAvailable: Bool { FileManager.default.fileExists(atPath: shared.appendingPathComponent("conformance").path) }
    static let sharedAbsent: Comment = "../shared/conformance is absent: the upstream suites were not run (CI always has them)"
}

/// Golden files: a missing or different golden fails; `UPDATE_GOLDEN=1` rewrites it for review.
enum Golden {
    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    static func check(_ actual: String, against url: URL, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        if updating {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try! actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden \(url.path); record it with UPDATE_GOLDEN=1 swift test", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "golden \(url.lastPathComponent) differs; review, then UPDATE_GOLDEN=1 to re-record", sourceLocation: sourceLocation)
    }
}

extension ExpositionFormat {
    /// The format a test input is read as, by its extension.
    static func forTestFile(_ name: String) -> ExpositionFormat {
        if name.hasSuffix(".om2") || name.hasSuffix(".om2.txt") { return .openMetrics2 }
        if name.hasSuffix(".om") { return .openMetrics }
        return .text
    }
}

/// Diagnostics as `LINE:COL: severity: message [code]`, one a line, for golden files.
func renderDiagnostics(_ source: SourceFile, _ diagnostics: [Diagnostic]) -> String {
    let locations = source.locations(of: diagnostics.map(\.offset))
    return zip(diagnostics, locations).map { d, l in
        "\(l.line):\(l.column): \(d.severity.rawValue): \(d.message) [\(d.code.rawValue)]\n"
    }.joined()
}

/// A small seeded generator (SplitMix64): randomized tests that can be replayed from the seed they report.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix64(state) // SplitMix64's finalizer
    }
}

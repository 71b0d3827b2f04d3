import Foundation

@testable import PromKit

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

import PromKit

/// Hands a report to the chosen reporters.
enum Emitter {
    static func emit(_ report: Report, specs: [String]) throws {
        var out = ""
        for input in report.inputs {
            for f in input.findings {
                let location = f.line > 0 ? "\(f.path):\(f.line):\(f.column)" : f.path
                out += "\(location): \(f.severity.rawValue): \(f.message) [\(f.rule)]\n"
            }
        }
        Terminal.write(out)
    }
}

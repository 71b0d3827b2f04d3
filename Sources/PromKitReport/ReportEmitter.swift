#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PromKit

/// Renders a report with each chosen reporter and writes it where it goes: standard output, or a file
/// written whole to a temporary file beside it and renamed into place (never truncated half-way, never one
/// of the inputs). The GitHub reporter also appends its table to `$GITHUB_STEP_SUMMARY` when that is set.
public enum ReportEmitter {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func emit(_ report: Report, specs: [ReporterSpec], environment: [String: String],
                            stdoutIsTerminal: Bool, write: ([UInt8]) -> Void) throws {
        let inputs = Set(report.inputs.map(\.path))
        // Two reporters writing one file would leave only the last one's output.
        var files = Set<String>()
        for path in specs.compactMap(\.path) where !files.insert(path).inserted {
            throw Failure(description: "two reporters write to '\(path)'; give each its own file")
        }
        for spec in specs {
            let toTerminal = spec.path == nil && stdoutIsTerminal
            let context = ReportContext(isTerminal: toTerminal, colour: toTerminal && environment["NO_COLOR"] == nil)
            let bytes = try spec.reporter.init().render(report, context: context)
            if let path = spec.path {
                if inputs.contains(path) {
                    throw Failure(description: "refusing to write the \(spec.name) report to '\(path)': it is one of the inputs")
                }
                try writeAtomically(bytes, to: path)
            } else {
                write(bytes)
            }
            if spec.name == GitHubReporter.name, let summary = environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
                try append(GitHubReporter().stepSummary(report), to: summary)
            }
        }
    }

    /// Writes to `PATH.promkit-XXXXXX` in the same directory, then renames it over `PATH`.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        var template = Array((path + ".promkit-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Failure(description: "cannot write '\(path)': \(String(cString: strerror(errno)))") }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var ok = writeAll(fd, bytes)
        ok = fchmod(fd, 0o644) == 0 && ok
        ok = fsync(fd) == 0 && ok
        ok = close(fd) == 0 && ok
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: "cannot write '\(path)': \(reason)")
        }
    }

    static func append(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot append to '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard writeAll(fd, bytes) else { throw Failure(description: "cannot append to '\(path)': \(String(cString: strerror(errno)))") }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let r = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if r < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += r
        }
        return true
    }
}

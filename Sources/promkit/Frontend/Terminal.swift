#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output and error as bytes, and the facts about the terminal reporters need.
enum Terminal {
    static func write(_ bytes: [UInt8], to fd: Int32 = 1) {
        var offset = 0
        while offset < bytes.count {
            let r = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if r < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += r
        }
    }

    static func write(_ text: String) { write(Array(text.utf8)) }
    static func writeError(_ text: String) { write(Array(text.utf8), to: 2) }

    static var stdoutIsTTY: Bool { isatty(1) == 1 }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The environment as a dictionary (for reporters: NO_COLOR, GITHUB_STEP_SUMMARY).
    static var environmentVariables: [String: String] {
        var result: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            p += 1
        }
        return result
    }

    static func exit(_ status: Int32) -> Never {
        Glibc.exit(status)
    }
}

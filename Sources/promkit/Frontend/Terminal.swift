import PromKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Standard output and error as bytes, and the facts about the terminal reporters need.
enum Terminal {
    /// Writes whole (short writes and interruptions retried); output that cannot be written is dropped here:
    /// reports go through `OutputFile`, which says why a write failed.
    static func write(_ bytes: [UInt8], to fd: Int32 = 1) {
        _ = OutputFile.writeAll(fd, bytes)
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

    /// Standard output's reader went away (`… | head`): end as a pipeline expects, quietly, by SIGPIPE
    /// (status 141 in a shell), which main() set aside to see the failed write.
    static func endByBrokenPipe() -> Never {
        signal(SIGPIPE, SIG_DFL)
        raise(SIGPIPE)
        exit(141)
    }

    static func exit(_ status: Int32) -> Never {
        #if canImport(Glibc)
            Glibc.exit(status)
        #else
            Darwin.exit(status)
        #endif
    }
}

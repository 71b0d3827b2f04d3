#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finding and reading `.promkit.yml`.
enum ConfigFile {
    static let name = ".promkit.yml"

    /// The nearest `.promkit.yml` in the working directory or a parent of it: whatever is there under that
    /// name (a directory or an unreadable file is then an error for `read`, not silently passed over).
    static func find() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        var dir = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        while true {
            let candidate = (dir == "/" ? "" : dir) + "/" + name
            var st = stat()
            if stat(candidate, &st) == 0 { return candidate }
            if dir == "/" || dir.isEmpty { return nil }
            if let slash = dir.lastIndex(of: "/") {
                dir = slash == dir.startIndex ? "/" : String(dir[..<slash])
            } else {
                return nil
            }
        }
    }

    /// The file's text, or what is wrong, said for the user: `PATH: reason` or `PATH:LINE: reason`.
    static func read(_ path: String) -> Result<String, ReadFailure> {
        let fd = open(path, O_RDONLY)
        if fd < 0 { return .failure(ReadFailure("cannot read configuration file '\(path)': \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            return .failure(ReadFailure("configuration file '\(path)' is a directory; --config takes a file (e.g. \(path)/\(name))"))
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ReadFailure("cannot read configuration file '\(path)': \(String(cString: strerror(errno)))"))
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > 1 << 20 {
                return .failure(ReadFailure("configuration file '\(path)' is larger than 1 MiB; is it the right file?"))
            }
        }
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        // Name the first line that is not UTF-8.
        var line = 1, start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            if String(validating: bytes[start..<i], as: UTF8.self) == nil {
                return .failure(ReadFailure("\(path):\(line): not UTF-8 text; save the configuration file as UTF-8"))
            }
            line += 1
            start = i + 1
        }
        return .failure(ReadFailure("\(path): not UTF-8 text; save the configuration file as UTF-8"))
    }

    struct ReadFailure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}

// The C library's read(2), for either platform's module.
#if canImport(Glibc)
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    private let systemRead = Darwin.read
#endif

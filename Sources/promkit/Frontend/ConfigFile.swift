#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finding and reading `.promkit.yml`.
enum ConfigFile {
    static let name = ".promkit.yml"

    /// The nearest `.promkit.yml` in the working directory or a parent of it.
    static func find() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        var dir = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        while true {
            let candidate = (dir == "/" ? "" : dir) + "/" + name
            if access(candidate, R_OK) == 0 { return candidate }
            if dir == "/" || dir.isEmpty { return nil }
            if let slash = dir.lastIndex(of: "/") {
                dir = slash == dir.startIndex ? "/" : String(dir[..<slash])
            } else {
                return nil
            }
        }
    }

    static func read(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading an input whole: a path, or `-` for standard input.
public enum InputLoader {
    public static let stdinName = "<stdin>"

    public struct Failure: Error, Sendable {
        public var path: String
        public var reason: String
    }

    /// The input's bytes, or why they could not be read. Files are read in one go (their size is known);
    /// standard input in 1 MiB chunks.
    public static func load(_ path: String) -> Result<SourceFile, Failure> {
        if path == "-" {
            // Standard input redirected from a file has a known size: read it in one go too.
            var st = stat()
            let size = fstat(0, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
            return readAll(fd: 0, size: size).map { SourceFile(name: stdinName, bytes: $0) }
                .mapError { Failure(path: stdinName, reason: $0.reason) }
        }
        let fd = open(path, O_RDONLY)
        if fd < 0 { return .failure(Failure(path: path, reason: errnoText())) }
        var keepOpen = false
        defer { if !keepOpen { close(fd) } }
        var st = stat()
        if fstat(fd, &st) != 0 { return .failure(Failure(path: path, reason: errnoText())) }
        if (st.st_mode & S_IFMT) == S_IFDIR { return .failure(Failure(path: path, reason: "is a directory")) }
        let size = (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
        if let size, size > SourceFile.maximumSize {
            return .failure(Failure(path: path, reason: "file is \(size) bytes; promkit reads inputs up to 2 GiB"))
        }
        // Regular files are mapped (no copy, no zero-filled pages) and kept open: the reader copies the stretch
        // it works on into a buffer of its own, and the mapping serves the few bytes looked at afterwards.
        if let size, size > 0,
           let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED {
            keepOpen = true
            return .success(SourceFile(name: path, buffer: ByteBuffer(mapped: UnsafeRawPointer(base), count: size, fd: fd)))
        }
        return readAll(fd: fd, size: size).map { SourceFile(name: path, bytes: $0) }
            .mapError { Failure(path: path, reason: $0.reason) }
    }

    private static func readAll(fd: Int32, size: Int?) -> Result<[UInt8], ReadError> {
        var bytes: [UInt8] = []
        if let size {
            // Known size: one allocation, filled by read() until EOF.
            var failure: String?
            bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                count = 0
                while count < size {
                    let r = read(fd, buffer.baseAddress! + count, size - count)
                    if r < 0 {
                        if errno == EINTR { continue }
                        failure = errnoText()
                        return
                    }
                    if r == 0 { break }
                    count += r
                }
            }
            if let failure { return .failure(ReadError(reason: failure)) }
            // The file may have grown; read the rest like a stream.
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let r = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if r < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(reason: errnoText()))
            }
            if r == 0 { break }
            bytes.append(contentsOf: chunk[0..<r])
            if bytes.count > SourceFile.maximumSize { return .failure(ReadError(reason: "input is larger than 2 GiB")) }
        }
        return .success(bytes)
    }

    struct ReadError: Error { var reason: String }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

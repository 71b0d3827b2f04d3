#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading an input whole: a path, or `-` for standard input.
public enum InputLoader {
    /// The name standard input's findings carry.
    public static let stdinName = "<stdin>"
    /// The rule of a fleet's target that cannot be scraped (`Failure.rule`).
    public static let scrapeErrorRule = RuleInfo(id: "scrape_error", severity: .error, summary: "A target of the fleet can be scraped")

    /// An input that cannot be read (or, for a fleet's target, scraped): where, why, and the rule it is reported under.
    public struct Failure: Error, Sendable {
        /// The input as named (a path, `-`, a URL).
        public var path: String
        /// Why it cannot be read (`No such file or directory`).
        public var reason: String
        /// The rule the failure is reported under: `read_error` (the run cannot do its job: exit 2), or another
        /// (`scrape_error`: a fleet's target that cannot be scraped, a finding of that input like any other).
        public var rule: String

        /// A failure of `path` for `reason`, reported under `rule`.
        public init(path: String, reason: String, rule: String = "read_error") {
            self.path = path
            self.reason = reason
            self.rule = rule
        }

        /// Whether the run could not read what it was asked to (exit 2), rather than found a problem with an input.
        public var unreadable: Bool { rule == "read_error" }
        /// The finding's message.
        public var message: String { unreadable ? "cannot read input: \(reason)" : reason }
        /// The finding that stands for the input in a report.
        public var finding: Finding {
            Finding(rule: rule, severity: .error, message: message, path: path, line: 0, column: 0)
        }
        /// The input's report: that one finding.
        public var report: InputReport { InputReport(path: path, source: nil, findings: [finding], rulesRun: [rule]) }
    }

    /// Loads the inputs that are not paths (`http://` and `https://` URLs) when set, returning nil for a name
    /// it does not handle. The command line sets it when such an input is given, so that the core knows
    /// nothing of networking and a run without URLs loads none of it.
    nonisolated(unsafe) public static var provider: (@Sendable (String) -> Result<SourceFile, Failure>?)?

    /// The input's bytes, or why they could not be read. Files are mapped; standard input redirected from a
    /// file is that file; a pipe is copied as it arrives into an unlinked temporary file, which is then read
    /// as any file is (in windows, on all cores), so memory stays flat however large the input.
    public static func load(_ path: String) -> Result<SourceFile, Failure> {
        if let provider, let loaded = provider(path) { return loaded }
        if path == "-" {
            var st = stat()
            if fstat(0, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && lseek(0, 0, SEEK_CUR) == 0 {
                let fd = dup(0)
                if fd >= 0 { return map(fd: fd, name: stdinName) }
            }
            switch spool(from: 0, limit: SourceFile.maximumSize) {
            case .success(let fd): return map(fd: fd, name: stdinName)
            case .failure(let failure): return .failure(Failure(path: stdinName, reason: failure.reason))
            }
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
            let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED
        {
            keepOpen = true
            return .success(SourceFile(name: path, buffer: ByteBuffer(mapped: UnsafeRawPointer(base), count: size, fd: fd)))
        }
        return readAll(fd: fd, size: size).map { SourceFile(name: path, bytes: $0) }
            .mapError { Failure(path: path, reason: $0.reason) }
    }

    /// Maps the regular file open at `fd` (taking it over: it is closed with the input) as the input `name`.
    /// With `arrival`, the file (already of its full length) is still being filled: see `BodyArrival`.
    public static func map(
        fd: Int32, name: String, contentType: String? = nil, notes: [Diagnostic] = [], arrival: BodyArrival? = nil
    ) -> Result<SourceFile, Failure> {
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = errnoText()
            close(fd)
            return .failure(Failure(path: name, reason: reason))
        }
        let size = Int(st.st_size)
        if size > SourceFile.maximumSize {
            close(fd)
            return .failure(Failure(path: name, reason: "input is \(size) bytes; promkit reads inputs up to 2 GiB"))
        }
        if size > 0, let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED {
            return .success(
                SourceFile(
                    name: name, buffer: ByteBuffer(mapped: UnsafeRawPointer(base), count: size, fd: fd, arrival: arrival),
                    contentType: contentType, notes: notes))
        }
        // Empty (nothing to map), or a file that cannot be mapped: read it (all of it).
        if let reason = arrival?.waitAll() {
            close(fd)
            return .failure(Failure(path: name, reason: reason, rule: arrival!.failureRule))
        }
        lseek(fd, 0, SEEK_SET)
        defer { close(fd) }
        return readAll(fd: fd, size: nil)
            .map { SourceFile(name: name, buffer: ByteBuffer($0), contentType: contentType, notes: notes) }
            .mapError { Failure(path: name, reason: $0.reason) }
    }

    /// A new temporary file, already unlinked (it goes when its descriptor is closed), open for reading and
    /// writing: in `$TMPDIR`, else `/tmp`.
    public static func temporaryFile() -> Result<Int32, Failure> {
        var directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        if directory.isEmpty { directory = "/tmp" }
        let (fd, path, slot) = TemporaryFiles.create(directory + "/promkit-XXXXXX")
        if fd < 0 { return .failure(Failure(path: directory, reason: "cannot make a temporary file in \(directory): \(errnoText())")) }
        unlink(path)
        TemporaryFiles.forget(slot)
        return .success(fd)
    }

    /// Copies everything readable from `source` into a new unlinked temporary file, 1 MiB at a time; the file's
    /// descriptor, or why not (more than `limit` bytes, a read or write error).
    public static func spool(from source: Int32, limit: Int) -> Result<Int32, Failure> {
        let fd: Int32
        switch temporaryFile() {
        case .failure(let failure): return .failure(failure)
        case .success(let f): fd = f
        }
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { chunk.deallocate() }
        var total = 0
        while true {
            let r = read(source, chunk, 1 << 20)
            if r < 0 {
                if errno == EINTR { continue }
                let reason = errnoText()
                close(fd)
                return .failure(Failure(path: stdinName, reason: reason))
            }
            if r == 0 { break }
            total += r
            if total > limit {
                close(fd)
                return .failure(
                    Failure(path: stdinName, reason: "input is larger than \(limit == SourceFile.maximumSize ? "2 GiB" : "\(limit) bytes")")
                )
            }
            if let failure = writeAll(fd, chunk, r) {
                close(fd)
                return .failure(Failure(path: stdinName, reason: "cannot keep the input in a temporary file: \(failure)"))
            }
        }
        return .success(fd)
    }

    /// Writes `count` bytes at `bytes` to `fd`; nil, or what went wrong.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> String? {
        var done = 0
        while done < count {
            let w = write(fd, bytes + done, count - done)
            if w < 0 {
                if errno == EINTR { continue }
                return errnoText()
            }
            done += w
        }
        return nil
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

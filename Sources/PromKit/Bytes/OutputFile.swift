#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing what a user asked for (a report, later a converted or formatted file) to a path they named,
/// without destroying anything:
/// - a path that is not a regular file (a FIFO, a terminal, `/dev/null`) is written through, never replaced;
/// - `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1` are standard output itself (appended to as the shell set it up);
/// - a regular file is replaced atomically: written whole to a temporary file beside it and renamed over it,
///   keeping its permissions; through a symlink, the target is replaced and the link stays a link;
/// - a destination that is one of the inputs, by device and inode (by resolved path when the input does not
///   exist), or two outputs that are one file, are refused before anything is read (`Destinations.check`).
public enum OutputFile {
    /// An output that cannot be written: the message to show (exit 2).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        /// Standard output's reader went away (`promkit lint … | head`): not an error to report; the
        /// command ends quietly as a pipeline expects (by SIGPIPE).
        public var standardOutputClosed = false
        /// A failure with its message.
        public init(_ description: String) { self.description = description }
    }

    /// A file's identity: what "the same file" means, whatever the spelling (`./x`, an absolute path, a hard
    /// link, a symlink).
    public struct Identity: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
        /// A character device (a terminal, `/dev/null`): any number of writers may share one.
        var isCharacterDevice: Bool
        var isRegular: Bool
        var isDirectory: Bool

        init(_ st: stat) {
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
            isCharacterDevice = (st.st_mode & S_IFMT) == S_IFCHR
            isRegular = (st.st_mode & S_IFMT) == S_IFREG
            isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
        }

        public static func == (a: Identity, b: Identity) -> Bool { a.device == b.device && a.inode == b.inode }
        public func hash(into h: inout Hasher) {
            h.combine(device)
            h.combine(inode)
        }
    }

    /// The identity of what `path` names (symlinks followed), or nil when nothing is there.
    public static func identity(of path: String) -> Identity? {
        var st = stat()
        return stat(path, &st) == 0 ? Identity(st) : nil
    }

    static func identity(ofDescriptor fd: Int32) -> Identity? {
        var st = stat()
        return fstat(fd, &st) == 0 ? Identity(st) : nil
    }

    static func isSymlink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    /// An absolute spelling with the directories' symlinks resolved, for a path that may not exist yet:
    /// `x`, `./x` and `/cwd/x` all give `/cwd/x`.
    public static func resolvedSpelling(_ path: String) -> String {
        if let full = realPath(path) { return full }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let resolved = realPath(directory) else { return path }
        return (resolved == "/" ? "" : resolved) + "/" + base
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// Where one output goes, decided once before the run.
    public enum Destination: Hashable, Sendable {
        /// Standard output.
        case standardOutput
        /// A path (a regular file is replaced atomically; anything else is written through).
        case file(String)
    }

    /// The outputs' destinations (nil: standard output), checked against the inputs and each other; throws
    /// the message for a usage error.
    public static func destinations(_ outputs: [(label: String, path: String?)], inputs: [String]) throws(Failure) -> [Destination] {
        enum Key: Hashable {
            case file(Identity)
            case spelling(String)
        }
        let stdout = identity(ofDescriptor: 1)
        // The inputs as files: those that exist by identity (regular files only: a FIFO or terminal read from
        // cannot be overwritten), those that do not by resolved spelling.
        var inputKeys: [Key: String] = [:]
        for input in inputs {
            if input == "-" {
                if let id = identity(ofDescriptor: 0), id.isRegular { inputKeys[.file(id)] = "standard input" }
            } else if let id = identity(of: input) {
                if id.isRegular { inputKeys[.file(id)] = "'\(input)'" }
            } else {
                inputKeys[.spelling(resolvedSpelling(input))] = "'\(input)'"
            }
        }
        var result: [Destination] = []
        var taken: [Key: String] = [:]
        var toStandardOutput: String?
        for (label, path) in outputs {
            guard let path else {
                if let other = toStandardOutput {
                    throw Failure("\(other) and \(label) both write to standard output; give one a file (NAME:PATH)")
                }
                toStandardOutput = label
                if let stdout, stdout.isRegular { taken[.file(stdout)] = label }
                result.append(.standardOutput)
                continue
            }
            let id = identity(of: path)
            if let id, id.isDirectory { throw Failure("cannot write \(label) to '\(path)': it is a directory") }
            // /dev/stdout and its kin: standard output itself.
            if let id, let stdout, id == stdout, isSymlink(path) {
                if let other = toStandardOutput {
                    throw Failure("\(other) and \(label) both write to standard output ('\(path)' is standard output); give one a file")
                }
                toStandardOutput = label
                if stdout.isRegular { taken[.file(stdout)] = label }
                result.append(.standardOutput)
                continue
            }
            let key: Key = id.map { .file($0) } ?? .spelling(resolvedSpelling(path))
            if let input = inputKeys[key] {
                throw Failure("refusing to write \(label) to '\(path)': it is the input \(input)")
            }
            if id?.isCharacterDevice != true {
                if let other = taken[key] {
                    throw Failure("\(other) and \(label) both write to '\(path)' (one file); give each its own")
                }
                taken[key] = label
            }
            result.append(.file(path))
        }
        return result
    }

    /// Writes `bytes` where `destination` says: standard output, through a non-regular file, or atomically.
    public static func write(_ bytes: [UInt8], to destination: Destination, label: String) throws(Failure) {
        switch destination {
        case .standardOutput:
            if let reason = writeAll(1, bytes) {
                var failure = Failure("cannot write \(label) to standard output: \(reason)")
                failure.standardOutputClosed = errno == EPIPE
                throw failure
            }
        case .file(let path):
            try write(bytes, toPath: path, label: label)
        }
    }

    static func write(_ bytes: [UInt8], toPath path: String, label: String) throws(Failure) {
        var st = stat()
        guard stat(path, &st) == 0 else {
            if isSymlink(path) {
                // A dangling symlink: the file it names is created through it (the link stays a link).
                return try writeThrough(bytes, path, label: label, create: true)
            }
            return try writeAtomically(bytes, to: path, mode: nil, label: label)
        }
        if (st.st_mode & S_IFMT) != S_IFREG {
            return try writeThrough(bytes, path, label: label, create: false)
        }
        // A regular file, perhaps behind symlinks: the file itself is replaced, beside itself.
        let target = isSymlink(path) ? (realPath(path) ?? path) : path
        try writeAtomically(bytes, to: target, mode: st.st_mode & 0o7777, label: label)
    }

    /// Opens what is there and writes into it: FIFOs, devices, a dangling symlink's target.
    static func writeThrough(_ bytes: [UInt8], _ path: String, label: String, create: Bool) throws(Failure) {
        let fd = create ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY, 0o666) : open(path, O_WRONLY | O_NOCTTY)
        guard fd >= 0 else { throw Failure("cannot write \(label) to '\(path)': \(errnoText())") }
        let failed = writeAll(fd, bytes)
        let closed = close(fd) == 0 ? nil : errnoText()
        if let reason = failed ?? closed { throw Failure("cannot write \(label) to '\(path)': \(reason)") }
    }

    /// The mode a new file gets: 0666 less the umask, as `open(2)` with O_CREAT would give it (a temporary file
    /// is made 0600, so the final mode is set by hand).
    static func newFileMode() -> mode_t {
        let mask = umask(0)
        umask(mask)
        return 0o666 & ~mask
    }

    /// Writes to a temporary file beside `path` (`.NAME.promkit-XXXXXX`) and renames it over `path`, so the
    /// file is never seen half-written; the temporary file is removed on any failure. `mode`: the replaced
    /// file's permissions (a new file gets the umask's).
    public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t? = nil, label: String = "the output") throws(Failure)
    {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let (fd, temporary, slot) = TemporaryFiles.create(directory + "." + base + ".promkit-XXXXXX")
        guard fd >= 0 else { throw Failure("cannot write \(label) to '\(path)': \(errnoText())") }
        defer { TemporaryFiles.forget(slot) }
        let permissions = mode ?? OutputFile.newFileMode()
        var reason = writeAll(fd, bytes)
        if reason == nil && fchmod(fd, permissions) != 0 { reason = errnoText() }
        if reason == nil && fsync(fd) != 0 { reason = errnoText() }
        if close(fd) != 0 && reason == nil { reason = errnoText() }
        if reason == nil && rename(temporary, path) != 0 { reason = errnoText() }
        if let reason {
            unlink(temporary)
            throw Failure("cannot write \(label) to '\(path)': \(reason)")
        }
    }

    /// Appends (the GitHub step summary).
    public static func append(_ bytes: [UInt8], to path: String, label: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY, 0o644)
        guard fd >= 0 else { throw Failure("cannot append \(label) to '\(path)': \(errnoText())") }
        let failed = writeAll(fd, bytes)
        let closed = close(fd) == 0 ? nil : errnoText()
        if let reason = failed ?? closed { throw Failure("cannot append \(label) to '\(path)': \(reason)") }
    }

    /// Writes every byte (retrying short writes and interruptions); the reason when a write fails.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        var offset = 0
        while offset < bytes.count {
            let r = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
            if r < 0 {
                if errno == EINTR { continue }
                return errnoText()
            }
            offset += r
        }
        return nil
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

// The C library's write(2), named apart from OutputFile's own `write` methods.
#if canImport(Glibc)
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
#endif

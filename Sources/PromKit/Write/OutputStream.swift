#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An output written as it is made, and made visible only when complete: a regular file is written to a
/// temporary file beside it and renamed over it by `commit()` (removed by `discard()`); standard output, a
/// FIFO or a device is written through. `spool`: standard output is held in an unlinked temporary file until
/// `commit()`, so that a run that fails late (`--strict`) prints nothing.
public final class OutputStream {
    /// Where the output's bytes go.
    public let sink: ByteSink
    private let fd: Int32
    private let temporary: String?
    /// The temporary file's slot in `TemporaryFiles` (removed if the run is interrupted).
    private let slot: Int
    private let target: String?
    private let mode: mode_t?
    private let spooled: Bool
    /// What the output is called in messages (`the output`).
    public let label: String

    private init(fd: Int32, temporary: String?, slot: Int = -1, target: String?, mode: mode_t?, spooled: Bool, label: String) {
        self.slot = slot
        self.fd = fd
        self.temporary = temporary
        self.target = target
        self.mode = mode
        self.spooled = spooled
        self.label = label
        self.sink = ByteSink(fd: fd)
    }

    /// Opens `destination` for writing (a temporary file beside a regular file; `spool`: standard output held until `commit()`).
    public static func open(_ destination: OutputFile.Destination, label: String = "the output", spool: Bool = false) throws(OutputFile
        .Failure) -> OutputStream
    {
        switch destination {
        case .standardOutput:
            guard spool else { return OutputStream(fd: 1, temporary: nil, target: nil, mode: nil, spooled: false, label: label) }
            var dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
            if dir.isEmpty { dir = "/tmp" }
            let (fd, spool, slot) = TemporaryFiles.create(dir + "/promkit-spool-XXXXXX")
            guard fd >= 0 else { throw OutputFile.Failure("cannot spool \(label): \(OutputFile.errnoText())") }
            unlink(spool)
            TemporaryFiles.forget(slot)
            return OutputStream(fd: fd, temporary: nil, target: nil, mode: nil, spooled: true, label: label)
        case .file(let path):
            var st = stat()
            if stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
                let fd = systemOpen(path, O_WRONLY | O_NOCTTY)
                guard fd >= 0 else { throw OutputFile.Failure("cannot write \(label) to '\(path)': \(OutputFile.errnoText())") }
                return OutputStream(fd: fd, temporary: nil, target: nil, mode: nil, spooled: false, label: label)
            }
            let exists = stat(path, &st) == 0
            let target = exists && OutputFile.isSymlink(path) ? (OutputFile.realPath(path) ?? path) : path
            let slash = target.lastIndex(of: "/")
            let directory = slash.map { String(target[...$0]) } ?? ""
            let base = slash.map { String(target[target.index(after: $0)...]) } ?? target
            let (fd, temporary, slot) = TemporaryFiles.create(directory + "." + base + ".promkit-XXXXXX")
            guard fd >= 0 else { throw OutputFile.Failure("cannot write \(label) to '\(path)': \(OutputFile.errnoText())") }
            return OutputStream(
                fd: fd, temporary: temporary, slot: slot, target: target, mode: exists ? st.st_mode & 0o7777 : nil, spooled: false,
                label: label)
        }
    }

    /// Whether what was written can be taken back and written again (`rewind()`): a temporary file or a spool.
    var canRewind: Bool { temporary != nil || spooled }

    /// Drops what was written so far, to write it again from the start (only when `canRewind`).
    func rewind() {
        sink.flush()
        _ = ftruncate(fd, 0)
        _ = lseek(fd, 0, SEEK_SET)
    }

    /// A failure; `standardOutputClosed` when standard output's reader went away (`… | head`), which the
    /// command ends quietly by SIGPIPE rather than reports.
    static func failure(_ description: String, _ standardOutputReason: String?) -> OutputFile.Failure {
        var failure = OutputFile.Failure(description)
        failure.standardOutputClosed = standardOutputReason == String(cString: strerror(EPIPE))
        return failure
    }

    /// Makes the output visible: flushes, renames the temporary file over the target (or copies the spool to
    /// standard output).
    public func commit() throws(OutputFile.Failure) {
        defer { TemporaryFiles.forget(slot) }
        sink.flush()
        var reason = sink.failure
        if spooled {
            #if canImport(Glibc)
                // Copied in the kernel (a regular file, a pipe); the loop below when sendfile cannot.
                var sent: off_t = 0
                let size = lseek(fd, 0, SEEK_END)
                while reason == nil && sent < size {
                    let r = sendfile(1, fd, &sent, Int(min(size - sent, 1 << 30)))
                    if r < 0 {
                        if errno == EINTR { continue }
                        if sent == 0 { break }
                        reason = OutputFile.errnoText()
                    }
                    if r == 0 { break }
                }
                let done = sent
            #else
                let done: off_t = 0
            #endif
            if reason == nil {
                var buffer = [UInt8](repeating: 0, count: 1 << 20)
                var offset: off_t = done
                while reason == nil {
                    let r = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, offset) }
                    if r < 0 { if errno == EINTR { continue }; reason = OutputFile.errnoText(); break }
                    if r == 0 { break }
                    offset += off_t(r)
                    reason = OutputFile.writeAll(1, Array(buffer[0..<r]))
                }
            }
            close(fd)
            if let reason { throw Self.failure("cannot write \(label) to standard output: \(reason)", reason) }
            return
        }
        guard let temporary, let target else {
            if fd != 1 && close(fd) != 0 && reason == nil { reason = OutputFile.errnoText() }
            if let reason { throw Self.failure("cannot write \(label): \(reason)", fd == 1 ? reason : nil) }
            return
        }
        let permissions = mode ?? OutputFile.newFileMode()
        if reason == nil && fchmod(fd, permissions) != 0 { reason = OutputFile.errnoText() }
        if reason == nil && fsync(fd) != 0 { reason = OutputFile.errnoText() }
        if close(fd) != 0 && reason == nil { reason = OutputFile.errnoText() }
        if reason == nil && rename(temporary, target) != 0 { reason = OutputFile.errnoText() }
        if let reason {
            unlink(temporary)
            throw OutputFile.Failure("cannot write \(label) to '\(target)': \(reason)")
        }
    }

    /// Drops the output: the temporary file is removed, the spool closed (nothing reaches standard output).
    public func discard() {
        defer { TemporaryFiles.forget(slot) }
        if let temporary {
            close(fd)
            unlink(temporary)
        } else if spooled {
            close(fd)
        } else if fd != 1 {
            close(fd)
        }
    }
}

// The C library's open(2), named apart from OutputStream's own `open`.
#if canImport(Glibc)
    private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { Glibc.open(path, flags) }
#elseif canImport(Darwin)
    private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { Darwin.open(path, flags) }
#endif

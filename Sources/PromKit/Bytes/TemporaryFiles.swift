import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The temporary files a run is writing (an atomic write's `.NAME.promkit-XXXXXX` before its rename), so that
/// an interrupted run (Ctrl-C, SIGTERM) leaves none behind: the signal handler removes them and exits with
/// the conventional status (128 + the signal). A fixed table of C strings, so that the handler only reads
/// memory and calls unlink(2), as a signal handler may. Threads create files at once (URL inputs are fetched
/// in parallel, each into a temporary file), so a slot is claimed with a compare-exchange: two threads never
/// take the same one.
public enum TemporaryFiles {
    static let capacity = 32
    nonisolated(unsafe) static let table: UnsafeMutablePointer<Atomic<UnsafeMutablePointer<CChar>?>> = {
        let t = UnsafeMutablePointer<Atomic<UnsafeMutablePointer<CChar>?>>.allocate(capacity: capacity)
        for slot in 0..<capacity { (t + slot).initialize(to: Atomic(nil)) }
        return t
    }()

    /// Creates a temporary file from `template` (a path ending in `XXXXXX`, as mkstemp(3) takes it), noted
    /// before it exists: mkstemp fills in the very string the table holds, so no signal can come between the
    /// file's creation and its noting. Returns the open descriptor (-1 and errno when it fails), the path made,
    /// and the slot for `forget` (-1 when the table is full: the file is then only not removed on a signal).
    public static func create(_ template: String) -> (fd: Int32, path: String, slot: Int) {
        guard let buffer = strdup(template) else { return (-1, template, -1) }
        var noted = -1
        for slot in 0..<capacity
        where table[slot].compareExchange(expected: nil, desired: buffer, ordering: .acquiringAndReleasing).exchanged {
            noted = slot
            break
        }
        let fd = mkstemp(buffer)
        let path = String(cString: buffer)
        if noted < 0 { free(buffer) }
        if fd < 0 {
            let saved = errno
            forget(noted)
            errno = saved
        }
        return (fd, path, noted)
    }

    /// The file was renamed into place or removed.
    public static func forget(_ slot: Int) {
        guard slot >= 0, let path = table[slot].exchange(nil, ordering: .acquiringAndReleasing) else { return }
        free(path)
    }

    /// Removes every noted file (async-signal-safe).
    static func removeAll() {
        for slot in 0..<capacity {
            if let path = table[slot].load(ordering: .acquiring) { unlink(path) }
        }
    }

    /// Installs the handler for SIGINT, SIGTERM and SIGHUP: noted files removed, exit 128 + the signal.
    public static func removeOnInterrupt() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { received in
                TemporaryFiles.removeAll()
                _exit(128 + received)
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The temporary files a run is writing (an atomic write's `.NAME.promkit-XXXXXX` before its rename), so that
/// an interrupted run (Ctrl-C, SIGTERM) leaves none behind: the signal handler removes them and exits with
/// the conventional status (128 + the signal). A fixed table of C strings, so that the handler only reads
/// memory and calls unlink(2), as a signal handler may.
public enum TemporaryFiles {
    static let capacity = 32
    nonisolated(unsafe) static let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let t = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        t.initialize(repeating: nil, count: capacity)
        return t
    }()

    /// Notes a temporary file being written; returns its slot for `forget` (-1 when the table is full: the
    /// file is then only not removed on a signal).
    public static func note(_ path: String) -> Int {
        for slot in 0..<capacity where table[slot] == nil {
            table[slot] = strdup(path)
            return slot
        }
        return -1
    }

    /// The file was renamed into place or removed.
    public static func forget(_ slot: Int) {
        guard slot >= 0, let path = table[slot] else { return }
        table[slot] = nil
        free(path)
    }

    /// Removes every noted file (async-signal-safe).
    static func removeAll() {
        for slot in 0..<capacity {
            if let path = table[slot] { unlink(path) }
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

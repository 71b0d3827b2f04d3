import Foundation
import Synchronization
import Testing

@testable import PromKit

#if canImport(Glibc)
    import Glibc
#endif

/// The table of temporary files an interrupt removes: threads make files at once (URL inputs are fetched in
/// parallel, each into a temporary file), and each file's slot is its own until it is forgotten.
@Suite struct TemporaryFilesTests {
    /// Several threads each make and forget files, holding a few at a time. While a thread holds a slot, the
    /// slot names that thread's file; afterwards no slot names one of them (other suites' files may be live).
    @Test func slotsAreNeverSharedBetweenThreads() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-slots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let threads = 8, rounds = 400, held = 3
        let mismatches = Mutex(0), failures = Mutex(0)
        let done = DispatchGroup()
        for _ in 0..<threads {
            done.enter()
            Thread {
                defer { done.leave() }
                for _ in 0..<rounds {
                    var mine: [(fd: Int32, path: String, slot: Int)] = []
                    for _ in 0..<held {
                        let made = TemporaryFiles.create(directory.path + "/t-XXXXXX")
                        if made.fd < 0 { failures.withLock { $0 += 1 } } else { mine.append(made) }
                    }
                    for file in mine where file.slot >= 0 {
                        let noted = TemporaryFiles.table[file.slot].load(ordering: .acquiring).map { String(cString: $0) }
                        if noted != file.path { mismatches.withLock { $0 += 1 } }
                    }
                    for file in mine {
                        close(file.fd)
                        unlink(file.path)
                        TemporaryFiles.forget(file.slot)
                    }
                }
            }.start()
        }
        done.wait()
        #expect(failures.withLock { $0 } == 0)
        #expect(mismatches.withLock { $0 } == 0, "a slot named another thread's file")
        let left = (0..<TemporaryFiles.capacity).compactMap { slot in
            TemporaryFiles.table[slot].load(ordering: .acquiring).map { String(cString: $0) }
        }.filter { $0.hasPrefix(directory.path + "/") }
        #expect(left.isEmpty, "slots still noted after every file was forgotten: \(left)")
    }
}

import Foundation
import PromKit
import Testing

/// Nothing a user names is destroyed: FIFOs and devices are written through, symlinks stay symlinks, an input
/// is refused by any spelling, two outputs to one file are refused, and a failed write leaves nothing behind.
/// Everything runs in a temporary directory, never on real device files (but `/dev/null` and `/dev/full`).
@Suite struct OutputFileTests {
    /// A fresh temporary directory, removed after `body`.
    func inTemporaryDirectory(_ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
    func entries(_ dir: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

    func write(_ text: String, _ path: String) throws {
        try OutputFile.write(Array(text.utf8), to: .file(path), label: "the report")
    }

    @Test func fifoIsWrittenThroughNotReplaced() throws {
        try inTemporaryDirectory { dir in
            let fifo = dir + "/pipe"
            #expect(mkfifo(fifo, 0o600) == 0)
            // A reader on the FIFO, as `--reporter json:pipe` with `cat pipe` would have.
            let received = LockedText()
            let reader = Thread {
                let data = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile()
                received.set(data.map { String(decoding: $0, as: UTF8.self) } ?? "<unreadable>")
            }
            reader.start()
            try write("through the fifo\n", fifo)
            while received.get() == nil { usleep(1000) }
            #expect(received.get() == "through the fifo\n")
            var st = stat()
            #expect(lstat(fifo, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO, "the FIFO is still a FIFO")
            #expect(entries(dir) == ["pipe"], "no temporary file left")
        }
    }

    @Test func characterDeviceIsWrittenThrough() throws {
        // /dev/null: a device that any number of writers may share; it must not be replaced by a file.
        try write("gone\n", "/dev/null")
        var st = stat()
        #expect(lstat("/dev/null", &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR)
        let destinations = try OutputFile.destinations([("a", "/dev/null"), ("b", "/dev/null")], inputs: [])
        #expect(destinations == [.file("/dev/null"), .file("/dev/null")])
    }

    @Test func symlinkStaysASymlinkAndItsTargetIsReplacedBesideIt() throws {
        try inTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
            let target = dir + "/real/report.json"
            try "old".write(toFile: target, atomically: false, encoding: .utf8)
            #expect(chmod(target, 0o640) == 0)
            let link = dir + "/link.json"
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real/report.json")
            try write("new", link)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real/report.json")
            #expect(contents(target) == "new")
            #expect(entries(dir + "/real") == ["report.json"], "the temporary file went beside the target, and is gone")
            var st = stat()
            #expect(stat(target, &st) == 0 && st.st_mode & 0o777 == 0o640, "the replaced file keeps its permissions")
            // A dangling symlink: the file it names is created, the link stays.
            let dangling = dir + "/dangling.json"
            try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "real/new.json")
            try write("created", dangling)
            #expect(contents(dir + "/real/new.json") == "created")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dangling) == "real/new.json")
        }
    }

    @Test func anInputIsRefusedByAnySpelling() throws {
        try inTemporaryDirectory { dir in
            let input = dir + "/in.prom"
            try "a 1\n".write(toFile: input, atomically: false, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: dir + "/sym.prom", withDestinationPath: "in.prom")
            #expect(link(input, dir + "/hard.prom") == 0)
            let spellings = [
                input, dir + "/./in.prom", dir + "/../" + URL(fileURLWithPath: dir).lastPathComponent + "/in.prom",
                dir + "/sym.prom", dir + "/hard.prom",
            ]
            for spelling in spellings {
                #expect(throws: OutputFile.Failure.self, "\(spelling)") {
                    _ = try OutputFile.destinations([("the json report", spelling)], inputs: [input])
                }
            }
            // An input that does not exist yet is compared by its resolved path.
            #expect(throws: OutputFile.Failure.self) {
                _ = try OutputFile.destinations([("the json report", dir + "/./later.prom")], inputs: [dir + "/later.prom"])
            }
            #expect(contents(input) == "a 1\n")
            // Another file is fine.
            #expect(try OutputFile.destinations([("r", dir + "/other.json")], inputs: [input]) == [.file(dir + "/other.json")])
        }
    }

    @Test func twoOutputsToOneFileAreRefused() throws {
        try inTemporaryDirectory { dir in
            let a = dir + "/a.xml"
            #expect(throws: OutputFile.Failure.self) {
                _ = try OutputFile.destinations([("junit", a), ("checkstyle", dir + "/./a.xml")], inputs: [])
            }
            try "x".write(toFile: a, atomically: false, encoding: .utf8)
            #expect(link(a, dir + "/b.xml") == 0)
            #expect(throws: OutputFile.Failure.self) {
                _ = try OutputFile.destinations([("junit", a), ("checkstyle", dir + "/b.xml")], inputs: [])
            }
            #expect(throws: OutputFile.Failure.self) {
                _ = try OutputFile.destinations([("text", nil), ("json", nil)], inputs: [])
            }
            #expect(throws: OutputFile.Failure.self) {
                _ = try OutputFile.destinations([("a directory", dir)], inputs: [])
            }
        }
    }

    @Test func aFailedWriteSaysWhyAndLeavesNothing() throws {
        try inTemporaryDirectory { dir in
            // /dev/full: every write fails with ENOSPC.
            do {
                try write("x", "/dev/full")
                Issue.record("a write to /dev/full succeeded")
            } catch {
                #expect("\(error)".contains("No space left on device"), "\(error)")
            }
            // A directory that cannot take the temporary file: nothing is left, the old file is kept.
            let locked = dir + "/locked"
            try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true)
            try "kept".write(toFile: locked + "/r.json", atomically: false, encoding: .utf8)
            #expect(chmod(locked, 0o500) == 0)
            defer { chmod(locked, 0o700) }
            if getuid() != 0 {  // root writes anywhere
                #expect(throws: OutputFile.Failure.self) { try write("new", locked + "/r.json") }
                #expect(contents(locked + "/r.json") == "kept")
                #expect(entries(locked) == ["r.json"])
            }
        }
    }
}

/// A string one thread sets and another reads.
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    func set(_ s: String) { lock.lock(); value = s; lock.unlock() }
    func get() -> String? { lock.lock(); defer { lock.unlock() }; return value }
}

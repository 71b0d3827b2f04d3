import Foundation
import PromKitTestSupport
import Testing

@testable import PromKit

#if canImport(Glibc)
    import Glibc
#endif

/// A body read while it arrives (an HTTP body of known length, `BodyArrival`) gives exactly the findings of
/// the same bytes read whole, however its pieces come; a body that stops short is an unreadable input.
@Suite struct ArrivingReadTests {
    struct ArrivingError: Error, CustomStringConvertible { var description: String }

    /// `bytes` as a file of their full length, mapped, filled in pieces of random size by another thread.
    static func arriving(_ bytes: [UInt8], name: String, seed: UInt64, stopAt: Int? = nil) throws -> SourceFile {
        let fd: Int32
        switch InputLoader.temporaryFile() {
        case .success(let f): fd = f
        case .failure(let failure): throw ArrivingError(description: failure.reason)
        }
        #expect(ftruncate(fd, off_t(bytes.count)) == 0)
        let arrival = BodyArrival(count: bytes.count)
        let writer = fd
        let body = bytes
        let thread = Thread {
            var g = SeededGenerator(seed: seed)
            var done = 0
            while done < (stopAt ?? body.count) {
                let n = min((stopAt ?? body.count) - done, Int.random(in: 1...(64 << 10), using: &g))
                let w = body.withUnsafeBytes { pwrite(writer, $0.baseAddress! + done, n, off_t(done)) }
                done += max(0, w)
                arrival.arrived(done)
                if Int.random(in: 0..<8, using: &g) == 0 { usleep(200) }
            }
            if stopAt != nil { arrival.fail("the connection was reset") } else { arrival.finish() }
        }
        guard case .success(let source) = InputLoader.map(fd: fd, name: name, arrival: arrival) else {
            throw ArrivingError(description: "cannot map \(name)")
        }
        thread.start()
        return source
    }

    @Test(arguments: ParallelReadTests.inputs)
    func sameFindingsAsReadWhole(_ url: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: url))
        guard !bytes.isEmpty else { return }
        let whole = SourceFile(name: url.lastPathComponent, bytes: bytes)
        let format = FormatDetector.detect(whole.bytes)
        let expected = Validator.validate(whole, format: format, options: ReadOptions(threads: 1))
        for (k, threads) in [1, 2, 3].enumerated() {
            let source = try Self.arriving(bytes, name: url.lastPathComponent, seed: UInt64(k) &+ UInt64(bytes.count))
            var options = ReadOptions(threads: threads, parallelThreshold: 0)
            options.windowPiece = 4096
            let found = Validator.validate(source, format: format, options: options)
            #expect(found == expected, "\(url.lastPathComponent), \(threads) threads")
            #expect(source.lateFailure == nil)
        }
    }

    /// Large enough for many chunks: a generated exposition with families of every kind.
    @Test func aLargeBodyInManyChunks() throws {
        var text = ""
        for i in 0..<3000 {
            text += "# HELP h\(i) H.\n# TYPE h\(i) histogram\n"
            for le in ["0.1", "1", "+Inf"] { text += "h\(i)_bucket{le=\"\(le)\",job=\"j\(i % 7)\"} \(i)\n" }
            text += "h\(i)_sum{job=\"j\(i % 7)\"} 1\nh\(i)_count{job=\"j\(i % 7)\"} \(i)\n# TYPE g\(i) gauge\ng\(i){x=\"\(i)\"} 1\n"
        }
        text += "# TYPE h17 gauge\nh17 1\nbadName{ 2\n"  // findings across the cuts
        let bytes = Array(text.utf8)
        let expected = Validator.validate(SourceFile(name: "g", bytes: bytes), format: .text, options: ReadOptions(threads: 1))
        #expect(expected.count == 2, "\(expected.map(\.message))")
        for threads in [2, 4] {
            let source = try Self.arriving(bytes, name: "g", seed: UInt64(threads))
            let found = Validator.validate(source, format: .text, options: ReadOptions(threads: threads, parallelThreshold: 0))
            #expect(found == expected, "\(threads) threads: \(found.map(\.message))")
        }
    }

    /// Stopped short: the reading ends (it does not wait forever), and the input says why it could not be read.
    @Test func aBodyThatStopsShortIsUnreadable() throws {
        let bytes = Array(String(repeating: "# TYPE a gauge\na 1\n", count: 20000).utf8)
        let source = try Self.arriving(bytes, name: "cut", seed: 7, stopAt: bytes.count / 3)
        _ = Validator.validate(source, format: .text, options: ReadOptions(threads: 2, parallelThreshold: 0))
        let failure = try #require(source.lateFailure)
        #expect(failure.reason == "the connection was reset" && failure.unreadable && failure.path == "cut")
    }
}

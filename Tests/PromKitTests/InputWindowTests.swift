import Testing

@testable import PromKit

/// The window's offset arithmetic: `bytes[i]` is the input's byte `i` exactly for the `i` it holds, as it
/// moves and grows; what it holds is what the reader's debug checks (`holds`) test every line against.
@Suite struct InputWindowTests {
    @Test func bytesAreTheInputsAtTheirOffsets() throws {
        let input = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
        let file = try WindowedReadTests.fileSource(input, "window-offsets")
        var w = InputWindow(at: 100, inputCount: input.count)
        defer { w.deallocate() }
        var keep = 100
        while w.end < input.count {
            w.advance(keeping: keep, limit: input.count, piece: 777, from: file.bytes)
            #expect(w.start == keep)
            #expect(w.holds(keep..<w.end) && !w.holds((keep - 1)..<w.end) && !w.holds(keep..<(w.end + 1)))
            let b = w.bytes
            #expect((w.start..<w.end).allSatisfy { b[$0] == input[$0] }, "window \(w.start)..<\(w.end)")
            // Keep a growing stretch now and then (a large family), else only the last piece.
            keep = w.end % 3 == 0 ? keep : max(keep, w.end - 500)
        }
        #expect(w.shrankAt == nil)
    }

    #if DEBUG
        /// A window over more bytes than the input holds is caught in debug builds, however it came about.
        @Test func windowPastTheInputStops() async {
            await #expect(processExitsWith: .failure) {
                var w = InputWindow(at: 0, inputCount: 10)
                w.advance(keeping: 0, limit: 20, piece: 20, from: ByteBuffer(Array(repeating: 0x0A, count: 20)))
                _ = w.bytes
            }
        }
    #endif
}

import Testing
@testable import PromKit

/// The plain-memory scratch the parser, the checks and the lint label pass grow as they go.
@Suite struct ScratchBufferTests {
    @Test func growsKeepingWhatItIsAsked() {
        var b = ScratchBuffer<Int>()
        defer { b.deallocate() }
        for i in 0..<100 {
            b.reserve(i + 1, keeping: i)
            b[i] = i * 3
        }
        #expect(b.capacity >= 100)
        #expect((0..<100).allSatisfy { b[$0] == $0 * 3 })
        // Room already there: nothing moves.
        let base = b.base
        b.reserve(10)
        #expect(b.base == base)
    }
}

import Testing

@testable import PromKit

/// The plain-memory scratch the parser, the checks and the lint label pass grow as they go.
@Suite struct ScratchBufferTests {
    @Test func growsKeepingWhatItIsAsked() {
        var b = ScratchBuffer<Int>()
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

/// Debug builds check every index (release builds do not: the hot loops pay nothing). The tests are built
/// in debug, so an index out of range stops the process.
@Suite struct ScratchBufferBoundsTests {
    #if DEBUG
        @Test func indexPastTheEndStops() async {
            await #expect(processExitsWith: .failure) {
                let b = ScratchBuffer<Int>(capacity: 4)
                b[4] = 1
            }
        }

        @Test func negativeIndexStops() async {
            await #expect(processExitsWith: .failure) {
                let b = ScratchBuffer<UInt64>(capacity: 4)
                _ = b[-1]
            }
        }

        @Test func viewIndexPastTheEndStops() async {
            await #expect(processExitsWith: .failure) {
                let b = ScratchBuffer<Double>(capacity: 8)
                _ = b.view[8]
            }
        }

        @Test func keepingMoreThanHeldStops() async {
            await #expect(processExitsWith: .failure) {
                var b = ScratchBuffer<Int32>(capacity: 2)
                b.reserve(64, keeping: 3)
            }
        }
    #endif

    @Test func inRangeIndicesRead() {
        let b = ScratchBuffer<Int>(capacity: 4)
        for i in 0..<4 { b[i] = i }
        #expect((0..<4).map { b.view[$0] } == [0, 1, 2, 3])
    }
}

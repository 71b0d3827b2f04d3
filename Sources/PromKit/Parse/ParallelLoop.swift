import CThreads
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `body(i, worker)` for every `i` in `0..<count`, on `threads` threads (the calling one among them, worker
/// 0), each taking the next index as it comes free; returns when all are done. `worker` tells which thread
/// runs the call, so a thread can carry buffers from one index to its next; `finished(worker)` runs on each
/// thread when no index is left for it (to let go of what it carried while the others still work).
///
/// Plain threads rather than Dispatch's `concurrentPerform`, which runs on as many threads as there are
/// cores whatever `--threads` says; these are exactly `threads`, started at once, each away from the
/// caller's CPU (see `promkit_thread_start`).
package enum ParallelLoop {
    package static func forEach(
        _ count: Int, threads: Int, _ body: (_ index: Int, _ worker: Int) -> Void,
        finished: (_ worker: Int) -> Void = { _ in }
    ) {
        let threads = max(1, min(threads, count))
        if threads == 1 {
            for i in 0..<count { body(i, 0) }
            finished(0)
            return
        }
        // The threads are joined before this returns, so the closures do not outlive the call.
        withoutActuallyEscaping(body) { body in
            withoutActuallyEscaping(finished) { finished in
                let job = Job(count: count, body: body, finished: finished)
                var started: [pthread_t] = []
                for _ in 1..<threads {
                    var thread = unmadeThread
                    let context = Unmanaged.passRetained(job).toOpaque()
                    let status = promkit_thread_start(
                        &thread,
                        { context in
                            let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
                            job.work(worker: job.nextWorker.wrappingAdd(1, ordering: .relaxed).oldValue)
                            return nil
                        }, context)
                    if status == 0 {
                        started.append(madeThread(thread))
                    } else {
                        // No thread: the others (at least this one) take its share.
                        Unmanaged<Job>.fromOpaque(context).release()
                    }
                }
                job.work(worker: 0)
                for thread in started { pthread_join(thread, nil) }
            }
        }
    }

    private final class Job: @unchecked Sendable {
        let next = Atomic<Int>(0)
        /// Workers' numbers, from 1 (the calling thread is 0).
        let nextWorker = Atomic<Int>(1)
        let count: Int
        let body: (Int, Int) -> Void
        let finished: (Int) -> Void

        init(count: Int, body: @escaping (Int, Int) -> Void, finished: @escaping (Int) -> Void) {
            self.count = count
            self.body = body
            self.finished = finished
        }

        func work(worker: Int) {
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if i >= count { break }
                body(i, worker)
            }
            finished(worker)
        }
    }
}

// A thread's handle before the thread is made: a number on Linux, an opaque pointer on Darwin (none until made).
#if canImport(Darwin)
    private let unmadeThread: pthread_t? = nil
    @inline(__always) private func madeThread(_ slot: pthread_t?) -> pthread_t { slot! }
#else
    private let unmadeThread = pthread_t()
    @inline(__always) private func madeThread(_ slot: pthread_t) -> pthread_t { slot }
#endif

import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How much of a body still arriving is in its file: an HTTP body of known length, handed to the run at its
/// first bytes and written on as it comes into a file already of its full length. The parallel reader waits
/// here for the bytes each chunk needs, so reading overlaps the download instead of following it; every other
/// reader of the input (`ByteBuffer`) waits for all of it.
///
/// Written by the thread that receives the body, read by the reading threads.
public final class BodyArrival: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var changed = pthread_cond_t()
    private var arrived = 0
    /// Set once the body has ended (whole or not): no lock needed from then on.
    private let ended = Atomic<Bool>(false)
    private var failure: String?
    /// The body's length: what arrives when nothing goes wrong.
    public let count: Int
    /// The rule a body that stops short is reported under (`InputLoader.Failure.rule`); set before the run reads.
    public var failureRule = "read_error"

    /// A body of `count` bytes, none of them arrived yet.
    public init(count: Int) {
        self.count = count
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&changed, nil)
    }

    deinit {
        pthread_cond_destroy(&changed)
        pthread_mutex_destroy(&mutex)
    }

    /// The first `count` bytes are in the file.
    public func arrived(_ count: Int) {
        pthread_mutex_lock(&mutex)
        arrived = max(arrived, count)
        pthread_cond_broadcast(&changed)
        pthread_mutex_unlock(&mutex)
    }

    /// Every byte is in.
    public func finish() { end(failure: nil) }

    /// The body stopped short: readers waiting go on (the rest of the file reads as zeros), and the run
    /// reports the input as unreadable, for `reason`.
    public func fail(_ reason: String) { end(failure: reason) }

    private func end(failure: String?) {
        pthread_mutex_lock(&mutex)
        self.failure = failure
        if failure == nil { arrived = count }
        ended.store(true, ordering: .releasing)
        pthread_cond_broadcast(&changed)
        pthread_mutex_unlock(&mutex)
    }

    /// Waits until the bytes before `end` are in, or the body has ended.
    func wait(through end: Int) {
        if ended.load(ordering: .acquiring) { return }
        pthread_mutex_lock(&mutex)
        while arrived < min(end, count) && !ended.load(ordering: .relaxed) { pthread_cond_wait(&changed, &mutex) }
        pthread_mutex_unlock(&mutex)
    }

    /// Waits for the body to end; why it stopped short, if it did.
    @discardableResult
    public func waitAll() -> String? {
        if !ended.load(ordering: .acquiring) {
            pthread_mutex_lock(&mutex)
            while !ended.load(ordering: .relaxed) { pthread_cond_wait(&changed, &mutex) }
            pthread_mutex_unlock(&mutex)
        }
        return failure
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where writers put their bytes: one reused buffer, handed on in large chunks — to a file descriptor as it
/// fills (memory stays flat whatever the output's size), or kept whole in memory (tests, small outputs).
public final class ByteSink {
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private let fd: Int32
    /// The buffer grows instead of being handed on (`growing`): one chunk of a parallel conversion.
    private var grows = false
    private var handler: ((UnsafeBufferPointer<UInt8>) -> Void)?
    /// What was written so far, when the sink keeps its output in memory (fd < 0).
    public private(set) var kept: [UInt8] = []
    /// Why a write to the descriptor failed (the first failure; later writes are skipped).
    public private(set) var failure: String?
    /// Bytes handed on so far (flushed or kept).
    public private(set) var written = 0

    /// A sink that writes to `fd` whenever `chunk` bytes are buffered.
    public init(fd: Int32, chunk: Int = 1 << 20) {
        self.fd = fd
        self.capacity = chunk
        // malloc'd, so that a growing sink can realloc.
        self.buffer = malloc(chunk)!.assumingMemoryBound(to: UInt8.self)
    }

    /// A sink that keeps everything in its own buffer, grown as needed (`bytes`, `clear()`): reused from
    /// chunk to chunk of a parallel conversion, so that its pages are faulted in once.
    static func growing(capacity: Int = 1 << 20) -> ByteSink {
        let sink = ByteSink(fd: -3, chunk: max(capacity, 64))
        sink.grows = true
        return sink
    }

    /// What a growing sink holds.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: buffer, count: count) }

    /// Empties a growing sink (its buffer kept).
    func clear() {
        count = 0
        written = 0
    }

    /// A sink that keeps everything in memory (`kept` after `flush()`).
    public convenience init() {
        self.init(fd: -1, chunk: 64 << 10)
    }

    /// A sink that hands each chunk to `handler` (a comparison, a digest).
    public convenience init(chunk: Int = 1 << 20, handler: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
        self.init(fd: -2, chunk: chunk)
        self.handler = handler
    }

    deinit { free(buffer) }

    /// Appends one byte.
    @inline(__always)
    public func append(_ byte: UInt8) {
        if count == capacity { drain() }
        buffer[count] = byte
        count += 1
    }

    /// Appends bytes.
    @inline(__always)
    public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        if n == 0 { return }
        if count + n > capacity {
            if grows { return appendGrowing(bytes) }
            drain()
            if n > capacity {
                hand(bytes)
                return
            }
        }
        (buffer + count).update(from: bytes.baseAddress!, count: n)
        count += n
    }

    /// Bytes `lower..<upper` of `input`.
    @inline(__always)
    public func append(_ input: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int) {
        append(UnsafeBufferPointer(rebasing: input[lower..<upper]))
    }

    /// Appends bytes.
    public func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends a literal's UTF-8.
    public func append(_ s: StaticString) {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Appends a string's UTF-8.
    public func append(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    /// Hands on what is buffered.
    public func flush() {
        drain()
    }

    private func appendGrowing(_ bytes: UnsafeBufferPointer<UInt8>) {
        grow(to: count + bytes.count)
        (buffer + count).update(from: bytes.baseAddress!, count: bytes.count)
        count += bytes.count
    }

    private func grow(to needed: Int) {
        var c = capacity
        while c < needed { c *= 2 }
        guard let grown = realloc(buffer, c) else { fatalError("out of memory for \(c) bytes of output") }
        buffer = grown.assumingMemoryBound(to: UInt8.self)
        capacity = c
    }

    private func drain() {
        if grows {
            // Called when full: make room instead of handing on.
            if count == capacity { grow(to: capacity + 1) }
            return
        }
        if count > 0 { hand(UnsafeBufferPointer(start: buffer, count: count)) }
        count = 0
    }

    private func hand(_ bytes: UnsafeBufferPointer<UInt8>) {
        written += bytes.count
        if let handler { return handler(bytes) }
        if fd < 0 {
            kept.append(contentsOf: bytes)
            return
        }
        guard failure == nil else { return }
        var offset = 0
        while offset < bytes.count {
            let r = sinkWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if r < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                return
            }
            offset += r
        }
    }
}

#if canImport(Glibc)
    private let sinkWrite = Glibc.write
#elseif canImport(Darwin)
    private let sinkWrite = Darwin.write
#endif

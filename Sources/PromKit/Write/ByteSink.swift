#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where writers put their bytes: one reused buffer, handed on in large chunks — to a file descriptor as it
/// fills (memory stays flat whatever the output's size), or kept whole in memory (tests, small outputs).
public final class ByteSink {
    private var buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var count = 0
    private let fd: Int32
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
        self.buffer = .allocate(capacity: chunk)
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

    deinit { buffer.deallocate() }

    @inline(__always)
    public func append(_ byte: UInt8) {
        if count == capacity { drain() }
        buffer[count] = byte
        count += 1
    }

    @inline(__always)
    public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        if n == 0 { return }
        if count + n > capacity {
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

    public func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    public func append(_ s: StaticString) {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    public func append(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    /// Hands on what is buffered.
    public func flush() {
        drain()
    }

    private func drain() {
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

/// A half-open range of byte offsets into a `SourceFile`.
///
/// Every token the parsers find is one of these; strings are made from them only when asked for.
/// `Int32` keeps records small; inputs are limited to `SourceFile.maximumSize`.
public struct ByteRange: Hashable, Sendable, BitwiseCopyable {
    public var start: Int32
    public var end: Int32

    @inlinable public init(_ start: Int, _ end: Int) {
        self.start = Int32(truncatingIfNeeded: start)
        self.end = Int32(truncatingIfNeeded: end)
    }

    @inlinable public var lowerBound: Int { Int(start) }
    @inlinable public var upperBound: Int { Int(end) }
    @inlinable public var count: Int { Int(end &- start) }
    @inlinable public var isEmpty: Bool { start == end }

    public static let empty = ByteRange(0, 0)
}

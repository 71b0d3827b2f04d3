/// A half-open range of byte offsets into a `SourceFile`.
///
/// Every token the parsers find is one of these; strings are made from them only when asked for.
/// `Int32` keeps records small; inputs are limited to `SourceFile.maximumSize`.
public struct ByteRange: Hashable, Sendable, BitwiseCopyable {
    /// The offset of the first byte.
    public var start: Int32
    /// The offset just past the last byte.
    public var end: Int32

    /// The bytes from `start` up to (not including) `end`.
    @inlinable public init(_ start: Int, _ end: Int) {
        self.start = Int32(truncatingIfNeeded: start)
        self.end = Int32(truncatingIfNeeded: end)
    }

    /// `start` as an `Int`.
    @inlinable public var lowerBound: Int { Int(start) }
    /// `end` as an `Int`.
    @inlinable public var upperBound: Int { Int(end) }
    /// How many bytes.
    @inlinable public var count: Int { Int(end &- start) }
    /// Whether the range holds no byte.
    @inlinable public var isEmpty: Bool { start == end }

    /// The empty range at offset 0 (what an absent token holds).
    public static let empty = ByteRange(0, 0)
}

/// One thing wrong with an input: a stable code, a severity, a byte offset and a message.
///
/// The offset becomes line and column only when the diagnostic is printed. `family` and `label` name the
/// metric family and label the finding is about, when there is one.
public struct Diagnostic: Hashable, Sendable {
    public var code: DiagnosticCode
    public var severity: Severity
    public var offset: Int
    public var message: String
    public var family: String?
    public var label: String?

    public init(_ code: DiagnosticCode, _ severity: Severity, at offset: Int, _ message: String,
                family: String? = nil, label: String? = nil) {
        self.code = code
        self.severity = severity
        self.offset = offset
        self.message = message
        self.family = family
        self.label = label
    }
}

extension Array where Element == Diagnostic {
    /// Input order: by offset, then code, then message (stable and deterministic for golden files).
    public func sortedByLocation() -> [Diagnostic] {
        // Mostly in order already (a pass reports as it reads): then as is. Otherwise the offsets are sorted,
        // with their positions for stability, and the diagnostics (strings inside) are moved once.
        var sorted = true
        for i in indices.dropFirst() where self[i - 1].offset > self[i].offset {
            sorted = false
            break
        }
        if sorted { return self }
        let order = indices.map { (offset: self[$0].offset, position: $0) }.sorted { a, b in
            a.offset != b.offset ? a.offset < b.offset : a.position < b.position
        }
        return order.map { self[$0.position] }
    }
}

/// One thing wrong with an input: a stable code, a severity, a byte offset and a message.
///
/// The offset becomes line and column only when the diagnostic is printed. `family` and `label` name the
/// metric family and label the finding is about, when there is one.
public struct Diagnostic: Hashable, Sendable {
    /// What kind of problem it is (the code shown in brackets).
    public var code: DiagnosticCode
    /// How serious it is.
    public var severity: Severity
    /// Where it is: a byte offset into the input.
    public var offset: Int
    /// What is wrong and what to do, for a person.
    public var message: String
    /// The metric family it is about, if any.
    public var family: String?
    /// The label it is about, if any.
    public var label: String?
    /// On the closing `too_many_diagnostics` note only: what `--max-diagnostics` left out, by code and severity.
    public var omitted: [OmittedCount] = []

    /// A diagnostic of `code` at `offset`.
    public init(
        _ code: DiagnosticCode, _ severity: Severity, at offset: Int, _ message: String,
        family: String? = nil, label: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.offset = offset
        self.message = message
        self.family = family
        self.label = label
    }
}

extension DiagnosticCode {
    /// The note closing a list cut by `--max-diagnostics`.
    public static let tooManyDiagnostics: Self = "too_many_diagnostics"
}

extension Diagnostic {
    /// The note that closes a list cut at `limit` (0: cut by someone else's limit), carrying what was left out.
    public static func omissionNote(_ omitted: [OmittedCount], limit: Int, at offset: Int) -> Diagnostic {
        let n = omitted.total
        let what = n == 1 ? "1 more finding" : "\(n) more findings"
        let why = limit > 0 ? "limit \(limit); see --max-diagnostics" : "see --max-diagnostics"
        var note = Diagnostic(.tooManyDiagnostics, .info, at: offset, "\(what) not shown (\(why)); the totals count them")
        note.omitted = omitted
        return note
    }
}

/// How many diagnostics of one code and severity a limit left out.
public struct OmittedCount: Hashable, Sendable {
    /// The code left out.
    public var code: DiagnosticCode
    /// At this severity.
    public var severity: Severity
    /// How many.
    public var count: Int

    /// A count of diagnostics left out.
    public init(code: DiagnosticCode, severity: Severity, count: Int) {
        self.code = code
        self.severity = severity
        self.count = count
    }
}

extension Array where Element == OmittedCount {
    /// Counts `n` more of `code` at `severity` (a short list: one entry per code and severity).
    public mutating func add(_ code: DiagnosticCode, _ severity: Severity, _ n: Int = 1) {
        if let i = firstIndex(where: { $0.code == code && $0.severity == severity }) {
            self[i].count += n
        } else {
            append(OmittedCount(code: code, severity: severity, count: n))
        }
    }

    /// How many were left out in all.
    public var total: Int { reduce(0) { $0 + $1.count } }

    /// How many of `severity` were left out.
    public func count(_ severity: Severity) -> Int {
        reduce(0) { $0 + ($1.severity == severity ? $1.count : 0) }
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

/// How serious a finding is. Ordered: `info < warning < error`.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    /// Worth knowing; never fails a run by default.
    case info
    /// A SHOULD of a spec, or a convention: fails a run only when asked (`--fail-on warning`).
    case warning
    /// A MUST of a spec, or an error rule: fails the run.
    case error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

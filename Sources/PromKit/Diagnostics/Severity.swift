/// How serious a finding is. Ordered: `info < warning < error`.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    /// Worth knowing: a suggestion.
    case info
    /// A SHOULD of a spec, or a naming convention.
    case warning
    /// A MUST of a spec, or a rule whose findings are errors.
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

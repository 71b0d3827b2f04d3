import PromKit

/// Turns a report into bytes. Reporters are pure: everything they depend on is in the report and the context.
public protocol Reporter: SendableMetatype {
    /// The name `--reporter` takes.
    static var name: String { get }
    /// One line, for `--help` and the docs.
    static var summary: String { get }
    init()
    func render(_ report: Report, context: ReportContext) throws -> [UInt8]
}

/// What a reporter may know about where its output goes.
public struct ReportContext: Sendable {
    /// Output is a terminal: the text reporter shows source lines with a caret.
    public var isTerminal: Bool
    /// Colour is wanted (a terminal, and `NO_COLOR` not set).
    public var colour: Bool

    public init(isTerminal: Bool = false, colour: Bool = false) {
        self.isTerminal = isTerminal
        self.colour = colour
    }

    public static let plain = ReportContext()
}

/// The reporters, in the order `--help` lists them.
public enum ReporterRegistry {
    public static let all: [any Reporter.Type] = [
        TextReporter.self, JSONReporter.self, JUnitReporter.self, JUnitGitLabReporter.self, SARIFReporter.self,
        GitHubReporter.self, CheckstyleReporter.self, PromtoolReporter.self,
    ]

    public static var names: [String] { all.map { $0.name } }

    public static func lookup(_ name: String) -> (any Reporter.Type)? {
        all.first { $0.name == name }
    }
}

/// `NAME[:PATH]`: a reporter and where its output goes (standard output without a path).
public struct ReporterSpec: Hashable, Sendable {
    public var name: String
    public var path: String?

    public struct UnknownReporter: Error, CustomStringConvertible, Sendable {
        public var name: String
        public var description: String {
            "unknown reporter '\(name)'; the reporters are: \(ReporterRegistry.names.joined(separator: ", "))"
        }
    }

    /// Splits on the first `:` only, so paths may hold colons.
    public init(parsing text: String) throws {
        if let colon = text.firstIndex(of: ":") {
            name = String(text[..<colon])
            let rest = String(text[text.index(after: colon)...])
            path = rest.isEmpty ? nil : rest
        } else {
            name = text
            path = nil
        }
        guard ReporterRegistry.lookup(name) != nil else { throw UnknownReporter(name: name) }
    }

    public var reporter: any Reporter.Type { ReporterRegistry.lookup(name)! }
}

import PromKit
import PromKitReport

/// For a person: the changed families by name, each with its mark (`+` added, `-` removed, `~` changed), its
/// changes classed and its listed series `old → new`; then a summary line. In colour on a terminal unless
/// `NO_COLOR` is set.
public struct DiffTextReporter: DiffReporter {
    public static let name = "text"
    /// The one line `--help` shows for it.
    public static let summary = "changed families with +/-/~ marks, old → new, and a summary line (default)"
    /// The reporter (it has no settings).
    public init() {}

    /// The diff as text: changed families with +/-/~ marks, old → new, and a summary line.
    public func render(_ r: DiffResult, context: ReportContext) throws -> [UInt8] {
        var out = ""
        let colour = context.colour
        func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        func markColour(_ mark: String) -> String {
            switch mark {
            case "+": "32"
            case "-": "31"
            default: "33"
            }
        }
        func classWord(_ c: ChangeClass) -> String {
            switch c {
            case .breaking: paint("breaking", "1;31")
            case .risky: paint("risky", "1;33")
            case .info: paint("info", "36")
            }
        }
        out += paint("--- \(r.old.path) (\(r.old.format.displayName))", "1") + "\n"
        out += paint("+++ \(r.new.path) (\(r.new.format.displayName))", "1") + "\n"
        for f in r.families where f.hasChanges {
            let mark = DiffWords.mark(f.status)
            out += paint("\(mark) \(Escaping.oneLine(f.name))", "1;" + markColour(mark)) + " " + paint(DiffWords.type(f), "2") + "\n"
            for c in f.changes {
                out += "    \(classWord(c.changeClass)): \(Escaping.oneLine(c.message))\n"
            }
            for kind in [SeriesChange.Kind.removed, .added, .changed] {
                let (shown, more) = f.listed(kind)
                let m = DiffWords.mark(kind)
                for c in shown {
                    out += "    " + paint("\(m) \(Escaping.oneLine(c.series))", markColour(m)) + " \(DiffWords.values(c))\n"
                }
                if more > 0 && f.status == .changed {
                    out += paint("    \(m) … \(more) more \(kind.rawValue) (see --max-series)", "2") + "\n"
                }
            }
        }
        out += paint(DiffWords.summaryLine(r), "1") + "\n"
        return Array(out.utf8)
    }
}

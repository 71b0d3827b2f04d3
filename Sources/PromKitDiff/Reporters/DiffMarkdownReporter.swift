import PromKit
import PromKitReport

/// For a pull-request comment: a summary table, the breaking changes first (then the risky ones), and each
/// changed family's details folded in `<details>`.
public struct DiffMarkdownReporter: DiffReporter {
    public static let name = "markdown"
    /// The one line `--help` shows for it.
    public static let summary = "Markdown for a pull-request comment: summary table, breaking changes first, details folded"
    /// The reporter (it has no settings).
    public init() {}

    /// The diff as Markdown: a summary table, breaking changes first, details folded.
    public func render(_ r: DiffResult, context: ReportContext) throws -> [UInt8] {
        let s = r.summary
        func code(_ text: String) -> String { "`" + Escaping.markdownCell(text).withoutBackticks() + "`" }
        var o = "### promkit diff: \(code(r.old.path)) → \(code(r.new.path))\n\n"
        let verdict =
            s.breaking > 0
            ? "❌ **\(DiffWords.count(s.breaking, "breaking change"))**"
            : s.risky > 0 ? "⚠️ no breaking change" : "✅ no breaking change"
        o += "\(verdict), \(DiffWords.count(s.risky, "risky change")).\n\n"
        o += "| | families | series |\n| --- | ---: | ---: |\n"
        o += "| added | \(s.familiesAdded) | \(s.seriesAdded) |\n"
        o += "| removed | \(s.familiesRemoved) | \(s.seriesRemoved) |\n"
        o += "| changed | \(s.familiesChanged) | \(s.seriesChanged) |\n"
        o += "| unchanged | \(r.families.count - s.familiesAdded - s.familiesRemoved - s.familiesChanged) | \(s.seriesUnchanged) |\n\n"
        for level in [ChangeClass.breaking, .risky] {
            let items = r.families.flatMap { f in f.changes.filter { $0.changeClass == level }.map { (f, $0) } }
            guard !items.isEmpty else { continue }
            o += "#### \(level == .breaking ? "Breaking" : "Risky") changes\n\n"
            for (f, c) in items { o += "- \(code(f.name)): \(Escaping.markdownCell(c.message))\n" }
            o += "\n"
        }
        let changed = r.changedFamiliesBySeverity
        if !changed.isEmpty {
            o += "<details><summary>\(DiffWords.count(changed.count, "family", "families")) with changes</summary>\n\n"
            for f in changed {
                o += "**\(DiffWords.mark(f.status)) \(code(f.name))** \(DiffWords.type(f))\n\n"
                for c in f.changes { o += "- \(c.changeClass.rawValue): \(Escaping.markdownCell(c.message))\n" }
                if f.status == .changed && f.seriesAdded + f.seriesRemoved + f.seriesChanged > 0 {
                    o +=
                        "- series: \(f.seriesAdded) added, \(f.seriesRemoved) removed, \(f.seriesChanged) changed, \(f.seriesUnchanged) unchanged\n"
                }
                if !f.series.isEmpty {
                    o += "\n```diff\n"
                    for kind in [SeriesChange.Kind.removed, .added, .changed] {
                        let (shown, more) = f.listed(kind)
                        let mark = kind == .changed ? "!" : DiffWords.mark(kind)
                        for c in shown { o += "\(mark) \(Escaping.oneLine(c.series).withoutBackticks()) \(DiffWords.values(c))\n" }
                        if more > 0 { o += "# … \(more) more \(kind.rawValue)\n" }
                    }
                    o += "```\n"
                }
                o += "\n"
            }
            o += "</details>\n"
        }
        return Array(o.utf8)
    }
}

extension String {
    /// Backticks as quotes: text inside a code span or fence cannot close it.
    func withoutBackticks() -> String {
        contains("`") ? String(map { $0 == "`" ? "'" : $0 }) : self
    }
}

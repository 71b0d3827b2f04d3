import PromKit
import PromKitReport

/// JUnit XML: one test case per family (of either side), failed by its breaking changes; its other changes
/// go to `<system-out>`. Valid against the strict Jenkins schema.
public struct DiffJUnitReporter: DiffReporter {
    public static let name = "junit"
    /// The one line `--help` shows for it.
    public static let summary = "JUnit XML: a test case per family, failed by its breaking changes"
    /// The reporter (it has no settings).
    public init() {}

    /// The diff as JUnit XML: one test case per family, failed by its breaking changes.
    public func render(_ r: DiffResult, context: ReportContext) throws -> [UInt8] {
        let w = try XMLWriter()
        let failures = r.families.filter { $0.worstClass == .breaking }.count
        let suite = "promkit diff \(r.old.path) \(r.new.path)"
        try w.start(
            "testsuites", [("name", "promkit diff"), ("tests", "\(r.families.count)"), ("failures", "\(failures)"), ("errors", "0")])
        try w.start(
            "testsuite",
            [
                ("name", suite), ("tests", "\(r.families.count)"), ("failures", "\(failures)"),
                ("errors", "0"), ("skipped", "0"),
            ])
        for f in r.families {
            try w.start("testcase", [("name", f.name), ("classname", "promkit.diff")])
            let breaking = f.changes.filter { $0.changeClass == .breaking }
            if !breaking.isEmpty {
                try w.start(
                    "failure",
                    [
                        ("message", "\(DiffWords.count(breaking.count, "breaking change")): \(breaking[0].message)"),
                        ("type", breaking[0].kind.rawValue),
                    ])
                try w.text(breaking.map { "\($0.changeClass.rawValue): \(Escaping.oneLine($0.message))" }.joined(separator: "\n") + "\n")
                try w.end()
            }
            var lines = f.changes.filter { $0.changeClass != .breaking }.map {
                "\($0.changeClass.rawValue): \(Escaping.oneLine($0.message))"
            }
            if f.status == .changed && f.seriesAdded + f.seriesRemoved + f.seriesChanged > 0 {
                lines.append(
                    "series: \(f.seriesAdded) added, \(f.seriesRemoved) removed, \(f.seriesChanged) changed, \(f.seriesUnchanged) unchanged"
                )
            }
            if !lines.isEmpty { try w.element("system-out", text: lines.joined(separator: "\n") + "\n") }
            try w.end()
        }
        try w.end()
        try w.end()
        return try w.finish()
    }
}

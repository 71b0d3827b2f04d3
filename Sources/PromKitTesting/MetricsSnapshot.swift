import PromKit
import PromKitDiff

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One change between a committed snapshot and a service's current `/metrics` output, located: the line of
/// the family in the output, or in the snapshot when the family is gone from the output.
public struct SnapshotChange: Hashable, Sendable, CustomStringConvertible {
    /// The family's name (as written in the output; in the snapshot for a removed family).
    public var family: String
    /// What changed (`family_removed`, `type_changed`, `label_added`, …); nil for changes to series only
    /// (values, series added or removed), which count only with `failOn: .any`.
    public var kind: ChangeKind?
    /// How much it matters: breaking, risky or info.
    public var changeClass: ChangeClass
    /// One line saying what changed (`counter removed (had 2 series)`, `type changed: counter -> gauge`).
    public var message: String
    /// The file the line is in: the snapshot's path, or the output's name.
    public var path: String
    /// The family's first line there (1-based); 0 when it cannot be placed.
    public var line: Int

    /// Creates a change; `MetricsCheck.compare(_:toSnapshot:failOn:)` makes them.
    public init(family: String, kind: ChangeKind?, changeClass: ChangeClass, message: String, path: String, line: Int) {
        self.family = family
        self.kind = kind
        self.changeClass = changeClass
        self.message = message
        self.path = path
        self.line = line
    }

    /// `PATH:LINE: class: FAMILY: message [kind]`, the shape of promkit's findings.
    public var description: String {
        let place = line > 0 ? "\(path):\(line)" : path
        return "\(place): \(changeClass.rawValue): \(family): \(message) [\(kind?.rawValue ?? "series_changed")]"
    }
}

/// Why `MetricsCheck.compare(_:toSnapshot:failOn:)` failed: the changes at or above its `failOn`, or a snapshot
/// that is missing or cannot be read, with what to do about it.
public struct SnapshotFailure: Error, Sendable, CustomStringConvertible {
    /// The snapshot compared against.
    public var snapshotPath: String
    /// The changes that fail the comparison (empty when the snapshot itself is the problem).
    public var changes: [SnapshotChange]
    /// The message for a test framework: the changes one a line, and how to re-record on purpose.
    public var description: String

    /// Creates a failure; `MetricsCheck.compare(_:toSnapshot:failOn:)` makes them.
    public init(snapshotPath: String, changes: [SnapshotChange], description: String) {
        self.snapshotPath = snapshotPath
        self.changes = changes
        self.description = description
    }
}

extension MetricsCheck {
    /// The environment variable that records the snapshot instead of comparing (`UPDATE_METRICS_SNAPSHOT=1
    /// swift test`), as `UPDATE_GOLDEN=1` re-records promkit's own goldens.
    public static let updateSnapshotVariable = "UPDATE_METRICS_SNAPSHOT"

    /// Whether `UPDATE_METRICS_SNAPSHOT` is set to `1` in this process's environment.
    public static var recordingSnapshots: Bool {
        getenv(updateSnapshotVariable).map { String(cString: $0) } == "1"
    }

    /// Compares `output` with the snapshot committed at `path` with `promkit diff` semantics: the breaking-change
    /// gate inside `swift test`.
    ///
    /// - Parameters:
    ///   - output: the service's `/metrics` output now.
    ///   - path: the committed snapshot (an exposition in any format).
    ///   - failOn: the least change that fails: `.breaking` (a family removed, its type changed, a label name
    ///     added or removed; the default), `.risky` (also buckets, quantiles, cardinality), `.any`, `.never`.
    ///   - options: what is compared (ignored labels or families, tolerance), as `promkit diff`'s flags set it.
    ///   - record: write `output` as the snapshot instead of comparing; nil (the default) records when
    ///     `UPDATE_METRICS_SNAPSHOT=1` is set.
    ///   - name: the output's name in messages.
    /// - Returns: every change to a family, those below `failOn` included (empty when nothing changed or the
    ///   snapshot was just recorded).
    /// - Throws: `SnapshotFailure` naming each family and change at or above `failOn`, or saying the snapshot is
    ///   missing, unreadable or not an exposition.
    @discardableResult
    public func compare(
        _ output: String, toSnapshot path: String, failOn: FailOn = .breaking, options: DiffOptions = DiffOptions(),
        record: Bool? = nil, name: String = "metrics"
    ) throws(SnapshotFailure) -> [SnapshotChange] {
        let rerecord = "record it on purpose with \(Self.updateSnapshotVariable)=1 swift test"
        if record ?? Self.recordingSnapshots {
            do {
                Self.makeDirectories(containing: path)
                try OutputFile.writeAtomically(Array(output.utf8), to: path, label: "the metrics snapshot")
            } catch {
                throw SnapshotFailure(
                    snapshotPath: path, changes: [], description: "cannot record the metrics snapshot: \(error.description)")
            }
            return []
        }
        let snapshot: SourceFile
        switch InputLoader.load(path) {
        case .success(let source): snapshot = source
        case .failure(let failure):
            throw SnapshotFailure(
                snapshotPath: path, changes: [],
                description: "no metrics snapshot to compare with (\(failure.description)); \(rerecord)")
        }
        let current = SourceFile(name: name, text: output)
        var diffOptions = options
        diffOptions.maxSeriesListed = 0  // the family-level changes and the counts are all a snapshot check needs
        let outcome = DiffRun(options: diffOptions).diff(old: snapshot, new: current)
        guard let result = outcome.result else {
            let errors = outcome.findings.filter { $0.severity == .error }.map { "\($0.path):\($0)" }
            throw SnapshotFailure(
                snapshotPath: path, changes: [],
                description: "cannot compare with the metrics snapshot: syntax errors\n" + errors.joined(separator: "\n"))
        }
        let changes = Self.changes(in: result, snapshot: snapshot, output: current)
        let failing = changes.filter { Self.fails($0, failOn) }
        guard failing.isEmpty else {
            let lines = failing.map(\.description).joined(separator: "\n")
            throw SnapshotFailure(
                snapshotPath: path, changes: failing,
                description:
                    "\(failing.count) metrics \(failing.count == 1 ? "change" : "changes") against the snapshot \(path) "
                    + "(fail on \(failOn.rawValue)):\n\(lines)\nIf the change is intended, \(rerecord)")
        }
        return changes
    }

    /// The family-level changes, each located, and for `.any` one entry per family whose series changed.
    private static func changes(in result: DiffResult, snapshot: SourceFile, output: SourceFile) -> [SnapshotChange] {
        let oldLines = familyLines(snapshot), newLines = familyLines(output)
        var changes: [SnapshotChange] = []
        for family in result.families where family.hasChanges {
            for change in family.changes {
                let onOldSide = change.kind == .familyRemoved
                let line = (onOldSide ? oldLines : newLines)[family.name] ?? 0
                changes.append(
                    SnapshotChange(
                        family: family.name, kind: change.kind, changeClass: change.changeClass, message: change.message,
                        path: onOldSide ? snapshot.name : output.name, line: line))
            }
            if family.status == .changed, family.seriesAdded + family.seriesRemoved + family.seriesChanged > 0 {
                let counts = "\(family.seriesAdded) series added, \(family.seriesRemoved) removed, \(family.seriesChanged) changed"
                changes.append(
                    SnapshotChange(
                        family: family.name, kind: nil, changeClass: .info, message: counts, path: output.name,
                        line: newLines[family.name] ?? 0))
            }
        }
        return changes
    }

    private static func fails(_ change: SnapshotChange, _ level: FailOn) -> Bool {
        switch level {
        case .never: false
        case .breaking: change.changeClass == .breaking
        case .risky: change.changeClass >= .risky
        case .any: true
        }
    }

    /// Makes the directories above `path` that are missing (`Tests/Snapshots/` on the first recording); a failure
    /// shows when the snapshot is written.
    private static func makeDirectories(containing path: String) {
        var directory = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/").dropLast() {
            directory += "/" + part
            _ = mkdir(directory, 0o777)  // EEXIST for those already there
        }
    }

    /// Each family's first line, by name (the first family of a name, if it is split).
    private static func familyLines(_ source: SourceFile) -> [String: Int] {
        let exposition = Exposition(source: source)
        var lines: [String: Int] = [:]
        for family in exposition.families where lines[family.name] == nil {
            lines[family.name] = source.location(of: Int(family.offset)).line
        }
        return lines
    }
}

/// What the first pass keeps of each family (small: its name and type), for the plan.
public struct FamilyInfo: Sendable {
    /// The family name, escapes undone.
    public var name: [UInt8]
    /// The family's type.
    public var type: MetricType
    /// Where the family starts in the input.
    public var offset: Int
    /// Where the next family starts (the input's end for the last): the family's bytes, for folding.
    public var end: Int
    /// Every sample's value is 1 (an `*_info` gauge may be an info family).
    public var allOnes: Bool
    /// Some sample's value is below zero (a counter's cannot be, in OpenMetrics).
    public var negative: Bool
    /// Whether the family has a sample.
    public var hasSamples: Bool
    /// No metadata line: a run of samples that may continue a family met earlier (text only).
    public var implicit: Bool
    /// Some metric point's samples come after another point's (a text histogram's or summary's series
    /// interleaved): the writers gather them point by point.
    public var pointsInterleaved: Bool

    /// What the plan needs of `family`.
    public init(_ family: MetricFamily) {
        name = Array(family.name.utf8)
        type = family.type
        offset = Int(family.offset)
        end = Int(family.offset)
        var ones = true, negative = false
        for s in family.samples {
            ones = ones && s.value == 1
            negative = negative || s.value < 0
        }
        allOnes = ones
        self.negative = negative
        hasSamples = !family.samples.isEmpty
        implicit = !family.typeDeclared && family.helpRange == nil && family.unitRange == nil
        pointsInterleaved = family.pointsInterleaved
    }
}

/// How one family is written to the target.
struct FamilyPlan: Equatable {
    /// The type written.
    var type: MetricType
    /// The input sample names' common prefix that the target's suffixes follow (escapes undone).
    var inputBase: [UInt8]
    /// A later (or earlier) family of `_created` gauges folded into this one: its bytes in the input.
    var fold: Range<Int>?
    /// Later runs of this family (text families met again after others): their bytes in the input, written
    /// with this run's samples, as OpenMetrics keeps a family in one group.
    var merged: [Range<Int>] = []
    /// This family was folded into another: nothing to write.
    var skip = false
    /// The family keeps its sample names as they are (written as unknown / gauge).
    var keepNames = false
    /// The type changed (TYPE line written even when the input had none).
    var typeChanged = false
    /// The family's metric points are interleaved in the input (`FamilyInfo.pointsInterleaved`).
    var pointsInterleaved = false
}

enum ConversionPlanner {
    static let total = Array("_total".utf8), created = Array("_created".utf8), info = Array("_info".utf8)
    static let bucket = Array("_bucket".utf8), sum = Array("_sum".utf8), count = Array("_count".utf8)

    static func hasSuffix(_ a: [UInt8], _ s: [UInt8]) -> Bool {
        a.count > s.count && a[(a.count - s.count)...].elementsEqual(s)
    }

    static func dropSuffix(_ a: [UInt8], _ s: [UInt8]) -> [UInt8] { Array(a[..<(a.count - s.count)]) }

    /// The prefix the family's sample names share before a type's suffix, as the input writes them.
    static func inputBase(_ info: FamilyInfo, format: ExpositionFormat) -> [UInt8] {
        guard format != .openMetrics else { return info.name }
        if info.type == .counter && hasSuffix(info.name, total) { return dropSuffix(info.name, total) }
        if format == .openMetrics2 && info.type == .info && hasSuffix(info.name, Self.info) { return dropSuffix(info.name, Self.info) }
        return info.name
    }

    /// The names a family's samples use in its input format (for clash checks).
    static func literalNames(_ info: FamilyInfo, format: ExpositionFormat) -> [[UInt8]] {
        let base = inputBase(info, format: format)
        switch (info.type, format) {
        case (.histogram, .text), (.histogram, .openMetrics): return [base + bucket, base + sum, base + count]
        case (.summary, .text), (.summary, .openMetrics): return [base, base + sum, base + count]
        case (.counter, .openMetrics): return [base + total, base + created]
        case (.histogram, _), (.summary, _): return [base]
        default: return [info.name]
        }
    }

    /// A family's plan as far as the family alone decides it (what `plan` gives when no other family bears on
    /// it: no fold, no clash): a parallel pass writes each family by it, and the whole plan made after shows
    /// whether that held.
    static func localPlan(_ info: FamilyInfo, from: ExpositionFormat, to target: TargetFormat) -> FamilyPlan {
        var plan = FamilyPlan(type: info.type, inputBase: inputBase(info, format: from), pointsInterleaved: info.pointsInterleaved)
        let toOpenMetrics = target == .openMetrics || target == .openMetrics2
        guard from == .text && toOpenMetrics || from == .openMetrics2 && target == .openMetrics else { return plan }
        // `plan` for this family alone, without its tables: no fold (the owner would be another family), and
        // the only names in use are this family's own.
        let infoGauge = from == .text && info.type == .gauge && hasSuffix(info.name, Self.info) && info.allOnes && info.hasSamples
        if from == .text && info.type == .counter && info.negative {
            return FamilyPlan(type: .unknown, inputBase: info.name, keepNames: true, typeChanged: true)
        }
        guard target == .openMetrics else {
            if infoGauge {
                plan.type = .info
                plan.inputBase = dropSuffix(info.name, Self.info)  // the family stays `x_info` (not `x_info_info`)
                plan.typeChanged = true
            }
            return plan
        }
        switch info.type {
        case .counter:
            if !hasSuffix(info.name, total) && from == .text {
                return FamilyPlan(type: .unknown, inputBase: info.name, keepNames: true, typeChanged: true)
            }
            let own = literalNames(info, format: from)
            let base = plan.inputBase
            if own.contains(base) || own.contains(base + created) {
                return FamilyPlan(type: .unknown, inputBase: info.name, keepNames: true, typeChanged: true)
            }
        case .gauge where infoGauge:
            // Its own name is the only one in use, never the name without `_info`.
            return FamilyPlan(type: .info, inputBase: dropSuffix(info.name, Self.info), typeChanged: true)
        default:
            break
        }
        return plan
    }

    /// The plan of every family, and the diagnostics for what it changes.
    ///
    /// The caller reads the input for two questions: `unmatchedCreated(owner, created)`, how many series of
    /// the `_created` gauge `created` family `owner` lacks; `repeatsSeries(runs)`, whether the runs of a family
    /// hold a series twice.
    static func plan(
        _ infos: [FamilyInfo], from: ExpositionFormat, to target: TargetFormat, log: inout ConversionLog,
        unmatchedCreated: (_ owner: Int, _ created: Int) -> Int = { _, _ in 0 },
        repeatsSeries: ([Range<Int>]) -> Bool = { _ in false }
    ) -> [FamilyPlan] {
        var infos = infos
        var plans = infos.map { FamilyPlan(type: $0.type, inputBase: inputBase($0, format: from), pointsInterleaved: $0.pointsInterleaved) }
        let toOpenMetrics = target == .openMetrics || target == .openMetrics2
        if from == .openMetrics2 && target == .text {
            resolveSuffixClashes(infos, to: .text, plans: &plans, log: &log)
            return plans
        }
        guard from == .text && toOpenMetrics || from == .openMetrics2 && target == .openMetrics else { return plans }
        // (Keyed by `NameKey`: an array of bytes as a key is hashed a byte at a time.)
        var byName: [NameKey: Int] = [:]
        byName.reserveCapacity(infos.count)
        for (i, info) in infos.enumerated() where byName[NameKey(info.name)] == nil { byName[NameKey(info.name)] = i }
        // Whether a family written (not folded into another) has samples named `name`. A family's sample names
        // are its name, or its name and a type's suffix: looked up by the name and by each stem, rather than
        // every family's names put in a table first (that table was most of the plan's time, which is serial).
        func used(_ name: [UInt8]) -> Bool {
            func uses(_ k: Int?) -> Bool {
                guard let k, !plans[k].skip else { return false }
                return literalNames(infos[k], format: from).contains(name)
            }
            if uses(byName[NameKey(name)]) { return true }
            for sfx in [bucket, sum, count, total, created] where hasSuffix(name, sfx) {
                if uses(byName[NameKey(dropSuffix(name, sfx))]) { return true }
            }
            return false
        }

        // `_created` gauges (or untyped families: OpenMetrics 1.0 gives a histogram's or summary's `_created`
        // samples that name, found by fuzzing) folded into the counter, histogram or summary they belong to.
        if from == .text {
            for (i, info) in infos.enumerated() where (info.type == .gauge || info.type == .unknown) && hasSuffix(info.name, created) {
                let kind = info.type == .gauge ? "gauge" : "untyped family"
                let base = dropSuffix(info.name, created)
                let owner =
                    byName[NameKey(base + total)].flatMap { infos[$0].type == .counter ? $0 : nil }
                    ?? byName[NameKey(base)].flatMap { [.histogram, .summary].contains(infos[$0].type) ? $0 : nil }
                guard let owner, plans[owner].fold == nil else { continue }
                let unmatched = unmatchedCreated(owner, i)
                // A counter's series cannot be a _created sample alone; a histogram's or summary's can in
                // OpenMetrics 1.0 (where a gauge of that name would clash), not in 2.0's start timestamps.
                if unmatched > 0 && infos[owner].type == .histogram && target == .openMetrics {
                    // Neither a histogram point of `_created` alone nor a gauge of that name is valid there.
                    let name = String(decoding: info.name, as: UTF8.self), ownerName = String(decoding: infos[owner].name, as: UTF8.self)
                    log.note(
                        .notConvertible, at: info.offset, family: name,
                        "\(kind) \(name) has \(unmatched) series that histogram \(ownerName) does not have: OpenMetrics 1.0 can write them neither as _created samples of \(ownerName) nor as a family of that name; convert --to openmetrics2, where the \(info.type == .gauge ? "gauge" : "family") is kept as it is"
                    )
                    continue
                }
                if unmatched > 0 && (infos[owner].type == .counter || target != .openMetrics) {
                    let name = String(decoding: info.name, as: UTF8.self), ownerName = String(decoding: infos[owner].name, as: UTF8.self)
                    log.note(
                        .createdUnmatched, at: info.offset, family: name,
                        "\(kind) \(name) has \(unmatched) series that \(ownerName) does not have: kept as a \(info.type == .gauge ? "gauge " : "")family of its own, not folded in as _created samples"
                    )
                    continue
                }
                if unmatched > 0 {
                    let name = String(decoding: info.name, as: UTF8.self), ownerName = String(decoding: infos[owner].name, as: UTF8.self)
                    log.note(
                        .createdUnmatched, at: info.offset, family: name,
                        "\(kind) \(name) has \(unmatched) series that \(ownerName) does not have: written as _created samples of their own at the end of \(ownerName)"
                    )
                }
                plans[owner].fold = info.offset..<info.end
                plans[i].skip = true
                log.note(
                    .createdFolded, at: info.offset, family: String(decoding: info.name, as: UTF8.self),
                    "\(kind) \(String(decoding: info.name, as: UTF8.self)) holds the _created samples of \(String(decoding: infos[owner].name, as: UTF8.self)): folded into that family as its _created samples"
                )
            }
        }
        if from == .text {
            // A family met again after others (the text format's parsers merge such runs; a warning there):
            // OpenMetrics keeps a family in one group, so its later runs are written with its first.
            var merging = Set<Int>()
            for (i, info) in infos.enumerated() where info.implicit && !plans[i].skip {
                guard let first = byName[NameKey(info.name)], first < i, !plans[first].skip,
                    [.counter, .gauge, .unknown].contains(infos[first].type)
                else { continue }
                plans[first].merged.append(info.offset..<info.end)
                plans[i].skip = true
                infos[first].allOnes = infos[first].allOnes && info.allOnes
                infos[first].negative = infos[first].negative || info.negative
                merging.insert(first)
                let name = String(decoding: info.name, as: UTF8.self)
                log.note(
                    .familyMerged, at: info.offset, family: name,
                    "family \(name) appears again after other families: these samples are written with its first group, as OpenMetrics requires one group per family"
                )
            }
            for first in merging.sorted() where repeatsSeries([infos[first].offset..<infos[first].end] + plans[first].merged) {
                let name = String(decoding: infos[first].name, as: UTF8.self)
                log.note(
                    .notConvertible, at: infos[first].offset, family: name,
                    "family \(name) appears in several groups that hold the same series twice: OpenMetrics allows neither; remove the duplicate samples"
                )
            }
            for (i, info) in infos.enumerated() where info.type == .counter && info.negative && !plans[i].skip {
                let name = String(decoding: info.name, as: UTF8.self)
                plans[i] = FamilyPlan(type: .unknown, inputBase: info.name, merged: plans[i].merged, keepNames: true, typeChanged: true)
                log.note(
                    .counterNegative, at: info.offset, family: name,
                    "counter \(name) has a negative value, which OpenMetrics forbids for counters: written as unknown, every sample kept"
                )
            }
        }
        guard target == .openMetrics else {
            // OpenMetrics 2.0 names families as their samples: no clashes to resolve; *_info gauges of ones
            // become info families.
            for (i, info) in infos.enumerated()
            where from == .text && info.type == .gauge && hasSuffix(info.name, Self.info) && info.allOnes && info.hasSamples
                && !plans[i].skip
            {
                plans[i].type = .info
                plans[i].inputBase = dropSuffix(info.name, Self.info)  // the family stays `x_info` (not `x_info_info`)
                plans[i].typeChanged = true
                log.note(
                    .gaugeAsInfo, at: info.offset, family: String(decoding: info.name, as: UTF8.self),
                    "gauge \(String(decoding: info.name, as: UTF8.self)) is named as an info metric and every value is 1: written as an info family"
                )
            }
            return plans
        }
        for (i, info) in infos.enumerated() where !plans[i].skip {
            var name: String { String(decoding: info.name, as: UTF8.self) }
            let base = plans[i].inputBase
            switch info.type {
            case .counter where plans[i].keepNames:
                break  // already written as unknown (a negative value)
            case .counter:
                if !hasSuffix(info.name, total) && from == .text {
                    plans[i] = FamilyPlan(type: .unknown, inputBase: info.name, merged: plans[i].merged, keepNames: true, typeChanged: true)
                    log.note(
                        .counterWithoutTotal, at: info.offset, family: name,
                        "counter \(name) is not named with _total, which OpenMetrics requires of counter samples: written as unknown to keep its samples' names (rename it to \(name)_total in the exporter)"
                    )
                    continue
                }
                // OpenMetrics reserves the family name and its _created for the counter.
                let clash = [base, base + created].first { used($0) }
                if let clash {
                    plans[i] = FamilyPlan(type: .unknown, inputBase: info.name, merged: plans[i].merged, keepNames: true, typeChanged: true)
                    log.note(
                        .familyNameClash, at: info.offset, family: name,
                        "counter \(name) would be OpenMetrics family \(String(decoding: base, as: UTF8.self)), whose names clash with \(String(decoding: clash, as: UTF8.self)) of another family: written as unknown to keep every sample's name"
                    )
                }
            case .gauge where from == .text && hasSuffix(info.name, Self.info) && info.allOnes && info.hasSamples:
                let b = dropSuffix(info.name, Self.info)
                if !used(b) {
                    plans[i] = FamilyPlan(type: .info, inputBase: b, merged: plans[i].merged, typeChanged: true)
                    log.note(
                        .gaugeAsInfo, at: info.offset, family: name,
                        "gauge \(name) is named as an info metric and every value is 1: written as info family \(String(decoding: b, as: UTF8.self))"
                    )
                }
            default:
                break
            }
        }
        if from == .openMetrics2 { resolveSuffixClashes(infos, to: .openMetrics, plans: &plans, log: &log) }
        return plans
    }

    /// OpenMetrics 2.0 names each family as its samples, so `a_count` may be a family beside a histogram `a`;
    /// text and OpenMetrics 1.0 give a histogram's `_count` samples that name (found by fuzzing). A family
    /// without samples gives way (its metadata is dropped with a warning); two families with samples cannot
    /// both be written: an error naming them.
    static func resolveSuffixClashes(
        _ infos: [FamilyInfo], to format: ExpositionFormat, plans: inout [FamilyPlan], log: inout ConversionLog
    ) {
        // Each family's name and type as the target writes it.
        func shape(_ i: Int) -> (name: [UInt8], type: MetricType) {
            if plans[i].keepNames { return (infos[i].name, plans[i].type) }
            if format == .openMetrics { return (plans[i].inputBase, plans[i].type) }
            return (infos[i].name, [.gaugehistogram, .info, .stateset].contains(infos[i].type) ? .gauge : infos[i].type)
        }
        var byName: [NameKey: Int] = [:]
        byName.reserveCapacity(infos.count)
        for i in infos.indices where !plans[i].skip { byName[NameKey(shape(i).name)] = i }
        let suffixed = SampleRole.allCases.filter { $0 != .other && $0 != .bare && FamilySuffixes.generatedRoles(in: format).contains($0) }
        for i in infos.indices where !plans[i].skip {
            let name = shape(i).name
            for role in suffixed {
                let sfx = Array(UnsafeBufferPointer(start: role.suffix.utf8Start, count: role.suffix.utf8CodeUnitCount))
                guard hasSuffix(name, sfx), let owner = byName[NameKey(dropSuffix(name, sfx))], owner != i, !plans[owner].skip,
                    FamilySuffixes.roles(of: shape(owner).type, in: format).contains(role)
                else { continue }
                let ownerName = String(decoding: infos[owner].name, as: UTF8.self), other = String(decoding: infos[i].name, as: UTF8.self)
                let target = format == .text ? "the text format" : "OpenMetrics 1.0"
                if let empty = [owner, i].first(where: { !infos[$0].hasSamples }) {
                    plans[empty].skip = true
                    let dropped = String(decoding: infos[empty].name, as: UTF8.self)
                    log.note(
                        .emptyFamilyDropped, at: infos[empty].offset, family: dropped,
                        "\(infos[owner].type.rawValue) \(ownerName) would name its \(role.suffix) samples as family \(other) in \(target), and \(dropped) has no samples: its metadata is not written"
                    )
                } else {
                    log.note(
                        .notConvertible, at: infos[i].offset, family: other,
                        "family \(other) has the name \(target) gives the \(role.suffix) samples of \(infos[owner].type.rawValue) \(ownerName): both cannot be written; rename one, or convert --to openmetrics2"
                    )
                }
                break
            }
        }
    }
}

/// A name as a dictionary key, hashed in one go.
struct NameKey: Hashable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

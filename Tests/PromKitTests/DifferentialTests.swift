import Foundation
import PromKitTestSupport
import Testing

@testable import PromKit

/// Differential tests (issue 18): promkit's verdict (valid: no error) against the reference parsers' on a few
/// thousand seeded random inputs — documents generated from the grammar, valid and broken, and mutations of the
/// upstream conformance cases and the real scrapes. OpenMetrics 1.0 against the strict Python parser
/// (prometheus-client, pinned in scripts/install-test-deps.sh), all cases in one Python run; the text format
/// against `promtool check metrics`' parse verdict on a sample of a few hundred. Every disagreement is either
/// fixed or a known difference (`knownDifference`), listed in docs/verdicts.md with the paragraph that decides it
/// and pinned by a test there.
@Suite(.enabled(if: Paths.runsShared, Comment(rawValue: Paths.sharedAbsent)))
struct DifferentialTests {
    static let openMetricsCases = 3000
    static let textCases = 300

    // MARK: Inputs

    /// The OpenMetrics 1.0 conformance cases (good and bad) and the OpenMetrics scrapes.
    static let openMetricsBases: [[UInt8]] = {
        let dir = Paths.shared.appendingPathComponent("conformance/openmetrics-1.0/testdata/parsers")
        var bases = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted().compactMap {
            try? [UInt8](Data(contentsOf: dir.appendingPathComponent("\($0)/metrics")))
        }
        bases += scrapes { $0.contains(".openmetrics.") }
        return bases
    }()

    static let textBases: [[UInt8]] = {
        let dir = Paths.shared.appendingPathComponent("conformance/text-0.0.4")
        var bases: [[UInt8]] = []
        if let index = try? String(contentsOf: dir.appendingPathComponent("index.tsv"), encoding: .utf8) {
            for row in index.split(separator: "\n").dropFirst() {
                let cells = row.split(separator: "\t", omittingEmptySubsequences: false)
                guard cells.count > 2, cells[2] == "prom-text-0.0.4" else { continue }
                if let bytes = try? [UInt8](Data(contentsOf: dir.appendingPathComponent(String(cells[0])))) { bases.append(bytes) }
            }
        }
        return bases + scrapes { $0.contains(".text.") }
    }()

    static func scrapes(_ include: (String) -> Bool) -> [[UInt8]] {
        let dir = Paths.shared.appendingPathComponent("scrapes")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted().filter(include).compactMap {
            try? [UInt8](Data(contentsOf: dir.appendingPathComponent($0)))
        }
    }

    /// A random document of the format: families of every type, with metadata, labels (escapes included),
    /// values, timestamps and exemplars mostly as the grammar wants them and now and then not.
    static func document(_ g: inout SeededGenerator, openMetrics: Bool) -> [UInt8] {
        func pick<T>(_ xs: [T]) -> T { xs[Int(g.next() % UInt64(xs.count))] }
        func chance(_ percent: UInt64) -> Bool { g.next() % 100 < percent }
        let types =
            openMetrics
            ? ["counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown"]
            : ["counter", "gauge", "histogram", "summary", "untyped"]
        let values = [
            "0", "1", "2", "1.5", "-1", "1e3", "1E-3", "+Inf", "-Inf", "NaN", "0x1", "1_0", ".5", "5.", "-0", "12345678901234567890", "inf",
            "+1",
        ]
        let labelValues = ["", "a", "b", "x y", "\\\"", "\\\\", "\\n", "\\t", "é", "a,b", "{}", "#"]
        var out = ""
        for f in 0..<(1 + Int(g.next() % 4)) {
            let type = pick(types)
            var name = pick(["a", "b_c", "x:y", "c\(f)", "_u", "requests", "a_total", "d_bucket"])
            if !chance(5) { name += "\(f)" }
            let unit = chance(15) ? pick(["seconds", "bytes"]) : nil
            if let unit, !chance(10) { name += "_\(unit)" }
            let withTotal = openMetrics && type == "counter"
            if chance(60) { out += "# TYPE \(name) \(chance(3) ? pick(types) : type)\n" }
            if chance(40) { out += "# HELP \(name) \(pick(["help", "with \\\\ escape", "with \\n", "quote \\\"", "", "bad \\q"]))\n" }
            if openMetrics, let unit, chance(70) { out += "# UNIT \(name) \(unit)\n" }
            if chance(5) { out += "\n" }
            let metrics = Int(g.next() % 3)
            for m in 0..<metrics {
                var labels: [String] = []
                if chance(50) { labels.append("l=\"\(m)\"") }
                if chance(30) { labels.append("\(pick(["k", "kk", "_r", "le", "quantile"]))=\"\(pick(labelValues))\"") }
                func sample(_ suffix: String, _ extra: [String], _ value: String) {
                    let all = labels + extra
                    out += name + suffix
                    if !all.isEmpty || chance(5) {
                        out += "{" + all.joined(separator: chance(3) ? ", " : ",") + (chance(3) ? "," : "") + "}"
                    }
                    out += " " + value
                    if chance(10) { out += " " + pick(["1", "1.5", "1700000000", "-1", "1e3", "x"]) }
                    if openMetrics && chance(8) { out += " # {t=\"1\"} " + pick(["1", "x", "1 1.5"]) }
                    out += "\n"
                }
                func ok() -> String { chance(85) ? pick(["0", "1", "2", "3.5", "1e2"]) : pick(values) }
                switch type {
                case "counter":
                    sample(withTotal ? "_total" : "", [], ok())
                    if withTotal && chance(20) { sample("_created", [], ok()) }
                case "histogram", "gaugehistogram":
                    let g1 = type == "histogram" ? "" : "g"
                    var total = 0
                    for le in ["0.1", "1", "+Inf"] where chance(90) {
                        total += Int(g.next() % 3)
                        sample("_bucket", ["le=\"\(chance(95) ? le : pick(["x", "1.0", "-1"]))\""], chance(90) ? "\(total)" : ok())
                    }
                    if chance(80) {
                        sample("_\(g1)count", [], chance(90) ? "\(total)" : ok())
                        sample("_\(g1)sum", [], ok())
                    }
                case "summary":
                    for q in ["0.5", "0.9"] where chance(60) {
                        sample("", ["quantile=\"\(chance(95) ? q : pick(["1.5", "x", "-0.1"]))\""], ok())
                    }
                    if chance(80) {
                        sample("_count", [], pick(["0", "1", "3"]))
                        sample("_sum", [], ok())
                    }
                case "info":
                    sample(openMetrics ? "_info" : "", [], chance(90) ? "1" : ok())
                case "stateset":
                    sample("", ["\(name)=\"s\(m)\""], chance(90) ? pick(["0", "1"]) : ok())
                default:
                    sample("", [], ok())
                }
            }
        }
        if openMetrics && !chance(3) { out += "# EOF\n" }
        return Array(out.utf8)
    }

    /// One to three edits: a byte deleted, changed or inserted, a token inserted, a line deleted, repeated or
    /// swapped with another, the end cut off.
    static func mutate(_ input: [UInt8], _ g: inout SeededGenerator) -> [UInt8] {
        var b = input
        let tokens = [
            " ", "\n", "#", "{", "}", "\"", "=", ",", "\\", "_total", "_bucket", "_count", "le=\"+Inf\"", "# EOF\n", "# TYPE a counter\n",
            "NaN", "+Inf", "1e400", "é", "\r", "\t", "0", "-1", " # {a=\"b\"} 1",
        ]
        for _ in 0..<(1 + Int(g.next() % 3)) {
            let at = b.isEmpty ? 0 : Int(g.next() % UInt64(b.count + 1))
            var lines = b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            switch g.next() % 8 {
            case 0: if at < b.count { b.remove(at: at) }
            case 1: if at < b.count { b[at] = UInt8(truncatingIfNeeded: g.next() % 128) }
            case 2: b.insert(contentsOf: Array(tokens[Int(g.next() % UInt64(tokens.count))].utf8), at: at)
            case 3, 4:
                if lines.count > 1 {
                    let i = Int(g.next() % UInt64(lines.count - 1))
                    switch g.next() % 3 {
                    case 0: lines.remove(at: i)
                    case 1: lines.insert(lines[i], at: i)
                    default: lines.swapAt(i, Int(g.next() % UInt64(lines.count - 1)))
                    }
                    b = Array(lines.joined(separator: [0x0A]))
                }
            case 5: b = Array(b.prefix(at))
            default: b.insert(contentsOf: Array(tokens[Int(g.next() % UInt64(tokens.count))].utf8), at: at)
            }
        }
        return b
    }

    static func cases(_ count: Int, bases: [[UInt8]], openMetrics: Bool, seed: UInt64) -> [[UInt8]] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { i in
            switch i % 4 {
            case 0: document(&g, openMetrics: openMetrics)
            case 1: mutate(document(&g, openMetrics: openMetrics), &g)
            default: bases.isEmpty ? document(&g, openMetrics: openMetrics) : mutate(bases[Int(g.next() % UInt64(bases.count))], &g)
            }
        }
    }

    // MARK: References

    /// prometheus-client's OpenMetrics verdict on each input (nil: no answer), with its error; one Python run.
    static func pythonVerdicts(_ inputs: [[UInt8]]) -> [(valid: Bool, error: String)]? {
        let script = """
            import base64, json, sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
            out = []
            for case in json.load(sys.stdin):
                try:
                    for family in om(base64.b64decode(case).decode("utf-8")):
                        list(family.samples)
                    out.append([True, ""])
                except Exception as e:
                    out.append([False, repr(e)[:200]])
            json.dump(out, sys.stdout)
            """
        let request = try! JSONSerialization.data(withJSONObject: inputs.map { Data($0).base64EncodedString() })
        let stdin = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-differential-\(UUID().uuidString).json")
        try! request.write(to: stdin)
        defer { try? FileManager.default.removeItem(at: stdin) }
        guard let r = try? runTool(["python3", "-c", script], stdin: FileHandle(forReadingFrom: stdin)), r.status == 0,
            let json = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[Any]], json.count == inputs.count
        else { return nil }
        return json.map { ($0[0] as? Bool ?? false, $0[1] as? String ?? "") }
    }

    /// `promtool check metrics`' parse verdict on each input (a lint problem is not a parse error), four at a time.
    static func promtoolVerdicts(_ inputs: [[UInt8]]) -> [(valid: Bool, error: String)]? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-differential-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, input) in inputs.enumerated() { try! Data(input).write(to: dir.appendingPathComponent("\(i)")) }
        let script = "cd \"$1\" && ls | xargs -P 4 -I{} sh -c 'promtool check metrics < {} > /dev/null 2> {}.err; echo $? > {}.rc'"
        guard let r = try? runTool(["sh", "-c", script, "sh", dir.path]), r.status == 0 else { return nil }
        return inputs.indices.map { i in
            let err = (try? String(contentsOf: dir.appendingPathComponent("\(i).err"), encoding: .utf8)) ?? ""
            return (!err.contains("error while linting"), err.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    // MARK: Known differences

    /// A documented difference between promkit's verdict and a reference's (docs/verdicts.md, "Differential
    /// tests"): the spec paragraph that decides it, and an input that shows it (`knownDifferencesArePinned`).
    struct Known: Sendable {
        var id: String
        var format: ExpositionFormat
        /// promkit rejects what the reference accepts (else the other way round).
        var promkitStricter: Bool
        /// Whether a disagreement on an input is this difference: by promkit's errors (stricter) or warnings,
        /// and the reference's message.
        var matches: @Sendable (_ promkit: [Diagnostic], _ referenceError: String) -> Bool
        var example: String
    }

    static func anyError(_ codes: [DiagnosticCode], containing text: String? = nil) -> @Sendable ([Diagnostic], String) -> Bool {
        { ds, _ in ds.contains { $0.severity == .error && codes.contains($0.code) && (text.map($0.message.contains) ?? true) } }
    }

    static let known: [Known] = [
        // OpenMetrics 1.0 against prometheus-client: promkit applies MUSTs the Python parser does not check.
        Known(
            id: "om-reserved-underscore", format: .openMetrics, promkitStricter: true,
            matches: anyError([.invalidMetricName, .reservedLabelName], containing: "begins with '_'"),
            example: "# TYPE _a gauge\n_a{_b=\"1\"} 1\n# EOF\n"),
        Known(
            id: "om-metric-points", format: .openMetrics, promkitStricter: true,
            matches: { ds, _ in
                ds.contains {
                    $0.code == .duplicateSeries || $0.code == .timestampOrder
                        || ($0.code == .histogramBucketOrder && $0.message.contains("twice"))
                }
            },
            example: "# TYPE a gauge\na 1\na 2\n# EOF\n"),
        Known(
            id: "om-abnf-labels", format: .openMetrics, promkitStricter: true, matches: anyError([.invalidWhitespace, .invalidLabels]),
            example: "a{x=\"1\", y=\"2\"} 1\nb{x=\r\"1\"} 1\n# EOF\n"),
        Known(
            id: "om-abnf-names", format: .openMetrics, promkitStricter: true, matches: anyError([.invalidLabelName, .invalidMetricName]),
            example: "a{x:y=\"1\"} 1\n# TYPE \u{1F}b gauge\n# EOF\n"),
        Known(
            id: "om-bound-syntax", format: .openMetrics, promkitStricter: true, matches: anyError([.invalidBucketBound, .invalidQuantile]),
            example: "# TYPE a histogram\na_bucket{le=\"1_0\"} 0\na_bucket{le=\"+Inf\"} 0\n# EOF\n"),
        Known(
            id: "om-abnf-numbers", format: .openMetrics, promkitStricter: true,
            matches: { ds, _ in
                ds.contains {
                    $0.severity == .error
                        && ($0.code == .invalidValue || $0.code == .invalidTimestamp
                            || ($0.code == .invalidExemplar && $0.message.contains("beyond")))
                }
            },
            example: "a 1e400\nc {x=\"1\"} 1\n# EOF\n"),
        Known(
            id: "om-abnf-metadata", format: .openMetrics, promkitStricter: true, matches: anyError([.invalidMetadata, .unknownType]),
            example: "# TYPE a  gauge\n# EOF\n"),
        Known(
            id: "om-summary-quantile-label", format: .openMetrics, promkitStricter: true,
            matches: anyError([.reservedLabelName], containing: "quantile"),
            example: "# TYPE a summary\na_count{quantile=\"0.5\"} 1\na_sum{quantile=\"0.5\"} 1\n# EOF\n"),
        Known(
            id: "om-abnf-no-comments", format: .openMetrics, promkitStricter: true, matches: anyError([.invalidComment]),
            example: "#  TYPE a gauge\na 1\n# EOF\n"),
        Known(
            id: "om-abnf-help-escape", format: .openMetrics, promkitStricter: true, matches: anyError([.invalidEscape]),
            example: "# HELP a x\\\n# EOF\n"),
        Known(
            id: "om-exemplar-in-bucket", format: .openMetrics, promkitStricter: true,
            matches: anyError([.invalidExemplar], containing: "bucket"),
            example: "# TYPE a histogram\na_bucket{le=\"0.1\"} 1 # {t=\"1\"} 1\na_bucket{le=\"+Inf\"} 1\n# EOF\n"),
        Known(
            id: "om-counter-total", format: .openMetrics, promkitStricter: true,
            matches: anyError([.sampleNameMismatch], containing: "_total sample"),
            example: "# TYPE a counter\na_created 1\n# EOF\n"),
        // The Python parser's own limits.
        Known(
            id: "python-info-one-group", format: .openMetrics, promkitStricter: false,
            matches: { _, ref in ref.contains("Mix of timestamp presence") && ref.contains("_info") },
            example: "# TYPE a info\na_info{x=\"1\"} 1\na_info{x=\"2\"} 1 1\n# EOF\n"),
        Known(
            id: "python-info-interleaved", format: .openMetrics, promkitStricter: true,
            matches: { ds, _ in ds.contains { $0.code == .familyNotContiguous && $0.message.contains("_info") } },
            example: "# TYPE a info\na_info{x=\"1\"} 1 0\na_info{x=\"2\"} 1 0\na_info{x=\"1\"} 1 1\n# EOF\n"),
        Known(
            id: "python-timestamp-compare", format: .openMetrics, promkitStricter: false,
            matches: { _, ref in ref.hasPrefix("AttributeError") && ref.contains("sec") },
            example: "# TYPE a gauge\na 0 .1\na 0 1\n# EOF\n"),
        // The text format against promtool check metrics (expfmt's parser): promkit applies the format's rules
        // that expfmt does not check, and warns (not fails) on HELP escapes Prometheus reads as written.
        Known(
            id: "text-help-escape", format: .text, promkitStricter: false,
            matches: { ds, ref in
                ref.contains("invalid escape sequence") && ds.contains { $0.code == .invalidEscape && $0.severity == .warning }
            },
            example: "# HELP a x \\q\na 1\n"),
        Known(
            id: "text-empty-help-twice", format: .text, promkitStricter: true, matches: anyError([.duplicateMetadata]),
            example: "# HELP a\n# HELP a\na 1\n"),
        Known(
            id: "text-unique-series", format: .text, promkitStricter: true,
            matches: { ds, _ in
                ds.contains { $0.code == .duplicateSeries || ($0.code == .histogramBucketOrder && $0.message.contains("twice")) }
            },
            example: "a 1\na 2\n"),
        Known(
            id: "text-one-group", format: .text, promkitStricter: true, matches: anyError([.familyNotContiguous, .nameClash]),
            example: "# TYPE a summary\na_count 1\na_sum 1\nb 1\na_count{x=\"1\"} 1\n"),
        Known(
            id: "text-histogram-rules", format: .text, promkitStricter: true,
            matches: anyError([.histogramMissingInf, .histogramCountMismatch, .histogramNotCumulative]),
            example: "# TYPE a histogram\na_bucket{le=\"1\"} 1\na_count 1\na_sum 1\n"),
        Known(
            id: "text-quantile-label-on-count-sum", format: .text, promkitStricter: false,
            matches: { ds, ref in
                ref.contains("expected float as value for 'quantile' label")
                    && ds.contains { $0.code == .reservedLabelName && $0.severity == .warning }
            },
            example: "# TYPE b summary\nb_count{quantile=\"b\"} 3\nb_sum{quantile=\"b\"} 3.5\n"),
        Known(
            id: "text-trailing-blank", format: .text, promkitStricter: false,
            matches: { _, ref in ref.contains("expected integer as timestamp, got \"\"") },
            example: "a 1 \n"),
        Known(
            id: "text-line-feeds", format: .text, promkitStricter: true, matches: anyError([.missingFinalNewline, .carriageReturn]),
            example: "\t"),
        Known(
            id: "text-names-and-types", format: .text, promkitStricter: true, matches: anyError([.invalidMetricName, .unknownType]),
            example: "# TYPE a g\\auge\na 1\n"),
        Known(
            id: "text-summary-rules", format: .text, promkitStricter: true, matches: anyError([.missingQuantileLabel]),
            example: "# TYPE a summary\na 1\n"),
    ]

    /// Which documented difference a disagreement is; nil when it is none of them.
    static func knownDifference(
        _ input: [UInt8], _ format: ExpositionFormat, promkitValid: Bool, promkitDiagnostics: [Diagnostic],
        referenceError: String
    ) -> String? {
        known.first { $0.format == format && $0.promkitStricter == !promkitValid && $0.matches(promkitDiagnostics, referenceError) }?.id
    }

    // MARK: Tests

    static func diagnostics(_ input: [UInt8], _ format: ExpositionFormat) -> [Diagnostic] {
        Validator.validate(SourceFile(name: "case", bytes: input), format: format, options: ReadOptions(threads: 1))
    }

    static func describe(_ input: [UInt8]) -> String { String(decoding: input.prefix(600), as: UTF8.self).debugDescription }

    /// A disagreement's kind, for the summary: who accepts, promkit's first error code, the reference's error
    /// without its details.
    static func kind(_ errors: [Diagnostic], _ reference: (valid: Bool, error: String)) -> String {
        let ref = reference.error.split(separator: "\n").first.map { String($0.prefix(60)).filter { !$0.isNumber } } ?? ""
        return errors.isEmpty ? "promkit accepts, reference rejects: \(ref)" : "promkit rejects \(errors[0].code), reference accepts"
    }

    @Test func openMetricsVerdictsAgreeWithTheReference() throws {
        let seed = Seed.forTest("DifferentialTests/openMetricsVerdictsAgreeWithTheReference", fixedInCI: 1)
        let inputs = Self.cases(Self.openMetricsCases, bases: Self.openMetricsBases, openMetrics: true, seed: seed)
        let reference = try #require(
            Self.pythonVerdicts(inputs), "\(ReferenceTools.prometheusClient) answered (scripts/install-test-deps.sh installs it)")
        var agreed = 0, known: [String: Int] = [:], disagreements: [String] = [], kinds: [String: Int] = [:]
        for (input, ref) in zip(inputs, reference) {
            let all = Self.diagnostics(input, .openMetrics), errors = all.filter { $0.severity == .error }
            if errors.isEmpty == ref.valid { agreed += 1; continue }
            if let why = Self.knownDifference(
                input, .openMetrics, promkitValid: errors.isEmpty, promkitDiagnostics: all, referenceError: ref.error)
            {
                known[why, default: 0] += 1
                continue
            }
            kinds[Self.kind(errors, ref), default: 0] += 1
            if kinds[Self.kind(errors, ref)]! > 1 { disagreements.append(""); continue }
            disagreements.append(
                "promkit \(errors.isEmpty ? "accepts" : "rejects (\(errors[0].code): \(errors[0].message))"), \(ReferenceTools.prometheusClient) \(ref.valid ? "accepts" : "rejects (\(ref.error))"):\n\(Self.describe(input))"
            )
        }
        let valid = reference.filter(\.valid).count
        print(
            "DifferentialTests: \(inputs.count) OpenMetrics cases (\(valid) valid per the reference), \(agreed) agree, known differences \(known.sorted { $0.key < $1.key }), \(disagreements.count) disagree"
        )
        #expect(
            valid >= inputs.count / 10 && valid <= inputs.count * 9 / 10,
            "the generator makes both valid and invalid inputs: \(valid) of \(inputs.count) valid")
        #expect(
            disagreements.isEmpty,
            "\(disagreements.count) disagreements with seed \(seed): \(kinds.sorted { $0.value > $1.value }.map { "\($0.value) \($0.key)" }.joined(separator: "; ")); one of each kind:\n\(disagreements.filter { !$0.isEmpty }.joined(separator: "\n\n"))"
        )
    }

    @Test(.enabled(if: ReferenceTools.promtool != "promtool (not installed)" || TestEnvironment.isCI, "promtool is not installed"))
    func textVerdictsAgreeWithPromtool() throws {
        let seed = Seed.forTest("DifferentialTests/textVerdictsAgreeWithPromtool", fixedInCI: 1)
        let inputs = Self.cases(Self.textCases, bases: Self.textBases, openMetrics: false, seed: seed)
        let reference = try #require(Self.promtoolVerdicts(inputs), "\(ReferenceTools.promtool) answered")
        var agreed = 0, known: [String: Int] = [:], disagreements: [String] = [], kinds: [String: Int] = [:]
        for (input, ref) in zip(inputs, reference) {
            let all = Self.diagnostics(input, .text), errors = all.filter { $0.severity == .error }
            if errors.isEmpty == ref.valid { agreed += 1; continue }
            if let why = Self.knownDifference(
                input, .text, promkitValid: errors.isEmpty, promkitDiagnostics: all, referenceError: ref.error)
            {
                known[why, default: 0] += 1
                continue
            }
            kinds[Self.kind(errors, ref), default: 0] += 1
            if kinds[Self.kind(errors, ref)]! > 1 { disagreements.append(""); continue }
            disagreements.append(
                "promkit \(errors.isEmpty ? "accepts" : "rejects (\(errors[0].code): \(errors[0].message))"), \(ReferenceTools.promtool) \(ref.valid ? "accepts" : "rejects (\(ref.error))"):\n\(Self.describe(input))"
            )
        }
        let valid = reference.filter(\.valid).count
        print(
            "DifferentialTests: \(inputs.count) text cases (\(valid) valid per promtool), \(agreed) agree, known differences \(known.sorted { $0.key < $1.key }), \(disagreements.count) disagree"
        )
        #expect(
            disagreements.isEmpty,
            "\(disagreements.count) disagreements with seed \(seed): \(kinds.sorted { $0.value > $1.value }.map { "\($0.value) \($0.key)" }.joined(separator: "; ")); one of each kind:\n\(disagreements.filter { !$0.isEmpty }.joined(separator: "\n\n"))"
        )
    }

    /// Each known difference shows on its example: promkit's verdict as listed, and the reference's the other.
    @Test func knownDifferencesArePinned() throws {
        let om = Self.known.filter { $0.format == .openMetrics }, text = Self.known.filter { $0.format == .text }
        let python = try #require(Self.pythonVerdicts(om.map { Array($0.example.utf8) }), "\(ReferenceTools.prometheusClient) answered")
        let promtoolInstalled = ReferenceTools.promtool != "promtool (not installed)" || TestEnvironment.isCI
        let promtool = promtoolInstalled ? Self.promtoolVerdicts(text.map { Array($0.example.utf8) }) : nil
        for (k, ref) in Array(zip(om, python)) + Array(zip(text, promtool ?? [])) {
            let all = Self.diagnostics(Array(k.example.utf8), k.format), valid = !all.contains { $0.severity == .error }
            #expect(valid == !k.promkitStricter, "\(k.id): promkit \(valid ? "accepts" : "rejects") \(k.example.debugDescription)")
            #expect(
                ref.valid == k.promkitStricter,
                "\(k.id): the reference \(ref.valid ? "accepts" : "rejects (\(ref.error))") \(k.example.debugDescription)")
            #expect(
                Self.knownDifference(
                    Array(k.example.utf8), k.format, promkitValid: valid, promkitDiagnostics: all, referenceError: ref.error) == k.id)
        }
        #expect(promtool?.count == text.count || !promtoolInstalled)
    }
}

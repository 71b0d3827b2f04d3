import Foundation
import PromKitTestSupport
import Testing

@testable import PromKit

/// The fast paths (token reuse, the parallel read, the windowed read) checked against an oracle that is not
/// promkit's single-pass reader: the samples the strict reference parser (PyPI prometheus-client, pinned in
/// scripts/install-test-deps.sh) reads from the same bytes. Inputs: the upstream conformance files that must
/// parse, the real scrapes and testdata/validate; those both parsers accept are compared, sample by sample
/// (name, labels unescaped and sorted, value bit for bit).
@Suite(.enabled(if: Paths.runsShared, Comment(rawValue: Paths.sharedAbsent)))
struct OracleTests {
    struct Input: Sendable, CustomTestStringConvertible {
        var path: String
        var format: ExpositionFormat
        var testDescription: String {
            path.replacingOccurrences(of: Paths.shared.path + "/", with: "").replacingOccurrences(of: Paths.repoRoot.path + "/", with: "")
        }
    }

    static let inputs: [Input] = {
        var inputs: [Input] = []
        let conformance = Paths.shared.appendingPathComponent("conformance")
        if let text = try? String(contentsOf: conformance.appendingPathComponent("openmetrics-1.0/cases.tsv"), encoding: .utf8) {
            for row in text.split(separator: "\n").dropFirst() where row.split(separator: "\t")[1] == "true" {
                inputs.append(
                    Input(
                        path: conformance.appendingPathComponent(
                            "openmetrics-1.0/testdata/parsers/\(row.split(separator: "\t")[0])/metrics"
                        ).path, format: .openMetrics))
            }
        }
        if let text = try? String(contentsOf: conformance.appendingPathComponent("text-0.0.4/index.tsv"), encoding: .utf8) {
            for row in text.split(separator: "\n").dropFirst() {
                let cells = row.split(separator: "\t", omittingEmptySubsequences: false)
                guard cells.count > 3, cells[3] == "valid" else { continue }
                inputs.append(
                    Input(
                        path: conformance.appendingPathComponent("text-0.0.4/\(cells[0])").path,
                        format: cells[2] == "prom-text-0.0.4" ? .text : .openMetrics))
            }
        }
        let scrapes = Paths.shared.appendingPathComponent("scrapes")
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: scrapes.path)) ?? []).sorted() {
            inputs.append(Input(path: scrapes.appendingPathComponent(name).path, format: name.contains(".text.") ? .text : .openMetrics))
        }
        let validate = Paths.testdata.appendingPathComponent("validate")
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: validate.path)) ?? []).sorted() where !name.hasSuffix(".diag") {
            let format = ExpositionFormat.forTestFile(name)
            if format != .openMetrics2 { inputs.append(Input(path: validate.appendingPathComponent(name).path, format: format)) }
        }
        return inputs
    }()

    /// What prometheus-client reads from each input (nil: it rejects the input), in one Python run.
    static let reference: [String: [String]?] = {
        let script = """
            import json, struct, sys
            from prometheus_client.parser import text_string_to_metric_families as text
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
            out = {}
            for path, is_om in json.load(sys.stdin):
                try:
                    samples = []
                    for family in (om if is_om else text)(open(path, encoding="utf-8").read()):
                        for s in family.samples:
                            labels = ",".join('%s="%s"' % (k, s.labels[k]) for k in sorted(s.labels))
                            v = "NaN" if s.value != s.value else "%016x" % struct.unpack("<Q", struct.pack("<d", s.value))[0]
                            samples.append("%s{%s} %s" % (s.name, labels, v))
                    out[path] = samples
                except Exception:
                    out[path] = None
            json.dump(out, sys.stdout)
            """
        let request = try! JSONSerialization.data(withJSONObject: inputs.map { [$0.path, $0.format != .text] as [Any] })
        let stdin = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-oracle-\(UUID().uuidString).json")
        try! request.write(to: stdin)
        defer { try? FileManager.default.removeItem(at: stdin) }
        guard let r = try? runTool(["python3", "-c", script], stdin: FileHandle(forReadingFrom: stdin)), r.status == 0,
            let json = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        else { return [:] }
        return json.mapValues { $0 as? [String] }
    }()

    /// Samples as the reference renders them, from whatever promkit hands out.
    struct Collector: FamilyConsumer {
        var samples: [String] = []
        mutating func consume(_ f: MetricFamily) { samples += OracleTests.render(f) }
    }

    /// A sample as the reference names it: its text parser gives a counter's samples that lack `_total` the
    /// suffix (`# TYPE a counter` / `a 1` reads as `a_total`).
    static func render(_ f: MetricFamily) -> [String] {
        f.samples.map { s in
            var name = f.sampleName(s)
            if f.format == .text && f.type == .counter && !name.hasSuffix("_total") { name += "_total" }
            let labels = f.labels(of: s).map { (f.name(of: $0), f.value(of: $0)) }.sorted { $0.0 < $1.0 }.map { "\($0.0)=\"\($0.1)\"" }
            let v = s.value.isNaN ? "NaN" : String(s.value.bitPattern, radix: 16).leftPadded(to: 16)
            return "\(name){\(labels.joined(separator: ","))} \(v)"
        }
    }

    /// Where the reference's model is not the exposition's: its OpenMetrics parser keeps one sample of a series
    /// per timestamp at nanosecond resolution, and these cases' timestamps differ below it.
    static let modelDiffers = ["duplicate_timestamps_0/metrics", "duplicate_timestamps_1/metrics"]

    /// The reference's samples for `input`, when both parsers accept it; nil (nothing to compare) otherwise.
    static func expected(_ input: Input) throws -> (SourceFile, [String])? {
        if modelDiffers.contains(where: { input.path.hasSuffix($0) }) { return nil }
        let source = SourceFile(name: input.path, bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: input.path))))
        guard let samples = reference[input.path] ?? nil else { return nil }
        let errors = Validator.validate(source, format: input.format).filter { $0.severity == .error }
        return errors.isEmpty ? (source, samples) : nil
    }

    static func read(_ source: SourceFile, _ format: ExpositionFormat, _ options: ReadOptions) -> [String] {
        FamilyReader(source: source, format: format, options: options).read(makeConsumer: { _ in Collector() }).consumers.flatMap(\.samples)
    }

    /// Enough inputs are compared that a fast path breaking on real data shows: the reference answered, and
    /// both accept the inputs the suites call valid.
    @Test func theOracleAnswers() {
        print("OracleTests compare against \(ReferenceTools.prometheusClient)")
        #expect(
            Self.reference.count == Self.inputs.count,
            "prometheus-client answered for \(Self.reference.count) of \(Self.inputs.count) inputs (scripts/install-test-deps.sh installs it)"
        )
        let compared = Self.inputs.compactMap { try? Self.expected($0) }
        let samples = compared.reduce(0) { $0 + $1.1.count }
        print("OracleTests compare \(compared.count) of \(Self.inputs.count) inputs, \(samples) samples")
        #expect(compared.count >= 60, "only \(compared.count) inputs are accepted by both parsers")
        #expect(samples >= 3000, "only \(samples) samples compared")
    }

    /// Token reuse (on by default) and a fresh scan of every line both read the reference's samples.
    @Test(arguments: inputs)
    func tokenReuseReadsWhatTheReferenceReads(_ input: Input) throws {
        guard let (source, expected) = try Self.expected(input) else { return }
        for reuse in [true, false] {
            var options = ReadOptions(threads: 1)
            options.reuseTokens = reuse
            let ours = Self.read(source, input.format, options)
            #expect(
                ours == expected,
                "\(input.testDescription), token reuse \(reuse), against \(ReferenceTools.prometheusClient): \(Self.firstDifference(ours, expected))"
            )
        }
    }

    /// Chunked on 2 and 3 threads, whatever the size: the reference's samples, in order.
    @Test(arguments: inputs)
    func parallelReadReadsWhatTheReferenceReads(_ input: Input) throws {
        guard let (source, expected) = try Self.expected(input) else { return }
        for threads in [2, 3] {
            let ours = Self.read(source, input.format, ReadOptions(threads: threads, parallelThreshold: 0))
            #expect(
                ours == expected,
                "\(input.testDescription), \(threads) threads, against \(ReferenceTools.prometheusClient): \(Self.firstDifference(ours, expected))"
            )
        }
    }

    /// The file read through windows of 7 and 4096 bytes, on one and on three threads: the reference's samples.
    @Test(arguments: inputs)
    func windowedReadReadsWhatTheReferenceReads(_ input: Input) throws {
        guard let (_, expected) = try Self.expected(input) else { return }
        let file = try InputLoader.load(input.path).get()
        for piece in [7, 4096] {
            for threads in [1, 3] {
                var options = ReadOptions(threads: threads, parallelThreshold: 0)
                options.windowed = true
                options.windowPiece = piece
                let ours = Self.read(file, input.format, options)
                #expect(
                    ours == expected,
                    "\(input.testDescription), window \(piece), \(threads) threads, against \(ReferenceTools.prometheusClient): \(Self.firstDifference(ours, expected))"
                )
            }
        }
    }

    static func firstDifference(_ a: [String], _ b: [String]) -> String {
        guard let i = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) else {
            return a.count == b.count ? "same" : "promkit read \(a.count) samples, the reference \(b.count)"
        }
        return "sample \(i): promkit \(a[i].debugDescription), reference \(b[i].debugDescription)"
    }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

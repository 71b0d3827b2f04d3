import Foundation
import PromKitTestSupport
import Testing

/// Hash flooding (issue 18, docs/limits.md): with every byte hash forced equal (`PROMKIT_HASH_MASK=0`, a test
/// hook read before main), `validate` finds exactly what it finds with the seeded hashes: no verdict trusts a
/// hash. Run as a child process, so that the hook changes nothing else the suite runs.
@Suite struct HashCollisionCLITests {
    static let files: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: Paths.testdata.appendingPathComponent("validate").path)) ?? [])
        .filter { !$0.hasSuffix(".diag") }.sorted().map { "testdata/validate/" + $0 }

    /// Metrics a collision would merge (a split metric, duplicates behind another series, two histograms'
    /// buckets, a stateset's states), each valid and invalid.
    static let crafted: [(String, String)] = [
        ("text", "a{x=\"1\"} 1\na{x=\"2\"} 1\na{x=\"1\"} 2\nb{y=\"1\"} 1\nb{y=\"2\"} 1\n"),
        ("openmetrics", "# TYPE a gauge\na{x=\"1\"} 1\na{x=\"2\"} 1\na{x=\"1\"} 2\n# EOF\n"),
        ("openmetrics", "# TYPE a gauge\na{x=\"1\"} 1 1\na{x=\"2\"} 1 2\na{x=\"3\"} 1 0\n# EOF\n"),
        (
            "openmetrics",
            "# TYPE h histogram\nh_bucket{a=\"1\",le=\"1\"} 1\nh_bucket{a=\"1\",le=\"+Inf\"} 2\nh_count{a=\"1\"} 2\nh_sum{a=\"1\"} 3\n"
                + "h_bucket{a=\"2\",le=\"1\"} 5\nh_bucket{a=\"2\",le=\"+Inf\"} 5\nh_count{a=\"2\"} 5\nh_sum{a=\"2\"} 3\n# EOF\n"
        ),
        (
            "openmetrics",
            "# TYPE s stateset\ns{s=\"a\"} 1\ns{s=\"b\"} 0\ns{s=\"c\"} 0\ns{s=\"a\"} 0\n# EOF\n"
        ),
        (
            "openmetrics",
            "# TYPE s summary\ns{a=\"1\",quantile=\"0.5\"} 1\ns_count{a=\"1\"} 2\ns{a=\"2\",quantile=\"0.5\"} 1\ns_count{a=\"2\"} 2\ns_sum{a=\"1\"} 1\n# EOF\n"
        ),
    ]

    func run(_ arguments: [String], stdin: String? = nil, collide: Bool) throws -> CLITests.Result {
        try CLITests.run(arguments, stdin: stdin, environment: collide ? ["PROMKIT_HASH_MASK": "0"] : [:])
    }

    @Test func everyHashEqualChangesNoFinding() throws {
        #expect(Self.files.count >= 20)
        for file in Self.files {
            let seeded = try run(["validate", "--reporter", "json", file], collide: false)
            let collided = try run(["validate", "--reporter", "json", file], collide: true)
            #expect(
                seeded.status == collided.status && seeded.stdout == collided.stdout, "\(file):\n\(seeded.stdout)\n----\n\(collided.stdout)"
            )
        }
        for (format, text) in Self.crafted {
            let seeded = try run(["validate", "--format", format, "--reporter", "json", "-"], stdin: text, collide: false)
            let collided = try run(["validate", "--format", format, "--reporter", "json", "-"], stdin: text, collide: true)
            #expect(
                seeded.status == collided.status && seeded.stdout == collided.stdout, "\(text):\n\(seeded.stdout)\n----\n\(collided.stdout)"
            )
        }
    }

    /// The crafted inputs' findings are the ones their shape calls for (so that the comparison above compares
    /// verdicts, not two empty reports).
    @Test func craftedInputsHaveTheirFindings() throws {
        let expected: [[String]] = [
            ["duplicate_series"], ["family_not_contiguous"], [], [], ["duplicate_series"], ["family_not_contiguous"],
        ]
        for ((format, text), codes) in zip(Self.crafted, expected) {
            let r = try run(["validate", "--format", format, "--reporter", "json", "-"], stdin: text, collide: true)
            for code in codes { #expect(r.stdout.contains("\"rule\": \"\(code)\""), "\(text): \(r.stdout)") }
            if codes.isEmpty { #expect(r.status == 0, "\(text): \(r.stdout)") }
        }
    }
}

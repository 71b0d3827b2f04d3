import Foundation
// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "promkit",
    products: [
        .library(name: "PromKit", targets: ["PromKit"]),
        .library(name: "PromKitLint", targets: ["PromKitLint"]),
        .library(name: "PromKitReport", targets: ["PromKitReport"]),
        .library(name: "PromKitTesting", targets: ["PromKitTesting"]),
        .library(name: "PromKitDiff", targets: ["PromKitDiff"]),
        .library(name: "PromKitNet", targets: ["PromKitNet"]),
        .library(name: "PromKitStats", targets: ["PromKitStats"]),
        .executable(name: "promkit", targets: ["promkit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Test-only: real metrics from the Swift server ecosystem's Prometheus client, for PromKitTesting's proof.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Thread start-up the Glibc module cannot express (CPU affinity), for the parallel read.
        .target(name: "CThreads"),
        // The byte hashes' seed, random per process, taken before main (issue 18: no crafted collisions).
        .target(name: "CHashSeed"),
        // The core: bytes, diagnostics, the one model, parsers, validation, writers. No Foundation.
        .target(name: "PromKit", dependencies: ["CThreads", "CHashSeed"]),
        // Lint rules, each a small self-describing unit, and their configuration.
        .target(name: "PromKitLint", dependencies: ["PromKit"]),
        // libxml2 for JUnit/Checkstyle XML and in-process XSD validation.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // For a Swift service's own tests: its /metrics output valid and lint-clean, and compared with a committed
        // snapshot by diff's rules (no test framework imported).
        .target(name: "PromKitTesting", dependencies: ["PromKit", "PromKitLint", "PromKitDiff"]),
        // Reporters: a report model in, bytes out.
        .target(name: "PromKitReport", dependencies: ["PromKit", "CLibXML2"]),
        // Diff: two expositions read into a comparable form, the changes between them classed, and their reporters.
        .target(name: "PromKitDiff", dependencies: ["PromKit", "PromKitReport"]),
        // libcurl, opened with dlopen on the first URL (no headers, no link: a run without URLs loads none of it).
        // (libdl is its own library on Linux; on Darwin dlopen is in libSystem.)
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // Inputs over HTTP (URLs, a Prometheus' targets), fetched into unlinked temporary files read as files.
        .target(name: "PromKitNet", dependencies: ["PromKit", "CCurl"]),
        // promkit stats: per-family cardinality (as promtool's --extended counts it) and label value counts.
        .target(name: "PromKitStats", dependencies: ["PromKit", "PromKitReport"]),
        // The command line: wires options to one library call per command.
        .executableTarget(
            name: "promkit",
            dependencies: [
                "PromKit", "PromKitLint", "PromKitReport", "PromKitDiff", "PromKitNet", "PromKitStats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [
                // Release builds link the Swift runtime in: the loader's and the runtime's start-up work for its
                // shared libraries was a third of a short run (lint of a small file 6.4 -> 4.2 ms). The static
                // Foundation-essentials archive (argument-parser imports it) needs its two helper archives named,
                // as swift build --static-swift-stdlib does. Linked by lld: gold warns about a libc call inside
                // that archive, and lld's binary took fewer page faults on the 100 MB lint (5,100 -> 3,500).
                // Linux only: Darwin has no static Swift runtime (it ships in the OS) and links with ld64.
                .unsafeFlags(["-static-stdlib", "-use-ld=lld"], .when(platforms: [.linux], configuration: .release)),
                .linkedLibrary("_FoundationCShims", .when(platforms: [.linux], configuration: .release)),
                .linkedLibrary("_FoundationCollections", .when(platforms: [.linux], configuration: .release)),
            ]),
        // What the test targets share (paths, CI, goldens, seeds, reference tools' versions): one copy, in no product.
        .target(name: "PromKitTestSupport", path: "Tests/PromKitTestSupport"),
        .testTarget(name: "PromKitTests", dependencies: ["PromKit", "PromKitTestSupport"]),
        // The public API as a user's package sees it (no @testable): what the README shows, compiled and run.
        .testTarget(name: "PromKitAPITests", dependencies: ["PromKit", "PromKitLint", "PromKitDiff"]),
        .testTarget(
            name: "PromKitTestingTests",
            dependencies: [
                "PromKitTesting", "PromKitLint", "PromKitDiff",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .testTarget(name: "PromKitCLITests", dependencies: ["promkit", "PromKitTestSupport"]),
        .testTarget(name: "PromKitReportTests", dependencies: ["PromKitReport", "PromKit", "PromKitTestSupport"]),
        .testTarget(
            name: "PromKitLintTests", dependencies: ["PromKitLint", "PromKit", "PromKitReport", "PromKitTestSupport", "FuzzSupport"]),
        .testTarget(name: "PromKitNetTests", dependencies: ["PromKitNet", "PromKit", "PromKitTestSupport"]),
        .testTarget(name: "PromKitStatsTests", dependencies: ["PromKitStats", "PromKit", "PromKitTestSupport"]),
        .testTarget(name: "PromKitDiffTests", dependencies: ["PromKitDiff", "PromKit", "PromKitReport", "PromKitTestSupport"]),
        // The fuzz targets' invariants (issue 18): in the normal build too, so that the suite checks them on every
        // input fuzzing found (testdata/fuzz). In no product.
        .target(name: "FuzzSupport", dependencies: ["PromKit", "PromKitLint", "PromKitDiff"], path: "Fuzz/Support"),
    ]
)

// Fuzz targets (issue 18): built only by scripts/fuzz.sh, which sets PROMKIT_FUZZ=1 and builds with
// `-sanitize=fuzzer,address` in its own scratch folder (.build-fuzz). Absent from the normal build: they call
// libFuzzer's driver, which links only with the sanitizer, and `swift build`/`swift test` should not pay for them.
// Inside this package (not a package of their own under Fuzz/) so that they reach `package` API: the parallel
// read's threshold, the windowed read's piece, token reuse. Each folder under Fuzz/Targets is one target on
// FuzzSupport (the invariants) and FuzzDriver (the entry): a new target is one folder with one file.
if Context.environment["PROMKIT_FUZZ"] != nil {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fuzz/Targets")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/Driver"))
    for name in names {
        package.targets.append(
            .executableTarget(
                name: name, dependencies: ["FuzzSupport", "FuzzDriver", "PromKit"], path: "Fuzz/Targets/\(name)",
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}

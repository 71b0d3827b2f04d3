import Foundation
import PromKitTestSupport
import Testing

/// URL inputs end to end: the built binary against real servers on 127.0.0.1 (scripts/test-http-server.py:
/// chosen Content-Types, gzip, statuses, redirects, credentials; one that never answers).
@Suite(.serialized) struct HTTPInputCLITests {
    let server: TestServer
    var base: String { "http://127.0.0.1:\(server.port)" }

    init() throws {
        server = try TestServer(script: ["--root", Paths.repoRoot.path])
    }

    func file(_ path: String, _ query: String = "") -> String {
        "\(base)/file/\(path)" + (query.isEmpty ? "" : "?\(query)")
    }

    static let valid = "testdata/validate/utf8-names.prom"
    static let invalid = "testdata/validate/syntax-errors.prom"

    @Test func aURLReadsAsTheFileDoes() throws {
        let url = file(Self.invalid)
        let fromURL = try CLITests.run(["validate", url])
        let fromFile = try CLITests.run(["validate", Self.invalid])
        #expect(fromURL.status == 1 && fromFile.status == 1)
        #expect(fromURL.stdout == fromFile.stdout.replacingOccurrences(of: Self.invalid, with: url), "\(fromURL.stdout)")
        #expect(try CLITests.run(["validate", file(Self.valid)]).status == 0)
    }

    @Test func gzipBodiesAreDecoded() throws {
        let plain = try CLITests.run(["validate", "--reporter", "json", file(Self.invalid)])
        let gzipped = try CLITests.run(["validate", "--reporter", "json", file(Self.invalid, "gzip=1")])
        #expect(gzipped.status == 1)
        #expect(gzipped.stdout.replacingOccurrences(of: "?gzip=1", with: "") == plain.stdout)
    }

    @Test func contentTypePicksTheParserUnlessFormatIsGiven() throws {
        // A text exposition served as OpenMetrics is read as OpenMetrics: no # EOF, an error.
        let om = "type=application/openmetrics-text;%20version=1.0.0;%20charset=utf-8"
        let asOM = try CLITests.run(["validate", file(Self.valid, om)])
        #expect(asOM.status == 1 && asOM.stdout.contains("[missing_eof]"), "\(asOM.stdout)")
        let forced = try CLITests.run(["validate", "--format", "text", file(Self.valid, om)])
        #expect(forced.status == 0, "\(forced.stdout)")
    }

    @Test func missingOrUnknownContentTypeIsAFinding() throws {
        for query in ["type=none", "type=text/html"] {
            let r = try CLITests.run(["validate", file(Self.valid, query)])
            #expect(r.status == 1, "\(query): \(r.stdout)")
            #expect(r.stdout.contains("[content_type]") && r.stdout.contains("Prometheus 3 fails such a scrape"), "\(r.stdout)")
            let lint = try CLITests.run(["lint", "--reporter", "json", file(Self.valid, query)])
            #expect(lint.stdout.contains("\"content_type\""), "\(lint.stdout)")
        }
        // With --format the parser is chosen: the Content-Type is no finding.
        #expect(try CLITests.run(["validate", "--format", "text", file(Self.valid, "type=none")]).status == 0)
    }

    /// Every failure: exit 2, one line naming the URL and saying what went wrong.
    @Test func failuresAreOneLineNamingTheURL() throws {
        let refused = "http://127.0.0.1:\(TestServer.freePort())/metrics"
        let cases: [(String, [String], String)] = [
            (file("testdata/none.prom"), [], "HTTP status 404 (Not Found)"),
            (file(Self.valid, "status=503"), [], "HTTP status 503"),
            (refused, [], "connection refused"),
            ("http://promkit-test.invalid/metrics", [], "DNS: cannot resolve the host"),
            ("\(base)/empty", [], "empty body"),
            ("\(base)/generate?bytes=200000", ["--max-bytes", "10000"], "body larger than --max-bytes (10000 bytes)"),
            (file(Self.valid, "redirect=11"), [], "more than 10 redirects"),
            ("https://127.0.0.1:\(server.port)/file/\(Self.valid)", [], "TLS: "),
        ]
        for (url, options, message) in cases {
            let r = try CLITests.run(["validate"] + options + [url])
            #expect(r.status == 2, "\(url): \(r.stdout)\(r.stderr)")
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("\(url): error: cannot read input: \(message)") == true, "\(url): \(r.stdout)")
            #expect(lines.count == 2, "\(r.stdout)")  // the finding and the summary
        }
        // Followed within the limit.
        #expect(try CLITests.run(["validate", file(Self.valid, "redirect=3")]).status == 0)
    }

    @Test func theTimeoutFiresOnAServerThatNeverAnswers() throws {
        let hang = try TestServer(script: ["--hang"])
        let url = "http://127.0.0.1:\(hang.port)/metrics"
        let start = Date()
        let r = try CLITests.run(["lint", "--timeout", "1", url])
        let elapsed = Date().timeIntervalSince(start)
        #expect(r.status == 2)
        #expect(r.stdout.contains("\(url): error: cannot read input: timed out after 1 s (--timeout)"), "\(r.stdout)")
        #expect(elapsed >= 0.9 && elapsed < 5, "\(elapsed) s")
    }

    @Test func acceptHeaderIsPrometheus3sAndCanBeOverridden() throws {
        let r = try CLITests.run(["convert", "--to", "text", "--header", "X-Test: hello", "\(base)/echo"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("accept=\"application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"), "\(r.stdout)")
        #expect(r.stdout.contains("text/plain;version=0.0.4;q=0.2,*/*;q=0.1\""))
        #expect(r.stdout.contains("gzip") && r.stdout.contains("x_test=\"hello\""), "\(r.stdout)")
        let custom = try CLITests.run(["convert", "--to", "text", "--accept", "text/plain;version=0.0.4", "\(base)/echo"])
        #expect(custom.stdout.contains("accept=\"text/plain;version=0.0.4\""), "\(custom.stdout)")
    }

    @Test func credentialsAreSentAndNeverShown() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let token = "tok-\(UUID().uuidString)", password = "pw-\(UUID().uuidString)", headerSecret = "hdr-\(UUID().uuidString)"
        try (token + "\n").write(to: dir.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        try password.write(to: dir.appendingPathComponent("password"), atomically: true, encoding: .utf8)
        let tokenFile = dir.appendingPathComponent("token").path, passwordFile = dir.appendingPathComponent("password").path

        let bearer = file(Self.valid, "bearer=\(token)")
        #expect(try CLITests.run(["validate", bearer]).status == 2)
        #expect(try CLITests.run(["validate", "--bearer-token-file", tokenFile, bearer]).status == 0)
        let basic = file(Self.valid, "basic=alice:\(password)")
        #expect(try CLITests.run(["validate", "--basic-auth", "alice:\(passwordFile)", basic]).status == 0)

        // Wrong credentials, every reporter, a password in a URL, a secret header: no secret in any output.
        let wrong = file(Self.valid, "bearer=other")
        let withPassword = "http://alice:\(password)@127.0.0.1:\(server.port)/file/none.prom"
        for reporter in ["text", "json", "sarif", "junit", "github", "checkstyle"] {
            let r = try CLITests.run([
                "lint", "--reporter", reporter, "--bearer-token-file", tokenFile,
                "--header", "X-Api-Key: \(headerSecret)", wrong, withPassword, "http://127.0.0.1:1/",
            ])
            #expect(r.status == 2)
            for secret in [token, password, headerSecret] {
                #expect(!r.stdout.contains(secret) && !r.stderr.contains(secret), "\(reporter) shows a secret: \(r.stdout)\(r.stderr)")
            }
            if reporter == "text" { #expect(r.stdout.contains("http://alice:xxxxx@127.0.0.1"), "\(r.stdout)") }
        }
        // A secret file that cannot be read: a usage error that names the file, not its content.
        let missing = try CLITests.run(["validate", "--bearer-token-file", dir.appendingPathComponent("nope").path, bearer])
        #expect(missing.status == 2 && missing.stderr.contains("--bearer-token-file"), "\(missing.stderr)")
        let badAuth = try CLITests.run(["validate", "--basic-auth", "alice", bearer])
        #expect(badAuth.status == 2 && badAuth.stderr.contains("USER:PASSWORD_FILE"))
    }

    @Test func manyURLsAreFetchedConcurrentlyAndReportedInOrder() throws {
        var inputs: [String] = []
        for i in 0..<24 {
            inputs.append(i % 3 == 0 ? file(Self.invalid, "n=\(i)") : i % 3 == 1 ? file(Self.valid, "n=\(i)") : Self.invalid)
        }
        inputs.append(inputs[1])  // the same URL twice
        let r = try CLITests.run(["validate", "--concurrency", "4", "--reporter", "json"] + inputs)
        #expect(r.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let paths = (json["inputs"] as! [[String: Any]]).map { $0["path"] as! String }
        #expect(paths == inputs)
    }

    @Test func everyReadingCommandTakesURLs() throws {
        let url = file(Self.valid)
        let diff = try CLITests.run(["diff", Self.valid, url])
        #expect(diff.status == 0, "\(diff.stdout)\(diff.stderr)")
        let convert = try CLITests.run(["convert", "--to", "text", url])
        let convertFile = try CLITests.run(["convert", "--to", "text", Self.valid])
        #expect(convert.status == 0 && convert.stdout == convertFile.stdout)
        let fmt = try CLITests.run(["fmt", "--check", url])
        let fmtFile = try CLITests.run(["fmt", "--check", Self.valid])
        #expect(fmt.status == fmtFile.status, "\(fmt.stdout)\(fmt.stderr)")
        #expect(try CLITests.run(["fmt", "--write", url]).status == 2)
        let stats = try CLITests.run(["stats", url])
        let statsFile = try CLITests.run(["stats", Self.valid])
        #expect(stats.status == 0 && stats.stdout == statsFile.stdout)
        let lint = try CLITests.run(["lint", url])
        let lintFile = try CLITests.run(["lint", Self.valid])
        #expect(lint.stdout.replacingOccurrences(of: url, with: Self.valid) == lintFile.stdout)
    }
}

/// A real prometheus-node-exporter, scraped live.
@Suite(.serialized) struct NodeExporterLiveTests {
    static var installed: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus-node-exporter") }

    @Test func aLiveNodeExporterIsScraped() throws {
        guard Self.installed || TestEnvironment.isCI else {
            print("prometheus-node-exporter is not installed (scripts/install-test-deps.sh installs it): live scrape not run")
            return
        }
        let port = TestServer.freePort()
        let exporter = try TestServer(
            executable: "/usr/bin/prometheus-node-exporter",
            arguments: [
                "--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults",
                "--collector.cpu", "--collector.meminfo", "--collector.loadavg",
            ], port: port)
        defer { exporter.stop() }
        let url = "http://127.0.0.1:\(port)/metrics"
        #expect(TestServer.waitUntilServing(url))
        let r = try CLITests.run(["validate", "--reporter", "json", url])
        #expect(r.status == 0, "\(r.stdout)")
        let stats = try CLITests.run(["stats", "--reporter", "json", url])
        #expect(stats.status == 0 && stats.stdout.contains("\"node_cpu_seconds_total\""), "\(stats.stdout.prefix(300))")
        let lint = try CLITests.run(["lint", "--reporter", "json", url])
        #expect(
            lint.status <= 1 && !lint.stdout.contains("read_error") && !lint.stdout.contains("content_type"), "\(lint.stdout.prefix(500))")
    }
}

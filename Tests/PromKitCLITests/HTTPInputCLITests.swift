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

    /// The Content-Type's `escaping=`: with underscores, dots or values every name must be a legacy one (the
    /// producer escaped them); allow-utf-8 (or none) takes UTF-8 names; any other value is a finding.
    @Test func escapingInTheContentTypeDecidesWhichNamesAreAccepted() throws {
        func type(_ escaping: String) -> String { "type=text/plain;%20version=1.0.0;%20escaping=\(escaping)" }
        let escaped = "testdata/http/escaped-underscores.prom", utf8Label = "testdata/http/utf8-label.prom"
        // UTF-8 names where the body says they were escaped: an error at the name, for each scheme but allow-utf-8.
        for scheme in ["underscores", "dots", "values", "Underscores"] {
            let r = try CLITests.run(["validate", file(Self.valid, type(scheme))])
            #expect(r.status == 1, "\(scheme): \(r.stdout)")
            #expect(
                r.stdout.contains(":1:1: error: metric name \"my.metric\" is outside the legacy set")
                    && r.stdout.contains("says escaping=\(scheme.lowercased())") && r.stdout.contains("[name_escaping]"), "\(r.stdout)")
            let label = try CLITests.run(["validate", file(utf8Label, type(scheme))])
            #expect(label.status == 1 && label.stdout.contains(":2:1: error: label name \"label.x\""), "\(label.stdout)")
            // The names are legacy ones: nothing to say.
            let legacy = try CLITests.run(["validate", file(escaped, type(scheme))])
            #expect(legacy.status == 0, "\(scheme): \(legacy.status) \(legacy.stdout) \(legacy.stderr)")
        }
        // allow-utf-8, or no escaping at all: UTF-8 names are taken.
        for query in [type("allow-utf-8"), "type=text/plain;%20version=0.0.4"] {
            let r = try CLITests.run(["validate", file(Self.valid, query)])
            #expect(r.status == 0, "\(query): \(r.stdout)")
        }
        // A parser chosen with --format does not change what the names are: still checked.
        let forced = try CLITests.run(["validate", "--format", "text", file(Self.valid, type("underscores"))])
        #expect(forced.status == 1 && forced.stdout.contains("[name_escaping]"), "\(forced.stdout)")
        // lint reports it under the parse rule, with the same message.
        let lint = try CLITests.run(["lint", "--reporter", "json", file(Self.valid, type("dots"))])
        #expect(lint.status == 1 && lint.stdout.contains("says escaping=dots"), "\(lint.stdout)")
        // An unknown scheme: a finding of its own, and the names read as they are.
        for command in ["validate", "lint"] {
            let unknown = try CLITests.run([command, file(escaped, type("bogus"))])
            #expect(unknown.status == 1, "\(unknown.stdout)")
            #expect(
                unknown.stdout.contains("says escaping=bogus, which is none of allow-utf-8, underscores, dots and values")
                    && unknown.stdout.contains("[content_type]"), "\(unknown.stdout)")
        }
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
            #expect(r.status == 2, "\(reporter): \(r.stderr)")
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

    /// Every reporter (ReporterRegistry.all), to standard output and to a report file, for validate and lint,
    /// runs that succeed and runs refused: neither the bearer token nor the basic-auth password shows anywhere.
    @Test func noSecretInAnyReporterOutputOrError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let token = "tok-\(UUID().uuidString)", password = "pw-\(UUID().uuidString)"
        let tokenFile = dir.appendingPathComponent("token").path, passwordFile = dir.appendingPathComponent("password").path
        try token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        // Accepted (the secret right), refused (the server wants another), and an input with findings.
        // The server reads the expected secrets from the files: the URLs show none.
        let bearerOK = file(Self.invalid, "bearer_file=\(tokenFile)"), bearerRefused = file(Self.valid, "bearer=other")
        let basicOK = file(Self.invalid, "basic_file=alice:\(passwordFile)"), basicRefused = file(Self.valid, "basic=alice:other")
        let runs: [([String], [String])] = [
            (["--bearer-token-file", tokenFile], [bearerOK, bearerRefused]),
            (["--basic-auth", "alice:\(passwordFile)"], [basicOK, basicRefused]),
        ]
        let reporters = ["text", "json", "junit", "junit-gitlab", "sarif", "github", "checkstyle", "promtool"]
        for command in ["validate", "lint"] {
            for (credentials, urls) in runs {
                for reporter in reporters {
                    let reportFile = dir.appendingPathComponent("report-\(command)-\(reporter)").path
                    try? FileManager.default.removeItem(atPath: reportFile)
                    let r = try CLITests.run(
                        [command, "--reporter", reporter, "--reporter", "\(reporter):\(reportFile)"] + credentials + urls)
                    #expect(r.status == 2, "\(command) \(reporter): \(r.stdout)\(r.stderr)")
                    let written = (try? String(contentsOfFile: reportFile, encoding: .utf8)) ?? ""
                    #expect(!written.isEmpty, "\(command) \(reporter): no report file")
                    for secret in [token, password] {
                        #expect(
                            !r.stdout.contains(secret) && !r.stderr.contains(secret) && !written.contains(secret),
                            "\(command) --reporter \(reporter) shows a secret: \(r.stdout)\(r.stderr)\(written)")
                    }
                }
            }
        }
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

/// `https://` against a real TLS server: a throwaway certificate authority and a server certificate for
/// 127.0.0.1 made with the `openssl` CLI at test time, served by scripts/test-http-server.py --tls.
@Suite(.serialized) struct TLSInputCLITests {
    static let valid = HTTPInputCLITests.valid

    /// A new CA and a server certificate it signed (subjectAltName IP:127.0.0.1 only): their directory.
    static func makeCertificates() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n".write(
            toFile: path("server.ext"), atomically: true, encoding: .utf8)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let steps: [[String]] = [
            ["openssl", "req", "-x509"] + key + [
                "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "2", "-subj", "/CN=promkit test CA",
            ],
            ["openssl", "req"] + key + ["-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=127.0.0.1"],
            [
                "openssl", "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-out", path("server.pem"), "-days", "2", "-extfile", path("server.ext"),
            ],
        ]
        for step in steps {
            let r = try runTool(step)
            guard r.status == 0 else { throw CertificateError(description: "\(step.prefix(3).joined(separator: " ")): \(r.stderr)") }
        }
        return dir
    }

    struct CertificateError: Error, CustomStringConvertible { var description: String }

    @Test func caFileAndInsecureSkipVerifyAgainstARealTLSServer() throws {
        guard (try? runTool(["openssl", "version"]))?.status == 0 || TestEnvironment.isCI else {
            print("openssl is not installed (scripts/install-test-deps.sh installs it): TLS test not run")
            return
        }
        let dir = try Self.makeCertificates()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ca = dir.appendingPathComponent("ca.pem").path
        let server = try TestServer(script: [
            "--root", Paths.repoRoot.path, "--tls", dir.appendingPathComponent("server.pem").path,
            dir.appendingPathComponent("server.key").path,
        ])
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/file/\(Self.valid)"
        // The certificate's name is 127.0.0.1: by another name, the CA alone does not make it trusted.
        let byOtherName = "https://localhost:\(server.port)/file/\(Self.valid)"

        // Neither option: the system's CAs do not know ours. One line naming the URL, exit 2.
        let untrusted = try CLITests.run(["validate", url])
        #expect(untrusted.status == 2, "\(untrusted.stdout)\(untrusted.stderr)")
        let lines = untrusted.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(untrusted.stdout)")  // the finding and the summary
        #expect(lines.first?.hasPrefix("\(url): error: cannot read input: TLS: ") == true, "\(untrusted.stdout)")
        #expect(lines.first?.contains("certificate") == true, "\(untrusted.stdout)")

        // --ca-file: trusted, read as the file is.
        let trusted = try CLITests.run(["validate", "--ca-file", ca, url])
        let fromFile = try CLITests.run(["validate", Self.valid])
        #expect(trusted.status == 0 && trusted.stdout == fromFile.stdout, "\(trusted.stdout)\(trusted.stderr)")
        let otherName = try CLITests.run(["lint", "--ca-file", ca, byOtherName])
        #expect(otherName.status == 2, "\(otherName.stdout)")
        #expect(otherName.stdout.hasPrefix("\(byOtherName): error: cannot read input: TLS: "), "\(otherName.stdout)")

        // --insecure-skip-verify: neither the CA nor the name is checked.
        for target in [url, byOtherName] {
            let skipped = try CLITests.run(["validate", "--insecure-skip-verify", target])
            #expect(skipped.status == 0, "\(target): \(skipped.stdout)\(skipped.stderr)")
        }

        // A CA file that is not there: a TLS error naming the URL, not a crash.
        let missing = try CLITests.run(["validate", "--ca-file", dir.appendingPathComponent("none.pem").path, url])
        #expect(missing.status == 2 && missing.stdout.hasPrefix("\(url): error: cannot read input: TLS: "), "\(missing.stdout)")
    }
}

/// A body of known length large enough to be read in chunks is read while it arrives (validate, lint): the
/// same report as the file's; one that stops short is an unreadable input, however far reading got.
@Suite(.serialized) struct ArrivingBodyCLITests {
    @Test func aLargeBodyReadWhileItArrivesReportsAsTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-arriving-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // About 9 MB (over the 8 MB at which reading goes parallel), with findings all through it.
        var text = ""
        for i in 0..<45000 {
            text += "# HELP m\(i) M.\n# TYPE m\(i) counter\nm\(i)_total{path=\"/a/\(i)\",code=\"200\"} \(i)\n"
            text += i % 997 == 0 ? "m\(i)_total{path=\"/a/\(i)\",code=\"200\"} 1\nbadName{ 1\n" : "m\(i)_created 1.7e9\n"
            text += "# TYPE requests_\(i)_seconds histogram\nrequests_\(i)_seconds_bucket{le=\"+Inf\"} 1\nrequests_\(i)_seconds_count 1\n"
        }
        let path = dir.appendingPathComponent("big.prom").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let server = try TestServer(script: ["--root", dir.path])
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/file/big.prom"
        for command in ["validate", "lint"] {
            let fromURL = try CLITests.run([command, "--reporter", "json", url])
            let fromFile = try CLITests.run([command, "--reporter", "json", path])
            #expect(fromURL.status == 1 && fromFile.status == 1, "\(fromURL.stdout.prefix(500))")
            #expect(fromURL.stdout.replacingOccurrences(of: url, with: path) == fromFile.stdout, "\(command)")
        }
        // The server sends the Content-Length of the whole file, then a third of it, and closes.
        let cut = url + "?truncate=\(text.utf8.count / 3)"
        for command in ["validate", "lint"] {
            let r = try CLITests.run([command, cut])
            #expect(r.status == 2, "\(r.stdout)")
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.count == 2 && lines[0].hasPrefix("\(cut): error: cannot read input: "), "\(r.stdout.prefix(600))")
        }
    }
}

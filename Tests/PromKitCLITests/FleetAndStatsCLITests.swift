import Foundation
import PromKitTestSupport
import Testing

/// `--from-prometheus` against a real Prometheus (Debian's package, a temporary config and data directory)
/// whose targets are a live node exporter and a port nothing listens on.
@Suite(.serialized) struct FleetCLITests {
    @Test func aWholeFleetInOneReport() throws {
        let installed =
            FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus-node-exporter")
        guard installed || TestEnvironment.isCI else {
            print("prometheus or prometheus-node-exporter is not installed (scripts/install-test-deps.sh): fleet test not run")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-fleet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let nodePort = TestServer.freePort(), downPort = TestServer.freePort()
        let exporter = try TestServer(
            executable: "/usr/bin/prometheus-node-exporter",
            arguments: [
                "--web.listen-address=127.0.0.1:\(nodePort)", "--collector.disable-defaults",
                "--collector.loadavg", "--collector.meminfo",
            ], port: nodePort)
        defer { exporter.stop() }
        try """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: node
            static_configs: [{targets: ["127.0.0.1:\(nodePort)"]}]
          - job_name: down
            static_configs: [{targets: ["127.0.0.1:\(downPort)"]}]
        """.write(to: dir.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let promPort = TestServer.freePort()
        let prometheus = try TestServer(
            executable: "/usr/bin/prometheus",
            arguments: [
                "--config.file=\(dir.appendingPathComponent("prometheus.yml").path)",
                "--storage.tsdb.path=\(dir.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(promPort)",
            ], port: promPort)
        defer { prometheus.stop() }
        let server = "http://127.0.0.1:\(promPort)"
        #expect(TestServer.waitUntilServing("\(server)/-/ready", seconds: 30))
        // Targets appear once the scrape manager has synced them.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let r = try runTool(["curl", "-s", "\(server)/api/v1/targets?state=active"])
            if r.stdout.contains("127.0.0.1:\(nodePort)") && r.stdout.contains("127.0.0.1:\(downPort)") { break }
            usleep(200_000)
        }

        let r = try CLITests.run(["lint", "--from-prometheus", server, "--reporter", "json"])
        #expect(r.status == 1, "\(r.stdout.prefix(800))\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let inputs = json["inputs"] as! [[String: Any]]
        let paths = inputs.map { $0["path"] as! String }.sorted()
        #expect(
            paths
                == [
                    "http://127.0.0.1:\(downPort)/metrics (job=down, instance=127.0.0.1:\(downPort))",
                    "http://127.0.0.1:\(nodePort)/metrics (job=node, instance=127.0.0.1:\(nodePort))",
                ].sorted(), "\(paths)")
        // Job and instance are fields of their own too (JSON schema 2), beside the scrape URL.
        let targets = inputs.map { $0["target"] as! [String: String] }.sorted { $0["job"]! < $1["job"]! }
        #expect(
            targets
                == [
                    ["url": "http://127.0.0.1:\(downPort)/metrics", "job": "down", "instance": "127.0.0.1:\(downPort)"],
                    ["url": "http://127.0.0.1:\(nodePort)/metrics", "job": "node", "instance": "127.0.0.1:\(nodePort)"],
                ], "\(targets)")
        #expect(json["version"] as? Int == 2)
        let down = inputs.first { ($0["path"] as! String).contains("job=down") }!
        let findings = down["findings"] as! [[String: Any]]
        #expect(
            findings.count == 1 && findings[0]["rule"] as? String == "scrape_error"
                && (findings[0]["message"] as! String).contains("connection refused"), "\(findings)")

        let node = try CLITests.run(["validate", "--from-prometheus", server, "--job", "node"])
        #expect(node.status == 0, "\(node.stdout)")
        // Text output shows them with the input's name.
        let text = try CLITests.run(["lint", "--from-prometheus", server, "--job", "down"])
        #expect(
            text.stdout.hasPrefix("http://127.0.0.1:\(downPort)/metrics (job=down, instance=127.0.0.1:\(downPort)): error: "),
            "\(text.stdout)")
        #expect(node.stdout.contains("1 file"), "\(node.stdout)")

        let noJob = try CLITests.run(["validate", "--from-prometheus", server, "--job", "nosuch"])
        #expect(noJob.status == 2 && noJob.stderr.contains("no active targets of job 'nosuch'"), "\(noJob.stderr)")
        let unreachable = "http://127.0.0.1:\(TestServer.freePort())"
        let cannotAsk = try CLITests.run(["lint", "--from-prometheus", unreachable])
        #expect(cannotAsk.status == 2, "\(cannotAsk.stdout)\(cannotAsk.stderr)")
        #expect(
            cannotAsk.stderr
                == "promkit: cannot ask Prometheus at \(unreachable)/api/v1/targets?state=active for its targets: connection refused\n")
        let notPrometheus = try CLITests.run(["lint", "--from-prometheus", "http://127.0.0.1:\(nodePort)"])
        #expect(
            notPrometheus.status == 2 && notPrometheus.stderr.contains("did not answer as Prometheus' targets API does"),
            "\(notPrometheus.stderr)")
        #expect(try CLITests.run(["lint", "--from-prometheus", server, "x.prom"]).status == 2)
        #expect(try CLITests.run(["lint", "--job", "node"]).status == 2)
    }
}

/// `promkit stats` against promtool's own `check metrics --extended`.
@Suite struct StatsCLITests {
    static let fixture = Paths.shared.appendingPathComponent(
        "conformance/text-0.0.4/prometheus-prometheus/cmd/promtool/testdata/metrics-test.prom"
    ).path

    @Test func theTableIsPromtoolsOwn() throws {
        guard Paths.runsShared else { print(Paths.sharedAbsent); return }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") || TestEnvironment.isCI else {
            print("promtool is not installed: stats not compared"); return
        }
        let promtool = try runTool(["promtool", "check", "metrics", "--extended"], stdin: FileHandle(forReadingAtPath: Self.fixture))
        #expect(promtool.status == 0, "\(ReferenceTools.promtool): \(promtool.stderr)")
        let ours = try CLITests.run(["stats", Self.fixture])
        #expect(ours.status == 0)
        let table = ours.stdout.components(separatedBy: "\n\n").first! + "\n"
        #expect(table == promtool.stdout, "\(ReferenceTools.promtool)\n\(promtool.stdout)\nvs\n\(table)")
        #expect(ours.stdout.contains("prometheus_tsdb_compaction_chunk_size_bytes    le             13"), "\(ours.stdout)")
    }

    @Test func jsonAndTopAndErrors() throws {
        let r = try CLITests.run(["stats", "--reporter", "json", "--top", "1", "testdata/validate/utf8-names.prom"])
        #expect(r.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect((json["families"] as! [Any]).count == 1 && json["total"] as? Int != nil, "\(r.stdout)")
        let bad = try CLITests.run(["stats", "testdata/validate/syntax-errors.prom"])
        #expect(bad.status == 1 && bad.stderr.contains("error:") && bad.stdout.hasPrefix("Metric "), "\(bad.stdout)\(bad.stderr)")
        #expect(try CLITests.run(["stats", "no-such.prom"]).status == 2)
        #expect(try CLITests.run(["stats", "--top", "-1", "x.prom"]).status == 2)
        #expect(try CLITests.run(["stats", "--reporter", "sarif", "x.prom"]).status == 2)
    }
}

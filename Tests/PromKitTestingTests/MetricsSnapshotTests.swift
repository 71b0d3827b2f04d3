import Foundation
import PromKit
import PromKitDiff
import PromKitTesting
import Prometheus
import Testing

/// The breaking-change gate inside `swift test`: swift-prometheus output compared with a recorded snapshot.
@Suite struct MetricsSnapshotTests {
    /// A fresh directory for one test's snapshot, removed afterwards.
    static func withSnapshotPath(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("promkit-snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory.appendingPathComponent("metrics.prom").path)
    }

    /// The service's metrics, then recorded as the snapshot.
    static func recordedBaseline(at path: String) throws -> String {
        let baseline = MetricsCheckTests.serviceMetrics()
        #expect(try MetricsCheck().compare(baseline, toSnapshot: path, record: true).isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == baseline, "the snapshot is the output as rendered")
        return baseline
    }

    @Test func anUnchangedServicePasses() throws {
        try Self.withSnapshotPath { path in
            let baseline = try Self.recordedBaseline(at: path)
            #expect(try MetricsCheck().compare(baseline, toSnapshot: path).isEmpty)
            // Values move between runs; a value change is info, never breaking.
            let later = Self.service { registry, depth in registry.makeGauge(descriptor: depth, labels: [("queue", "email")]).set(to: 9) }
            #expect(later != baseline)
            #expect(try MetricsCheck().compare(later, toSnapshot: path).allSatisfy { $0.changeClass == .info })
        }
    }

    /// The service of `MetricsCheckTests.serviceMetrics()` with its queue gauge made by `queue` instead.
    static func service(queue: (PrometheusCollectorRegistry, MetricNameDescriptor) -> Void) -> String {
        let registry = PrometheusCollectorRegistry()
        let requests = MetricNameDescriptor(namespace: "http", metricName: "requests", unitName: "total", helpText: "HTTP requests served.")
        registry.makeCounter(descriptor: requests, labels: [("method", "GET"), ("status", "200")]).increment(by: Int64(3))
        registry.makeCounter(descriptor: requests, labels: [("method", "POST"), ("status", "500")]).increment()
        queue(registry, MetricNameDescriptor(metricName: "queue_depth", unitName: "", helpText: "Jobs waiting."))
        let latency = MetricNameDescriptor(
            namespace: "http", metricName: "request_duration", unitName: "seconds", helpText: "Request latency.")
        let histogram = registry.makeValueHistogram(descriptor: latency, labels: [("route", "/users")], buckets: [0.005, 0.05, 0.5, 5])
        histogram.record(0.02)
        histogram.record(0.7)
        return registry.emitToString()
    }

    /// The helper renders the baseline's metrics (swift-prometheus writes families in its dictionary's order,
    /// which differs from registry to registry: compared by meaning, as a snapshot is), and `.any` passes when
    /// nothing changed at all.
    @Test func theHelperRendersTheBaseline() throws {
        try Self.withSnapshotPath { path in
            _ = try Self.recordedBaseline(at: path)
            let same = Self.service { registry, depth in registry.makeGauge(descriptor: depth, labels: [("queue", "email")]).set(to: 7) }
            #expect(try MetricsCheck().compare(same, toSnapshot: path, failOn: .any).isEmpty)
        }
    }

    @Test func aRemovedMetricFailsNamingIt() throws {
        try Self.withSnapshotPath { path in
            _ = try Self.recordedBaseline(at: path)
            let withoutQueue = Self.service { _, _ in }
            let error = try #require(throws: SnapshotFailure.self) { try MetricsCheck().compare(withoutQueue, toSnapshot: path) }
            #expect(error.changes.map(\.family) == ["queue_depth"], "\(error)")
            #expect(error.changes.first?.kind == .familyRemoved)
            let snapshotLine =
                try #require(
                    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                        .firstIndex { $0.hasPrefix("# HELP queue_depth") }) + 1
            #expect(error.description.contains("\(path):\(snapshotLine): breaking: queue_depth: "), "\(error)")
            #expect(error.description.contains("[family_removed]") && error.description.contains("UPDATE_METRICS_SNAPSHOT=1"), "\(error)")
        }
    }

    @Test func aRetypedMetricFailsNamingIt() throws {
        try Self.withSnapshotPath { path in
            _ = try Self.recordedBaseline(at: path)
            // The same name, now a counter: every query that reads it as a level breaks.
            let retyped = Self.service { registry, depth in
                registry.makeCounter(descriptor: depth, labels: [("queue", "email")]).increment()
            }
            let error = try #require(throws: SnapshotFailure.self) { try MetricsCheck().compare(retyped, toSnapshot: path) }
            #expect(error.changes.map(\.kind) == [.typeChanged], "\(error)")
            #expect(error.changes.first?.family == "queue_depth")
            let outputLine =
                try #require(
                    retyped.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("# HELP queue_depth") }) + 1
            #expect(error.description.contains("metrics:\(outputLine): breaking: queue_depth: "), "\(error)")
            #expect(error.description.contains("gauge") && error.description.contains("counter"), "\(error)")
            #expect(error.description.contains("[type_changed]"), "\(error)")
        }
    }

    @Test func aNewSeriesInAnExistingFamilyPasses() throws {
        try Self.withSnapshotPath { path in
            _ = try Self.recordedBaseline(at: path)
            let grown = MetricsCheckTests.serviceMetrics { registry in
                let requests = MetricNameDescriptor(
                    namespace: "http", metricName: "requests", unitName: "total", helpText: "HTTP requests served.")
                registry.makeCounter(descriptor: requests, labels: [("method", "DELETE"), ("status", "204")]).increment()
            }
            let changes = try MetricsCheck().compare(grown, toSnapshot: path)
            #expect(
                changes.contains { $0.family == "http_requests_total" && $0.kind == nil && $0.message.hasPrefix("1 series added") },
                "\(changes)")
            // `.any` counts it.
            #expect(throws: SnapshotFailure.self) { try MetricsCheck().compare(grown, toSnapshot: path, failOn: .any) }
        }
    }

    @Test func aLabelAddedIsBreaking() throws {
        try Self.withSnapshotPath { path in
            _ = try Self.recordedBaseline(at: path)
            let relabelled = Self.service { registry, depth in
                registry.makeGauge(descriptor: depth, labels: [("queue", "email"), ("shard", "1")]).set(to: 7)
            }
            let error = try #require(throws: SnapshotFailure.self) { try MetricsCheck().compare(relabelled, toSnapshot: path) }
            #expect(error.changes.map(\.kind) == [.labelAdded] && error.changes.first?.family == "queue_depth", "\(error)")
        }
    }

    @Test func recordingMakesTheSnapshotsDirectory() throws {
        try Self.withSnapshotPath { path in
            let nested = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("Tests/Snapshots/metrics.prom").path
            let output = MetricsCheckTests.serviceMetrics()
            let recorded = try MetricsCheck().compare(output, toSnapshot: nested, record: true)
            #expect(recorded.isEmpty)
            #expect(try String(contentsOfFile: nested, encoding: .utf8) == output)
            #expect(try MetricsCheck().compare(output, toSnapshot: nested).isEmpty)
        }
    }

    @Test func aMissingSnapshotSaysHowToRecordIt() throws {
        try Self.withSnapshotPath { path in
            let error = try #require(throws: SnapshotFailure.self) {
                try MetricsCheck().compare(MetricsCheckTests.serviceMetrics(), toSnapshot: path)
            }
            #expect(error.changes.isEmpty)
            #expect(
                error.description.contains("no metrics snapshot") && error.description.contains("UPDATE_METRICS_SNAPSHOT=1 swift test"),
                "\(error)")
        }
    }
}

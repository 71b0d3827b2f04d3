import PromKit
import PromKitLint
import PromKitTesting
import Prometheus
import Testing

/// PromKitTesting as a Swift service uses it: metrics rendered by swift-prometheus, checked in a test.
@Suite struct MetricsCheckTests {
    /// A registry with what a typical service exposes: counters and gauges with labels, a histogram.
    static func serviceMetrics(extra: (PrometheusCollectorRegistry) -> Void = { _ in }) -> String {
        let registry = PrometheusCollectorRegistry()
        let requests = MetricNameDescriptor(namespace: "http", metricName: "requests", unitName: "total", helpText: "HTTP requests served.")
        registry.makeCounter(descriptor: requests, labels: [("method", "GET"), ("status", "200")]).increment(by: Int64(3))
        registry.makeCounter(descriptor: requests, labels: [("method", "POST"), ("status", "500")]).increment()
        let depth = MetricNameDescriptor(metricName: "queue_depth", unitName: "", helpText: "Jobs waiting.")
        registry.makeGauge(descriptor: depth, labels: [("queue", "email")]).set(to: 7)
        let latency = MetricNameDescriptor(
            namespace: "http", metricName: "request_duration", unitName: "seconds", helpText: "Request latency.")
        let histogram = registry.makeValueHistogram(descriptor: latency, labels: [("route", "/users")], buckets: [0.005, 0.05, 0.5, 5])
        histogram.record(0.02)
        histogram.record(0.7)
        extra(registry)
        return registry.emitToString()
    }

    @Test func wellFormedServiceMetricsPass() {
        let output = Self.serviceMetrics()
        #expect(output.contains("http_request_duration_seconds_bucket"), "the histogram is rendered")
        let check = MetricsCheck()
        #expect(check.problems(in: output).isEmpty, "\(check.report(for: output))")
        #expect(check.failureMessage(for: output) == nil)
    }

    @Test func aBadMetricFailsWithItsLineAndRule() throws {
        let output = Self.serviceMetrics { registry in
            // Milliseconds and camelCase: two rules a reviewer would flag.
            let bad = MetricNameDescriptor(metricName: "cacheLatency", unitName: "milliseconds", helpText: "Cache latency.")
            registry.makeGauge(descriptor: bad, labels: []).set(to: 3)
        }
        let problems = MetricsCheck().problems(in: output)
        let rules = Set(problems.map(\.rule))
        #expect(rules.contains("non_base_unit") && rules.contains("camel_case_name"), "\(problems)")
        let message = try #require(MetricsCheck().failureMessage(for: output))
        let line =
            try #require(
                output.split(separator: "\n", omittingEmptySubsequences: false)
                    .firstIndex { $0.hasPrefix("# HELP cacheLatency_milliseconds") }) + 1  // a family's findings point at its start
        #expect(message.contains("metrics:\(line):1: warning:"), "\(message)")
        #expect(
            message.contains("[camel_case_name]") && message.contains("    # HELP cacheLatency_milliseconds Cache latency."), "\(message)")
    }

    @Test func specViolationsAreErrorsAndSeverityCanBeRaised() throws {
        let broken = "# TYPE a counter\na_total{x=\"1\"} 1\na_total{x=\"1\"} 2\n"
        let check = MetricsCheck(failOn: .error)
        #expect(check.problems(in: broken).map(\.rule) == ["duplicate_series"])
        var configuration = LintConfiguration()
        try configuration.disable("help_missing")
        #expect(MetricsCheck(configuration: configuration).problems(in: "# TYPE b gauge\nb 1\n").isEmpty)
    }
}

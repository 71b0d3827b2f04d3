import Foundation
import PromKit
import PromKitStats
import PromKitTestSupport
import Testing

@Suite struct StatsTests {
    static let fixture = Paths.shared.appendingPathComponent(
        "conformance/text-0.0.4/prometheus-prometheus/cmd/promtool/testdata/metrics-test.prom")

    @Test func promtoolsFixtureCountsAsPromtoolCounts() throws {
        guard Paths.runsShared else { print(Paths.sharedAbsent); return }
        let source = try InputLoader.load(Self.fixture.path).get()
        let stats = Stats.compute(source)
        #expect(stats.families.map(\.cardinality) == [15, 7, 4, 1])
        #expect(
            stats.families.map(\.name) == [
                "prometheus_tsdb_compaction_chunk_size_bytes", "go_gc_duration_seconds",
                "net_conntrack_dialer_conn_attempted_total", "go_info",
            ])
        #expect(stats.total == 27)
        #expect(stats.families[0].labels == ["le": 13] && stats.families[2].labels == ["dialer_name": 4])
    }

    @Test func theSameCountsInEveryFormat() throws {
        let text = """
            # TYPE h histogram
            h_bucket{a="1",le="1"} 1
            h_bucket{a="1",le="+Inf"} 2
            h_sum{a="1"} 3
            h_count{a="1"} 2
            h_bucket{a="2",le="1"} 1
            h_bucket{a="2",le="+Inf"} 2
            h_sum{a="2"} 3
            h_count{a="2"} 2
            # TYPE c_total counter
            c_total{x="a"} 1
            c_total{x="b"} 1
            c_total{x="c"} 1

            """
        // OpenMetrics names the counter family without _total.
        let om = text.replacingOccurrences(of: "# TYPE c_total counter\n", with: "# TYPE c counter\n") + "# EOF\n"
        for (input, format) in [(text, FormatChoice.text), (om, .openMetrics)] {
            let stats = Stats.compute(SourceFile(name: "t", text: input), format: format)
            #expect(stats.diagnostics.filter { $0.severity == .error }.isEmpty, "\(stats.diagnostics)")
            #expect(stats.families.map(\.cardinality) == [8, 3], "\(format): \(stats.families.map { "\($0.name) \($0.cardinality)" })")
            #expect(stats.total == 11)
            #expect(stats.families[0].labels == ["a": 2, "le": 2])
        }
    }

    @Test func theTableIsPromtoolsAndJSONTheIssuesShape() {
        let stats = Stats.compute(
            SourceFile(name: "t", text: "# TYPE g gauge\ng{a=\"1\"} 1\ng{a=\"2\"} 1\n# TYPE long_name gauge\nlong_name 1\n"))
        let table = StatsRender.text(stats, top: 0, labelsOf: 0)
        #expect(
            table == """
                Metric       Cardinality    Percentage    
                g            2              66.67%        
                long_name    1              33.33%        
                Total        3              100%          

                """)
        let json = StatsRender.json(stats, top: 0)
        #expect(
            json
                == #"{"input":"t","families":[{"name":"g","type":"gauge","cardinality":2,"percentage":66.67,"labels":{"a":2}},{"name":"long_name","type":"gauge","cardinality":1,"percentage":33.33,"labels":{}}],"total":3}"#
        )
        #expect(StatsRender.text(stats, top: 1, labelsOf: 1).contains("(1 more families; --top 0 shows all)"))
    }
}

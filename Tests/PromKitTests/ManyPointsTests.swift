import Testing

@testable import PromKit

/// An OpenMetrics histogram metric with many points (timestamps): each point is checked on its own, found in
/// one walk (the per-point search was quadratic in the points).
@Suite struct ManyPointsTests {
    static func histogram(points: Int, brokenAt broken: Int?) -> String {
        var text = "# TYPE h histogram\n# HELP h H.\n"
        for i in 0..<points {
            // A broken point's +Inf bucket is below its le="1" bucket: not cumulative.
            let inf = i == broken ? 0 : 2
            text += "h_bucket{le=\"1\"} 1 \(i)\nh_bucket{le=\"+Inf\"} \(inf) \(i)\nh_count \(inf) \(i)\nh_sum 1 \(i)\n"
        }
        return text + "# EOF\n"
    }

    @Test func eachPointCheckedOnce() {
        let clean = Validator.validate(SourceFile(name: "h", text: Self.histogram(points: 600, brokenAt: nil)), format: .openMetrics)
        #expect(clean.isEmpty, "\(clean.map(\.message))")
        for broken in [0, 37, 599] {
            let source = SourceFile(name: "h", text: Self.histogram(points: 600, brokenAt: broken))
            let found = Validator.validate(source, format: .openMetrics).filter { $0.code == .histogramNotCumulative }
            #expect(found.count == 1, "point \(broken): \(found.map(\.message))")
            #expect(found.first.map { source.location(of: $0.offset).line } == 2 + 4 * broken + 2, "point \(broken)")
        }
    }
}

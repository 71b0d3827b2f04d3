/// Spelling numbers for messages and writers: `+Inf`, `-Inf`, `NaN`, integers without a fraction, else the
/// shortest text that reads back to the same double (never Swift's `inf` or `nan`).
public enum NumberFormat {
    /// `v` as the exposition formats spell a number: `+Inf`, `-Inf`, `NaN`, integers without `.0`, else the shortest decimal that reads back to `v`.
    public static func text(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v == .infinity { return "+Inf" }
        if v == -.infinity { return "-Inf" }
        if v == v.rounded() && abs(v) < 1e15 {
            return v == 0 && v.sign == .minus ? "-0" : String(Int64(v))
        }
        var s = v.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// OpenMetrics float spelling: like `text` but integral floats keep `.0` (`1.0`, `+Inf`, `1e-05`).
    public static func openMetricsFloat(_ v: Double) -> String {
        if !v.isFinite { return text(v) }
        if v == v.rounded() && abs(v) < 1e15 { return text(v) + ".0" }
        return v.description
    }
}

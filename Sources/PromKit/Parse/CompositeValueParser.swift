/// OpenMetrics 2.0 composite values: `{count:…,sum:…,bucket:[le:v,…,+Inf:v]}`, native-histogram fields and
/// `quantile:[q:v,…]`, with no whitespace anywhere (the 2.0 ABNF, `composite-value`).
struct CompositeValueParser {
    let p: UnsafeBufferPointer<UInt8>

    /// Field order the ABNF fixes; a field's rank must be above the previous one's.
    private enum Field: Int {
        case count = 0
        case sum, schema, zeroThreshold, zeroCount, negativeSpans, negativeBuckets, positiveSpans, positiveBuckets, bucket, quantile

        static func named(_ name: String) -> (Field, gauge: Bool)? {
            switch name {
            case "count": (.count, false)
            case "gcount": (.count, true)
            case "sum": (.sum, false)
            case "gsum": (.sum, true)
            case "schema": (.schema, false)
            case "zero_threshold": (.zeroThreshold, false)
            case "zero_count": (.zeroCount, false)
            case "negative_spans": (.negativeSpans, false)
            case "negative_buckets": (.negativeBuckets, false)
            case "positive_spans": (.positiveSpans, false)
            case "positive_buckets": (.positiveBuckets, false)
            case "bucket": (.bucket, false)
            case "quantile": (.quantile, false)
            default: nil
            }
        }
    }

    /// Parses from the `{`; returns the offset after the closing `}`.
    func parse(_ open: Int, _ end: Int, into value: inout CompositeValue) throws(SyntaxError) -> Int {
        var i = open + 1
        var seen = Set<Int>()
        var last = -1
        var gaugeFields = 0
        while true {
            let keyStart = i
            if i < end && p[i] == 0x20 {
                throw SyntaxError(.invalidCompositeValue, i, "no whitespace is allowed inside a composite value")
            }
            while i < end && p[i] != UInt8(ascii: ":") && p[i] != UInt8(ascii: ",") && p[i] != UInt8(ascii: "}") && p[i] != 0x20 { i += 1 }
            let key = String(decoding: UnsafeBufferPointer(rebasing: p[keyStart..<i]), as: UTF8.self)
            guard let (field, gauge) = Field.named(key) else {
                throw SyntaxError(
                    .invalidCompositeValue, keyStart,
                    key.isEmpty
                        ? "expected a field name in the composite value" : "unknown field \"\(Printable.escape(key))\" in composite value")
            }
            guard i < end, p[i] == UInt8(ascii: ":") else { throw SyntaxError(.invalidCompositeValue, i, "expected ':' after \"\(key)\"") }
            i += 1
            if field.rawValue <= last {
                throw SyntaxError(
                    .invalidCompositeValue, keyStart,
                    seen.contains(field.rawValue)
                        ? "field \"\(key)\" given twice"
                        : "field \"\(key)\" out of order; the order is count, sum, schema, zero_threshold, zero_count, negative_spans, negative_buckets, positive_spans, positive_buckets, bucket (or quantile)"
                )
            }
            last = field.rawValue
            seen.insert(field.rawValue)
            if gauge { gaugeFields += 1 }
            switch field {
            case .count: (value.count, i) = try number(i, end)
            case .sum: (value.sum, i) = try number(i, end)
            case .schema:
                let s = i
                i = tokenEnd(i, end)
                guard let v = NumberSyntax.parseInt64(p, s, i), v >= -128, v <= 127 else {
                    throw SyntaxError(.invalidCompositeValue, s, "schema must be an integer")
                }
                value.schema = Int(v)
            case .zeroThreshold:
                let s = i
                i = tokenEnd(i, end)
                guard let v = NumberSyntax.parseDecimal(p, s, i) else {
                    throw SyntaxError(.invalidCompositeValue, s, "zero_threshold must be a real number")
                }
                value.zeroThreshold = v
            case .zeroCount: (value.zeroCount, i) = try number(i, end)
            case .negativeSpans: i = try spans(i, end, into: &value.negativeSpans)
            case .positiveSpans: i = try spans(i, end, into: &value.positiveSpans)
            case .negativeBuckets: i = try numbers(i, end, into: &value.negativeBuckets)
            case .positiveBuckets: i = try numbers(i, end, into: &value.positiveBuckets)
            case .bucket: i = try pairs(i, end, classic: true, into: &value.buckets)
            case .quantile:
                var q: [(bound: Double, value: Double)] = []
                i = try pairs(i, end, classic: false, into: &q)
                value.quantiles = q.map { (quantile: $0.bound, value: $0.value) }
            }
            guard i < end else { throw SyntaxError(.invalidCompositeValue, i, "missing '}' at end of composite value") }
            if p[i] == UInt8(ascii: "}") { i += 1; break }
            guard p[i] == UInt8(ascii: ",") else {
                throw SyntaxError(
                    .invalidCompositeValue, i,
                    p[i] == 0x20 ? "no whitespace is allowed inside a composite value" : "expected ',' or '}' in composite value")
            }
            i += 1
        }
        // Which fields a value must have.
        guard seen.contains(Field.count.rawValue), seen.contains(Field.sum.rawValue) else {
            throw SyntaxError(.invalidCompositeValue, open, "a composite value needs count and sum (gcount and gsum for gauge histograms)")
        }
        if gaugeFields != 0 && gaugeFields != 2 {
            throw SyntaxError(.invalidCompositeValue, open, "gcount and gsum go together; a histogram uses count and sum")
        }
        value.isGauge = gaugeFields == 2
        let native = (Field.schema.rawValue...Field.positiveBuckets.rawValue).contains { seen.contains($0) }
        if native
            && !(seen.contains(Field.schema.rawValue) && seen.contains(Field.zeroThreshold.rawValue)
                && seen.contains(Field.zeroCount.rawValue))
        {
            throw SyntaxError(.invalidCompositeValue, open, "native buckets need schema, zero_threshold and zero_count")
        }
        if seen.contains(Field.negativeSpans.rawValue) != seen.contains(Field.negativeBuckets.rawValue)
            || seen.contains(Field.positiveSpans.rawValue) != seen.contains(Field.positiveBuckets.rawValue)
        {
            throw SyntaxError(
                .invalidCompositeValue, open,
                "spans and buckets go together (negative_spans with negative_buckets, positive_spans with positive_buckets)")
        }
        if seen.contains(Field.quantile.rawValue) {
            if native || seen.contains(Field.bucket.rawValue) || value.isGauge {
                throw SyntaxError(.invalidCompositeValue, open, "a summary value has count, sum and quantile only")
            }
        } else if !native && !seen.contains(Field.bucket.rawValue) {
            throw SyntaxError(
                .invalidCompositeValue, open, "a histogram value needs classic buckets (bucket:[…]) or native buckets (schema:…)")
        }
        return i
    }

    private func tokenEnd(_ start: Int, _ end: Int) -> Int {
        var i = start
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") || b == UInt8(ascii: ":") || b == 0x20 { break }
            i += 1
        }
        return i
    }

    private func number(_ start: Int, _ end: Int) throws(SyntaxError) -> (Double, Int) {
        let e = tokenEnd(start, end)
        guard let v = NumberSyntax.parseFloat(p, start, e), !NumberSyntax.overflows(v, p, start, e) else {
            throw SyntaxError(
                .invalidCompositeValue, start,
                "expected a number in composite value, found \"\(Printable.escape(String(decoding: UnsafeBufferPointer(rebasing: p[start..<e]), as: UTF8.self)))\""
            )
        }
        return (v, e)
    }

    private func numbers(_ start: Int, _ end: Int, into out: inout [Double]) throws(SyntaxError) -> Int {
        guard start < end, p[start] == UInt8(ascii: "[") else { throw SyntaxError(.invalidCompositeValue, start, "expected '['") }
        var i = start + 1
        if i < end && p[i] == UInt8(ascii: "]") { return i + 1 }
        while true {
            let (v, e) = try number(i, end)
            out.append(v)
            i = e
            guard i < end else { throw SyntaxError(.invalidCompositeValue, i, "missing ']'") }
            if p[i] == UInt8(ascii: "]") { return i + 1 }
            guard p[i] == UInt8(ascii: ",") else { throw SyntaxError(.invalidCompositeValue, i, "expected ',' or ']'") }
            i += 1
        }
    }

    private func spans(_ start: Int, _ end: Int, into out: inout [(offset: Int, length: Int)]) throws(SyntaxError) -> Int {
        guard start < end, p[start] == UInt8(ascii: "[") else { throw SyntaxError(.invalidCompositeValue, start, "expected '['") }
        var i = start + 1
        if i < end && p[i] == UInt8(ascii: "]") { return i + 1 }
        while true {
            let s = i
            i = tokenEnd(i, end)
            guard let offset = NumberSyntax.parseInt64(p, s, i), i < end, p[i] == UInt8(ascii: ":") else {
                throw SyntaxError(.invalidCompositeValue, s, "a span is offset:length, two integers")
            }
            if !out.isEmpty && offset < 0 {
                throw SyntaxError(.invalidCompositeValue, s, "only the first span may have a negative offset")
            }
            i += 1
            let l = i
            i = tokenEnd(i, end)
            guard let length = NumberSyntax.parseInt64(p, l, i), length >= 0, p[l] != UInt8(ascii: "-") else {
                throw SyntaxError(.invalidCompositeValue, l, "a span length is a non-negative integer")
            }
            out.append((Int(offset), Int(length)))
            guard i < end else { throw SyntaxError(.invalidCompositeValue, i, "missing ']'") }
            if p[i] == UInt8(ascii: "]") { return i + 1 }
            guard p[i] == UInt8(ascii: ",") else { throw SyntaxError(.invalidCompositeValue, i, "expected ',' or ']'") }
            i += 1
        }
    }

    /// `[bound:value,…]`; classic buckets end with `+Inf` (spelled exactly), and only the first may be `-Inf`.
    private func pairs(_ start: Int, _ end: Int, classic: Bool, into out: inout [(bound: Double, value: Double)]) throws(SyntaxError) -> Int
    {
        guard start < end, p[start] == UInt8(ascii: "[") else { throw SyntaxError(.invalidCompositeValue, start, "expected '['") }
        var i = start + 1
        if i < end && p[i] == UInt8(ascii: "]") {
            if classic { throw SyntaxError(.invalidCompositeValue, i, "classic buckets need at least the +Inf bucket") }
            return i + 1
        }
        while true {
            let s = i
            i = tokenEnd(i, end)
            let token = UnsafeBufferPointer(rebasing: p[s..<i])
            let bound: Double
            if token.elementsEqual("+Inf".utf8) {
                bound = .infinity
            } else if token.elementsEqual("-Inf".utf8) && classic && out.isEmpty {
                bound = -.infinity
            } else if let d = NumberSyntax.parseDecimal(p, s, i), d.isFinite {
                bound = d
            } else {
                throw SyntaxError(
                    .invalidCompositeValue, s,
                    classic ? "bucket bound must be a real number or +Inf (spelled exactly)" : "quantile must be a real number")
            }
            guard i < end, p[i] == UInt8(ascii: ":") else {
                throw SyntaxError(.invalidCompositeValue, i, "expected ':' after the \(classic ? "bucket bound" : "quantile")")
            }
            let (v, e) = try number(i + 1, end)
            out.append((bound, v))
            i = e
            guard i < end else { throw SyntaxError(.invalidCompositeValue, i, "missing ']'") }
            if p[i] == UInt8(ascii: "]") {
                if classic && out.last!.bound != .infinity {
                    throw SyntaxError(.invalidCompositeValue, s, "the last classic bucket must be +Inf")
                }
                return i + 1
            }
            guard p[i] == UInt8(ascii: ",") else { throw SyntaxError(.invalidCompositeValue, i, "expected ',' or ']'") }
            i += 1
        }
    }
}

#!/usr/bin/env python3
"""Prints every sample of an exposition as one line `name{sorted labels} value [timestamp]`, read by
prometheus_client's parsers: the strict OpenMetrics parser (--openmetrics) or the text parser (--text).
Exits 1 with the parser's message when it rejects the input. Used by promkit's convert tests."""
import sys, math

def main():
    mode, path = sys.argv[1], sys.argv[2]
    text = open(path, encoding="utf-8").read()
    if mode == "--openmetrics":
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
    else:
        from prometheus_client.parser import text_string_to_metric_families
    out = []
    lines = text.split("\n")
    try:
        for family in text_string_to_metric_families(text):
            for s in family.samples:
                name = s.name
                # prometheus_client's text parser names a counter's samples with _total even where the input
                # does not: undo that, so that samples compare by the names written.
                if mode == "--text" and family.type == "counter" and name.endswith("_total") \
                        and not any(l.startswith(name + "{") or l.startswith(name + " ") for l in lines):
                    name = name[:-len("_total")]
                labels = ",".join(f'{k}="{v!r}"' for k, v in sorted(s.labels.items()))
                v = s.value
                value = "NaN" if isinstance(v, float) and math.isnan(v) else repr(float(v))
                ts = ""
                if s.timestamp is not None:
                    t = s.timestamp
                    ts = " %d" % (t.sec * 1000 + t.nsec // 1000000) if hasattr(t, "sec") else " %d" % round(float(t) * 1000)
                out.append(f"{name}{{{labels}}} {value}{ts}")
    except Exception as e:
        print(f"rejected: {e!r}", file=sys.stderr)
        sys.exit(1)
    out.sort()
    print("\n".join(out))

main()

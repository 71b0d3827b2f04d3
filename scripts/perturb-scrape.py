#!/usr/bin/env python3
"""Writes a "next scrape" of a text-format exposition for the diff benchmark: about one value in ten
changed, one series in a thousand removed, every 500th family dropped, and one family added at the end.
Deterministic.  Usage: perturb-scrape.py IN OUT"""
import sys

src, dst = sys.argv[1], sys.argv[2]
family = 0
drop = False
with open(src, "rb") as f, open(dst, "wb") as out:
    for n, line in enumerate(f):
        if line.startswith(b"# HELP "):
            family += 1
            drop = family % 500 == 0
        if drop:
            continue
        if not line.startswith(b"#"):
            if n % 1000 == 7:
                continue
            if n % 10 == 3:
                # The value is the first token after the series (a timestamp may follow); histogram and
                # summary samples are left alone, so that the scrape stays valid.
                cut = line.rfind(b"}") + 1 or line.find(b" ")
                series, rest = line[:cut], line[cut:].split()
                name = series.split(b"{")[0]
                if rest and not name.endswith((b"_bucket", b"_count", b"_sum")) and b"quantile=" not in series:
                    try:
                        rest[0] = repr(float(rest[0]) + 1).encode()
                        line = series + b" " + b" ".join(rest) + b"\n"
                    except ValueError:
                        pass
        out.write(line)
    out.write(b"# HELP bench_added_total A family only the new scrape has.\n# TYPE bench_added_total counter\nbench_added_total 1\n")

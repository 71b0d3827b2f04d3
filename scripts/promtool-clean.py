#!/usr/bin/env python3
"""Writes a copy of a text exposition without the families `promtool check metrics` finds a problem with, so
that promtool prints its `--extended` cardinality table for it (it prints it only for lint-clean input).

  scripts/promtool-clean.py IN OUT

A family is its `# HELP`/`# TYPE` lines and the samples after them (the corpora give every family metadata).
Runs promtool again on the result until it finds nothing (at most three rounds).
"""
import subprocess, sys


def problems(path):
    with open(path, "rb") as f:
        r = subprocess.run(["promtool", "check", "metrics"], stdin=f, capture_output=True)
    lines = (r.stdout + r.stderr).decode(errors="replace").splitlines()
    if any(l.startswith("error while linting") for l in lines):
        sys.exit("promtool cannot parse %s: %s" % (path, lines[0]))
    return {l.split(" ", 1)[0] for l in lines if l.strip()}


def main():
    src, out = sys.argv[1], sys.argv[2]
    current = src
    for _ in range(3):
        flagged = problems(current)
        if not flagged:
            break
        with open(current, "rb") as f, open(out + ".tmp", "wb") as w:
            family, keep = None, True
            for line in f:
                if line.startswith(b"# HELP ") or line.startswith(b"# TYPE "):
                    name = line.split(b" ", 3)[2].decode(errors="replace")
                    if name != family:
                        family, keep = name, name not in flagged
                if keep:
                    w.write(line)
        subprocess.run(["mv", out + ".tmp", out], check=True)
        current = out
    else:
        sys.exit("promtool still finds problems in %s" % out)
    if current == src:
        subprocess.run(["cp", src, out], check=True)


if __name__ == "__main__":
    main()

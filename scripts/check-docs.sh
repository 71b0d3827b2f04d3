#!/usr/bin/env bash
# Every public declaration of the library products (PromKit, PromKitLint, PromKitDiff, PromKitTesting) has a
# DocC comment (`///`): lists those that have none, as FILE:LINE: NAME, and fails if there is one. Reads the
# compiler's symbol graphs (`swift package dump-symbol-graph`, public symbols only); members the compiler
# synthesizes (Equatable's ==, RawRepresentable's init) and implementations that inherit their protocol
# requirement's documentation (description, hash(into:)) count as documented. Part of the test command; about
# 15 s once the package is built.
set -euo pipefail
cd "$(dirname "$0")/.."
modules="PromKit PromKitLint PromKitDiff PromKitTesting"
mkdir -p .build
stamp=.build/check-docs.stamp
touch "$stamp"
# Its exit status is not ours: on a tree whose tests were never built it fails for SwiftPM's generated test
# modules (promkitPackageTests), which are none of ours. What counts is that each of our modules' graphs was
# written by this run.
swift package dump-symbol-graph --minimum-access-level public > .build/check-docs.log 2>&1 || true
dir=$(sed -n 's/^Files written to //p' .build/check-docs.log | tail -1)
for module in $modules; do
  if [ -z "$dir" ] || ! [ "$dir/$module.symbols.json" -nt "$stamp" ]; then
    cat .build/check-docs.log
    echo "check-docs: swift package dump-symbol-graph wrote no symbol graph for $module"
    exit 1
  fi
done
python3 - "$PWD" "$dir" $modules <<'PY'
import glob, json, os, sys
root, directory, modules = sys.argv[1], sys.argv[2], sys.argv[3:]
missing, total = [], 0
for module in modules:
    for path in glob.glob(os.path.join(directory, module + ".symbols.json")) + glob.glob(os.path.join(directory, module + "@*.symbols.json")):
        for symbol in json.load(open(path))["symbols"]:
            if symbol["accessLevel"] not in ("public", "open") or "::SYNTHESIZED::" in symbol["identifier"]["precise"]:
                continue
            total += 1
            if symbol.get("docComment", {}).get("lines"):
                continue
            location = symbol.get("location", {})
            file = location.get("uri", "?").removeprefix("file://").removeprefix(root + "/")
            line = location.get("position", {}).get("line", -1) + 1
            missing.append(f"{file}:{line}: public {symbol['kind']['displayName'].lower()} {'.'.join(symbol['pathComponents'])} has no doc comment")
for m in sorted(set(missing)):
    print(m)
if missing:
    print(f"check-docs: {len(set(missing))} of {total} public declarations of {', '.join(modules)} have no doc comment (///)")
    sys.exit(1)
print(f"check-docs: all {total} public declarations of {', '.join(modules)} are documented")
PY

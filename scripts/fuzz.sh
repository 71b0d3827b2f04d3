#!/usr/bin/env bash
# Coverage-guided fuzzing with the toolchain's libFuzzer (issue 18).
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]   build TARGET and fuzz it for SECONDS
#   scripts/fuzz.sh --list                                the targets (each folder under Fuzz/Targets)
#   scripts/fuzz.sh --build TARGET                        build only
#   scripts/fuzz.sh --replay TARGET FILE...               run the target once on each FILE (a crash found)
#
# Targets are built with -sanitize=fuzzer,address, optimised, in .build-fuzz (their own scratch folder:
# the normal build never sees them; Package.swift adds them only when PROMKIT_FUZZ is set). The corpus
# (fuzz/corpus/TARGET) starts from ../shared/conformance and testdata/ and grows across runs; crashes, hangs
# and broken invariants land in fuzz/crashes/TARGET. Both folders are ignored by git: a finding is fixed and
# its input committed to testdata/fuzz/ as a regression test (Tests/PromKitTests/FuzzRegressionTests.swift).
# The run's last lines (executions, coverage, features) are kept in fuzz/logs/TARGET.log.
set -euo pipefail
shopt -s inherit_errexit  # a failed build inside $(build ...) stops the script (else it fuzzed the old binary)
cd "$(dirname "$0")/.."
root=$PWD
shared=${PROMKIT_SHARED:-$root/../shared}

targets() { ls Fuzz/Targets; }

build() {
  PROMKIT_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product "$1" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -g -Xswiftc -use-ld=lld >&2
  echo "$root/.build-fuzz/release/$1"
}

# Which format a target reads, for picking its seeds (the others are seeds too, but later).
seed_corpus() {
  local target=$1 dir=$2
  mkdir -p "$dir"
  [ -n "$(ls -A "$dir")" ] && return 0
  local n=0 f
  while IFS= read -r -d '' f; do
    cp "$f" "$dir/seed-$n"; n=$((n + 1))
  done < <(find "$shared/conformance" "$root/testdata/validate" "$root/testdata/lint" "$root/testdata/cli" "$root/testdata/fuzz" \
             -type f ! -name '*.diag' ! -name '*.tsv' ! -name '*.json' ! -name 'LICENSE' ! -name 'NOTICE' ! -name '*.md' \
             -size -64k -print0 2>/dev/null)
  echo "fuzz.sh: seeded $dir with $n files" >&2
}

case "${1:-}" in
  --list) targets; exit 0 ;;
  --build) build "$2" >/dev/null; exit 0 ;;
  --replay)
    bin=$(build "$2"); shift 2
    exec "$bin" -runs=1 "$@" ;;
  ''|-h|--help) sed -n '2,16p' "$0"; exit 2 ;;
esac

target=$1 seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
shift 2
[ -d "Fuzz/Targets/$target" ] || { echo "fuzz.sh: no target $target (scripts/fuzz.sh --list)" >&2; exit 2; }
bin=$(build "$target")
corpus=fuzz/corpus/$target crashes=fuzz/crashes/$target
mkdir -p "$crashes" fuzz/logs
seed_corpus "$target" "$corpus"
# Long lines and big inputs are where parsers break: allow 64 KiB inputs. A run over 10 s on one input is a hang.
# ASan's leak check is off: the Swift runtime's caches read as leaks at exit.
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 "$bin" "$corpus" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$crashes/" -dict="$root/Fuzz/exposition.dict" "$@" 2>&1 | tee "fuzz/logs/$target.log" | grep -E '^#[0-9]+.*(pulse|DONE|NEW)|ERROR|FuzzCheck|SUMMARY|stat::' | tail -40

#!/usr/bin/env bash
# Benchmark: promkit validate and lint on the 100 MB corpora next to `promtool check metrics` on the same
# files, in the same run. Prints MB/s and peak RSS. Not a test: numbers depend on the machine.
#
#   scripts/bench.sh [CORPUS_DIR]      (default: bench-out/corpus, generated when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-bench-out/corpus}
if [ ! -f "$dir/corpus-realistic.text.txt" ]; then
  mkdir -p "$dir"
  python3 ../shared/bench/gen_corpus.py "$dir"
fi
command -v promtool >/dev/null 2>&1 || scripts/install-test-deps.sh
swift build -c release --product promkit >/dev/null
bin=.build/release/promkit

# measure RUNS NAME FILE CMD...: best of RUNS wall times, then peak RSS from one more run; leaves them in
# $best and $rss. The timed runs start the command itself (no time(1) process in between, whose own
# start-up would be counted against a 0.1 s run). A 0.1 s run is hit whole by a burst of load on a shared
# machine where a 3 s run averages it out: promkit gets more runs (10) than promtool (5) for its best.
measure() {
  local runs=$1 name=$2 file=$3; shift 3
  local size t
  best="" rss=0
  size=$(stat -c %s "$file")
  for _ in $(seq "$runs"); do
    # Wall time from the shell's microsecond clock (time(1) rounds to 10 ms).
    local t0=$EPOCHREALTIME
    "$@" < "$file" >/dev/null 2>&1 || true
    local t1=$EPOCHREALTIME
    t=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", b-a}')
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  /usr/bin/time -f "%M" -o /tmp/promkit-bench.time "$@" < "$file" >/dev/null 2>&1 || true
  rss=$(tail -n 1 /tmp/promkit-bench.time)
  awk -v n="$name" -v f="$(basename "$file")" -v t="$best" -v s="$size" -v r="$rss" \
    'BEGIN{printf "%-28s %-34s %7.3f s %8.1f MB/s %8.1f MB peak\n", n, f, t, s/1e6/(t>0?t:0.001), r/1024}'
}

# ratio WHAT: promkit's last run against promtool's ($pt_best, $pt_rss).
ratio() {
  awk -v w="$1" -v a="$pt_best" -v b="$best" -v ra="$pt_rss" -v rb="$rss" \
    'BEGIN{printf "  -> %s: %.1fx the speed of promtool, %.0f%% of its peak memory\n", w, a/(b>0?b:0.001), 100*rb/ra}'
}

echo "cores: $(nproc)"
for f in "$dir"/corpus-realistic.text.txt "$dir"/corpus-escapes.text.txt; do
  measure 5 "promtool check metrics" "$f" promtool check metrics
  pt_best=$best pt_rss=$rss
  measure 10 "promkit validate (1 core)" "$f" "$bin" validate --threads 1 --format text "$f"
  measure 10 "promkit validate" "$f" "$bin" validate --format text "$f"
  ratio "validate"
  measure 10 "promkit lint" "$f" "$bin" lint --format text "$f"
  ratio "lint"
done
for f in "$dir"/corpus-realistic.openmetrics.txt "$dir"/corpus-escapes.openmetrics.txt; do
  measure 10 "promkit validate (1 core)" "$f" "$bin" validate --threads 1 --format openmetrics "$f"
  measure 10 "promkit validate" "$f" "$bin" validate --format openmetrics "$f"
done

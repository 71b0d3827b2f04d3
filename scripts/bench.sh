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

# measure NAME FILE CMD...: best of 3 wall times, and peak RSS.
measure() {
  local name=$1 file=$2; shift 2
  local best="" rss=0 size
  size=$(stat -c %s "$file")
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o /tmp/promkit-bench.time "$@" < "$file" >/dev/null 2>&1 || true
    read -r t m < <(tail -n 1 /tmp/promkit-bench.time)
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    [ "$m" -gt "$rss" ] && rss=$m
  done
  awk -v n="$name" -v f="$(basename "$file")" -v t="$best" -v s="$size" -v r="$rss" \
    'BEGIN{printf "%-28s %-34s %7.2f s %8.1f MB/s %8.1f MB peak\n", n, f, t, s/1e6/(t>0?t:0.001), r/1024}'
}

has_lint=$("$bin" --help | grep -q "^  *lint " && echo yes || true)
for f in "$dir"/corpus-realistic.text.txt "$dir"/corpus-escapes.text.txt; do
  measure "promtool check metrics" "$f" promtool check metrics
  measure "promkit validate (1 core)" "$f" "$bin" validate --threads 1 --format text "$f"
  measure "promkit validate" "$f" "$bin" validate --format text "$f"
  [ -n "$has_lint" ] && measure "promkit lint" "$f" "$bin" lint --format text "$f"
done
for f in "$dir"/corpus-realistic.openmetrics.txt "$dir"/corpus-escapes.openmetrics.txt; do
  measure "promkit validate (1 core)" "$f" "$bin" validate --threads 1 --format openmetrics "$f"
  measure "promkit validate" "$f" "$bin" validate --format openmetrics "$f"
done

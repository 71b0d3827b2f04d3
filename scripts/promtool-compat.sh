#!/usr/bin/env bash
# Drop-in check: `promkit lint --promtool` against Debian's `promtool check metrics`, byte for byte (stderr)
# and exit status, on every text scrape in ../shared/scrapes and on a live node_exporter scrape (started
# on 127.0.0.1, scraped once, stopped). Installs promtool and node_exporter when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v promtool >/dev/null 2>&1 && [ -x /usr/bin/prometheus-node-exporter ] || scripts/install-test-deps.sh
swift build -c release --product promkit >/dev/null
bin=.build/release/promkit
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${exporter:-}" ] && kill "$exporter" 2>/dev/null || true' EXIT

inputs=(../shared/scrapes/*.text.*)
port=${PROMKIT_EXPORTER_PORT:-19100}
/usr/bin/prometheus-node-exporter --web.listen-address="127.0.0.1:$port" >/dev/null 2>&1 &
exporter=$!
for _ in $(seq 1 50); do
  if curl -sf "http://127.0.0.1:$port/metrics" -o "$work/node-exporter-live.txt"; then break; fi
  sleep 0.1
done
[ -s "$work/node-exporter-live.txt" ] && inputs+=("$work/node-exporter-live.txt") || echo "warning: no live node_exporter scrape"

pass=0 fail=0
for f in "${inputs[@]}"; do
  set +e
  promtool check metrics < "$f" > /dev/null 2> "$work/promtool.err"; a=$?
  "$bin" lint --promtool < "$f" 2> "$work/promkit.err"; b=$?
  set -e
  if [ "$a" = "$b" ] && cmp -s "$work/promtool.err" "$work/promkit.err"; then
    pass=$((pass + 1)); echo "same  $(basename "$f") (exit $a, $(wc -l < "$work/promtool.err") lines)"
  else
    fail=$((fail + 1)); echo "DIFF  $(basename "$f") (promtool exit $a, promkit exit $b)"; diff "$work/promtool.err" "$work/promkit.err" | head -20
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]

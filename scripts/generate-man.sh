#!/usr/bin/env bash
# Regenerates man/ from the command tree (swift-argument-parser's generate-manual plugin), so the pages
# never drift from --help. Run after changing a command's options or discussion; commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
date=${1:-$(git log -1 --format=%cs 2>/dev/null || date +%F)}
swift package plugin generate-manual --multi-page --date "$date" >/dev/null
out=.build/plugins/GenerateManual/outputs/promkit
mkdir -p man
rm -f man/*.1
for page in "$out"/*.1; do
  name=$(basename "$page")
  [ "$name" = "promkit.help.1" ] && continue
  cp "$page" "man/$name"
done
ls man

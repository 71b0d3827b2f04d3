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
  # The plugin's EXIT STATUS is generic (.Ex -std) and its SEE ALSO names the help page skipped above: move
  # the command's own "EXIT STATUS: ..." paragraph (from its discussion) there, and drop that reference.
  perl -0pi -e 'if (s/^(?:\.Pp\n)?EXIT STATUS: (.*)\n//m) { my $x = $1; s/^\.Ex -std$/$x/m } s/^\.Xr promkit\.help 1 ,\n//m' "man/$name"
done
ls man

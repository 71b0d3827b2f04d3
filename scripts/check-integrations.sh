#!/usr/bin/env bash
# Checks the files other tools read promkit through, with those tools (pinned):
# - action.yml, the example GitHub workflows and the GitLab template against their published schemas
#   (check-jsonschema's vendored copies: no network);
# - .pre-commit-hooks.yaml with pre-commit itself, and a proof: `pre-commit try-repo` on a temporary git
#   repository fails on a bad .prom file with promkit's finding, and passes once it is fixed.
# Part of the test command (scripts/test.sh). The pre-commit proof builds promkit in release mode once
# (pre-commit's own cache, a few minutes on a new machine); PROMKIT_SKIP_PRECOMMIT=1 skips only that part.
set -euo pipefail
cd "$(dirname "$0")/.."
pip_install() { python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "$@"; }
python3 -c "import check_jsonschema" 2>/dev/null && [ "$(check-jsonschema --version | awk '{print $NF}')" = "0.39.0" ] \
  || pip_install check-jsonschema==0.39.0
command -v pre-commit >/dev/null 2>&1 && [ "$(pre-commit --version | awk '{print $2}')" = "4.7.0" ] || pip_install pre-commit==4.7.0
echo "check-integrations: $(check-jsonschema --version), $(pre-commit --version)"

check-jsonschema --builtin-schema vendor.github-actions action.yml
check-jsonschema --builtin-schema vendor.github-workflows docs/ci/github-lint.yml docs/ci/github-diff.yml
check-jsonschema --builtin-schema vendor.gitlab-ci docs/ci/gitlab-ci.yml
pre-commit validate-manifest .pre-commit-hooks.yaml
echo "check-integrations: action, workflows, GitLab template and hook manifest are valid"

if [ "${PROMKIT_SKIP_PRECOMMIT:-}" = "1" ]; then
  echo "check-integrations: pre-commit proof skipped (PROMKIT_SKIP_PRECOMMIT=1)"
  exit 0
fi
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME=${PRE_COMMIT_HOME:-$HOME/.cache/pre-commit-promkit}
cd "$work"
git init -q
git config user.email ci@example.invalid
git config user.name ci
printf '# HELP up Whether the target is up.\n# TYPE up gauge\nup{job="a" 1\n' > node.prom
git add node.prom
set +e
pre-commit try-repo "$repo" promkit-validate --files node.prom > out.txt 2>&1
status=$?
set -e
if [ $status -eq 0 ] || ! grep -q "node.prom:3:12: error: .*\[invalid_labels\]" out.txt; then
  cat out.txt
  echo "check-integrations: FAILED: the hook should fail on node.prom with promkit's finding"
  exit 1
fi
printf '# HELP up Whether the target is up.\n# TYPE up gauge\nup{job="a"} 1\n' > node.prom
git add node.prom
for hook in promkit-validate promkit-lint; do
  if ! pre-commit try-repo "$repo" "$hook" --files node.prom > out.txt 2>&1; then
    cat out.txt
    echo "check-integrations: FAILED: $hook should pass on the fixed file"
    exit 1
  fi
done
# promkit-fmt rewrites a file that is not canonical (pre-commit then fails: files were modified) and passes on
# the result.
printf '# HELP up Whether the target is up.\n# TYPE up gauge\nup{job="a"}   1\n' > node.prom
git add node.prom
if pre-commit try-repo "$repo" promkit-fmt --files node.prom > out.txt 2>&1 || ! grep -q 'up{job="a"} 1$' node.prom; then
  cat out.txt node.prom
  echo "check-integrations: FAILED: promkit-fmt should rewrite the file and fail the commit"
  exit 1
fi
git add node.prom
if ! pre-commit try-repo "$repo" promkit-fmt --files node.prom > out.txt 2>&1; then
  cat out.txt
  echo "check-integrations: FAILED: promkit-fmt should pass on a canonical file"
  exit 1
fi
echo "check-integrations: pre-commit proof passed (validate fails on the bad file with its finding and passes once fixed; lint passes; fmt rewrites and then passes)"

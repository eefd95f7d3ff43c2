#!/usr/bin/env bash
# Step 2 of the GitHub Action (action.yml): runs atlantis-lint with GitHub annotations
# (`--format github`) and, when ATLINT_SARIF names a file, SARIF into it, in one run.
# Sets the step output exit-status; fails the step on findings unless ATLINT_FAIL=false
# (a failed run, status 2, always fails it).
set -uo pipefail
read -r -a args <<< "${ATLINT_ARGS:-.}"
formats=(--format github)
if [ -n "${ATLINT_SARIF:-}" ]; then
    formats+=(--format sarif --output "$ATLINT_SARIF")
fi
atlantis-lint "${formats[@]}" "${args[@]}"
status=$?
echo "exit-status=$status" >> "${GITHUB_OUTPUT:?}"
if [ "$status" -eq 2 ] || { [ "$status" -ne 0 ] && [ "${ATLINT_FAIL:-true}" != false ]; }; then
    exit "$status"
fi
exit 0

#!/usr/bin/env bash
# The Python wheel (maturin `bin` bindings, pyproject.toml): build it, install it into a fresh
# virtual environment whose PATH has no cargo, and run it on a clean and a broken config.
# CI builds the wheel from the dev profile (the binary `cargo test` just built, so only the final
# link is redone); the release workflow builds it with --release.
#
# Usage: bash tests/wheel.sh TOOLS_VENV   (a venv with maturin; run by .ci/run)
# The wheel is left in target/wheels/ for tests/precommit.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tools="${1:?usage: tests/wheel.sh TOOLS_VENV}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say() { printf 'wheel.sh: %s\n' "$*"; }
fail() { say "FAIL: $*"; exit 1; }

start=$SECONDS
rm -rf "$here/target/wheels"
(cd "$here" && "$tools/bin/maturin" build --quiet --profile dev --strip --locked --out target/wheels) \
    > "$work/build.log" 2>&1 || { cat "$work/build.log"; fail "maturin build failed"; }
wheel="$(ls "$here"/target/wheels/atlantis_lint-*.whl)"
say "built $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB) in $((SECONDS - start)) s"

# The wheel holds the binary as a script and nothing of the repository.
python3 -m zipfile -l "$wheel" > "$work/list"
grep -q 'atlantis_lint-[0-9.]*\.data/scripts/atlantis-lint' "$work/list" || fail "no binary in the wheel"
! grep -Eq 'fixtures/|tests/|\.rs ' "$work/list" || fail "the wheel carries repository files"

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
# A PATH with the venv and the system only: no cargo, no rustup, no target/.
clean_path="$work/venv/bin:/usr/bin:/bin"
if PATH="$clean_path" command -v cargo >/dev/null 2>&1; then
    say "note: /usr/bin has a cargo; the run below does not use it"
fi
[ "$(PATH="$clean_path" command -v atlantis-lint)" = "$work/venv/bin/atlantis-lint" ] \
    || fail "atlantis-lint is not the venv's"
version="$(PATH="$clean_path" atlantis-lint --version)"
[ "$version" = "atlantis-lint $(sed -n 's/^version = "\(.*\)"/\1/p' "$here/Cargo.toml" | head -1)" ] \
    || fail "unexpected version: $version"
printf 'repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh-token-file: /run/secrets/t\n' > "$work/ok.yaml"
printf 'gh_user: typo\n' > "$work/bad.yaml"
(cd "$work" && PATH="$clean_path" NO_COLOR=1 atlantis-lint ok.yaml) > "$work/ok.log" \
    || { cat "$work/ok.log"; fail "the clean config failed"; }
set +e
(cd "$work" && PATH="$clean_path" NO_COLOR=1 atlantis-lint bad.yaml) > "$work/bad.log"
status=$?
set -e
[ "$status" -eq 1 ] && grep -q 'error\[unknown-key\]' "$work/bad.log" \
    || { cat "$work/bad.log"; fail "the broken config did not fail with unknown-key (status $status)"; }
say "installed into a fresh venv without cargo: $version; clean config 0, broken config 1: ok"

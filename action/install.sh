#!/usr/bin/env bash
# Step 1 of the GitHub Action (action.yml): downloads the release archive of atlantis-lint for
# this runner, checks it against the release's SHA256SUMS (and ATLINT_SHA256 when pinned),
# unpacks it under RUNNER_TEMP and adds it to GITHUB_PATH.
#
# Environment: ATLINT_VERSION (v1.2.3), ATLINT_SHA256 (optional), RUNNER_OS,
# RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH; ATLINT_RELEASES overrides the download base
# (tests point it at a faked release directory with a file:// URL).
set -euo pipefail
say() { printf 'atlantis-lint action: %s\n' "$*"; }
die() { printf '::error title=atlantis-lint action::%s\n' "$*"; exit 1; }

version="${ATLINT_VERSION:-}"
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] \
    || die "input 'version' must be a release tag such as v0.1.0, not '${version}'"
base="${ATLINT_RELEASES:-https://github.com/atlantis-lint/atlantis-lint/releases/download}"

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) target=x86_64-unknown-linux-musl ext=tar.gz ;;
    Linux/ARM64) target=aarch64-unknown-linux-musl ext=tar.gz ;;
    macOS/X64) target=x86_64-apple-darwin ext=tar.gz ;;
    macOS/ARM64) target=aarch64-apple-darwin ext=tar.gz ;;
    Windows/X64) target=x86_64-pc-windows-msvc ext=zip ;;
    *) die "no atlantis-lint release for runner ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}" ;;
esac
name="atlantis-lint-$version-$target"
archive="$name.$ext"
dir="${RUNNER_TEMP:?}/atlantis-lint-$version"
mkdir -p "$dir"

fetch() {
    curl --fail --silent --show-error --location --retry 3 --proto '=https,file' \
        --output "$dir/$1" "$base/$version/$1" || die "cannot download $base/$version/$1"
}
say "downloading $archive ($version)"
fetch "$archive"
fetch SHA256SUMS

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi
}
actual="$(cd "$dir" && sha256 "$archive" | cut -d' ' -f1)"
expected="$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$dir/SHA256SUMS")"
[ -n "$expected" ] || die "SHA256SUMS of $version has no line for $archive"
[ "$actual" = "$expected" ] || die "checksum mismatch for $archive: SHA256SUMS says $expected, the file is $actual"
if [ -n "${ATLINT_SHA256:-}" ] && [ "$actual" != "$ATLINT_SHA256" ]; then
    die "checksum mismatch for $archive: input sha256 is $ATLINT_SHA256, the file is $actual"
fi
say "checksum ok: $actual"

case "$ext" in
    tar.gz) tar -xzf "$dir/$archive" -C "$dir" ;;
    zip) (cd "$dir" && unzip -q -o "$archive") ;;
esac
[ -x "$dir/$name/atlantis-lint" ] || [ -f "$dir/$name/atlantis-lint.exe" ] \
    || die "the archive holds no atlantis-lint binary"
echo "$dir/$name" >> "${GITHUB_PATH:?}"
say "installed $("$dir/$name/atlantis-lint" --version)"

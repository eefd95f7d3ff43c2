#!/usr/bin/env bash
# Packages one release binary: atlantis-lint-VERSION-TARGET.tar.gz (.zip for Windows), holding a
# folder of the same name with the binary, README.md and the licence, and beside it
# ARCHIVE.sha256 (`HASH  ARCHIVE`, the sha256sum format; SHA256SUMS is their concatenation).
#
# Usage: tools/package-release.sh VERSION TARGET BIN_DIR OUT_DIR
set -euo pipefail
version="$1" target="$2" bin_dir="$3" out="$4"
here="$(cd "$(dirname "$0")/.." && pwd)"
name="atlantis-lint-$version-$target"
exe=atlantis-lint
case "$target" in *windows*) exe=atlantis-lint.exe ;; esac
[ -f "$bin_dir/$exe" ] || { echo "package-release.sh: no $bin_dir/$exe" >&2; exit 1; }

mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$bin_dir/$exe" "$here/README.md" "$stage/$name/"
[ -f "$here/LICENSE" ] && cp "$here/LICENSE" "$stage/$name/"
case "$target" in
    *windows*)
        archive="$name.zip"
        (cd "$stage" && python3 -m zipfile -c "$out/$archive" "$name" 2>/dev/null \
            || python -m zipfile -c "$out/$archive" "$name")
        ;;
    *)
        archive="$name.tar.gz"
        tar -czf "$out/$archive" -C "$stage" "$name"
        ;;
esac
sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi
}
(cd "$out" && sha256 "$archive" > "$archive.sha256")
echo "$out/$archive"

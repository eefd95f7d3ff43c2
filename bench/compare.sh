#!/usr/bin/env bash
# Times atlantis-lint as a whole process against the tools a user would otherwise reach for
# (check-jsonschema with this project's JSON Schema, yamllint), on the same inputs, with
# hyperfine; prints medians and ratios, the 1 MB case and peak memory.
#
#   bash bench/compare.sh            # everything (builds release, installs the tools)
#   RUNS=100 bash bench/compare.sh   # more runs per command
#
# Tools go into target/bench-venv (a local virtual environment); hyperfine comes from Debian's
# packages. A hook for the online probe: if bench/online.sh exists it is run at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/target/bench"
VENV="$ROOT/target/bench-venv"
RUNS="${RUNS:-50}"
mkdir -p "$OUT"

if ! command -v hyperfine >/dev/null; then
  echo "== installing hyperfine (apt-get)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq hyperfine >/dev/null
fi
if [ ! -x "$VENV/bin/check-jsonschema" ] || [ ! -x "$VENV/bin/yamllint" ]; then
  echo "== installing check-jsonschema and yamllint into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q check-jsonschema yamllint
fi

echo "== building atlantis-lint (release)"
cargo build --release --quiet
LINT="$ROOT/target/release/atlantis-lint"

# The JSON Schema: the checked-in one, else `atlantis-lint schema`, else a stand-in generated
# from the flag table (names and types only; enough to time a validation).
SCHEMA="$ROOT/schema/atlantis-server-config.schema.json"
if [ ! -f "$SCHEMA" ]; then
  SCHEMA="$OUT/schema.json"
  if ! "$LINT" schema >"$SCHEMA" 2>/dev/null; then
    echo "== no schema/atlantis-server-config.schema.json yet: using a stand-in built from src/flags/table.rs"
    python3 - "$ROOT/src/flags/table.rs" >"$SCHEMA" <<'EOF'
import json, re, sys
src = open(sys.argv[1]).read()
types = {"String": "string", "Bool": "boolean", "Int": "integer", "Int64": "integer", "Webhooks": "array"}
props = {}
for name, kind, ty in re.findall(r'name: "([^"]+)",\s*kind: FlagKind::(\w+),\s*ty: FlagType::(\w+)', src):
    if kind != "Removed":
        props[name] = {"type": types[ty]}
print(json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                  "properties": props, "additionalProperties": False}, indent=2))
EOF
  fi
fi

TYPICAL="$ROOT/fixtures/ok/github-user.yaml"
BIG="$OUT/big-1mb.yaml"
python3 - "$BIG" <<'EOF'
# A large but valid config: a long webhooks list with comments, as a big deployment might have.
import sys
lines = ["atlantis-url: https://atlantis.example.com", "repo-allowlist: github.com/acme/*",
         "gh-user: atlantis-bot", "gh-token-file: /run/gh-token",
         "slack-token: fake-slack-token-for-the-benchmark", "webhooks:"]
i = 0
while sum(len(l) + 1 for l in lines) < 1_000_000:
    lines += [f"# team {i}: plan and apply notifications for the platform repositories",
              "- event: apply", f"  workspace-regex: team-{i}-.*", "  kind: slack", f"  channel: atlantis-team-{i}"]
    i += 1
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
EOF
YAMLLINT_CFG="$OUT/yamllint.yaml"
printf 'extends: relaxed\n' >"$YAMLLINT_CFG"

machine() {
  echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "atlantis-lint $("$LINT" --version | awk '{print $2}') ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), $("$VENV/bin/check-jsonschema" --version 2>&1 | head -1), $("$VENV/bin/yamllint" --version), $(hyperfine --version)"
}

bench() { # name input runs
  local name="$1" input="$2" runs="$3"
  hyperfine -N -i --warmup 2 --runs "$runs" --style none --export-json "$OUT/$name.json" \
    -n atlantis-lint "$LINT --color never $input" \
    -n yamllint "$VENV/bin/yamllint -c $YAMLLINT_CFG $input" \
    -n check-jsonschema "$VENV/bin/check-jsonschema --schemafile $SCHEMA $input" \
    >/dev/null
  python3 - "$OUT/$name.json" "$name" <<'EOF'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
lint = res["atlantis-lint"]["median"]
print(f"{sys.argv[2]}:")
for name, r in res.items():
    ratio = "" if name == "atlantis-lint" else f"  ({r['median'] / lint:.0f}x atlantis-lint)"
    print(f"  {name:<17} median {r['median'] * 1000:8.1f} ms   min {r['min'] * 1000:8.1f} ms{ratio}")
EOF
}

peak() { # label command...
  local label="$1"; shift
  local kb
  # `|| true`: a config with findings exits 1, which must not stop the script.
  kb=$( (/usr/bin/time -v "$@" 2>&1 >/dev/null || true) | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')
  awk -v kb="$kb" -v l="$label" 'BEGIN { printf "  %-40s %6.1f MB\n", l, kb / 1024 }'
}

echo
machine
echo
bench typical "$TYPICAL" "$RUNS"
bench one-megabyte "$BIG" "${RUNS_BIG:-5}"
echo
echo "peak memory (maximum resident set size):"
peak "atlantis-lint, typical config" "$LINT" --color never "$TYPICAL"
peak "atlantis-lint, 1 MB config" "$LINT" --color never "$BIG"
peak "yamllint, typical config" "$VENV/bin/yamllint" -c "$YAMLLINT_CFG" "$TYPICAL"
peak "check-jsonschema, typical config" "$VENV/bin/check-jsonschema" --schemafile "$SCHEMA" "$TYPICAL"

# The online probe: a hook for a dedicated script, else the timing test of tests/online.rs
# (a fake HTTPS host answering every request after 200 ms; the seven hosts are probed in parallel).
if [ -x "$ROOT/bench/online.sh" ]; then
  echo
  echo "online probe (bench/online.sh):"
  LINT="$LINT" OUT="$OUT" "$ROOT/bench/online.sh"
elif grep -q 'fn seven_hosts_in_parallel_timing' "$ROOT/tests/online.rs" 2>/dev/null; then
  echo
  echo "online probe (tests/online.rs, every answer delayed 200 ms):"
  cargo test --quiet --test online seven_hosts_in_parallel_timing -- --nocapture 2>&1 | grep '^seven hosts' | sed 's/^/  /'
fi

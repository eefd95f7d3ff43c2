#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (FUZZ_SECONDS each, default 60); .ci/run calls it
# (CI_FUZZ_SECONDS each there; 0 skips).
#
# cargo-fuzz drives libFuzzer; it is installed from crates.io when missing. `-s none` (no
# sanitizer) builds on the stable toolchain; panics, arithmetic overflow (debug assertions are
# on), timeouts and out-of-memory are still caught. Each target starts from a corpus seeded with
# the fixtures and the inputs that once failed (fuzz/regressions/<target>/).
#
# The run is reproducible: the corpus starts afresh from those seeds and libFuzzer's random seed
# is fixed (FUZZ_SEED, default 1), so CI explores the same inputs in the same order on every
# run, and a machine that runs longer covers what a slower one ran. FUZZ_SEED=0 picks a random
# seed, and FUZZ_KEEP_CORPUS=1 keeps the corpus under target/ from the last run: use both to
# search further than CI does.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH="${FUZZ_SECONDS:-60}"
TARGETS="${FUZZ_TARGETS:-yaml env_file argv pipeline}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install --locked cargo-fuzz
fi
CORPUS=../target/fuzz-corpus
if [ "${FUZZ_KEEP_CORPUS:-0}" != 1 ]; then
  rm -rf "$CORPUS"
fi
mkdir -p "$CORPUS"
for t in $TARGETS; do
  mkdir -p "$CORPUS/$t"
done
# Seeds: every fixture for the file readers, the env files and command lines for theirs.
find ../fixtures -name '*.yaml' -not -name '*.expected.*' -exec cp {} "$CORPUS/yaml/" \; 2>/dev/null || true
cp "$CORPUS"/yaml/* "$CORPUS/pipeline/" 2>/dev/null || true
find ../fixtures -name '*.env' -exec cp {} "$CORPUS/env_file/" \; 2>/dev/null || true
find ../fixtures -name '*.argv' -exec cp {} "$CORPUS/argv/" \; 2>/dev/null || true
LOG=../target/fuzz-run.log
for t in $TARGETS; do
  echo "== fuzz $t for ${SECONDS_EACH}s"
  status=0
  regressions=()
  if [ -d "regressions/$t" ]; then
    regressions=("regressions/$t")
  fi
  cargo fuzz run -s none --target-dir ../target/fuzz "$t" "$CORPUS/$t" ${regressions[@]+"${regressions[@]}"} -- \
    -seed="${FUZZ_SEED:-1}" -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$LOG" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$LOG" || true
  if [ "$status" != 0 ]; then
    # The panic's own line first: the backtrace that follows can be long.
    grep -m 1 -A 4 "panicked at" "$LOG" >&2 || grep -m 3 -E "^(==[0-9]+== )?(ERROR|SUMMARY):" "$LOG" >&2 || true
    tail -n 40 "$LOG" >&2
    echo "fuzz target $t failed (status $status); a failing input is saved under fuzz/artifacts/$t/" >&2
    exit 1
  fi
done

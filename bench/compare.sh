#!/usr/bin/env bash
# Runs one benchmark against two builds of Factdesk in the same session, alternating
# (A, B, A, B, ...) so that drift of the machine falls on both, and prints each run's
# summary under its build's name. For a before/after of a change:
#   git worktree add ../before <commit> && (cd ../before && cargo build --release)
#   bench/compare.sh queue ../before/target/release/factdesk target/release/factdesk 2
# The builds must share the migrations (the data is seeded once and reused).
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${1:?usage: bench/compare.sh queue|export|auth|similar BIN_A BIN_B [rounds]}
a=$(realpath "${2:?the first build}")
b=$(realpath "${3:?the second build}")
rounds=${4:-2}
[ -x "$a" ] && [ -x "$b" ] || { echo "both builds must be executables" >&2; exit 1; }
out=${BENCH_DIR:-$PWD/target/bench}/compare-$bench
mkdir -p "$out"
for round in $(seq 1 "$rounds"); do
  for side in A B; do
    bin=$a; [ "$side" = B ] && bin=$b
    echo "==> round $round, $side: $bin"
    SKIP_BUILD=1 BIN=$bin "bench/$bench.sh" >"$out/$side-$round.log" 2>&1 || {
      echo "bench/$bench.sh failed for $side; see $out/$side-$round.log" >&2
      exit 1
    }
    cp "${BENCH_DIR:-$PWD/target/bench}/$bench/summary.txt" "$out/$side-$round.txt"
  done
done
for side in A B; do
  echo
  echo "== $side: $([ "$side" = A ] && echo "$a" || echo "$b")"
  for round in $(seq 1 "$rounds"); do
    echo "-- round $round"
    cat "$out/$side-$round.txt"
  done
done

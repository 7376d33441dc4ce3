#!/usr/bin/env bash
# The planspor benchmark, one command (also `make bench`):
#   bench/run.sh            release build, small and large data set, ~10 s per scenario;
#                           prints the table, writes bench/results/<date>-*.txt
#   bench/run.sh --smoke    CI: the debug binary `cargo test` built, tiny data, ~2 s per
#                           scenario; fails on any error or a statement count that grows
# Other arguments go to bench/bench.py (--duration, --connections, --sizes, --keep).
# Needs: cargo, python3, wrk, PostgreSQL 15 server binaries (incl. pgbench, psql).
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
for arg in "$@"; do [[ $arg == --smoke ]] && smoke=1; done

for tool in wrk python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make deps)" >&2; exit 1; }
done

# The empty handler shares planspor's target directory: its actix-web is then
# compiled once for both.
export CARGO_TARGET_DIR="$PWD/target"
if [[ $smoke == 1 ]]; then
  # CI: reuse what `cargo test` built; no empty handler (its own profile would
  # compile actix-web again), so no ratios, only errors and statement counts.
  cargo build --locked --quiet
  exec python3 bench/bench.py --binary target/debug/planspor "$@"
else
  started=$(date +%s)
  cargo build --locked --release
  cargo build --locked --release --manifest-path bench/empty-handler/Cargo.toml
  echo "bench: release builds took $(( $(date +%s) - started )) s" >&2
fi

exec python3 bench/bench.py --binary target/release/planspor \
  --empty-handler target/release/empty-handler "$@"

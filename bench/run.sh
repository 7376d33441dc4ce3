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

# The empty handler is an example of planspor's crate (examples/empty_handler.rs):
# it is built from the same compiled dependencies, with planspor's actix-web.
if [[ $smoke == 1 ]]; then
  # CI: reuse what `cargo test --all-targets` built (the debug example included);
  # tiny data, errors and statement counts only.
  cargo build --locked --quiet --bin planspor --example empty_handler
  exec python3 bench/bench.py --binary target/debug/planspor \
    --empty-handler target/debug/examples/empty_handler "$@"
fi

started=$(date +%s)
cargo build --locked --release --bin planspor --example empty_handler
echo "bench: release build took $(( $(date +%s) - started )) s" >&2

exec python3 bench/bench.py --binary target/release/planspor \
  --empty-handler target/release/examples/empty_handler "$@"

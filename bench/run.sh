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

# The empty handler (bench/empty-handler) is built in the same cargo invocation as
# planspor, so both link the same compiled actix-web.
if [[ $smoke == 1 ]]; then
  # CI: reuse what `make test` built (`cargo test --workspace --all-targets`, the
  # same targets and features); tiny data, errors and statement counts only.
  cargo build --locked --quiet --workspace --all-targets
  exec python3 bench/bench.py --binary target/debug/planspor \
    --empty-handler target/debug/empty-handler "$@"
fi

# The release binary `make run` builds (no dev-dependencies, the same features).
started=$(date +%s)
cargo build --locked --release --workspace --bins
echo "bench: release build took $(( $(date +%s) - started )) s" >&2

exec python3 bench/bench.py --binary target/release/planspor \
  --empty-handler target/release/empty-handler "$@"

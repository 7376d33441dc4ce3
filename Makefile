# The two commands of the quick start:
#   make run    install what is missing, then run the service (embedded PostgreSQL in ./data)
#   make test   install what is missing, then run every test
#   make bench  the benchmark (release build, two data sets; see BENCHMARKS.md)
.PHONY: run test deps openapi check-contract readme schemathesis bench bench-smoke samples

run: deps
	cargo run --release --locked

# --show-output: the figures some tests print (outage, pool exhaustion, shutdown
# under load) are for people to read in the log.
test: deps
	cargo fmt --all -- --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	cargo test --locked --workspace --all-targets -- --show-output
	bash scripts/check-contract.sh
	bash scripts/readme-walkthrough.sh
	bash scripts/schemathesis.sh
	bash bench/run.sh --smoke

deps:
	bash scripts/install-deps.sh

# Regenerates the committed contract from the code.
openapi:
	cargo run --quiet --locked -- --print-openapi > openapi/openapi.json

check-contract:
	bash scripts/check-contract.sh

# The README's commands as written, against a fresh service.
readme:
	cargo build --locked
	bash scripts/readme-walkthrough.sh

# Property-based test of the whole contract against a running service.
schemathesis:
	cargo build --locked
	bash scripts/schemathesis.sh

# planspor against pgbench and an empty actix-web handler, small and large data
# set; prints the table, raw output in bench/results/.
bench: deps
	bash bench/run.sh

# A few seconds per scenario on the debug binary: errors and statement counts only.
bench-smoke:
	bash bench/run.sh --smoke

# Rebuilds the sample committee documents in docs/examples/ through the API.
samples:
	PLANSPOR_WRITE_SAMPLES=1 cargo test --locked --test api sample_documents -- --nocapture

# The two commands of the quick start:
#   make run    install what is missing, then run the service (embedded PostgreSQL in ./data)
#   make test   install what is missing, then run every test
.PHONY: run test deps openapi check-contract schemathesis

run: deps
	cargo run --release --locked

test: deps
	cargo test --locked --all-targets
	bash scripts/check-contract.sh
	bash scripts/schemathesis.sh

deps:
	bash scripts/install-deps.sh

# Regenerates the committed contract from the code.
openapi:
	cargo run --quiet --locked -- --print-openapi > openapi/openapi.json

check-contract:
	bash scripts/check-contract.sh

# Property-based test of the whole contract against a running service.
schemathesis:
	cargo build --locked
	bash scripts/schemathesis.sh

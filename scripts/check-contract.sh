#!/usr/bin/env bash
# Checks the committed OpenAPI contract from the outside:
#   1. openapi/openapi.json is a valid OpenAPI 3.1 document (openapi-spec-validator);
#   2. it lints clean: Redocly CLI's `recommended` ruleset and Spectral's
#      `spectral:oas`, with no error and no warning (tests/frontend/redocly.yaml,
#      tests/frontend/.spectral.yaml: the rulesets as published, none turned off);
#   3. three generators make a TypeScript client of it without a warning, and
#      each client compiles under `tsc --strict`: openapi-typescript (the types
#      openapi-fetch runs on), @hey-api/openapi-ts (its fetch client) and orval
#      (its fetch client), into tests/frontend/generated/<tool>/;
#   4. tests/frontend/app.ts, a program on the openapi-fetch client, compiles
#      (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes) to
#      tests/frontend/out/app.js without a type assertion, a non-null assertion
#      or `any`. Run it against a live service with
#      PLANSPOR_BASE_URL=http://127.0.0.1:8080 PLANSPOR_TOKEN=<an administrator's token> node tests/frontend/out/app.js
#
# Run from the repository root: bash scripts/check-contract.sh
# Needs python3 (>= 3.10) with venv, node (>= 20.19) and npm. Tools are cached in
# target/contract-tools/venv and tests/frontend/node_modules (pinned in
# tests/frontend/package.json and package-lock.json).
# OPENAPI_FILE overrides the contract to check (default: openapi/openapi.json).
set -euo pipefail

VALIDATOR_VERSION="0.9.0" # openapi-spec-validator on PyPI

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SPEC="${OPENAPI_FILE:-openapi/openapi.json}"
case "$SPEC" in
/*) SPEC_ABS="$SPEC" ;;
*) SPEC_ABS="$ROOT/$SPEC" ;;
esac
VENV="$ROOT/target/contract-tools/venv"
FRONTEND="$ROOT/tests/frontend"

step() { printf '==> %s\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
die() {
    printf 'check-contract: error: %s\n' "$*" >&2
    exit 1
}
CURRENT="starting"
trap 'rc=$?; if [ "$rc" -ne 0 ]; then printf "check-contract: FAILED during: %s (exit %s)\n" "$CURRENT" "$rc" >&2; fi' EXIT

[ -f "$SPEC_ABS" ] || die "no contract at $SPEC (run from the repository root, or set OPENAPI_FILE)"

# --- 1. OpenAPI 3.1 validation ----------------------------------------------
CURRENT="preparing openapi-spec-validator"
step "openapi-spec-validator $VALIDATOR_VERSION in target/contract-tools/venv"
command -v python3 >/dev/null 2>&1 || die "python3 not found (Debian/Ubuntu: apt-get install python3 python3-venv)"
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
    die "openapi-spec-validator $VALIDATOR_VERSION needs Python >= 3.10; found $(python3 --version 2>&1)"

installed_validator() {
    [ -x "$VENV/bin/python" ] &&
        "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("openapi-spec-validator"))' 2>/dev/null
}

if [ "$(installed_validator || true)" = "$VALIDATOR_VERSION" ]; then
    ok "already installed"
else
    if [ ! -x "$VENV/bin/python" ]; then
        if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
            die "python3 cannot create virtualenvs: the venv/ensurepip modules are missing.
    Install them with: apt-get install python3-venv   (the Makefile's install step does this)"
        fi
        rm -rf "$VENV"
        mkdir -p "$(dirname "$VENV")"
        if ! python3 -m venv "$VENV"; then
            rm -rf "$VENV"
            die "python3 -m venv failed; on Debian/Ubuntu install python3-venv (apt-get install python3-venv)"
        fi
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "openapi-spec-validator==$VALIDATOR_VERSION" ||
        die "pip could not install openapi-spec-validator==$VALIDATOR_VERSION"
    ok "installed $(installed_validator)"
fi

CURRENT="validating $SPEC"
step "validate $SPEC as OpenAPI 3.1"
declared="$("$VENV/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1], encoding="utf-8")).get("openapi", ""))' "$SPEC_ABS")" ||
    die "$SPEC is not valid JSON"
case "$declared" in
3.1.*) ;;
*) die "$SPEC declares openapi \"$declared\", expected 3.1.x" ;;
esac
"$VENV/bin/openapi-spec-validator" --schema 3.1 --validation-errors all "$SPEC_ABS"
ok "valid OpenAPI $declared"

# --- npm tools -----------------------------------------------------------------
CURRENT="installing tests/frontend dependencies"
step "npm dependencies in tests/frontend"
command -v node >/dev/null 2>&1 || die "node not found (Node.js 20.19 or newer is needed for tests/frontend)"
command -v npm >/dev/null 2>&1 || die "npm not found (it ships with Node.js)"
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
    die "tests/frontend needs Node.js >= 20.19 (@hey-api/openapi-ts); found $(node --version)"
cd "$FRONTEND"
lock_hash="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [ -f node_modules/.lock-hash ] && [ "$(cat node_modules/.lock-hash)" = "$lock_hash" ]; then
    ok "node_modules matches package-lock.json"
else
    npm ci --no-audit --no-fund
    printf '%s\n' "$lock_hash" >node_modules/.lock-hash
    ok "npm ci done"
fi
version() { node -p "require('./node_modules/$1/package.json').version"; }

# Every gate below runs, even after one has failed, so that one run shows every
# problem; the script fails at the end if any did.
FAILED=()
fail() {
    printf '    FAILED: %s\n' "$*" >&2
    FAILED+=("$*")
}

# Runs a generator; fails its gate on a non-zero exit or on anything in its
# output that reads like a warning. The output is kept in generated/logs/<name>.log.
generate() {
    local name="$1"
    shift
    local log="generated/logs/$name.log"
    if ! "$@" >"$log" 2>&1; then
        sed 's/^/    | /' "$log" >&2
        fail "$name exited with an error (above; tests/frontend/$log)"
        return 1
    fi
    if grep -iE 'warn|⚠|🚨|❗|error|deprecat' "$log" | sed 's/^/    | /' >&2; then
        fail "$name warned (above; tests/frontend/$log)"
        return 1
    fi
}

rm -rf generated out
mkdir -p generated/logs generated/openapi-typescript
export OPENAPI_FILE="$SPEC_ABS" # read by openapi-ts.config.ts and orval.config.ts

# --- 2. Lint: no error, no warning --------------------------------------------
CURRENT="Redocly lint"
step "Redocly CLI $(version @redocly/cli) lint, recommended ruleset (tests/frontend/redocly.yaml)"
rc=0
./node_modules/.bin/redocly lint "$SPEC_ABS" --config redocly.yaml --max-problems 100000 \
    --format json >generated/logs/redocly.json 2>generated/logs/redocly.stderr || rc=$?
if [ ! -s generated/logs/redocly.json ]; then
    sed 's/^/    | /' generated/logs/redocly.stderr >&2
    fail "redocly lint produced no report (exit $rc)"
elif ! node lint-report.mjs redocly generated/logs/redocly.json; then
    fail "Redocly lint: the contract has errors or warnings (above)"
elif [ "$rc" -ne 0 ]; then
    fail "redocly lint exited with $rc"
else
    ok "no error, no warning"
fi

CURRENT="Spectral lint"
step "Spectral $(version @stoplight/spectral-cli) lint, spectral:oas ruleset (tests/frontend/.spectral.yaml)"
rc=0
./node_modules/.bin/spectral lint "$SPEC_ABS" --ruleset .spectral.yaml --fail-severity=warn \
    --format json --output generated/logs/spectral.json >generated/logs/spectral.stdout 2>&1 || rc=$?
if [ ! -s generated/logs/spectral.json ]; then
    sed 's/^/    | /' generated/logs/spectral.stdout >&2
    fail "spectral lint produced no report (exit $rc)"
elif ! node lint-report.mjs spectral generated/logs/spectral.json; then
    fail "Spectral lint: the contract has errors or warnings (above)"
elif [ "$rc" -ne 0 ]; then
    fail "spectral lint exited with $rc"
else
    ok "no error, no warning"
fi

# --- 3. Three generated clients: no warning, each compiles under tsc --strict ---
CURRENT="openapi-typescript"
step "openapi-typescript $(version openapi-typescript) -> generated/openapi-typescript/api.d.ts"
if generate openapi-typescript ./node_modules/.bin/openapi-typescript "$SPEC_ABS" -o generated/openapi-typescript/api.d.ts; then
    ok "generated $(wc -l <generated/openapi-typescript/api.d.ts) lines, no warning (compiled with app.ts below)"
fi

CURRENT="@hey-api/openapi-ts"
step "@hey-api/openapi-ts $(version @hey-api/openapi-ts) fetch client -> generated/hey-api/"
if generate hey-api ./node_modules/.bin/openapi-ts --file openapi-ts.config.ts; then
    ok "generated $(find generated/hey-api -name '*.ts' -exec cat {} + | wc -l) lines, no warning"
fi
if [ -f generated/hey-api/index.ts ]; then
    if ./node_modules/.bin/tsc -p tsconfig.hey-api.json --strict --noEmit; then
        ok "tsc --strict: the hey-api client compiles"
    else
        fail "the hey-api client does not compile under tsc --strict (above)"
    fi
fi

CURRENT="orval"
step "orval $(version orval) fetch client -> generated/orval/"
if generate orval ./node_modules/.bin/orval --config orval.config.ts; then
    ok "generated $(find generated/orval -name '*.ts' -exec cat {} + | wc -l) lines, no warning"
fi
if [ -f generated/orval/planspor.ts ]; then
    if ./node_modules/.bin/tsc -p tsconfig.orval.json --strict --noEmit; then
        ok "tsc --strict: the orval client compiles"
    else
        fail "the orval client does not compile under tsc --strict (above)"
    fi
fi

# --- 4. The program on openapi-fetch ---------------------------------------------
CURRENT="checking app.ts for escape hatches"
step "app.ts: no type assertion, non-null assertion or any"
if grep -nE ' as |!\.|!\)|!;|!,|!\]|\bany\b|@ts-(ignore|expect-error|nocheck)' app.ts | sed 's/^/    | app.ts:/' >&2; then
    fail "app.ts steps around its types (lines above): no 'as', no '!' assertion, no 'any'"
elif ! node no-escape-hatches.mjs app.ts; then
    fail "app.ts steps around its types (above)"
else
    ok "none (grep and syntax tree)"
fi

CURRENT="compiling tests/frontend/app.ts"
step "tsc -p tests/frontend --strict: app.ts on openapi-fetch $(version openapi-fetch) -> tests/frontend/out/app.js"
if [ ! -f generated/openapi-typescript/api.d.ts ]; then
    fail "app.ts not compiled: openapi-typescript generated nothing"
elif ! ./node_modules/.bin/tsc -p . --strict; then
    fail "app.ts does not compile against the contract (above)"
elif ! node -e 'import("./out/app.js").then((m) => process.exit(typeof m.main === "function" ? 0 : 1))'; then
    fail "out/app.js does not load with node, or exports no main()"
else
    ok "app.ts type-checks against the contract; out/app.js loads with node"
fi

CURRENT="done"
if [ "${#FAILED[@]}" -gt 0 ]; then
    printf 'check-contract: %s gate(s) failed:\n' "${#FAILED[@]}" >&2
    printf '  - %s\n' "${FAILED[@]}" >&2
    CURRENT="the gates above"
    exit 1
fi
printf 'contract check passed\n'

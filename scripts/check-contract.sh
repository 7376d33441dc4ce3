#!/usr/bin/env bash
# Checks the committed OpenAPI contract from the outside:
#   1. openapi/openapi.json is a valid OpenAPI 3.1 document (openapi-spec-validator);
#   2. a TypeScript frontend can use it as-is: openapi-typescript generates
#      tests/frontend/generated/api.d.ts and `tsc` type-checks tests/frontend/client.ts.
#
# Run from the repository root: bash scripts/check-contract.sh
# Needs python3 (>= 3.10) with venv, node and npm. Tools are cached in
# target/contract-tools/venv and tests/frontend/node_modules.
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

# --- 2. TypeScript frontend --------------------------------------------------
CURRENT="installing tests/frontend dependencies"
step "npm dependencies in tests/frontend"
command -v node >/dev/null 2>&1 || die "node not found (Node.js 20 or newer is needed for tests/frontend)"
command -v npm >/dev/null 2>&1 || die "npm not found (it ships with Node.js)"
cd "$FRONTEND"
lock_hash="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [ -f node_modules/.lock-hash ] && [ "$(cat node_modules/.lock-hash)" = "$lock_hash" ]; then
    ok "node_modules matches package-lock.json"
else
    npm ci --no-audit --no-fund
    printf '%s\n' "$lock_hash" >node_modules/.lock-hash
    ok "npm ci done"
fi

CURRENT="generating TypeScript types"
step "openapi-typescript: $SPEC -> tests/frontend/generated/api.d.ts"
mkdir -p generated
./node_modules/.bin/openapi-typescript "$SPEC_ABS" -o generated/api.d.ts
ok "generated $(wc -l <generated/api.d.ts) lines"

CURRENT="type-checking tests/frontend"
step "tsc -p tests/frontend"
./node_modules/.bin/tsc -p .
ok "client.ts type-checks against the contract"

CURRENT="done"
printf 'contract check passed\n'

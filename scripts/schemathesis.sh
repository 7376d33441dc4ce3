#!/usr/bin/env bash
# Property-based contract test: runs Schemathesis against a live planspor with
# the committed contract openapi/openapi.json, every operation, every check,
# all phases (examples, coverage, fuzzing, stateful).
#
#   1. installs schemathesis (pinned) into target/contract-tools/venv if missing;
#   2. starts planspor (an already-built binary) on a free loopback port with a
#      private embedded PostgreSQL cluster in a fresh temporary directory;
#   3. creates an administrator and a token with `planspor admin`, and seeds a
#      little data (organization, plan from the task_force template,
#      measurement, initiative, progress note, a draft and a published status
#      report with an erratum, a second user and a membership);
#   4. feeds the seeded ids to Schemathesis as dictionaries for the matching
#      path (and a few query/body) parameters, so that paths with ids reach
#      real rows about half of the time, and random ids the rest;
#   5. runs `st run` and exits non-zero if Schemathesis reports any failure
#      (or errors, or exceeds the wall-time limit).
#
# Run from anywhere: bash scripts/schemathesis.sh
# Needs: python3 (>= 3.10) with venv, curl, PostgreSQL server binaries (see
# scripts/install-deps.sh) and a built planspor (cargo build).
#
# Environment:
#   PLANSPOR_BIN                 planspor binary [target/debug/planspor]
#   SCHEMATHESIS_BIND            address:port for planspor [a free 127.0.0.1 port]
#   SCHEMATHESIS_MAX_EXAMPLES    test cases per operation and phase [200]
#   SCHEMATHESIS_WORKERS         concurrent workers [1: Schemathesis' workers are threads, and
#                                CPython 3.11's ast module is not safe when two threads parse at
#                                once (Hypothesis parses lambdas to describe them): a CI run failed
#                                with "AST constructor recursion depth mismatch" and 0 failures;
#                                with the GIL a second thread gains little anyway]
#   SCHEMATHESIS_SEED            seed of the run, or `random` to explore new inputs
#                                [a fixed seed: `make test` and CI generate the same
#                                cases, so a failure in CI is the same failure on a
#                                developer's machine; run with `random` to look for new ones]
#   SCHEMATHESIS_TIME_LIMIT      hard wall-time limit of the st run, seconds [1200]
#   SCHEMATHESIS_REPORT_DIR      where reports and the log go [target/schemathesis]
#   SCHEMATHESIS_EXTRA_ARGS      more arguments for `st run` (word-split)
#   OPENAPI_FILE                 contract to test [openapi/openapi.json]
set -euo pipefail

SCHEMATHESIS_VERSION="4.32.5" # schemathesis on PyPI

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SPEC="${OPENAPI_FILE:-openapi/openapi.json}"
case "$SPEC" in
/*) SPEC_ABS="$SPEC" ;;
*) SPEC_ABS="$ROOT/$SPEC" ;;
esac
VENV="$ROOT/target/contract-tools/venv"
BIN="${PLANSPOR_BIN:-$ROOT/target/debug/planspor}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-200}"
WORKERS="${SCHEMATHESIS_WORKERS:-1}"
TIME_LIMIT="${SCHEMATHESIS_TIME_LIMIT:-1200}"
REPORT_DIR="${SCHEMATHESIS_REPORT_DIR:-$ROOT/target/schemathesis}"

step() { printf '==> %s\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
die() {
    printf 'schemathesis: error: %s\n' "$*" >&2
    exit 1
}

# --- cleanup -----------------------------------------------------------------
SERVER_PID=""
DATA_DIR=""
cleanup() {
    local rc=$?
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -INT "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            printf 'schemathesis: planspor (pid %s) did not stop on SIGINT; sending SIGTERM\n' "$SERVER_PID" >&2
            kill -TERM "$SERVER_PID" 2>/dev/null || true
            sleep 2
        fi
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "$DATA_DIR" ] && [ -d "$DATA_DIR" ]; then
        rm -rf "$DATA_DIR"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -f "$SPEC_ABS" ] || die "no contract at $SPEC (set OPENAPI_FILE)"
[ -x "$BIN" ] || die "no planspor binary at $BIN (run cargo build, or set PLANSPOR_BIN)"
command -v curl >/dev/null 2>&1 || die "curl not found"

# --- 1. schemathesis -----------------------------------------------------------
step "schemathesis $SCHEMATHESIS_VERSION in target/contract-tools/venv"
command -v python3 >/dev/null 2>&1 || die "python3 not found (Debian/Ubuntu: apt-get install python3 python3-venv)"
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
    die "schemathesis $SCHEMATHESIS_VERSION needs Python >= 3.10; found $(python3 --version 2>&1)"

installed_schemathesis() {
    [ -x "$VENV/bin/python" ] &&
        "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null
}

if [ "$(installed_schemathesis || true)" = "$SCHEMATHESIS_VERSION" ]; then
    ok "already installed"
else
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -c 'import venv, ensurepip' >/dev/null 2>&1 ||
            die "python3 cannot create virtualenvs (apt-get install python3-venv)"
        rm -rf "$VENV"
        mkdir -p "$(dirname "$VENV")"
        python3 -m venv "$VENV" || {
            rm -rf "$VENV"
            die "python3 -m venv failed (apt-get install python3-venv)"
        }
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION" ||
        die "pip could not install schemathesis==$SCHEMATHESIS_VERSION"
    ok "installed $(installed_schemathesis)"
fi
PY="$VENV/bin/python"
ST="$VENV/bin/st"

# --- 2. planspor ---------------------------------------------------------------
step "start planspor"
unset DATABASE_URL
if [ -n "${SCHEMATHESIS_BIND:-}" ]; then
    BIND="$SCHEMATHESIS_BIND"
else
    port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    BIND="127.0.0.1:$port"
fi
BASE="http://$BIND"
DATA_DIR="$(mktemp -d /tmp/planspor-schemathesis.XXXXXX)"
chmod 755 "$DATA_DIR" # the embedded cluster runs as the postgres user
mkdir -p "$REPORT_DIR"
SERVER_LOG="$REPORT_DIR/planspor.log"

export PLANSPOR_DATA_DIR="$DATA_DIR"
# Schemathesis sends far more than the default 600 requests a minute; a 429 is
# a documented answer everywhere, but would hide what the operations really do.
PLANSPOR_BIND="$BIND" PLANSPOR_RATE_LIMIT_PER_MINUTE=1000000 RUST_LOG="${RUST_LOG:-info}" \
    "$BIN" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

ready=""
for _ in $(seq 1 120); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        tail -n 30 "$SERVER_LOG" >&2 || true
        die "planspor exited during startup (log: $SERVER_LOG)"
    fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/readyz" || true)" = "200" ]; then
        ready=1
        break
    fi
    sleep 0.5
done
[ -n "$ready" ] || {
    tail -n 30 "$SERVER_LOG" >&2 || true
    die "planspor did not answer 200 on /readyz within 60 s (log: $SERVER_LOG)"
}
ok "listening on $BASE (pid $SERVER_PID, data $DATA_DIR)"

# --- 3. token and seed data ------------------------------------------------------
step "administrator, token and seed data"
# jget FIELD-EXPR: reads JSON on stdin and prints a value (python expression on `d`).
jget() { "$PY" -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
ADMIN_ID="$("$BIN" admin create-user --name "Schemathesis" --email st@planspor.test --admin --json | jget 'd["id"]')"
TOKEN="$("$BIN" admin issue-token --user st@planspor.test --ttl 1h)"
[ -n "$TOKEN" ] || die "issue-token printed nothing"
ORG_ID="$("$BIN" admin create-org --name "Slagelse Kommune" --code 330)"
ORG2_ID="$("$BIN" admin create-org --name "Task Force" --kind task_force)"

# api METHOD PATH [JSON] [extra curl args...]: prints the body; dies unless 2xx.
api() {
    local method="$1" path="$2" body="${3:-}"
    shift 3 || shift $#
    local out status
    out="$(mktemp)"
    if [ -n "$body" ]; then
        status="$(curl -s -o "$out" -w '%{http_code}' -X "$method" "$BASE$path" \
            -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@" --data-binary "$body")"
    else
        status="$(curl -s -o "$out" -w '%{http_code}' -X "$method" "$BASE$path" \
            -H "Authorization: Bearer $TOKEN" "$@")"
    fi
    case "$status" in
    2??) cat "$out" && rm -f "$out" ;;
    *)
        printf 'schemathesis: seeding %s %s answered %s: %s\n' "$method" "$path" "$status" "$(cat "$out")" >&2
        rm -f "$out"
        exit 1
        ;;
    esac
}

PLAN_JSON='{"title":"Plan","period_start":"2021-03-01","period_end":"2023-03-01","template":"task_force"}'
PLAN_ID="$(api POST "/api/v1/organizations/$ORG_ID/plans" "$PLAN_JSON" | jget 'd["id"]')"
FOCUS_AREA_IDS="$(api GET "/api/v1/plans/$PLAN_ID/focus-areas" | jget '" ".join(i["id"] for i in d["items"])')"
INDICATOR_IDS="$(api GET "/api/v1/plans/$PLAN_ID/indicators" | jget '" ".join(i["id"] for i in d["items"])')"
[ -n "$FOCUS_AREA_IDS" ] && [ -n "$INDICATOR_IDS" ] || die "the task_force template made no focus areas or indicators"
INDICATOR_ID="${INDICATOR_IDS%% *}"
FOCUS_AREA_ID="${FOCUS_AREA_IDS%% *}"
MEASUREMENT_ID="$(api POST "/api/v1/indicators/$INDICATOR_ID/measurements" \
    '{"period_end":"2021-03-31","value":87.5,"note":"Seeded"}' | jget 'd["id"]')"
# A committed import (a CSV of the measurement just recorded), for GET /imports/{import_id}.
IMPORT_ID="$(curl -s -X POST "$BASE/api/v1/plans/$PLAN_ID/imports?mode=commit" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' \
    --data-binary "$(printf 'indicator_id,period_end,value\n%s,2021-03-31,87.5\n' "$INDICATOR_ID")" | jget 'd["id"]')"
[ -n "$IMPORT_ID" ] || die "seeding an import failed"
INITIATIVE_ID="$(api POST "/api/v1/focus-areas/$FOCUS_AREA_ID/initiatives" \
    '{"title":"Fast struktur for børnesamtaler","owner":"Myndighed"}' | jget 'd["id"]')"
NOTE_ID="$(api POST "/api/v1/initiatives/$INITIATIVE_ID/progress-notes" '{"body":"Godt i gang"}' | jget 'd["id"]')"
RECOMMENDATION_ID="$(api POST "/api/v1/plans/$PLAN_ID/recommendations" \
    "{\"number\":1,\"title\":\"Systematisk brug af børnesamtaler\",\"theme\":\"inddragelse\",\"focus_area_ids\":[\"$FOCUS_AREA_ID\"]}" | jget 'd["id"]')"
# Three drafts: fuzzing publishes or deletes some of them early in the run.
DRAFT_REPORT_IDS=""
for quarter in 1 2 3; do
    DRAFT_REPORT_IDS="$DRAFT_REPORT_IDS $(api POST "/api/v1/plans/$PLAN_ID/status-reports" \
        "{\"title\":\"Status, $quarter. kvartal 2021\",\"as_of\":\"2021-0$((quarter * 3))-28\"}" | jget 'd["id"]')"
done
DRAFT_REPORT_IDS="${DRAFT_REPORT_IDS# }"
PUBLISHED_ID="$(api POST "/api/v1/plans/$PLAN_ID/status-reports" \
    '{"title":"Status, 4. kvartal 2021","as_of":"2021-12-31"}' | jget 'd["id"]')"
api POST "/api/v1/status-reports/$PUBLISHED_ID/publish" "" -H 'If-Match: "1"' >/dev/null
api POST "/api/v1/status-reports/$PUBLISHED_ID/errata" '{"body":"Værdien var 71,5 %, ikke 75 %."}' >/dev/null
USER2_ID="$(api POST /api/v1/users '{"display_name":"Mette Hansen","email":"mette@slagelse.dk"}' | jget 'd["id"]')"
MEMBERSHIP_ID="$(api POST /api/v1/memberships \
    "{\"user_id\":\"$USER2_ID\",\"organization_id\":\"$ORG_ID\",\"role\":\"editor\"}" | jget 'd["id"]')"
# Rows only the DELETE operations get (see [[operations]] below), so that
# deleting them never takes away the rows the other operations work on.
seed_many() { # COUNT METHOD PATH JSON: the ids of COUNT new rows
    local ids="" n
    for n in $(seq 1 "$1"); do
        ids="$ids $(api "$2" "$3" "${4//@N@/$n}" | jget 'd["id"]')"
    done
    echo "${ids# }"
}
DISPOSABLE_INITIATIVES="$(seed_many 6 POST "/api/v1/focus-areas/$FOCUS_AREA_ID/initiatives" '{"title":"Til sletning @N@"}')"
DISPOSABLE_NOTES="$(seed_many 6 POST "/api/v1/initiatives/$INITIATIVE_ID/progress-notes" '{"body":"Til sletning @N@"}')"
CASE_REVIEW_BODY='{"kind":"legal","phase":"baseline","reviewed_on":"2021-02-15","cases_reviewed":20,"results":[{"criterion_key":"investigation_within_4_months","met":6,"not_met":10,"not_relevant":4}]}'
CASE_REVIEW_ID="$(api POST "/api/v1/plans/$PLAN_ID/case-reviews" "$CASE_REVIEW_BODY" | jget 'd["id"]')"
FINAL_REVIEW_ID="$(api POST "/api/v1/plans/$PLAN_ID/case-reviews" "${CASE_REVIEW_BODY/baseline/final}" | jget 'd["id"]')"
DISPOSABLE_CASE_REVIEWS="$(seed_many 6 POST "/api/v1/plans/$PLAN_ID/case-reviews" "${CASE_REVIEW_BODY/2021-02-15/2021-03-0@N@}")"
WEBHOOK_ID="$(api POST "/api/v1/organizations/$ORG_ID/webhooks" \
    '{"url":"https://esdh.slagelse.dk/hooks/planspor","event_types":["plan","measurement"]}' | jget 'd["id"]')"
DISPOSABLE_WEBHOOKS="$(seed_many 4 POST "/api/v1/organizations/$ORG_ID/webhooks" '{"url":"https://esdh.slagelse.dk/hooks/@N@","event_types":["plan"]}')"
DISPOSABLE_RECOMMENDATIONS="$(seed_many 6 POST "/api/v1/plans/$PLAN_ID/recommendations" '{"number":10@N@,"title":"Til sletning @N@","theme":"opfoelgning"}')"
DISPOSABLE_MEMBERSHIPS=""
for user in $(seed_many 6 POST /api/v1/users '{"display_name":"Bruger @N@"}'); do
    DISPOSABLE_MEMBERSHIPS="$DISPOSABLE_MEMBERSHIPS $(api POST /api/v1/memberships \
        "{\"user_id\":\"$user\",\"organization_id\":\"$ORG_ID\",\"role\":\"viewer\"}" | jget 'd["id"]')"
done
# A second plan, approved by a Task Force consultant, so that it has revisions.
"$BIN" admin grant --user st@planspor.test --org "$ORG_ID" --role consultant >/dev/null
APPROVED_PLAN_ID="$(api POST "/api/v1/organizations/$ORG_ID/plans" \
    '{"title":"Godkendt plan","period_start":"2021-03-01","period_end":"2023-03-01","template":"task_force"}' | jget 'd["id"]')"
api POST "/api/v1/plans/$APPROVED_PLAN_ID/transitions" '{"to":"submitted"}' >/dev/null
api POST "/api/v1/plans/$APPROVED_PLAN_ID/transitions" '{"to":"approved"}' >/dev/null
REVISIONS="$(api GET "/api/v1/plans/$APPROVED_PLAN_ID/revisions" "" | jget '" ".join(str(r["number"]) for r in d["items"])')"
[ -n "$REVISIONS" ] || die "the approved plan has no revisions"
ok "organization $ORG_ID, plan $PLAN_ID, indicator $INDICATOR_ID, measurement $MEASUREMENT_ID"
ok "approved plan $APPROVED_PLAN_ID (revisions $REVISIONS)"
ok "initiative $INITIATIVE_ID, status reports $DRAFT_REPORT_IDS (drafts) $PUBLISHED_ID (published), membership $MEMBERSHIP_ID"

# --- 4. configuration: seeded ids as parameter dictionaries ------------------------
step "schemathesis configuration"
toml_list() { # words -> TOML array of strings
    local sep="" w
    printf '['
    for w in "$@"; do
        printf '%s"%s"' "$sep" "$w"
        sep=", "
    done
    printf ']'
}
# shellcheck disable=SC2086 # word splitting of the id lists is intended
{
    cat <<EOF
# Generated by scripts/schemathesis.sh for one run; ids are of that run's seed data.

# The token of this run, for the contract's "bearer" scheme (so that the checks
# for a missing token know which header carries it).
[auth.openapi.bearer]
bearer = "\${PLANSPOR_ST_TOKEN}"

# Answers that depend on stored state or on rules between fields, which JSON
# Schema cannot state, and so are not a rejection of schema-valid data:
# - 412: the If-Match is well-formed but not the resource's current ETag (it is
#   checked before the body, so a stale writer learns to re-read first);
# - 422 of type /problems/validation: a domain rule (due_date before
#   start_date, amber above green, a percent value above 100 for a percent
#   indicator, a reference to another plan's focus area, a reason required to
#   return a plan to draft, ...). Each of these has its own integration test.
#   A body that does not match the contract is a 422 of type
#   /problems/invalid-body, and the hook check "positive_data_matches_contract"
#   (scripts/schemathesis_hooks.py) fails the run on any of those.
# - 428: RFC 6585's answer to a missing If-Match, the one required header; on
#   PUT .../sections/{focus_area_id} If-Match is optional (the first write
#   creates the section), and a 428 says the section exists by now.
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "412", "422", "428", "429", "5xx"]

[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "412", "413", "415", "422", "428", "429", "5xx"]

[checks.missing_required_header]
expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]

[dictionaries]
organizations = { values = $(toml_list "$ORG_ID" "$ORG2_ID") }
plans = { values = $(toml_list "$PLAN_ID" "$APPROVED_PLAN_ID") }
approved_plans = { values = $(toml_list "$APPROVED_PLAN_ID") }
revisions = { values = [$(echo "$REVISIONS" | tr ' ' ',')] }
focus_areas = { values = $(toml_list $FOCUS_AREA_IDS) }
indicators = { values = $(toml_list $INDICATOR_IDS) }
initiatives = { values = $(toml_list "$INITIATIVE_ID") }
measurements = { values = $(toml_list "$MEASUREMENT_ID") }
progress_notes = { values = $(toml_list "$NOTE_ID") }
status_reports = { values = $(toml_list $DRAFT_REPORT_IDS "$PUBLISHED_ID") }
memberships = { values = $(toml_list "$MEMBERSHIP_ID") }
recommendations = { values = $(toml_list "$RECOMMENDATION_ID") }
case_reviews = { values = $(toml_list "$CASE_REVIEW_ID" "$FINAL_REVIEW_ID") }
imports = { values = $(toml_list "$IMPORT_ID") }
webhooks = { values = $(toml_list "$WEBHOOK_ID") }
disposable_webhooks = { values = $(toml_list $DISPOSABLE_WEBHOOKS) }
users = { values = $(toml_list "$ADMIN_ID" "$USER2_ID") }
all_ids = { values = $(toml_list "$ORG_ID" "$PLAN_ID" "$APPROVED_PLAN_ID" $FOCUS_AREA_IDS $INDICATOR_IDS "$INITIATIVE_ID" "$MEASUREMENT_ID" "$NOTE_ID" $DRAFT_REPORT_IDS "$PUBLISHED_ID" "$MEMBERSHIP_ID" "$RECOMMENDATION_ID" "$CASE_REVIEW_ID" "$WEBHOOK_ID" "$ADMIN_ID" "$USER2_ID") }
period_ends = { values = ["2021-03-31", "2021-04-30"] }
template_keys = { values = ["notifications_assessed_24h", "investigations_within_4_months", "plans_within_3_months"] }
disposable_initiatives = { values = $(toml_list $DISPOSABLE_INITIATIVES) }
disposable_notes = { values = $(toml_list $DISPOSABLE_NOTES) }
disposable_memberships = { values = $(toml_list $DISPOSABLE_MEMBERSHIPS) }
disposable_recommendations = { values = $(toml_list $DISPOSABLE_RECOMMENDATIONS) }
disposable_case_reviews = { values = $(toml_list $DISPOSABLE_CASE_REVIEWS) }

[parameters]
"query.organization_id" = { dictionary = "organizations", probability = 0.5 }
"query.user_id" = { dictionary = "users", probability = 0.5 }
"query.actor_id" = { dictionary = "users", probability = 0.5 }
"query.entity_id" = { dictionary = "all_ids", probability = 0.5 }
"query.template_key" = { dictionary = "template_keys", probability = 0.5 }
"body.user_id" = { dictionary = "users", probability = 0.5 }
"body.organization_id" = { dictionary = "organizations", probability = 0.5 }

# The first [[operations]] entry that matches an operation decides its parameters.
# Exports render a document per call: 50 examples each are enough for their
# few parameters and keep the run's time bounded.
[[operations]]
include-path-regex = '^/api/v1/plans/[^/]+/export'
generation = { max-examples = 50 }
parameters = { "path.plan_id" = { dictionary = "plans", probability = 0.5 } }

[[operations]]
include-path-regex = '^/api/v1/status-reports/[^/]+/export'
generation = { max-examples = 50 }
parameters = { "path.status_report_id" = { dictionary = "status_reports", probability = 0.5 } }

[[operations]]
include-name = "DELETE /api/v1/initiatives/{initiative_id}"
parameters = { "path.initiative_id" = { dictionary = "disposable_initiatives", probability = 0.5 } }

[[operations]]
include-name = "DELETE /api/v1/progress-notes/{progress_note_id}"
parameters = { "path.progress_note_id" = { dictionary = "disposable_notes", probability = 0.5 } }

[[operations]]
include-name = "DELETE /api/v1/case-reviews/{case_review_id}"
parameters = { "path.case_review_id" = { dictionary = "disposable_case_reviews", probability = 0.5 } }

[[operations]]
include-path = "/api/v1/plans/{plan_id}/case-reviews/comparison"
parameters = { "path.plan_id" = { dictionary = "plans", probability = 0.5 }, "query.from" = { dictionary = "case_reviews", probability = 0.5 }, "query.to" = { dictionary = "case_reviews", probability = 0.5 } }

[[operations]]
include-name = "DELETE /api/v1/recommendations/{recommendation_id}"
parameters = { "path.recommendation_id" = { dictionary = "disposable_recommendations", probability = 0.5 } }

[[operations]]
include-name = "DELETE /api/v1/webhooks/{webhook_id}"
parameters = { "path.webhook_id" = { dictionary = "disposable_webhooks", probability = 0.5 } }

[[operations]]
include-name = "DELETE /api/v1/memberships/{membership_id}"
parameters = { "path.membership_id" = { dictionary = "disposable_memberships", probability = 0.5 } }

[[operations]]
include-path = "/api/v1/plans/{plan_id}/revisions/diff"
parameters = { "path.plan_id" = { dictionary = "approved_plans", probability = 0.5 }, "query.from" = { dictionary = "revisions", probability = 0.5 }, "query.to" = { dictionary = "revisions", probability = 0.5 } }
EOF
    # Each collection's own path parameter, its ids, and the other parameters
    # its paths have (a section's focus area, a measurement's period).
    while read -r prefix param dict; do
        others='"path.period_end" = { dictionary = "period_ends", probability = 0.5 }'
        if [ "$param" != focus_area_id ]; then
            others="$others, \"path.focus_area_id\" = { dictionary = \"focus_areas\", probability = 0.5 }"
        fi
        cat <<EOF

[[operations]]
include-path-regex = '^/api/v1/$prefix(/|\$)'
parameters = { "path.$param" = { dictionary = "$dict", probability = 0.5 }, $others }
EOF
    done <<'EOF'
organizations organization_id organizations
plans plan_id plans
focus-areas focus_area_id focus_areas
indicators indicator_id indicators
initiatives initiative_id initiatives
measurements measurement_id measurements
progress-notes progress_note_id progress_notes
status-reports status_report_id status_reports
memberships membership_id memberships
recommendations recommendation_id recommendations
case-reviews case_review_id case_reviews
imports import_id imports
webhooks webhook_id webhooks
users user_id users
EOF
    cat <<'EOF'

[[operations]]
include-path = "/api/v1/{entity}/{record_id}/history"
parameters = { "path.record_id" = { dictionary = "all_ids", probability = 0.5 } }
EOF
} >"$REPORT_DIR/schemathesis.toml"
ok "wrote $REPORT_DIR/schemathesis.toml"

# --- 5. run --------------------------------------------------------------------------
# The contract declares a `default` problem on every operation for clients; it
# would let any status pass Schemathesis's status check, so the run uses a copy
# without it: every status an operation answers must be declared by itself.
STRICT_SPEC="$REPORT_DIR/openapi-without-default.json"
python3 - "$SPEC_ABS" "$STRICT_SPEC" <<'PY'
import json, sys
contract = json.load(open(sys.argv[1], encoding="utf-8"))
for item in contract["paths"].values():
    for operation in item.values():
        if isinstance(operation, dict):
            operation.get("responses", {}).pop("default", None)
json.dump(contract, open(sys.argv[2], "w", encoding="utf-8"))
PY
step "st run: every operation, all checks, all phases"
ST_ARGS=(
    "$STRICT_SPEC"
    --url "$BASE"
    --checks all
    --max-examples "$MAX_EXAMPLES"
    --workers "$WORKERS"
    # Exports render PDFs; a debug build on a loaded 2-core machine needs seconds per
    # document, and requests queue for the two render slots (a run here next to a
    # cargo build saw one wait over 120 s).
    --request-timeout 300
    --generation-database none
    --report junit,ndjson
    --report-dir "$REPORT_DIR"
    --report-junit-path "$REPORT_DIR/junit.xml"
    --report-ndjson-path "$REPORT_DIR/events.ndjson"
    --no-color
    # Print reproducible curl commands (Idempotency-Key values are otherwise masked);
    # the token is of this run's throw-away key pair, deleted with the data directory.
    --output-sanitize false
)
SEED="${SCHEMATHESIS_SEED:-137980685176547854043195036252335558792}"
[ "$SEED" != random ] && ST_ARGS+=(--seed "$SEED")
# shellcheck disable=SC2206 # word splitting is intended
[ -n "${SCHEMATHESIS_EXTRA_ARGS:-}" ] && ST_ARGS+=($SCHEMATHESIS_EXTRA_ARGS)

ST_LOG="$REPORT_DIR/schemathesis.log"
printf '    st --config-file %s run' "$REPORT_DIR/schemathesis.toml"
for a in "${ST_ARGS[@]}"; do
    printf ' %q' "$a"
done
printf '\n'

started=$(date +%s)
set +e
# st runs from the report directory so that nothing it writes lands in the work tree.
(cd "$REPORT_DIR" && PLANSPOR_ST_TOKEN="$TOKEN" PLANSPOR_ST_BASE="$BASE" PYTHONPATH="$ROOT/scripts" SCHEMATHESIS_HOOKS=schemathesis_hooks \
    timeout --signal=INT --kill-after=30 "$TIME_LIMIT" "$ST" --config-file "$REPORT_DIR/schemathesis.toml" run "${ST_ARGS[@]}") 2>&1 | tee "$ST_LOG"
st_rc=${PIPESTATUS[0]}
set -e
elapsed=$(($(date +%s) - started))

# --- 6. summary -------------------------------------------------------------------------
step "summary"
"$PY" - "$REPORT_DIR/junit.xml" "$ST_LOG" "$elapsed" <<'PYEOF' || true
import re, sys, xml.etree.ElementTree as ET
junit, log, elapsed = sys.argv[1], sys.argv[2], sys.argv[3]
text = re.sub(r"\x1b\[[0-9;]*m", "", open(log, encoding="utf-8", errors="replace").read())
# Schemathesis' own closing section: operations, phases, failures by check, cases, seed.
summary = text.split(" SUMMARY ", 1)[1].split("\n", 1)[1] if " SUMMARY " in text else ""
for line in summary.splitlines():
    if line.strip() and not line.startswith("Reports:") and not line.startswith("  - "):
        print("    " + line)
try:
    root = ET.parse(junit).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    tests = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    print(f"    junit: {tests} test cases (one per operation, plus the stateful run), {failed} failed ({junit})")
    # The failing operations with the start of each failure, so that a CI log that keeps
    # only its tail still says what broke and how to reproduce it.
    for case in root.iter("testcase"):
        for problem in list(case.findall("failure")) + list(case.findall("error")):
            print(f"    FAILED {case.get('name')}:")
            detail = (problem.get("message") or "") + "\n" + (problem.text or "")
            for line in [l for l in detail.splitlines() if l.strip()][:25]:
                print("      " + line[:300])
except Exception as exc:  # noqa: BLE001
    print(f"    (no junit report: {exc})")
m = re.search(r"^\s*(\d+) generated, (.*)$", summary, re.M)
if m:
    found = re.search(r"(\d+) unique failures", m.group(2))
    failures = found.group(1) if found else "0"
    print(f"    cases: {m.group(1)} run, failures: {failures} unique")
print(f"    wall time: {elapsed} s")
PYEOF

if [ "$st_rc" -ne 0 ] && grep -q ' ERROR ' "$SERVER_LOG"; then
    step "planspor's errors during the run (last 20; full log: $SERVER_LOG)"
    grep ' ERROR ' "$SERVER_LOG" | tail -n 20 | cut -c1-400 | sed 's/^/    /'
fi

case "$st_rc" in
0) printf 'schemathesis: passed (%s s)\n' "$elapsed" ;;
124 | 137) die "st run exceeded the ${TIME_LIMIT} s wall-time limit (log: $ST_LOG)" ;;
*) die "Schemathesis reported failures (exit $st_rc); log: $ST_LOG, reports in $REPORT_DIR" ;;
esac

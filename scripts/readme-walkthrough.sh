#!/usr/bin/env bash
# Runs the README as written: every ```sh block after the quick start (first
# run, curl walk-through, the Task Force process end to end, the downloads),
# in order, in one shell, against a fresh service on its embedded PostgreSQL in
# a temporary data directory. Part of `make test`.
#
# Two things differ from a reader's shell, and only these: the binary is the
# one `cargo test` built (PLANSPOR_BIN, default target/debug/planspor, for
# ./target/release/planspor) and the service listens on a free port (for
# 127.0.0.1:8080). curl runs with --fail-with-body, so any answer other than
# 2xx stops the run with the status and the problem body.
#
# Afterwards it checks the files the README downloads (a PDF whose text has the
# report's title, an HTML page, an XLSX workbook, and the final report's PDF
# with the Task Force's part), that /docs renders the operations in headless
# Chromium, and runs tests/frontend/app.ts (the typed program on the generated
# client) against the same service.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$(realpath "${PLANSPOR_BIN:-$ROOT/target/debug/planspor}")"
[ -x "$BIN" ] || { echo "readme-walkthrough: $BIN is missing (cargo build)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/planspor-readme.XXXXXX)
# As root the embedded cluster runs as `postgres`, which must reach the data directory.
chmod 755 "$WORK"
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    # The README's webhook receiver, should a command after its start have failed.
    pkill -f 'python3 receiver.py' 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PLANSPOR_DATA_DIR="$WORK/data" PLANSPOR_BIND="127.0.0.1:$PORT" RUST_LOG=warn
# The README's webhook receiver listens on this machine.
export PLANSPOR_WEBHOOK_ALLOWED_HOSTS=127.0.0.1

# The README's shell blocks, but the quick start's own (make run / make test).
python3 - "$ROOT/README.md" "$BIN" "$PORT" >"$WORK/walkthrough.sh" <<'PY'
import re, sys
readme, binary, port = sys.argv[1], sys.argv[2], sys.argv[3]
blocks = re.findall(r"^```sh\n(.*?)^```", open(readme, encoding="utf-8").read(), re.S | re.M)
blocks = [b for b in blocks if not b.startswith("make ")]
script = "\n".join(blocks)
script = script.replace("./target/release/planspor", binary).replace("127.0.0.1:8080", f"127.0.0.1:{port}")
print("set -euo pipefail")
print('curl() { command curl --fail-with-body --show-error "$@"; }')
print(script)
PY
[ "$(grep -c 'curl ' "$WORK/walkthrough.sh")" -gt 30 ] || { echo "readme-walkthrough: found too few README commands" >&2; exit 1; }

"$BIN" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done

echo "==> the README's commands ($(grep -c 'curl ' "$WORK/walkthrough.sh") curl calls)"
mkdir "$WORK/downloads"
if ! (cd "$WORK/downloads" && bash "$WORK/walkthrough.sh" >"$WORK/output.txt" 2>&1); then
    tail -c 3000 "$WORK/output.txt" >&2; echo >&2
    echo "readme-walkthrough: a README command failed (above)" >&2
    exit 1
fi

echo "==> the README's webhook receiver"
verified=$(grep -c '^verified ' "$WORK/downloads/received.log" || true)
! grep -q '^FORGED' "$WORK/downloads/received.log" && [ "$verified" -ge 1 ] \
    || { cat "$WORK/downloads/received.log" >&2; echo "readme-walkthrough: no verified webhook delivery" >&2; exit 1; }
echo "    $verified deliveries, every signature verified"

echo "==> the downloaded files"
cd "$WORK/downloads"
name=Slagelse_udviklingsplan_status_2022-01-01
for extension in pdf html xlsx; do
    [ -s "$name.$extension" ] || { ls -l >&2; echo "readme-walkthrough: no $name.$extension" >&2; exit 1; }
done
[ "$(head -c 5 "$name.pdf")" = "%PDF-" ] || { echo "readme-walkthrough: $name.pdf is not a PDF" >&2; exit 1; }
pdf_text=$(pdftotext "$name.pdf" -)
[[ $pdf_text == *"Status 4. kvartal 2021"* ]] || { echo "readme-walkthrough: the PDF does not name the report" >&2; exit 1; }
grep -q "Status 4. kvartal 2021" "$name.html" || { echo "readme-walkthrough: the HTML does not name the report" >&2; exit 1; }
[ "$(head -c 2 "$name.xlsx")" = "PK" ] || { echo "readme-walkthrough: $name.xlsx is not a workbook" >&2; exit 1; }
# The final report's PDF shows the Task Force's part, and the improvement.
final_text=$(pdftotext Slagelse_udviklingsplan_status_2023-03-01.pdf - | tr -s '[:space:]' ' ')
for expected in "Task Forcens anbefalinger" "Sagsgennemgange" "Task Forcens vurdering" "+34,7 procentpoint"; do
    [[ $final_text == *"$expected"* ]] || { echo "readme-walkthrough: the final report's PDF lacks \"$expected\"" >&2; exit 1; }
done
ls -l | sed 1d | awk '{print "    " $5 " bytes  " $9}'

echo "==> the committee HTML through axe-core (WCAG 2.1 AA) in headless Chromium"
# The downloaded reports and the committed sample; npm ci ran in check-contract.sh.
if ! (cd "$ROOT/tests/frontend" && node axe-check.mjs "$WORK/downloads/$name.html" \
    "$ROOT"/docs/examples/*.html) >"$WORK/axe.txt" 2>&1; then
    cat "$WORK/axe.txt" >&2
    echo "readme-walkthrough: axe-core found violations, or could not run (above)" >&2
    exit 1
fi
sed 's/^/    /' "$WORK/axe.txt"

echo "==> /docs in headless Chromium"
# Swagger UI is a script that builds the page from /openapi.json: the operations
# are in the DOM only if the bundled assets loaded (offline, under the CSP).
dom=$(chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --disable-sync --user-data-dir="$WORK/chromium" \
    --virtual-time-budget=15000 --dump-dom "http://127.0.0.1:$PORT/docs/" 2>/dev/null)
operations=$(grep -o 'class="opblock opblock-' <<<"$dom" | wc -l)
[ "$operations" -gt 50 ] || { echo "readme-walkthrough: /docs rendered $operations operations" >&2; exit 1; }
echo "    Swagger UI rendered $operations operations"

echo "==> the typed frontend program (tests/frontend/app.ts) against this service"
# Compiled by scripts/check-contract.sh from the client generated off the contract.
APP="$ROOT/tests/frontend/out/app.js"
[ -f "$APP" ] || { echo "readme-walkthrough: $APP is missing; run scripts/check-contract.sh first (make test does)" >&2; exit 1; }
"$BIN" admin create-user --admin --name "Frontend-programmet" --email frontend@planspor.test >/dev/null
app_token=$("$BIN" admin issue-token --user frontend@planspor.test --ttl 1h)
if ! PLANSPOR_BASE_URL="http://127.0.0.1:$PORT" PLANSPOR_TOKEN="$app_token" PLANSPOR_PDF="$WORK/frontend.pdf" \
    node "$APP" >"$WORK/frontend.txt" 2>&1; then
    cat "$WORK/frontend.txt" >&2
    echo "readme-walkthrough: the typed frontend program failed against the service" >&2
    exit 1
fi
[ "$(head -c 5 "$WORK/frontend.pdf")" = "%PDF-" ] || { echo "readme-walkthrough: the program's download is not a PDF" >&2; exit 1; }
sed 's/^/    /' "$WORK/frontend.txt"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || { echo "readme-walkthrough: the service did not stop cleanly" >&2; exit 1; }
SERVER_PID=
echo "readme-walkthrough: every README command answered 2xx; the downloads are a PDF, an HTML page and an XLSX; /docs renders; the typed frontend program ran"

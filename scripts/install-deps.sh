#!/usr/bin/env bash
# Installs what planspor needs on a fresh Debian/Ubuntu machine that already has
# a Rust toolchain, and nothing that is already there:
#   - PostgreSQL server binaries (initdb, pg_ctl) for the embedded database,
#     without the distribution's own auto-started cluster;
#   - python3-venv (the OpenAPI validator runs in a private virtualenv);
#   - node and npm (the TypeScript check of the contract);
#   - poppler-utils (pdftotext, to read back exported PDFs) and chromium
#     (headless, to load exported HTML) for the export tests;
#   - wrk (the HTTP load generator of the benchmark and its smoke run).
# No libpq is needed: the service talks to PostgreSQL in pure Rust.
set -euo pipefail

missing=()

have_postgres_server() {
    { command -v initdb && command -v pg_ctl; } >/dev/null 2>&1 && return 0
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

have_postgres_server || missing+=(postgresql)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: everything is installed"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi

# planspor runs its own private cluster; keep the package from creating and
# starting a system-wide one on port 5432.
if [[ " ${missing[*]} " == *" postgresql "* ]] && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    $sudo mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.conf >/dev/null
fi

$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"

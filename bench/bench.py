#!/usr/bin/env python3
"""The planspor benchmark: planspor against the ceilings of this machine, in one run.

For each data set size (small, large) it starts planspor on its embedded
PostgreSQL cluster, loads the seeded data set, counts the SQL statements each
endpoint sends (PostgreSQL's statement log between markers), turns those exact
statements into pgbench scripts, and runs every scenario with wrk and every
script with pgbench at the same concurrency. A minimal actix-web JSON handler
(bench/empty-handler) is the HTTP ceiling. It prints one table and writes the
raw output to bench/results/.

Started by bench/run.sh (which builds the binaries); see BENCHMARKS.md.
Only the Python standard library is used.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
API = "/api/v1"
SEED = "planspor-bench-1"

# The data set shapes of issue #7. "big" adds one plan of big_* to organization 1.
SIZES = {
    "full": {
        "small": dict(orgs=5, plans=1, fa=7, ini=5, ind=3, meas=24, big=0),
        "large": dict(orgs=100, plans=2, fa=7, ini=5, ind=3, meas=24, big=1),
    },
    # Smoke: the same code paths on a few rows; "large" still has more of
    # everything, so a statement count that grows with the data shows.
    "smoke": {
        "small": dict(orgs=2, plans=1, fa=2, ini=2, ind=2, meas=4, big=0),
        "large": dict(orgs=6, plans=2, fa=2, ini=2, ind=2, meas=4, big=1),
    },
}
# The big plan of issue #7, "7 × 10 × 20 × 150 = 20,000+ measurements": 7 focus
# areas, each with 10 initiatives and 20 indicators, 150 values each (70
# initiatives, 140 indicators, 21,000 measurements: the large plan of the exports
# issue too). Its indicators are per focus area, an ordinary plan's per initiative.
BIG_SHAPE = {
    "full": dict(big_fa=7, big_ini=10, big_ind=20, big_meas=150),
    "smoke": dict(big_fa=4, big_ini=4, big_ind=10, big_meas=12),
}
# The scenarios measured alone, each with a pgbench script of its own statements.
SCENARIOS = ["tree", "list", "item", "put", "post"]
EXPORT_FORMATS = ["pdf", "html", "xlsx"]
# The mixed load: 80% reads, 15% writes, 5% status-report reads (lines per 100).
MIX = {"tree": 20, "list": 30, "item": 30, "put": 10, "post": 5, "report": 5}


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Raw:
    """The raw output of one size, written to bench/results/."""

    def __init__(self):
        self.parts = []

    def add(self, title, text):
        self.parts.append(f"===== {title}\n{text.rstrip()}\n")

    def text(self):
        return "\n".join(self.parts)


def run(cmd, check=True, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if check and result.returncode != 0:
        raise SystemExit(f"command failed ({result.returncode}): {' '.join(map(str, cmd))}\n"
                         f"{result.stdout}\n{result.stderr}")
    return result


def postgres_bin_dir():
    for version in sorted(os.listdir("/usr/lib/postgresql"), key=int, reverse=True):
        path = Path("/usr/lib/postgresql") / version / "bin"
        if (path / "pg_ctl").is_file():
            return path
    raise SystemExit("no PostgreSQL server binaries under /usr/lib/postgresql")


class Cluster:
    """The embedded cluster planspor created in data_dir, started by us with the
    same options, so planspor finds it running (start-up is then measured with
    the database up and migrated, as the issue asks) and psql/pgbench reach it."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.pgdata = data_dir / "postgres"
        self.socket = data_dir / "run"
        self.bin = postgres_bin_dir()
        self.user = "postgres" if os.geteuid() == 0 else None

    def pg_ctl(self, *args):
        return run([str(self.bin / "pg_ctl"), "--pgdata", str(self.pgdata), *args],
                   user=self.user, cwd=str(self.socket))

    def start(self):
        # The options of src/db/embedded.rs (pg_ctl_start).
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.socket}' "
                   "-c unix_socket_permissions=0700 -c max_connections=200 -c fsync=on")
        self.pg_ctl("start", "--log", str(self.log_file()), "--wait", "--timeout", "60",
                    "--options", options)

    def stop(self):
        self.pg_ctl("stop", "--mode", "fast", "--wait")

    def log_file(self):
        return self.socket / "postgres.log"

    def psql_args(self):
        return [str(self.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", str(self.socket), "-U", "postgres", "planspor"]

    def sql(self, statement):
        return run(self.psql_args() + ["-At", "-c", statement]).stdout.strip()


class Service:
    """A planspor process."""

    def __init__(self, binary, data_dir, port, log_path):
        self.binary = binary
        self.data_dir = data_dir
        self.port = port
        self.log_path = log_path
        self.process = None

    def env(self):
        env = dict(os.environ)
        env.update({
            "PLANSPOR_DATA_DIR": str(self.data_dir),
            "PLANSPOR_BIND": f"127.0.0.1:{self.port}",
            # The load generator is one caller on one IP: the default budget of
            # 600 requests/minute would turn the benchmark into 429s.
            "PLANSPOR_RATE_LIMIT_PER_MINUTE": "1000000",
            # Statements are counted per request from the server's log: the
            # background jobs' own (reminders, webhook fan-out) would blur them.
            "PLANSPOR_BACKGROUND_JOBS": "off",
            "RUST_LOG": "warn",
        })
        env.pop("DATABASE_URL", None)
        return env

    def start(self, timeout=120):
        """Starts planspor; returns the seconds from exec to /readyz 200."""
        started = time.perf_counter()
        with open(self.log_path, "a") as out:
            self.process = subprocess.Popen([str(self.binary)], env=self.env(), stdout=out,
                                            stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{self.port}/readyz"
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f"planspor exited ({self.process.returncode}); see {self.log_path}")
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.002)
        raise SystemExit(f"planspor not ready after {timeout} s; see {self.log_path}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def rss_kb(self, field):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def reset_peak_rss(self):
        """Resets VmHWM to the current RSS (Linux: clear_refs 5); where that is
        not allowed, the peak then includes the setup."""
        try:
            with open(f"/proc/{self.process.pid}/clear_refs", "w") as clear_refs:
                clear_refs.write("5")
        except OSError as error:
            log(f"could not reset the peak RSS ({error}); it includes the setup")

    def cpu_seconds(self):
        """User + system CPU time of the process so far."""
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def admin(self, *args):
        return run([str(self.binary), "admin", *args], env=self.env()).stdout.strip()


def http(port, method, path, token, body=None, headers=None, with_headers=False):
    """One request; returns (status, parsed JSON or None[, response headers])."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            payload, status, response_headers = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        payload, status, response_headers = error.read(), error.code, error.headers
    try:
        parsed = json.loads(payload)
    except ValueError:
        parsed = None
    return (status, parsed, response_headers) if with_headers else (status, parsed)


# ---------------------------------------------------------------- data set


def load_data(cluster, shape, mode, raw):
    variables = dict(shape, **BIG_SHAPE[mode], seed=SEED)
    args = cluster.psql_args()
    for name, value in variables.items():
        args += ["-v", f"{name}={value}"]
    started = time.perf_counter()
    run(args + ["-f", str(BENCH_DIR / "dataset" / "bulk.sql")])
    seconds = time.perf_counter() - started
    counts = cluster.sql(
        "SELECT (SELECT count(*) FROM organizations) || ' organizations, ' || "
        "(SELECT count(*) FROM plans) || ' plans, ' || (SELECT count(*) FROM focus_areas) || "
        "' focus areas, ' || (SELECT count(*) FROM initiatives) || ' initiatives, ' || "
        "(SELECT count(*) FROM indicators) || ' indicators, ' || "
        "(SELECT count(*) FROM measurements) || ' measurements, ' || "
        "(SELECT count(*) FROM audit_events) || ' audit events'")
    raw.add("data set", f"{variables}\nloaded in {seconds:.1f} s: {counts}")
    log(f"data loaded in {seconds:.1f} s: {counts}")
    return seconds, counts


def plan_targets(cluster, plan):
    """The ids the scenarios use within `plan`."""
    initiative = cluster.sql(f"SELECT id FROM initiatives WHERE plan_id = '{plan}' ORDER BY id LIMIT 1")
    indicators = cluster.sql(
        f"SELECT id FROM indicators WHERE plan_id = '{plan}' ORDER BY id LIMIT 32").split()
    periods = cluster.sql(
        f"SELECT DISTINCT period_end FROM measurements WHERE indicator_id = '{indicators[0]}' "
        "ORDER BY period_end DESC LIMIT 2").split()
    return {"plan": plan, "initiative": initiative, "pairs": [(i, p) for i in indicators for p in periods]}


def prepare_targets(cluster, port, token):
    """The ids the scenarios use: organization 1's largest plan (the big plan
    when there is one), and a status report created through the API; with a big
    plan, also an ordinary plan for a second mixed load."""
    by_size = cluster.sql(
        "SELECT p.id FROM plans p JOIN organizations o ON o.id = p.organization_id "
        "WHERE o.municipality_code = '101' "
        "ORDER BY (SELECT count(*) FROM indicators i WHERE i.plan_id = p.id) DESC, p.id").split()
    targets = plan_targets(cluster, by_size[0])
    # The little the API creates itself: a status report (with its sections).
    status, report = http(port, "POST", f"{API}/plans/{by_size[0]}/status-reports", token,
                          {"title": "Status benchmark", "as_of": "2025-12-31"})
    if status != 201:
        raise SystemExit(f"creating a status report answered {status}: {report}")
    # Published, as the committee exports need (a draft has no frozen snapshot).
    path = f"{API}/status-reports/{report['id']}"
    _, _, headers = http(port, "GET", path, token, with_headers=True)
    status, body = http(port, "POST", f"{path}/publish", token, headers={"If-Match": headers["ETag"]})
    if status >= 300:
        raise SystemExit(f"publishing the status report answered {status}: {body}")
    targets["report"] = report["id"]
    big = cluster.sql(f"SELECT title LIKE 'Stor %' FROM plans WHERE id = '{by_size[0]}'") == "t"
    if big:
        targets["ordinary"] = dict(plan_targets(cluster, by_size[-1]), report=report["id"])
    return targets


def request_lines(targets):
    """The requests of each endpoint, as lines for bench/wrk/scenario.lua."""
    plan, initiative, report = targets["plan"], targets["initiative"], targets["report"]
    puts = [f"PUT\t{API}/indicators/{ind}/measurements/{period}\t"
            + json.dumps({"value": round(50 + (n * 7.3) % 45, 1)})
            for n, (ind, period) in enumerate(targets["pairs"])]
    return {
        "tree": [f"GET\t{API}/plans/{plan}/tree"],
        "list": [f"GET\t{API}/plans/{plan}/indicators?limit=50"],
        "item": [f"GET\t{API}/initiatives/{initiative}"],
        "put": puts,
        "post": [f"POST\t{API}/initiatives/{initiative}/progress-notes\t"
                 + json.dumps({"body": "Fremdrift: indsatsen følger planen."})],
        "report": [f"GET\t{API}/status-reports/{report}"],
    }


# ------------------------------------------------- statements per request

ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[(\d+)\] (\w+):  (.*)$")


def log_entries(text):
    """PostgreSQL's stderr log as (pid, level, message) with continuation lines joined."""
    entries = []
    for line in text.splitlines():
        match = ENTRY.match(line)
        if match:
            entries.append([match.group(1), match.group(2), match.group(3)])
        elif entries:
            entries[-1][2] += "\n" + line[1:] if line.startswith("\t") else "\n" + line
    return entries


PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')", re.S)


def statements_of(entries):
    """The statements in log entries, with their parameters substituted."""
    statements = []
    for pid, level, message in entries:
        if level == "LOG" and (message.startswith("statement: ") or message.startswith("execute ")):
            statements.append(message.split(": ", 1)[1])
        elif level == "DETAIL" and message.startswith("parameters: ") and statements:
            params = dict(PARAM.findall(message[len("parameters: "):]))
            statements[-1] = re.sub(r"\$(\d+)", lambda m: params.get(m.group(1), m.group(0)),
                                    statements[-1])
    return statements


def count_statements(cluster, port, token, lines, raw, repeats=3):
    """Statements per request of each endpoint: PostgreSQL logs every statement
    (log_statement = all) while one request at a time runs between two markers."""
    cluster.sql("ALTER SYSTEM SET log_statement = 'all'")
    cluster.sql("SELECT pg_reload_conf()")
    time.sleep(0.2)
    counts, captured = {}, {}
    try:
        for endpoint in lines:
            per_request = []
            for n in range(repeats):
                method, path, *body = lines[endpoint][n % len(lines[endpoint])].split("\t")
                marker = f"bench-marker-{endpoint}-{n}"
                cluster.sql(f"SELECT '{marker}-start'")
                capture_start_ms = int(time.time() * 1000) - 5
                status, _ = http(port, method, path, token, json.loads(body[0]) if body else None)
                if status >= 300:
                    raise SystemExit(f"{endpoint}: {method} {path} answered {status}")
                cluster.sql(f"SELECT '{marker}-end'")
                text = cluster.log_file().read_text(errors="replace")
                section = text.split(f"'{marker}-start'", 1)[1].split(f"SELECT '{marker}-end'", 1)[0]
                section = section[:section.rfind("\n")]  # drop the end marker's log prefix
                statements = [s for s in statements_of(log_entries(section.split("\n", 1)[1]))
                              if "bench-marker" not in s]
                per_request.append(len(statements))
                captured[endpoint] = (statements, capture_start_ms, (method, path))
            counts[endpoint] = per_request
            raw.add(f"statements: {endpoint} ({per_request} per request)",
                    "\n".join(s if len(s) < 2000 else s[:2000] + " …" for s in captured[endpoint][0]))
    finally:
        cluster.sql("ALTER SYSTEM RESET log_statement")
        cluster.sql("SELECT pg_reload_conf()")
    return counts, captured


# ---------------------------------------------------------------- pgbench

UUID = re.compile(r"'([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'")


def pgbench_literal(statement, fresh_after_ms):
    """A statement as pgbench runs it: ids the service generated for this request
    (UUID v7 minted after the capture began) become gen_random_uuid(), so the
    script can repeat its INSERTs; literals holding ':' are written as E'' strings
    with the colon escaped, because pgbench reads ':name' as a variable."""

    def fresh(match):
        millis = int(match.group(1) + match.group(2), 16)
        return "gen_random_uuid()" if millis >= fresh_after_ms else match.group(0)

    statement = UUID.sub(fresh, statement)

    def escape(match):
        literal = match.group(0)
        if ":" not in literal:
            return literal
        body = literal[1:-1].replace("''", "'")
        body = body.replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\072")
        return "E'" + body + "'"

    # Only whole string literals (diesel never inlines values, so every literal
    # here is a substituted parameter). Casts such as ::text are left alone.
    return re.sub(r"'(?:[^']|'')*'", escape, statement)


def pgbench_scripts(endpoint, captured, targets, directory):
    """One script per request variant (the PUT goes to the same indicator and
    period pairs as wrk's), each the exact statements of the captured request."""
    statements, fresh_after_ms, _ = captured[endpoint]
    script = "".join(pgbench_literal(s, fresh_after_ms).replace("\n", " ") + ";\n"
                     for s in statements)
    variants = [script]
    if endpoint == "put":
        # The captured request's pair is swapped for each of the others.
        _, path = captured[endpoint][2]
        ind0, period0 = re.search(r"/indicators/([^/]+)/measurements/([^/?]+)", path).groups()
        variants = [script.replace(ind0, ind).replace(period0, period)
                    for ind, period in targets["pairs"]]
    paths = []
    for n, text in enumerate(variants):
        path = directory / f"{endpoint}-{n}.sql"
        path.write_text(text)
        paths.append(path)
    return paths


def run_pgbench(cluster, scripts, connections, seconds, raw, title):
    cmd = [str(cluster.bin / "pgbench"), "-n", "-M", "prepared", "-c", str(connections),
           "-j", "2", "-T", str(seconds), "-h", str(cluster.socket), "-U", "postgres"]
    for script in scripts:
        cmd += ["-f", f"{script}@1"]
    cmd.append("planspor")
    result = run(cmd, check=False)
    raw.add(f"pgbench {title}: {' '.join(cmd)}", result.stdout + result.stderr)
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", result.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", result.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", result.stdout)
    return {
        "tps": float(tps.group(1)) if tps else 0.0,
        "failed": int(failed.group(1)) if failed else (0 if result.returncode == 0 else -1),
        "latency_ms": float(latency.group(1)) if latency else None,
        "ok": result.returncode == 0 and tps is not None,
    }


# ---------------------------------------------------------------- wrk


def run_wrk(port, token, lines, connections, seconds, directory, name, raw, delay_ms=0,
            service=None):
    """One wrk run; with `service`, also planspor's CPU time per request, a number
    that other load on a shared machine does not change much."""
    requests = directory / f"{name}.requests"
    requests.write_text("\n".join(lines) + "\n")
    cmd = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
           "-s", str(BENCH_DIR / "wrk" / "scenario.lua"), f"http://127.0.0.1:{port}"]
    env = dict(os.environ, BENCH_REQUESTS=str(requests), BENCH_TOKEN=token,
               BENCH_DELAY_MS=str(delay_ms))
    cpu_before = service.cpu_seconds() if service else 0
    result = run(cmd, check=False, env=env)
    cpu = service.cpu_seconds() - cpu_before if service else 0
    raw.add(f"wrk {name}: BENCH_DELAY_MS={delay_ms} {' '.join(cmd)}", result.stdout + result.stderr)
    match = re.search(r"^BENCH (\{.*\})$", result.stdout, re.M)
    if not match:
        return {"rps": 0.0, "mean_ms": 0, "p50_ms": 0, "p99_ms": 0, "max_ms": 0, "errors": -1,
                "requests": 0, "cpu_us": 0}
    measured = json.loads(match.group(1))
    measured["cpu_us"] = cpu * 1e6 / measured["requests"] if measured["requests"] else 0
    return measured


def item_during_exports(port, token, item_lines, pdf_path, args, directory, raw, downloads=10):
    """The item scenario while `downloads` clients each fetch the PDF: what the
    API answers while exports queue for their render thread. Ten renders take
    longer (8 s and more for the full data sets' plans) than the scenario runs,
    so the queue does not empty while it is measured. Every download must succeed (errors count in the
    scenario's)."""
    statuses = []

    def download():
        statuses.append(http(port, "GET", pdf_path, token)[0])

    clients = [threading.Thread(target=download) for _ in range(downloads)]
    for client in clients:
        client.start()
    time.sleep(1)  # every client has a download queued or rendering
    measured = run_wrk(port, token, item_lines, args.connections, args.duration, directory,
                       "item-during-exports", raw)
    for client in clients:
        client.join()
    failed = sum(1 for status in statuses if status != 200)
    raw.add("item during exports", f"{len(statuses)} PDF downloads, {failed} not 200")
    measured["errors"] += failed
    measured["downloads"] = len(statuses)
    return measured


def empty_handler_ceiling(binary, port, connections, seconds, directory, raw):
    process = subprocess.Popen([str(binary)], env=dict(os.environ, EMPTY_HANDLER_BIND=f"127.0.0.1:{port}"))
    try:
        for _ in range(500):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=1).read()
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.01)
        return run_wrk(port, "", ["GET\t/json"], connections, seconds, directory, "empty-handler", raw)
    finally:
        process.terminate()
        process.wait()


def mix_lines(lines):
    """The mixed load as request lines, weights by line count (100 lines)."""
    return [line for endpoint, weight in MIX.items() for line in (lines[endpoint] * weight)[:weight]]


def mixed_at_half(port, token, mixed, peak, args, directory, raw, size, service):
    """The mixed load at half its maximum rate. wrk paces each connection with a
    delay between a response and the next request, so the rate is
    connections / (delay + latency): a short calibration run measures the
    latency part, then the measured run uses the delay that gives the target."""
    c, target = args.connections, peak["rps"] / 2
    if target <= 0:
        return dict(peak, target_rps=0)
    cycle_ms = c * 1000 / target
    delay = max(1, round(cycle_ms - peak["mean_ms"] / 2))
    probe = run_wrk(port, token, mixed, c, min(3, args.duration), directory, "mixed-half-calibration",
                    raw, delay_ms=delay)
    if probe["rps"] > 0:
        latency_part = c * 1000 / probe["rps"] - delay
        delay = max(1, round(cycle_ms - latency_part))
    log(f"{size}: wrk mixed at half rate (~{target:.0f} req/s, {delay} ms between requests)")
    half = run_wrk(port, token, mixed, c, args.duration, directory, "mixed-half", raw,
                   delay_ms=delay, service=service)
    half["target_rps"] = target
    return half


# ---------------------------------------------------------------- one size


def bench_size(size, args, empty):
    mode = "smoke" if args.smoke else "full"
    shape = SIZES[mode][size]
    raw = Raw()
    work = Path(tempfile.mkdtemp(prefix=f"planspor-bench-{size}-"))
    work.chmod(0o755)  # the cluster's user (postgres, when we are root) must reach data/
    data_dir = work / "data"
    port = args.port
    service = Service(args.binary, data_dir, port, work / "planspor.log")
    cluster = Cluster(data_dir)
    result = {"size": size, "shape": shape, "scenarios": {}, "pgbench": {}}
    cluster_started = False
    try:
        log(f"{size}: first start (initdb, migrations) in {data_dir}")
        result["first_start_s"] = service.start()
        service.stop()
        cluster.start()
        cluster_started = True
        # Start-up to ready with the database running and migrated: best of three.
        times = []
        for attempt in range(3):
            times.append(service.start())
            if attempt < 2:
                service.stop()
        result["startup_s"] = min(times)
        raw.add("start-up to /readyz 200 (database running, migrated)", f"{times}")
        time.sleep(1)
        result["idle_rss_kb"] = service.rss_kb("VmRSS")
        result["load_s"], result["counts"] = load_data(cluster, shape, mode, raw)
        service.admin("create-user", "--name", "Bench Editor", "--email", "bench@example.dk")
        service.admin("grant", "--user", "bench@example.dk", "--org", "101", "--role", "editor")
        token = service.admin("issue-token", "--user", "bench@example.dk", "--ttl", "4h")
        targets = prepare_targets(cluster, port, token)
        lines = request_lines(targets)

        export_path = f"{API}/status-reports/{targets['report']}/export/"
        exports = {}
        # Probed as JSON, which renders nothing: a PDF before the API scenarios
        # would leave its memory in the API's peak.
        if http(port, "GET", export_path + "json", token)[0] == 404:
            log(f"{size}: the export endpoint answers 404; export scenarios skipped")
            raw.add("exports", "probe answered 404: endpoint not built; scenarios skipped")
        else:
            exports = {f"export-{fmt}": [f"GET\t{export_path}{fmt}"] for fmt in EXPORT_FORMATS}
        result["exports_skipped"] = [f for f in EXPORT_FORMATS if f"export-{f}" not in exports]

        # Peak RSS under load is what the target is about: the setup (publishing
        # the big plan's report) is recorded separately, then the peak is reset.
        result["setup_peak_rss_kb"] = service.rss_kb("VmHWM")
        service.reset_peak_rss()
        log(f"{size}: counting statements per request")
        counts, captured = count_statements(cluster, port, token, lines, raw)
        result["statements"] = counts

        scripts_dir = work / "pgbench"
        scripts_dir.mkdir()
        wrk_dir = work / "wrk"
        wrk_dir.mkdir()
        c, d = args.connections, args.duration
        for scenario in SCENARIOS:
            log(f"{size}: wrk {scenario} ({d} s, {c} connections)")
            result["scenarios"][scenario] = run_wrk(port, token, lines[scenario], c, d, wrk_dir,
                                                    scenario, raw, service=service)
            scripts = pgbench_scripts(scenario, captured, targets, scripts_dir)
            log(f"{size}: pgbench {scenario} ({args.pgbench_duration} s, {c} clients)")
            result["pgbench"][scenario] = run_pgbench(cluster, scripts, c, args.pgbench_duration,
                                                      raw, scenario)

        mixed = mix_lines(lines)
        log(f"{size}: wrk mixed (maximum rate)")
        peak = run_wrk(port, token, mixed, c, d, wrk_dir, "mixed", raw, service=service)
        result["scenarios"]["mixed"] = peak
        result["scenarios"]["mixed @ half"] = mixed_at_half(port, token, mixed, peak, args,
                                                            wrk_dir, raw, size, service)
        if "ordinary" in targets:
            # The big plan's tree alone takes longer than 20 ms; the same mix on an
            # ordinary plan of the large database shows what the rest costs.
            ordinary = mix_lines(request_lines(targets["ordinary"]))
            log(f"{size}: wrk mixed on an ordinary plan (maximum rate)")
            peak = run_wrk(port, token, ordinary, c, d, wrk_dir, "mixed-ordinary", raw, service=service)
            result["scenarios"]["mixed/ordinary"] = peak
            result["scenarios"]["ord. @ half"] = mixed_at_half(
                port, token, ordinary, peak, args, wrk_dir, raw, size, service)
        result["peak_rss_kb"] = service.rss_kb("VmHWM")
        if exports:
            # Last, so that their memory is not in the API's peak. The first PDF
            # of the process: a child starts cold, so this is every PDF's wait.
            pdf_path = exports["export-pdf"][0].split("\t")[1]
            started = time.monotonic()
            first_status = http(port, "GET", pdf_path, token)[0]
            result["first_pdf_s"] = time.monotonic() - started
            raw.add("first PDF of the process", f"{first_status} in {result['first_pdf_s']:.3f} s")
            log(f"{size}: counting statements per export")
            counts.update(count_statements(cluster, port, token, exports, raw)[0])
            for name, export_lines in exports.items():
                # One download at a time: exports render one at a time anyway,
                # and more connections would only measure the queue.
                log(f"{size}: wrk {name} (1 connection)")
                result["scenarios"][name] = run_wrk(port, token, export_lines, 1, d, wrk_dir, name,
                                                    raw, service=service)
            log(f"{size}: wrk item while 10 clients download the PDF")
            result["scenarios"]["item + 10 PDF"] = item_during_exports(
                port, token, lines["item"], exports["export-pdf"][0].split("\t")[1], args,
                wrk_dir, raw)
            result["export_peak_rss_kb"] = service.rss_kb("VmHWM")
            # What the service keeps once the exports are over: 20 more PDFs
            # one after another, then its resident memory.
            statuses = [http(port, "GET", pdf_path, token)[0] for _ in range(20)]
            time.sleep(1)
            result["rss_after_pdfs_kb"] = service.rss_kb("VmRSS")
            raw.add("RSS after 20 more PDF exports",
                    f"{result['rss_after_pdfs_kb']} kB; statuses {sorted(set(statuses))}")
    finally:
        service.stop()
        if cluster_started:
            cluster.stop()
    result["raw"] = raw.text()
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return result


# ---------------------------------------------------------------- report


def table(results, empty):
    out = []
    for result in results:
        size = result["size"]
        out.append(f"\n## {size}: {result['counts']}\n")
        out.append(f"{'scenario':<14} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
                   f"{'errors':>6} {'pgbench tps':>11} {'÷ pgbench':>9} {'÷ empty':>8} {'CPU µs/req':>10}")
        for name, r in result["scenarios"].items():
            pg = result["pgbench"].get(name)
            ratio_pg = f"{r['rps'] / pg['tps']:.2f}" if pg and pg["tps"] > 0 else "-"
            tps = f"{pg['tps']:.0f}" if pg else "-"
            ratio_empty = f"{r['rps'] / empty['rps']:.3f}" if empty["rps"] > 0 else "-"
            out.append(f"{name:<14} {r['rps']:>9.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
                       f"{r['max_ms']:>8.1f} {r['errors']:>6} {tps:>11} {ratio_pg:>9} {ratio_empty:>8} "
                       f"{r.get('cpu_us', 0):>10.0f}")
        for name, half in result["scenarios"].items():
            if "target_rps" in half:
                out.append(f"({name}: aimed at {half['target_rps']:.0f} req/s, half the maximum; "
                           f"achieved {half['rps']:.0f})")
        if result["exports_skipped"]:
            out.append(f"(exports not measured, endpoint answers 404: {', '.join(result['exports_skipped'])})")
        item_exports = result["scenarios"].get("item + 10 PDF")
        if item_exports:
            out.append(f"(item + 10 PDF: the item scenario while 10 clients download the PDF; "
                       f"{item_exports['downloads']} downloads)")
        exports_peak = (f", with the exports {result['export_peak_rss_kb'] / 1024:.1f} MB"
                        if "export_peak_rss_kb" in result else "")
        out.append(f"\nidle RSS {result['idle_rss_kb'] / 1024:.1f} MB, peak RSS under load "
                   f"{result['peak_rss_kb'] / 1024:.1f} MB{exports_peak} (during the setup: "
                   f"{result['setup_peak_rss_kb'] / 1024:.1f} MB), ready in {result['startup_s'] * 1000:.0f} ms "
                   f"(database running and migrated; first start with initdb "
                   f"{result['first_start_s']:.1f} s), data load {result['load_s']:.1f} s")
    if empty["requests"]:
        out.append(f"\nempty actix-web JSON handler: {empty['rps']:.0f} req/s, "
                   f"p50 {empty['p50_ms']:.2f} ms, p99 {empty['p99_ms']:.2f} ms, "
                   f"errors {empty['errors']}")
    out.append("\n## SQL statements per request (3 requests each)\n")
    names = list(results[0]["statements"])
    out.append(f"{'endpoint':<14} " + " ".join(f"{r['size']:>12}" for r in results))
    for name in names:
        out.append(f"{name:<14} " + " ".join(
            f"{'/'.join(map(str, r['statements'].get(name, []))):>12}" for r in results))
    return "\n".join(out)


def targets(results):
    """The targets of issue #7, each met or missed, per size."""
    out = ["\n## Targets (issue #7)\n"]

    def line(ok, text):
        out.append(f"{'met   ' if ok else 'MISSED'} {text}")

    for r in results:
        size = r["size"]
        for name in SCENARIOS:
            scenario, pg = r["scenarios"][name], r["pgbench"][name]
            ratio = scenario["rps"] / pg["tps"] if pg["tps"] else 0
            line(ratio >= 0.5, f"{size} {name}: {ratio:.2f} of pgbench's rate for its SQL (>= 0.50)")
        for name, half in r["scenarios"].items():
            if "target_rps" in half:
                line(half["p99_ms"] < 20, f"{size} {name} (half the maximum rate): p99 "
                                          f"{half['p99_ms']:.1f} ms (< 20 ms; {half['rps']:.0f} req/s)")
        line(r["idle_rss_kb"] < 30 * 1024, f"{size} idle RSS {r['idle_rss_kb'] / 1024:.1f} MB (< 30 MB)")
        if "rss_after_pdfs_kb" in r:
            line(r["rss_after_pdfs_kb"] < 100 * 1024,
                 f"{size} RSS after 20 PDF exports {r['rss_after_pdfs_kb'] / 1024:.1f} MB (< 100 MB, issue 17)")
            line(r["first_pdf_s"] < 1.5,
                 f"{size} first PDF of a fresh process {r['first_pdf_s']:.2f} s (< 1.5 s, issue 17)")
        line(r["peak_rss_kb"] < 150 * 1024,
             f"{size} peak RSS under the API load {r['peak_rss_kb'] / 1024:.1f} MB (< 150 MB)")
        if "export_peak_rss_kb" in r:
            extra = r["export_peak_rss_kb"] - r["peak_rss_kb"]
            line(extra < 100 * 1024, f"{size} the exports add {extra / 1024:.1f} MB to the peak "
                                     "(< 100 MB per export, issue #5)")
        line(r["startup_s"] < 0.5, f"{size} ready in {r['startup_s'] * 1000:.0f} ms (< 500 ms)")
    if len(results) == 2:
        same = all(max(results[1]["statements"].get(n, [0])) == max(c)
                   for n, c in results[0]["statements"].items())
        line(same, "statements per request equal at both sizes (no N+1)")
    return "\n".join(out)


def problems(results, empty):
    """What makes the run fail: errors anywhere, statements growing with size."""
    found = []
    if empty["errors"] != 0:
        found.append("empty handler: errors")
    for result in results:
        for name, r in result["scenarios"].items():
            if r["errors"] != 0 or r["requests"] == 0:
                found.append(f"{result['size']} {name}: {r['errors']} errors in {r['requests']} requests")
        for name, pg in result["pgbench"].items():
            if not pg["ok"] or pg["failed"] != 0:
                found.append(f"{result['size']} pgbench {name}: failed")
        for name, counts in result["statements"].items():
            if len(set(counts)) != 1:
                found.append(f"{result['size']} {name}: statements per request vary: {counts}")
    if len(results) == 2:
        small, large = results[0]["statements"], results[1]["statements"]
        for name in small:
            if max(large.get(name, [0])) > max(small[name]):
                found.append(f"{name}: statements per request grow with size: "
                             f"{small[name]} small, {large.get(name)} large")
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", type=Path, required=True, help="the planspor binary")
    parser.add_argument("--empty-handler", type=Path,
                        help="the empty-handler binary (without it, no HTTP ceiling is measured)")
    parser.add_argument("--smoke", action="store_true", help="seconds per scenario, tiny data")
    parser.add_argument("--duration", type=int, help="wrk seconds per scenario")
    parser.add_argument("--pgbench-duration", type=int, help="pgbench seconds per script")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--sizes", default="small,large")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directories")
    args = parser.parse_args()
    args.duration = args.duration or (2 if args.smoke else 3)
    args.pgbench_duration = args.pgbench_duration or (1 if args.smoke else args.duration)
    if args.smoke:
        args.connections = min(args.connections, 4)

    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="planspor-bench-"))
    empty_raw = Raw()
    empty = {"rps": 0.0, "p50_ms": 0, "p99_ms": 0, "max_ms": 0, "errors": 0, "requests": 0}
    if args.empty_handler:
        log("empty handler ceiling")
        empty = empty_handler_ceiling(args.empty_handler, args.port + 10, args.connections,
                                      args.duration, scratch, empty_raw)
    shutil.rmtree(scratch, ignore_errors=True)
    results = [bench_size(size, args, empty) for size in args.sizes.split(",")]
    report = table(results, empty)
    if not args.smoke:
        report += "\n" + targets(results)
    found = problems(results, empty)
    elapsed = time.perf_counter() - started
    header = (f"planspor benchmark ({'smoke' if args.smoke else 'full'}), "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {args.connections} connections, "
              f"wrk {args.duration} s / pgbench {args.pgbench_duration} s per scenario, "
              f"measuring took {elapsed:.0f} s")
    print(header)
    print(report)
    if not args.smoke:
        args.results.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y-%m-%d-%H%M", time.gmtime())
        (args.results / f"{stamp}-summary.txt").write_text(header + "\n" + report + "\n")
        for result in results:
            (args.results / f"{stamp}-{result['size']}.txt").write_text(
                empty_raw.text() + "\n" + result["raw"])
        log(f"raw output in {args.results}/{stamp}-*.txt")
    if found:
        print("\nFAILED:\n  " + "\n  ".join(found))
        sys.exit(1)


if __name__ == "__main__":
    main()

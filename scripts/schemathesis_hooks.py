"""Schemathesis hooks for planspor, loaded by scripts/schemathesis.sh.

A client gives every distinct request its own Idempotency-Key; only a retry of
the same request repeats one. Generated data repeats keys across different
requests (Hypothesis favours short, simple strings), which planspor rightly
answers with 422. This hook keeps every generated key as it is, except a valid
key that was already sent with a different request, which it replaces with a
fresh one, as a real client would have used. Malformed keys (the negative
tests) are never touched.

A client changes a resource with the ETag it has just read. Generated If-Match
values are well-formed versions but rarely the current one, so nearly every
generated change would stop at its precondition (412) and never reach the
rules the contract states. For positive cases, a well-formed If-Match is
therefore replaced by the resource's current ETag, read with a GET as a client
would; a stale If-Match (412) and a missing one (428) are proven by the
integration tests, and negative cases are never touched.
"""

import os
import re
import threading
import urllib.request
import uuid

import schemathesis

VALID_KEY = re.compile(r"^[!-~]{1,255}$")
_first_use: dict[str, tuple] = {}
_lock = threading.Lock()


def _fingerprint(case) -> tuple:
    return (case.method.upper(), case.formatted_path, repr(case.body), repr(case.query))


OUR_ETAG = re.compile(r'^"[0-9]+"$')


def _current_etag(path: str) -> str | None:
    base = os.environ.get("PLANSPOR_ST_BASE")
    token = os.environ.get("PLANSPOR_ST_TOKEN")
    if not base or not token:
        return None
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.headers.get("ETag")
    except Exception:  # noqa: BLE001 - a missing resource keeps the generated value
        return None


def _refresh_if_match(case, headers) -> None:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    method = case.method.upper()
    if method not in ("PATCH", "DELETE", "PUT", "POST"):
        return
    if_match = headers.get("If-Match")
    if isinstance(if_match, str) and OUR_ETAG.match(if_match):
        # A POST with If-Match acts on its parent (POST /status-reports/{status_report_id}/publish).
        path = case.formatted_path.rsplit("/", 1)[0] if method == "POST" else case.formatted_path
        current = _current_etag(path)
        if current:
            headers["If-Match"] = current


# The event feed's long poll waits up to `wait` seconds for a change that may
# never come; here at most 1 s, so a run stays short (tests/api/events.rs
# proves the waiting itself).
MAX_FEED_WAIT = 1


def _cap_feed_wait(case) -> None:
    query = case.query
    if case.path == "/api/v1/events" and query and isinstance(query.get("wait"), int):
        query["wait"] = min(query["wait"], MAX_FEED_WAIT)


@schemathesis.hook
def before_call(context, case, kwargs):
    _cap_feed_wait(case)
    headers = case.headers
    if not headers:
        return
    _refresh_if_match(case, headers)
    key = headers.get("Idempotency-Key")
    if not isinstance(key, str) or not VALID_KEY.match(key):
        return
    fingerprint = _fingerprint(case)
    with _lock:
        first = _first_use.setdefault(key, fingerprint)
        if first != fingerprint:
            fresh = str(uuid.uuid4())
            _first_use[fresh] = fingerprint
            headers["Idempotency-Key"] = fresh


@schemathesis.check
def positive_data_matches_contract(ctx, response, case):
    """Schema-valid data must never be refused as not matching the contract.

    planspor answers a body whose shape differs from the contract (a wrong type,
    an unknown enum value or field, a missing field) with a 422 problem of type
    /problems/invalid-body, and a broken domain rule with a 422 of type
    /problems/validation. The second is allowed for generated data (see the
    configuration in scripts/schemathesis.sh); the first means the contract and
    the code disagree.
    """
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code != 422:
        return None
    try:
        problem = response.json()
    except ValueError:
        return None
    if isinstance(problem, dict) and problem.get("type") == "/problems/invalid-body":
        raise AssertionError(
            "Schema-valid data was refused as not matching the contract: "
            f"{problem.get('detail')}"
        )
    return None

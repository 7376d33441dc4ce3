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

Some rules relate fields to each other, which JSON Schema cannot state: a case
review's counts add up to the cases reviewed, a plan's period and thresholds
are in order, an assessment names focus areas of its own plan, an import is a
spreadsheet with a header. For positive cases the generated values are brought
within those rules (`_within_cross_field_rules`), as a client that knows them
would send, so the generated data reaches the code behind the validation; the
integration tests prove each refusal.

Schemathesis 4.32's coverage phase at times builds a "missing required
property" case for a property the operation's body does not require (seen for
a webhook's optional `description`, taken from a resource its pool captured).
Such a request is valid by the contract, so `filter_case` drops it instead of
letting it be judged as data planspor should have refused.
"""

import json
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


# Criteria of the current set that every kind of review uses.
CRITERIA = [
    "notification_assessed_within_24_hours",
    "investigation_within_4_months",
    "investigation_reasoned_conclusion",
    "professionals_involved",
    "child_views_obtained_before_decision",
    "parents_involved_in_investigation",
    "plan_within_3_months",
    "plan_has_concrete_goals",
    "first_followup_on_time",
]

# A spreadsheet a municipality would import into a plan made from the Task
# Force template (every seeded plan is).
IMPORT_FILE = (
    "Skabelonnøgle;Periodens slutdato;Værdi\r\n"
    "investigations_within_4_months;2021-03-31;71,5\r\n"
    "cases_per_social_worker;2021-06-30;33\r\n"
)


def _counts_that_add_up(body: dict) -> None:
    cases = body.get("cases_reviewed")
    if not isinstance(cases, int) or not 1 <= cases <= 10000:
        cases = 20
        if "cases_reviewed" in body:
            body["cases_reviewed"] = cases
    results = body.get("results")
    if not isinstance(results, list):
        return
    body.pop("criteria_key", None)
    body.pop("criteria_version", None)
    for n, result in enumerate(results[: len(CRITERIA)]):
        if not isinstance(result, dict):
            continue
        met = result.get("met") if isinstance(result.get("met"), int) else 0
        not_met = result.get("not_met") if isinstance(result.get("not_met"), int) else 0
        met = min(max(met, 0), cases)
        not_met = min(max(not_met, 0), cases - met)
        result.update(criterion_key=CRITERIA[n], met=met, not_met=not_met,
                      not_relevant=cases - met - not_met)
    del results[len(CRITERIA):]


def _in_order(body: dict, first: str, second: str) -> None:
    low, high = body.get(first), body.get(second)
    if low is None and high is None:
        return
    if low is None or high is None or low == high:
        body.pop(first, None)
        body.pop(second, None)
    elif low > high:
        body[first], body[second] = high, low


def _within_cross_field_rules(case) -> None:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    method, path = case.method.upper(), case.path
    body = case.body
    if path.endswith("/imports") and method == "POST":
        case.body = IMPORT_FILE
        case.media_type = "text/csv"
    elif not isinstance(body, dict):
        return
    elif "case-reviews" in path and method in ("POST", "PATCH"):
        _counts_that_add_up(body)
    elif path == "/api/v1/plans/{plan_id}" and method == "PATCH":
        _in_order(body, "period_start", "period_end")
        _in_order(body, "amber_threshold", "green_threshold")
    elif path.endswith("/assessment") and method == "PUT":
        body.pop("focus_areas", None)
    elif "webhooks" in path and method in ("POST", "PATCH") and "url" in body:
        # A delivery target is a public https host (the SSRF rules); a secret
        # of one's own is whsec_ and 24-64 bytes of base64.
        # A description is a title: no control characters, not blank.
        body["url"] = "https://esdh.slagelse.dk/hooks/planspor"
        body.pop("secret", None)
        body["description"] = "ESDH"
    elif "indicators" in path and method in ("POST", "PATCH"):
        # An owner is an editor or consultant of the plan's organization.
        body.pop("owner_id", None)


_CONTRACT_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "openapi", "openapi.json")
with open(_CONTRACT_FILE, encoding="utf-8") as _file:
    _CONTRACT = json.load(_file)


def _body_required(method: str, path: str) -> set:
    """The properties the operation's JSON body requires, by the committed contract."""
    operation = _CONTRACT["paths"].get(path, {}).get(method.lower(), {})
    schema = (
        operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    )
    ref = schema.get("$ref", "")
    if ref:
        schema = _CONTRACT["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return set(schema.get("required", []))


@schemathesis.hook
def filter_case(context, case):
    phase = getattr(case.meta, "phase", None) if case.meta is not None else None
    data = getattr(phase, "data", None)
    if str(getattr(data, "scenario", "")) != "object_missing_required_property":
        return True
    location = getattr(data, "parameter_location", None)
    if str(getattr(location, "value", location)) != "body":
        return True
    return getattr(data, "parameter", None) in _body_required(case.method, case.path)


@schemathesis.hook
def before_call(context, case, kwargs):
    _cap_feed_wait(case)
    _within_cross_field_rules(case)
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

//! The access matrix, generated from the committed contract: every `/api/v1`
//! operation is called with real ids of one municipality by each role of
//! another (editor, viewer, consultant) and must answer exactly as for an id
//! that does not exist, with no row of the first municipality in any answer;
//! every write is also tried by a viewer of the owning municipality (403).
//! An operation in the contract without a case here fails the test, so a new
//! endpoint cannot skip it.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::{Response, TestApp, spawn_app};

/// One municipality's resources, all of them real rows.
struct Municipality {
    organization: String,
    plan: String,
    focus_area: String,
    initiative: String,
    indicator: String,
    measurement: String,
    note: String,
    draft: String,
    published: String,
    membership: String,
    recommendation: String,
    case_review: String,
    import: String,
    webhook: String,
    viewer_user: String,
    viewer_token: String,
}

impl Municipality {
    fn ids(&self) -> [&str; 15] {
        [
            &self.organization,
            &self.plan,
            &self.focus_area,
            &self.initiative,
            &self.indicator,
            &self.measurement,
            &self.note,
            &self.draft,
            &self.published,
            &self.membership,
            &self.recommendation,
            &self.case_review,
            &self.import,
            &self.webhook,
            &self.viewer_user,
        ]
    }
}

async fn municipality(app: &TestApp, code: &str) -> Municipality {
    let organization = app.create_organization(code).await.id();
    let plan = app.create_plan_for(&organization).await.id();
    let focus_area = app.create_focus_area(&plan, "Inddragelse").await.id();
    let initiative = app
        .create_initiative(&focus_area, "Børnesamtaler")
        .await
        .id();
    let indicator = app
        .create_indicator(&plan, json!({"focus_area_id": focus_area}))
        .await
        .id();
    let measurement = app
        .put(
            &format!("/api/v1/indicators/{indicator}/measurements/2025-03-31"),
            &[],
            &json!({"value": 50}),
        )
        .await
        .expect(201)
        .id();
    let note = app
        .post(
            &format!("/api/v1/initiatives/{initiative}/progress-notes"),
            &json!({"body": "Skrevet af administratoren"}),
        )
        .await
        .expect(201)
        .id();
    let report = |title: &'static str| {
        let path = format!("/api/v1/plans/{plan}/status-reports");
        async move {
            app.post(&path, &json!({"title": title, "as_of": "2025-03-31"}))
                .await
                .expect(201)
        }
    };
    let recommendation = app
        .post(
            &format!("/api/v1/plans/{plan}/recommendations"),
            &json!({"number": 1, "title": "Børnesamtaler", "theme": "inddragelse",
                    "focus_area_ids": [focus_area]}),
        )
        .await
        .expect(201)
        .id();
    let case_review = app
        .post(
            &format!("/api/v1/plans/{plan}/case-reviews"),
            &case_review_body(),
        )
        .await
        .expect(201)
        .id();
    let import = app
        .send_raw(
            "POST",
            &format!("/api/v1/plans/{plan}/imports?mode=commit"),
            "text/csv",
            format!("indicator_id,period_end,value\n{indicator},2024-12-31,7\n").into_bytes(),
        )
        .await
        .expect(201)
        .id();
    let webhook = app
        .post(
            &format!("/api/v1/organizations/{organization}/webhooks"),
            &json!({"url": "https://esdh.slagelse.dk/hook", "event_types": ["plan"]}),
        )
        .await
        .expect(201)
        .id();
    let draft = report("Udkast").await.id();
    let published = report("Status").await;
    app.publish(&published.id(), &published.etag())
        .await
        .expect(200);
    let (viewer_user, viewer_token) = app
        .user(
            &format!("Viewer {code}"),
            Some(&organization),
            Some("viewer"),
        )
        .await;
    let memberships = app
        .get(&format!("/api/v1/memberships?user_id={viewer_user}"))
        .await
        .expect(200)
        .body;
    let membership = memberships["items"][0]["id"]
        .as_str()
        .expect("the viewer's membership")
        .to_owned();
    Municipality {
        organization,
        plan,
        focus_area,
        initiative,
        indicator,
        measurement,
        note,
        draft,
        published: published.id(),
        membership,
        recommendation,
        case_review,
        import,
        webhook,
        viewer_user,
        viewer_token,
    }
}

fn case_review_body() -> Value {
    json!({"kind": "self_review", "phase": "baseline", "reviewed_on": "2025-01-15",
           "cases_reviewed": 4, "results": [{"criterion_key": "investigation_within_4_months",
           "met": 1, "not_met": 2, "not_relevant": 1}]})
}

/// How an operation relates to the municipality whose ids it is called with.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reach {
    /// Its path names one of the municipality's resources.
    Scoped,
    /// A list, feed or comparison across what the caller may see.
    Across,
    /// Not about any municipality's data (the caller's own account, templates).
    Own,
    /// The caller's own settings: no id in its path or body, so nothing of
    /// anyone else to reach; writing them is every user's right
    /// (`tests/api/reminders.rs` proves they stay the caller's own).
    Caller,
}

struct Case {
    method: &'static str,
    path: String,
    body: Option<Value>,
    reach: Reach,
}

/// Every operation of the contract, keyed `METHOD template`, with the path
/// filled in from `m`. `None` for an operation without a case.
fn case(operation: &str, m: &Municipality) -> Option<Case> {
    use Reach::{Across, Caller, Own, Scoped};
    let (method, template) = operation.split_once(' ')?;
    let id = |kind: &str| -> &str {
        match kind {
            "organizations" => &m.organization,
            "plans" => &m.plan,
            "focus-areas" => &m.focus_area,
            "initiatives" => &m.initiative,
            "indicators" => &m.indicator,
            "measurements" => &m.measurement,
            "progress-notes" => &m.note,
            "memberships" => &m.membership,
            "recommendations" => &m.recommendation,
            "case-reviews" => &m.case_review,
            "imports" => &m.import,
            "webhooks" => &m.webhook,
            "users" => &m.viewer_user,
            _ => &m.published,
        }
    };
    let kind = template
        .trim_start_matches("/api/v1/")
        .split('/')
        .next()
        .unwrap_or_default();
    let report = match template {
        t if t.ends_with("/sections/{focus_area_id}")
            || t.ends_with("/publish")
            || (t.ends_with("/assessment") && method == "PUT") =>
        {
            &m.draft
        }
        "/api/v1/status-reports/{status_report_id}" if method != "GET" => &m.draft,
        _ => id(kind),
    };
    // The parameter right after the collection names its record (`{plan_id}`).
    let own_param = template
        .trim_start_matches("/api/v1/")
        .split('/')
        .nth(1)
        .filter(|segment| segment.starts_with('{'))
        .unwrap_or("{no parameter}");
    let own_id = if kind == "status-reports" {
        report
    } else {
        id(kind)
    };
    let path = template
        .replace("{entity}/{record_id}", &format!("plans/{}", m.plan))
        .replace(own_param, own_id)
        .replace("{focus_area_id}", &m.focus_area)
        .replace("{period_end}", "2025-06-30");
    let body = |value: Value| Some(value);
    let (body, reach, query) = match operation {
        "GET /api/v1/audit-events" => {
            (None, Across, format!("?organization_id={}", m.organization))
        }
        "GET /api/v1/comparisons/indicators" => (
            None,
            Across,
            "?template_key=investigations_within_4_months".into(),
        ),
        "GET /api/v1/memberships" => (None, Across, format!("?organization_id={}", m.organization)),
        "POST /api/v1/memberships" => (
            body(
                json!({"user_id": m.viewer_user, "organization_id": m.organization, "role": "editor"}),
            ),
            Across,
            String::new(),
        ),
        "GET /api/v1/organizations"
        | "GET /api/v1/users"
        | "GET /api/v1/events"
        | "GET /api/v1/notifications" => (None, Across, String::new()),
        "POST /api/v1/organizations" => (
            body(json!({"name": "Ny", "kind": "municipality", "municipality_code": "999"})),
            Own,
            String::new(),
        ),
        "GET /api/v1/plans" => (None, Across, format!("?organization_id={}", m.organization)),
        "POST /api/v1/users" => (
            body(json!({"display_name": "Ny bruger"})),
            Own,
            String::new(),
        ),
        "GET /api/v1/templates" | "GET /api/v1/users/me" | "GET /api/v1/users/me/due" => {
            (None, Own, String::new())
        }
        "GET /api/v1/users/me/preferences" | "PUT /api/v1/users/me/preferences" => {
            (body(json!({"language": "en"})), Caller, String::new())
        }
        "POST /api/v1/organizations/{organization_id}/webhooks" => (
            body(json!({"url": "https://esdh.slagelse.dk/ny", "event_types": ["measurement"]})),
            Scoped,
            String::new(),
        ),
        "POST /api/v1/webhooks/{webhook_id}/rotate-secret" => {
            (body(json!({})), Scoped, String::new())
        }
        "GET /api/v1/plans/{plan_id}/revisions/diff" => (None, Scoped, "?from=1&to=1".into()),
        "GET /api/v1/plans/{plan_id}/export"
        | "GET /api/v1/status-reports/{status_report_id}/export" => {
            (None, Scoped, "?format=json".into())
        }
        "POST /api/v1/focus-areas/{focus_area_id}/initiatives" => {
            (body(json!({"title": "Ny indsats"})), Scoped, String::new())
        }
        "POST /api/v1/plans/{plan_id}/measurements" => (
            body(
                json!({"measurements": [{"indicator_id": m.indicator, "period_end": "2024-12-31", "value": 1}]}),
            ),
            Scoped,
            String::new(),
        ),
        "POST /api/v1/indicators/{indicator_id}/measurements" => (
            body(json!({"period_end": "2024-12-31", "value": 1})),
            Scoped,
            String::new(),
        ),
        "PUT /api/v1/indicators/{indicator_id}/measurements/{period_end}" => {
            (body(json!({"value": 5})), Scoped, String::new())
        }
        "POST /api/v1/initiatives/{initiative_id}/progress-notes" => {
            (body(json!({"body": "Ny note"})), Scoped, String::new())
        }
        "POST /api/v1/organizations/{organization_id}/plans" => (
            body(
                json!({"title": "Ny plan", "period_start": "2025-01-01", "period_end": "2026-12-31"}),
            ),
            Scoped,
            String::new(),
        ),
        "POST /api/v1/plans/{plan_id}/focus-areas" => {
            (body(json!({"title": "Nyt punkt"})), Scoped, String::new())
        }
        "POST /api/v1/plans/{plan_id}/indicators" => (
            body(
                json!({"name": "Ny", "unit": "count", "direction": "increase", "frequency": "yearly"}),
            ),
            Scoped,
            String::new(),
        ),
        "POST /api/v1/plans/{plan_id}/case-reviews" => {
            (body(case_review_body()), Scoped, String::new())
        }
        "GET /api/v1/plans/{plan_id}/case-reviews/comparison" => {
            (None, Scoped, format!("?from={0}&to={0}", m.case_review))
        }
        "GET /api/v1/case-review-criteria" => (None, Own, String::new()),
        "POST /api/v1/plans/{plan_id}/recommendations" => (
            body(json!({"number": 2, "title": "Ny anbefaling", "theme": "opfoelgning"})),
            Scoped,
            String::new(),
        ),
        "POST /api/v1/plans/{plan_id}/status-reports" => (
            body(json!({"title": "Ny status", "as_of": "2025-06-30"})),
            Scoped,
            String::new(),
        ),
        "POST /api/v1/plans/{plan_id}/transitions" => {
            (body(json!({"to": "submitted"})), Scoped, String::new())
        }
        "POST /api/v1/status-reports/{status_report_id}/errata" => {
            (body(json!({"body": "Rettelse"})), Scoped, String::new())
        }
        "POST /api/v1/status-reports/{status_report_id}/publish" => (None, Scoped, String::new()),
        "PUT /api/v1/status-reports/{status_report_id}/assessment" => {
            (body(json!({"overall": "Vurdering"})), Scoped, String::new())
        }
        "PUT /api/v1/status-reports/{status_report_id}/sections/{focus_area_id}" => {
            (body(json!({"narrative": "Tekst"})), Scoped, String::new())
        }
        _ if method == "PATCH" => (body(json!({})), Scoped, String::new()),
        // Every other operation on a record (`…/{plan_id}…`) is a read or a delete.
        _ if own_param.starts_with('{') => (None, Scoped, String::new()),
        _ => return None,
    };
    Some(Case {
        method: match method {
            "GET" => "GET",
            "POST" => "POST",
            "PUT" => "PUT",
            "PATCH" => "PATCH",
            _ => "DELETE",
        },
        path: format!("{path}{query}"),
        body,
        reach,
    })
}

fn administration(operation: &str) -> bool {
    operation.contains(" /api/v1/users/") || operation.contains(" /api/v1/memberships/")
}

/// The contract's `/api/v1` operations, as `METHOD template`.
fn contract_operations() -> Vec<String> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .expect("the committed contract");
    let contract: Value = serde_json::from_str(&text).expect("the contract is JSON");
    let paths = contract["paths"].as_object().expect("paths");
    paths
        .iter()
        .filter(|(path, _)| path.starts_with("/api/v1/"))
        .flat_map(|(path, item)| {
            let methods = item.as_object().into_iter().flat_map(|item| item.keys());
            methods
                .filter(|m| ["get", "post", "put", "patch", "delete"].contains(&m.as_str()))
                .map(move |m| format!("{} {path}", m.to_uppercase()))
                .collect::<Vec<_>>()
        })
        .collect()
}

async fn send(app: &TestApp, token: &str, case: &Case) -> Response {
    let caller = app.with_token(token);
    // A current-looking If-Match: a change that passed authorization would be
    // judged on its merits; here it must never get that far.
    let if_match = [("If-Match", "\"1\"")];
    let body = case.body.as_ref();
    match case.method {
        "GET" => caller.get(&case.path).await,
        "DELETE" => caller.delete(&case.path, Some("\"1\"")).await,
        method => {
            caller
                .send_appending(method, &case.path, &if_match, body)
                .await
        }
    }
}

/// `case` with every id of `m` replaced by one that names nothing.
fn with_missing_ids(case: &Case, m: &Municipality) -> Case {
    let missing = "00000000-0000-7000-8000-000000000000";
    let mut path = case.path.clone();
    for id in m.ids() {
        path = path.replace(id, missing);
    }
    Case {
        path,
        body: case.body.clone(),
        ..*case
    }
}

#[actix_web::test]
async fn no_role_of_another_municipality_reaches_anything_and_viewers_change_nothing() {
    let app = spawn_app().await;
    let first = municipality(&app, "330").await;
    let second = municipality(&app, "550").await;
    let mut outsiders = vec![("viewer", second.viewer_token.clone())];
    for role in ["editor", "consultant"] {
        let (_, token) = app
            .user(
                &format!("{role} 550"),
                Some(&second.organization),
                Some(role),
            )
            .await;
        outsiders.push((role, token));
    }

    let operations = contract_operations();
    let missing: Vec<&String> = operations
        .iter()
        .filter(|op| case(op, &first).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "operations without an access case: {missing:?}"
    );

    let before = app.row_counts();
    let mut failures = Vec::new();
    let mut calls = 0;
    for operation in &operations {
        let Some(case) = case(operation, &first) else {
            continue;
        };
        if case.reach == Reach::Caller {
            continue;
        }
        for (role, token) in &outsiders {
            calls += 1;
            let answer = send(&app, token, &case).await;
            let text = answer.body.to_string();
            if let Some(leaked) = first.ids().into_iter().find(|id| text.contains(id)) {
                failures.push(format!("{role} {operation}: the answer contains {leaked}"));
            }
            if case.reach == Reach::Scoped {
                // Administration (users, memberships) is refused alike for every id;
                // everything else of a municipality looks missing.
                let expected = if administration(operation) { 403 } else { 404 };
                let unknown = send(&app, token, &with_missing_ids(&case, &first)).await;
                if answer.status != expected || unknown.status != expected {
                    failures.push(format!(
                        "{role} {operation}: {} (a missing id: {}), expected {expected} for both",
                        answer.status, unknown.status
                    ));
                }
            } else if case.method != "GET" && answer.status.is_success() {
                failures.push(format!(
                    "{role} {operation}: {} for a non-administrator",
                    answer.status
                ));
            }
        }
    }
    assert_eq!(
        app.row_counts(),
        before,
        "an outsider's request changed something"
    );

    for operation in operations.iter().filter(|op| !op.starts_with("GET ")) {
        let Some(case) = case(operation, &first) else {
            continue;
        };
        if case.reach != Reach::Scoped {
            continue;
        }
        calls += 1;
        let answer = send(&app, &first.viewer_token, &case).await;
        if answer.status != 403 {
            failures.push(format!(
                "the own viewer {operation}: {}, expected 403",
                answer.status
            ));
        }
    }
    assert_eq!(
        app.row_counts(),
        before,
        "a viewer's write changed something"
    );
    let covered: BTreeSet<&String> = operations.iter().collect();
    println!(
        "access matrix: {} operations × {} outsider roles, plus the own viewer's writes: {calls} calls",
        covered.len(),
        outsiders.len()
    );
    assert!(
        failures.is_empty(),
        "{} wrong answers:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

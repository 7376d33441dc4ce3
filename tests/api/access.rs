//! Access per organization (the BOLA test): every endpoint × role × own/other
//! organization, with the exact outcome. Not one cross-organization read or
//! write may succeed, and a resource of another organization looks missing.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// The ids of one organization's plan and everything under it.
struct Fixture {
    organization: String,
    plan: String,
    focus_area: String,
    initiative: String,
    indicator: String,
    measurement: String,
    note: String,
    report: String,
}

async fn fixture(app: &TestApp, code: &str) -> Fixture {
    let organization = app.create_organization(code).await.id();
    let plan = app.create_plan_for(&organization).await.id();
    let focus_area = app.create_focus_area(&plan, "Inddragelse").await.id();
    let initiative = app
        .create_initiative(&focus_area, "Børnesamtaler")
        .await
        .id();
    let indicator = app.create_indicator(&plan, json!({})).await.id();
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
    let report = app
        .post(
            &format!("/api/v1/plans/{plan}/status-reports"),
            &json!({"title": "Status", "as_of": "2025-03-31"}),
        )
        .await
        .expect(201)
        .id();
    Fixture {
        organization,
        plan,
        focus_area,
        initiative,
        indicator,
        measurement,
        note,
        report,
    }
}

/// What a role may do with a resource of its own organization.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Own {
    /// Gets past authorization: 2xx, or what the request itself earns (412 for
    /// the deliberately stale If-Match, 409 for a period already recorded).
    Allowed,
    /// 403.
    Forbidden,
}

struct Case {
    method: &'static str,
    path: String,
    body: Option<Value>,
    /// For consultant, editor, viewer of the owning organization.
    own: [Own; 3],
}

fn cases(f: &Fixture) -> Vec<Case> {
    use Own::{Allowed as A, Forbidden as F};
    let read = [A, A, A];
    let write = [A, A, F];
    let admin_only = [F, F, F];
    let get = |path: String| Case {
        method: "GET",
        path,
        body: None,
        own: read,
    };
    let post = |path: String, body: Value| Case {
        method: "POST",
        path,
        body: Some(body),
        own: write,
    };
    let patch = |path: String, own| Case {
        method: "PATCH",
        path,
        body: Some(json!({})),
        own,
    };
    let delete = |path: String, own| Case {
        method: "DELETE",
        path,
        body: None,
        own,
    };
    let (o, p, fa, i, ind, m, n, r) = (
        &f.organization,
        &f.plan,
        &f.focus_area,
        &f.initiative,
        &f.indicator,
        &f.measurement,
        &f.note,
        &f.report,
    );
    vec![
        get(format!("/api/v1/organizations/{o}")),
        get(format!("/api/v1/organizations/{o}/plans")),
        get(format!("/api/v1/plans/{p}")),
        get(format!("/api/v1/plans/{p}/tree")),
        get(format!("/api/v1/plans/{p}/focus-areas")),
        get(format!("/api/v1/focus-areas/{fa}")),
        get(format!("/api/v1/focus-areas/{fa}/initiatives")),
        get(format!("/api/v1/initiatives/{i}")),
        get(format!("/api/v1/plans/{p}/indicators")),
        get(format!("/api/v1/indicators/{ind}")),
        get(format!("/api/v1/indicators/{ind}/measurements")),
        get(format!("/api/v1/measurements/{m}")),
        get(format!("/api/v1/initiatives/{i}/progress-notes")),
        get(format!("/api/v1/progress-notes/{n}")),
        get(format!("/api/v1/plans/{p}/status-reports")),
        get(format!("/api/v1/status-reports/{r}")),
        post(
            format!("/api/v1/organizations/{o}/plans"),
            json!({"title": "Ny plan", "period_start": "2025-01-01", "period_end": "2026-12-31"}),
        ),
        post(
            format!("/api/v1/plans/{p}/focus-areas"),
            json!({"title": "Nyt punkt"}),
        ),
        post(
            format!("/api/v1/focus-areas/{fa}/initiatives"),
            json!({"title": "Ny indsats"}),
        ),
        post(
            format!("/api/v1/plans/{p}/indicators"),
            json!({"name": "Ny", "unit": "count", "direction": "increase", "frequency": "yearly"}),
        ),
        post(
            format!("/api/v1/indicators/{ind}/measurements"),
            json!({"period_end": "2020-01-31", "value": 1}),
        ),
        Case {
            method: "PUT",
            path: format!("/api/v1/indicators/{ind}/measurements/2030-01-31"),
            body: Some(json!({"value": 5})),
            own: write,
        },
        post(
            format!("/api/v1/initiatives/{i}/progress-notes"),
            json!({"body": "Ny note"}),
        ),
        post(
            format!("/api/v1/plans/{p}/status-reports"),
            json!({"title": "Ny status", "as_of": "2025-06-30"}),
        ),
        patch(format!("/api/v1/organizations/{o}"), admin_only),
        patch(format!("/api/v1/plans/{p}"), write),
        patch(format!("/api/v1/focus-areas/{fa}"), write),
        patch(format!("/api/v1/initiatives/{i}"), write),
        patch(format!("/api/v1/indicators/{ind}"), write),
        patch(format!("/api/v1/measurements/{m}"), write),
        patch(format!("/api/v1/progress-notes/{n}"), admin_only),
        patch(format!("/api/v1/status-reports/{r}"), write),
        delete(format!("/api/v1/organizations/{o}"), admin_only),
        delete(format!("/api/v1/plans/{p}"), write),
        delete(format!("/api/v1/focus-areas/{fa}"), write),
        delete(format!("/api/v1/initiatives/{i}"), write),
        delete(format!("/api/v1/indicators/{ind}"), write),
        delete(format!("/api/v1/measurements/{m}"), write),
        delete(format!("/api/v1/progress-notes/{n}"), admin_only),
        delete(format!("/api/v1/status-reports/{r}"), write),
    ]
}

async fn send(app: &TestApp, token: &str, case: &Case) -> u16 {
    let caller = app.with_token(token);
    // A stale If-Match: a change that passes authorization stops at 412 and changes nothing.
    let response = match case.method {
        "GET" => caller.get(&case.path).await,
        "POST" => {
            caller
                .post(&case.path, case.body.as_ref().unwrap_or(&Value::Null))
                .await
        }
        "PUT" => {
            caller
                .put(&case.path, &[], case.body.as_ref().unwrap_or(&Value::Null))
                .await
        }
        "PATCH" => {
            caller
                .patch(
                    &case.path,
                    Some("\"999\""),
                    case.body.as_ref().unwrap_or(&Value::Null),
                )
                .await
        }
        _ => caller.delete(&case.path, Some("\"999\"")).await,
    };
    response.status.as_u16()
}

#[actix_web::test]
async fn every_endpoint_answers_each_role_exactly_and_never_crosses_organizations() {
    let app = spawn_app().await;
    let own = fixture(&app, "330").await;
    let other = fixture(&app, "550").await;
    let mut roles = Vec::new();
    for role in ["consultant", "editor", "viewer"] {
        let (_, token) = app
            .user(&format!("Test {role}"), Some(&own.organization), Some(role))
            .await;
        roles.push((role, token));
    }
    let mut failures = Vec::new();
    for (own_case, other_case) in cases(&own).iter().zip(cases(&other).iter()) {
        for (index, (role, token)) in roles.iter().enumerate() {
            let status = send(&app, token, own_case).await;
            let expected_ok = match own_case.own[index] {
                Own::Allowed => (200..300).contains(&status) || status == 412 || status == 409,
                Own::Forbidden => status == 403,
            };
            if !expected_ok {
                failures.push(format!(
                    "{role} {} {}: {status}, expected {:?}",
                    own_case.method, own_case.path, own_case.own[index]
                ));
            }
            let status = send(&app, token, other_case).await;
            if status != 404 {
                failures.push(format!(
                    "{role} {} {} (other organization): {status}, expected 404",
                    other_case.method, other_case.path
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} wrong answers:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[actix_web::test]
async fn lists_only_contain_what_you_may_read() {
    let app = spawn_app().await;
    let own = fixture(&app, "330").await;
    let other = fixture(&app, "550").await;
    let (_, token) = app
        .user("Editor", Some(&own.organization), Some("editor"))
        .await;
    let caller = app.with_token(&token);
    let organizations = caller.get("/api/v1/organizations").await.expect(200);
    let ids: Vec<&str> = organizations.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(ids, [own.organization.as_str()]);
    let plans = caller.get("/api/v1/plans").await.expect(200);
    let ids: Vec<&str> = plans.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ids, [own.plan.as_str()]);
    let filtered = caller
        .get(&format!(
            "/api/v1/plans?organization_id={}",
            other.organization
        ))
        .await
        .expect(200);
    assert_eq!(filtered.body["items"], json!([]));
}

#[actix_web::test]
async fn a_user_without_memberships_sees_nothing_and_administration_is_for_admins() {
    let app = spawn_app().await;
    let own = fixture(&app, "330").await;
    let (_, token) = app.user("Ny bruger", None, None).await;
    let caller = app.with_token(&token);
    assert_eq!(
        caller.get("/api/v1/organizations").await.expect(200).body["items"],
        json!([])
    );
    caller
        .get(&format!("/api/v1/plans/{}", own.plan))
        .await
        .expect_problem(404);
    caller.get("/api/v1/users").await.expect_problem(403);
    caller
        .post("/api/v1/users", &json!({"display_name": "Selvudnævnt"}))
        .await
        .expect_problem(403);
    caller
        .post("/api/v1/memberships", &json!({"user_id": uuid::Uuid::now_v7(), "organization_id": own.organization, "role": "editor"}))
        .await
        .expect_problem(403);
    caller
        .post(
            "/api/v1/organizations",
            &json!({"name": "Ny", "kind": "task_force"}),
        )
        .await
        .expect_problem(403);
    let me = caller.get("/api/v1/users/me").await.expect(200);
    assert_eq!(me.body["memberships"], json!([]));
}

#[actix_web::test]
async fn a_role_change_takes_effect_without_a_new_token() {
    let app = spawn_app().await;
    let own = fixture(&app, "330").await;
    let (user, token) = app
        .user("Skifter rolle", Some(&own.organization), Some("viewer"))
        .await;
    let caller = app.with_token(&token);
    let path = format!("/api/v1/plans/{}/focus-areas", own.plan);
    caller
        .post(&path, &json!({"title": "Forsøg"}))
        .await
        .expect_problem(403);
    app.post(
        "/api/v1/memberships",
        &json!({"user_id": user, "organization_id": own.organization, "role": "editor"}),
    )
    .await
    .expect(201);
    caller
        .post(&path, &json!({"title": "Nu må jeg"}))
        .await
        .expect(201);
}

#[actix_web::test]
async fn authors_come_from_the_token_never_from_the_body() {
    let app = spawn_app().await;
    let own = fixture(&app, "330").await;
    let (user, token) = app
        .user(
            "Karin Konsulent",
            Some(&own.organization),
            Some("consultant"),
        )
        .await;
    let caller = app.with_token(&token);
    let note = caller
        .post(
            &format!("/api/v1/initiatives/{}/progress-notes", own.initiative),
            &json!({"body": "Status efter møde"}),
        )
        .await
        .expect(201);
    assert_eq!(note.body["author"], "Karin Konsulent");
    assert_eq!(note.body["author_id"], json!(user));
    caller
        .post(
            &format!("/api/v1/initiatives/{}/progress-notes", own.initiative),
            &json!({"body": "x", "author": "En anden"}),
        )
        .await
        .expect_problem(422);
    let measurement = caller
        .put(
            &format!(
                "/api/v1/indicators/{}/measurements/2025-06-30",
                own.indicator
            ),
            &[],
            &json!({"value": 60}),
        )
        .await
        .expect(201);
    assert_eq!(measurement.body["recorded_by"], json!(user));
    let report = caller
        .post(
            &format!("/api/v1/plans/{}/status-reports", own.plan),
            &json!({"title": "Status", "as_of": "2025-06-30"}),
        )
        .await
        .expect(201);
    assert_eq!(report.body["created_by"], json!(user));
}

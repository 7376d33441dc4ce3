//! Status reports as the committee sees them: sections, the frozen snapshot,
//! errata, and what changed between two reports.

use serde_json::{Value, json};

use crate::helpers::{Response, TestApp, spawn_app};

struct Plan {
    id: String,
    area: String,
    indicator: String,
    initiative: String,
}

async fn plan(app: &TestApp) -> Plan {
    let id = app.create_plan().await.id();
    let area = app.create_focus_area(&id, "Underretning").await.id();
    let indicator = app
        .create_indicator(&id, json!({"focus_area_id": area, "baseline_value": 60, "baseline_date": "2021-03-01", "target_value": 100, "target_date": "2023-03-01"}))
        .await
        .id();
    let initiative = app
        .post(
            &format!("/api/v1/focus-areas/{area}/initiatives"),
            &json!({"title": "Visitationsmøde", "due_date": "2021-09-30", "status": "in_progress"}),
        )
        .await
        .expect(201)
        .id();
    Plan {
        id,
        area,
        indicator,
        initiative,
    }
}

async fn report(app: &TestApp, plan: &str, title: &str, as_of: &str) -> Response {
    app.post(
        &format!("/api/v1/plans/{plan}/status-reports"),
        &json!({"title": title, "as_of": as_of}),
    )
    .await
    .expect(201)
}

async fn measure(app: &TestApp, indicator: &str, period: &str, value: f64) {
    let response = app
        .put(
            &format!("/api/v1/indicators/{indicator}/measurements/{period}"),
            &[],
            &json!({"value": value}),
        )
        .await;
    assert!(response.status.is_success(), "{:#}", response.body);
}

#[actix_web::test]
async fn sections_suggest_the_computed_status_and_an_override_needs_a_reason() {
    let app = spawn_app().await;
    let p = plan(&app).await;
    measure(&app, &p.indicator, "2021-06-30", 62.0).await;
    let draft = report(&app, &p.id, "Status 2. kvartal", "2021-07-01").await;
    let sections = app
        .get(&format!("/api/v1/status-reports/{}/sections", draft.id()))
        .await
        .expect(200)
        .body["items"]
        .clone();
    assert_eq!(sections[0]["suggested_status"], "red");
    assert_eq!(sections[0]["section"], Value::Null);
    let path = format!("/api/v1/status-reports/{}/sections/{}", draft.id(), p.area);
    let problem = app
        .put(
            &path,
            &[],
            &json!({"status": "green", "narrative": "Godt på vej"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["status_reason"]);
    app.put(&path, &[], &json!({"status": "amber", "status_reason": "Ny rutine fra juli", "narrative": "Rutinen er i gang", "risks": "Sygdom"}))
        .await
        .expect(201);
    let sections = app
        .get(&format!("/api/v1/status-reports/{}/sections", draft.id()))
        .await
        .expect(200)
        .body["items"]
        .clone();
    assert_eq!(sections[0]["status"], "amber");
    assert_eq!(sections[0]["section"]["narrative"], "Rutinen er i gang");
}

#[actix_web::test]
async fn a_published_snapshot_never_changes_and_corrections_are_errata() {
    let app = spawn_app().await;
    let p = plan(&app).await;
    measure(&app, &p.indicator, "2021-06-30", 75.0).await;
    let draft = report(&app, &p.id, "Status 2. kvartal", "2021-07-01").await;
    app.put(
        &format!("/api/v1/status-reports/{}/sections/{}", draft.id(), p.area),
        &[],
        &json!({"narrative": "Æ, ø og å"}),
    )
    .await
    .expect(201);
    app.get(&format!("/api/v1/status-reports/{}/snapshot", draft.id()))
        .await
        .expect_problem(409);
    app.publish(&draft.id(), "\"99\"").await.expect_problem(412);
    let published = app.publish(&draft.id(), &draft.etag()).await.expect(200);
    assert_eq!(published.body["state"], "published");
    let snapshot_path = format!("/api/v1/status-reports/{}/snapshot", draft.id());
    let before = app.get(&snapshot_path).await.expect(200);
    assert_eq!(before.body["focus_areas"][0]["narrative"], "Æ, ø og å");
    assert_eq!(
        before.body["focus_areas"][0]["indicators"][0]["latest"]["value"],
        json!(75)
    );
    assert_eq!(before.body["organization"]["municipality_code"], "330");

    // Later edits to the plan and a corrected value leave the snapshot as it was shown.
    measure(&app, &p.indicator, "2021-06-30", 71.5).await;
    let area = app
        .get(&format!("/api/v1/focus-areas/{}", p.area))
        .await
        .expect(200);
    app.patch(
        &format!("/api/v1/focus-areas/{}", p.area),
        Some(&area.etag()),
        &json!({"title": "Underretninger"}),
    )
    .await
    .expect(200);
    let after = app.get(&snapshot_path).await.expect(200);
    assert_eq!(
        serde_json::to_string(&after.body).ok(),
        serde_json::to_string(&before.body).ok()
    );
    app.put(
        &format!("/api/v1/status-reports/{}/sections/{}", draft.id(), p.area),
        &[],
        &json!({"narrative": "Stille rettelse"}),
    )
    .await
    .expect_problem(409);

    let erratum = app
        .post(
            &format!("/api/v1/status-reports/{}/errata", draft.id()),
            &json!({"body": "Værdien for 2. kvartal var 71,5 %, ikke 75 %."}),
        )
        .await
        .expect(201);
    assert_eq!(erratum.body["author_name"], "Test Administrator");
    let errata = app
        .get(&format!("/api/v1/status-reports/{}/errata", draft.id()))
        .await
        .expect(200);
    assert_eq!(errata.body["items"].as_array().map(Vec::len), Some(1));
    let other = report(&app, &p.id, "Udkast", "2021-10-01").await;
    app.post(
        &format!("/api/v1/status-reports/{}/errata", other.id()),
        &json!({"body": "x"}),
    )
    .await
    .expect_problem(409);
}

#[actix_web::test]
async fn the_database_refuses_to_change_a_published_report() {
    let app = spawn_app().await;
    let p = plan(&app).await;
    let draft = report(&app, &p.id, "Status", "2021-07-01").await;
    app.publish(&draft.id(), &draft.etag()).await.expect(200);
    let refused = planspor::db::with_blocking_connection(&app.database_url(), |conn| {
        diesel::connection::SimpleConnection::batch_execute(
            conn,
            "UPDATE status_reports SET summary = 'stille'",
        )
        .map_err(|e| e.to_string())
    });
    assert!(refused.is_err_and(|e| e.contains("frozen")));
}

#[actix_web::test]
async fn changes_between_two_reports_show_status_changes_movements_and_initiatives() {
    let app = spawn_app().await;
    let p = plan(&app).await;
    measure(&app, &p.indicator, "2021-06-30", 62.0).await;
    let first = report(&app, &p.id, "Status 2. kvartal", "2021-07-01").await;
    app.publish(&first.id(), &first.etag()).await.expect(200);
    let changes = app
        .get(&format!("/api/v1/status-reports/{}/changes", first.id()))
        .await
        .expect(200)
        .body;
    assert_eq!(changes["previous_report_id"], Value::Null);

    measure(&app, &p.indicator, "2021-09-30", 80.0).await;
    let second = report(&app, &p.id, "Status 3. kvartal", "2021-10-01").await;
    app.publish(&second.id(), &second.etag()).await.expect(200);
    let changes = app
        .get(&format!("/api/v1/status-reports/{}/changes", second.id()))
        .await
        .expect(200)
        .body;
    assert_eq!(changes["previous_report_id"], json!(first.id()));
    assert_eq!(changes["focus_areas"][0]["from"], "red");
    assert_eq!(changes["focus_areas"][0]["to"], "amber", "{changes:#}");
    assert_eq!(changes["indicators"][0]["from_value"], json!(62));
    assert_eq!(changes["indicators"][0]["to_value"], json!(80));
    assert_eq!(
        changes["initiatives_newly_overdue"][0]["initiative_id"],
        json!(p.initiative)
    );
    assert_eq!(changes["initiatives_completed"], json!([]));
}

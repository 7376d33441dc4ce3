//! The audit trail: one event per write, in the same transaction, never changed.

use serde_json::json;

use crate::helpers::spawn_app;

#[actix_web::test]
async fn a_scripted_session_of_writes_leaves_exactly_one_event_each_with_before_and_after() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await;
    let (user, token) = app
        .user("Erik Editor", Some(&organization.id()), Some("editor"))
        .await;
    let caller = app.with_token(&token);
    let before = app
        .row_counts()
        .into_iter()
        .find(|(t, _)| t == "audit_events")
        .map_or(0, |(_, c)| c);

    let plan = caller
        .post(
            &format!("/api/v1/organizations/{}/plans", organization.id()),
            &json!({"title": "Plan", "period_start": "2025-01-01", "period_end": "2026-12-31"}),
        )
        .await
        .expect(201);
    let patched = caller
        .patch(
            &format!("/api/v1/plans/{}", plan.id()),
            Some(&plan.etag()),
            &json!({"title": "Plan 2025–2026"}),
        )
        .await
        .expect(200);
    let focus_area = caller
        .post(
            &format!("/api/v1/plans/{}/focus-areas", plan.id()),
            &json!({"title": "Ledelse"}),
        )
        .await
        .expect(201);
    let indicator = caller
        .post(&format!("/api/v1/plans/{}/indicators", plan.id()), &json!({"name": "Sager", "unit": "count", "direction": "decrease", "frequency": "yearly"}))
        .await
        .expect(201);
    caller
        .put(
            &format!(
                "/api/v1/indicators/{}/measurements/2025-12-31",
                indicator.id()
            ),
            &[],
            &json!({"value": 31}),
        )
        .await
        .expect(201);
    caller
        .put(
            &format!(
                "/api/v1/indicators/{}/measurements/2025-12-31",
                indicator.id()
            ),
            &[],
            &json!({"value": 29}),
        )
        .await
        .expect(200);
    caller
        .delete(
            &format!("/api/v1/focus-areas/{}", focus_area.id()),
            Some(&focus_area.etag()),
        )
        .await
        .expect(204);
    // Refused writes leave no event.
    caller
        .patch(
            &format!("/api/v1/plans/{}", plan.id()),
            Some("\"1\""),
            &json!({"title": "Forældet"}),
        )
        .await
        .expect_problem(412);
    caller
        .post(
            &format!("/api/v1/plans/{}/focus-areas", plan.id()),
            &json!({"title": ""}),
        )
        .await
        .expect_problem(422);

    let after = app
        .row_counts()
        .into_iter()
        .find(|(t, _)| t == "audit_events")
        .map_or(0, |(_, c)| c);
    assert_eq!(after - before, 7);

    let events = caller
        .get(&format!("/api/v1/audit-events?actor_id={user}"))
        .await
        .expect(200);
    let actions: Vec<(String, String)> = events.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["entity_type"].as_str().unwrap_or_default().to_owned(),
                e["action"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("plan", "create"),
        ("plan", "update"),
        ("focus_area", "create"),
        ("indicator", "create"),
        ("measurement", "upsert"),
        ("measurement", "upsert"),
        ("focus_area", "delete"),
    ];
    assert_eq!(actions, expected.map(|(e, a)| (e.to_owned(), a.to_owned())));
    let update = &events.body["items"][1];
    assert_eq!(update["before"]["title"], "Plan");
    assert_eq!(update["after"]["title"], patched.body["title"]);
    assert_eq!(update["actor_name"], "Erik Editor");
    assert!(
        update["request_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    let replaced = &events.body["items"][5];
    assert_eq!(replaced["before"]["value"], json!(31));
    assert_eq!(replaced["after"]["value"], json!(29));
    let deleted = &events.body["items"][6];
    assert_eq!(deleted["after"], json!(null));

    let history = caller
        .get(&format!("/api/v1/plans/{}/history", plan.id()))
        .await
        .expect(200);
    assert_eq!(history.body["items"].as_array().map(Vec::len), Some(2));
}

#[actix_web::test]
async fn viewers_see_no_audit_trail_and_others_only_their_organizations() {
    let app = spawn_app().await;
    let own = app.create_organization("330").await;
    let other = app.create_organization("550").await;
    app.create_plan_for(&other.id()).await;
    let (_, viewer) = app
        .user("Vera Viewer", Some(&own.id()), Some("viewer"))
        .await;
    app.with_token(&viewer)
        .get("/api/v1/audit-events")
        .await
        .expect_problem(403);
    let (_, editor) = app
        .user("Erik Editor", Some(&own.id()), Some("editor"))
        .await;
    let events = app
        .with_token(&editor)
        .get("/api/v1/audit-events")
        .await
        .expect(200);
    let organizations: Vec<&str> = events.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["organization_id"].as_str())
        .collect();
    assert!(
        organizations.iter().all(|o| *o == own.id()),
        "{organizations:?}"
    );
    app.with_token(&editor)
        .get(&format!("/api/v1/organizations/{}/history", other.id()))
        .await
        .expect_problem(404);
}

#[actix_web::test]
async fn the_database_refuses_to_change_or_delete_audit_events() {
    let app = spawn_app().await;
    app.create_organization("330").await;
    let update = planspor::db::with_blocking_connection(&app.database_url(), |conn| {
        diesel::connection::SimpleConnection::batch_execute(
            conn,
            "UPDATE audit_events SET actor_name = 'x'",
        )
        .map_err(|e| e.to_string())
    });
    assert!(update.is_err_and(|e| e.contains("append-only")));
    let delete = planspor::db::with_blocking_connection(&app.database_url(), |conn| {
        diesel::connection::SimpleConnection::batch_execute(conn, "DELETE FROM audit_events")
            .map_err(|e| e.to_string())
    });
    assert!(delete.is_err_and(|e| e.contains("append-only")));
    let truncate = planspor::db::with_blocking_connection(&app.database_url(), |conn| {
        diesel::connection::SimpleConnection::batch_execute(conn, "TRUNCATE audit_events")
            .map_err(|e| e.to_string())
    });
    assert!(truncate.is_err_and(|e| e.contains("append-only")));
}

#[actix_web::test]
async fn a_write_whose_audit_event_fails_leaves_neither() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await;
    // Make every audit insert about plans fail after the plan's own insert ran.
    app.execute_sql(
        "CREATE FUNCTION fail_plan_audit() RETURNS trigger AS $$ BEGIN
           IF NEW.entity_type = 'plan' THEN RAISE EXCEPTION 'audit store unavailable'; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql;
         CREATE TRIGGER fail_plan_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_plan_audit();",
    );
    let before = app.row_counts();
    app.post(
        &format!("/api/v1/organizations/{}/plans", organization.id()),
        &json!({"title": "Uden spor", "period_start": "2025-01-01", "period_end": "2026-12-31"}),
    )
    .await
    .expect_problem(500);
    assert_eq!(app.row_counts(), before);
}

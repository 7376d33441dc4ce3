//! Retried creates with an Idempotency-Key write once and replay the first answer.

use serde_json::json;

use crate::helpers::spawn_app;

#[actix_web::test]
async fn a_retried_create_replays_the_first_response_and_writes_nothing_more() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let path = format!("/api/v1/organizations/{organization}/plans");
    let body = json!({"title": "Plan", "period_start": "2021-03-01", "period_end": "2023-03-01"});
    let admin = app.admin();
    let first = admin
        .post_with(&path, &[("idempotency-key", "plan-create-1")], Some(&body))
        .await
        .expect(201);
    let after_first = app.row_counts();
    let second = admin
        .post_with(&path, &[("idempotency-key", "plan-create-1")], Some(&body))
        .await
        .expect(201);
    assert_eq!(second.body, first.body);
    assert_eq!(second.header("location"), first.header("location"));
    assert_eq!(second.header("etag"), first.header("etag"));
    assert_eq!(second.header("idempotency-replayed"), Some("true"));
    assert_eq!(app.row_counts(), after_first);

    let other_body =
        json!({"title": "En anden plan", "period_start": "2021-03-01", "period_end": "2023-03-01"});
    let problem = admin
        .post_with(
            &path,
            &[("idempotency-key", "plan-create-1")],
            Some(&other_body),
        )
        .await
        .expect_problem(422);
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
    assert_eq!(app.row_counts(), after_first);

    // Keys are per caller: another user's identical key is a different request.
    let (_, token) = app
        .user("Erik Editor", Some(&organization), Some("editor"))
        .await;
    let before_editor = app.row_counts();
    app.with_token(&token)
        .post_with(&path, &[("idempotency-key", "plan-create-1")], Some(&body))
        .await
        .expect(201);
    assert_ne!(app.row_counts(), before_editor);
}

#[actix_web::test]
async fn a_bad_key_is_400_and_a_key_still_in_flight_is_409() {
    let app = spawn_app().await;
    let admin = app.admin();
    let body = json!({"name": "Task Force", "kind": "task_force"});
    admin
        .post_with(
            "/api/v1/organizations",
            &[("idempotency-key", "")],
            Some(&body),
        )
        .await
        .expect_problem(400);

    let me = app.get("/api/v1/users/me").await.expect(200);
    let user = me.body["user_id"].as_str().expect("an id");
    let hash = planspor::idempotency::request_hash(
        &actix_web::http::Method::POST,
        "/api/v1/organizations",
        body.to_string().as_bytes(),
    );
    app.execute_sql(&format!(
        "INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ('{}' || chr(31) || '{user}', 'busy', '{hash}')",
        crate::helpers::ISSUER
    ));
    let before = app.row_counts();
    admin
        .post_with(
            "/api/v1/organizations",
            &[("idempotency-key", "busy")],
            Some(&body),
        )
        .await
        .expect_problem(409);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn the_scheme_is_case_insensitive_for_idempotency_too_so_a_key_writes_once() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let path = format!("/api/v1/organizations/{organization}/plans");
    let body = json!({"title": "Plan", "period_start": "2021-03-01", "period_end": "2023-03-01"});
    let lower = format!("bearer {}", app.admin_token);
    let headers = [
        ("authorization", lower.as_str()),
        ("idempotency-key", "lower-case"),
    ];
    let first = app
        .anonymous()
        .post_with(&path, &headers, Some(&body))
        .await
        .expect(201);
    let after_first = app.row_counts();
    for _ in 0..4 {
        let again = app
            .anonymous()
            .post_with(&path, &headers, Some(&body))
            .await
            .expect(201);
        assert_eq!(again.header("idempotency-replayed"), Some("true"));
        assert_eq!(again.id(), first.id());
    }
    assert_eq!(app.row_counts(), after_first);
}

#[actix_web::test]
async fn a_replay_is_refused_once_the_caller_has_lost_access() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let plan = app.create_plan_for(&organization).await.id();
    let (user, token) = app
        .user("Erik Editor", Some(&organization), Some("editor"))
        .await;
    let path = format!("/api/v1/plans/{plan}/focus-areas");
    let body = json!({"title": "Underretninger"});
    let editor = app.with_token(&token);
    editor
        .post_with(&path, &[("idempotency-key", "area-1")], Some(&body))
        .await
        .expect(201);
    let memberships = app
        .get(&format!("/api/v1/memberships?user_id={user}"))
        .await
        .expect(200)
        .body;
    let membership = &memberships["items"][0];
    let etag = format!("\"{}\"", membership["version"]);
    let revoke = format!(
        "/api/v1/memberships/{}",
        membership["id"].as_str().expect("an id")
    );
    app.delete(&revoke, None).await.expect_problem(428);
    app.delete(&revoke, Some("\"99\""))
        .await
        .expect_problem(412);
    app.delete(&revoke, Some(&etag)).await.expect(204);
    let replay = editor
        .post_with(&path, &[("idempotency-key", "area-1")], Some(&body))
        .await;
    assert_eq!(replay.header("idempotency-replayed"), None);
    replay.expect_problem(404);
}

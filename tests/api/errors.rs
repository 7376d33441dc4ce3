//! The same answers for bad requests everywhere: problem documents, never a 500.

use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

#[actix_web::test]
async fn malformed_json_is_400_and_writes_nothing() {
    let app = spawn_app().await;
    let before = app.row_counts();
    let problem = app
        .send_raw(
            "POST",
            "/api/v1/organizations",
            "application/json",
            br#"{"name": "Slagelse", "kind": "#.to_vec(),
        )
        .await
        .expect_problem(400);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("JSON"))
    );
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    app.send_raw(
        "POST",
        "/api/v1/organizations",
        "text/plain",
        b"name=Slagelse".to_vec(),
    )
    .await
    .expect_problem(415);
}

#[actix_web::test]
async fn a_body_over_the_limit_is_413_and_writes_nothing() {
    let app = spawn_app_with(1024, 2).await;
    let before = app.row_counts();
    let body = json!({"name": "x".repeat(2048), "kind": "task_force"})
        .to_string()
        .into_bytes();
    app.send_raw("POST", "/api/v1/organizations", "application/json", body)
        .await
        .expect_problem(413);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn a_wrong_type_names_the_field() {
    let app = spawn_app().await;
    let problem = app
        .post(
            "/api/v1/organizations",
            &json!({"name": 42, "kind": "task_force"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(problem["errors"][0]["field"], "name");
}

#[actix_web::test]
async fn unknown_fields_are_refused_rather_than_ignored() {
    let app = spawn_app().await;
    let problem = app
        .post(
            "/api/v1/organizations",
            &json!({"name": "Task Force", "kind": "task_force", "colour": "blue"}),
        )
        .await
        .expect_problem(422);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("colour"))
    );
}

#[actix_web::test]
async fn unknown_routes_and_malformed_ids_are_problem_404s() {
    let app = spawn_app().await;
    app.get("/api/v1/nothing-here").await.expect_problem(404);
    app.get("/api/v1/plans/not-a-uuid")
        .await
        .expect_problem(404);
    app.get(&format!("/api/v1/plans/{}", uuid::Uuid::now_v7()))
        .await
        .expect_problem(404);
}

#[actix_web::test]
async fn deeply_nested_json_is_refused_at_the_first_wrong_value_never_a_crash() {
    // Parsing stops at the first value of the wrong shape, so depth costs nothing;
    // serde_json's recursion limit (128) guards whatever would descend.
    let app = spawn_app().await;
    let before = app.row_counts();
    for body in [
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        format!(
            "{{\"name\": {}{}}}",
            "{\"a\": ".repeat(5_000),
            "1}".repeat(5_000)
        ),
    ] {
        let response = app
            .send_raw(
                "POST",
                "/api/v1/organizations",
                "application/json",
                body.into_bytes(),
            )
            .await;
        let status = response.status.as_u16();
        assert!(matches!(status, 400 | 422), "{status}");
        response.expect_problem(status);
    }
    assert_eq!(app.row_counts(), before);
}

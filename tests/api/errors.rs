//! The same answers for bad requests everywhere: problem documents, never a 500.

use serde_json::{Value, json};

use crate::helpers::{Response, spawn_app, spawn_app_with};

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

/// The `code` of each field error in a 422, by field.
fn codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let text = |key: &str| e[key].as_str().unwrap_or_default().to_owned();
            (text("field"), text("code"))
        })
        .collect()
}

#[actix_web::test]
async fn every_field_error_carries_a_stable_code_a_ui_can_translate() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let plan = app.create_plan_for(&organization).await.id();
    let problem = app
        .post(
            &format!("/api/v1/plans/{plan}/indicators"),
            &json!({
                "name": "   ",
                "definition": "Barnets CPR 010203-1234",
                "unit": "percent",
                "direction": "increase",
                "frequency": "quarterly",
                "target_value": 140,
            }),
        )
        .await
        .expect_problem(422);
    let mut found = codes(&problem);
    found.sort();
    let expected = [
        ("definition", "cpr_number"),
        ("name", "empty"),
        ("target_value", "out_of_range"),
    ]
    .map(|(field, code)| (field.to_owned(), code.to_owned()));
    assert_eq!(found, expected);

    let shapes = [
        (
            json!({"name": "Ny", "kind": "task_force", "colour": "blue"}),
            "unknown_field",
        ),
        (json!({"name": 42, "kind": "task_force"}), "wrong_type"),
        (json!({"name": "Ny", "kind": "region"}), "unknown_value"),
        (json!({"kind": "task_force"}), "required"),
    ];
    for (body, code) in shapes {
        let problem = app
            .post("/api/v1/organizations", &body)
            .await
            .expect_problem(422);
        assert_eq!(problem["errors"][0]["code"], code, "{body}");
    }
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
async fn a_known_path_with_an_unsupported_method_is_405_listing_the_allowed_ones() {
    let app = spawn_app().await;
    let response = app
        .send_raw(
            "PUT",
            "/api/v1/organizations",
            "application/json",
            b"{}".to_vec(),
        )
        .await;
    assert_eq!(response.header("allow"), Some("GET, POST"));
    response.expect_problem(405);
    let plan = app.create_plan().await.id();
    let response = app
        .send_raw(
            "TRACE",
            &format!("/api/v1/plans/{plan}"),
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(response.header("allow"), Some("GET, PATCH, DELETE"));
    response.expect_problem(405);
    // A path the service does not have stays a 404 whatever the method.
    app.send_raw(
        "PUT",
        "/api/v1/nothing-here",
        "application/json",
        b"{}".to_vec(),
    )
    .await
    .expect_problem(404);
}

#[actix_web::test]
async fn a_second_user_with_the_same_email_is_a_conflict_not_a_crash() {
    let app = spawn_app().await;
    let user = json!({"display_name": "Mette Hansen", "email": "mette@slagelse.dk"});
    app.post("/api/v1/users", &user).await.expect(201);
    let before = app.row_counts();
    let same_email = json!({"display_name": "M. Hansen", "email": "METTE@slagelse.dk"});
    let problem = app
        .post("/api/v1/users", &same_email)
        .await
        .expect_problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("email"))
    );
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn a_nul_character_in_text_is_a_422_not_a_database_error() {
    let app = spawn_app().await;
    let before = app.row_counts();
    app.send_raw(
        "POST",
        "/api/v1/organizations",
        "application/json",
        br#"{"name": "Slagelse\u0000Kommune", "kind": "municipality", "municipality_code": "330"}"#
            .to_vec(),
    )
    .await
    .expect_problem(422);
    assert_eq!(app.row_counts(), before);
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

#[actix_web::test]
async fn dates_are_rfc_3339_full_dates_between_1900_and_2199_or_a_422_naming_the_field() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let path = format!("/api/v1/organizations/{organization}/plans");
    let before = app.row_counts();
    for date in [
        "2021-1-1",
        " 2021-01-01",
        "0000-01-01",
        "0370-05-01",
        "-0001-01-01",
        "+10000-01-01",
        "1899-12-31",
        "2200-01-01",
        "2021-02-30",
    ] {
        let body = json!({"title": "Plan", "period_start": date, "period_end": "2023-03-01"});
        let problem = app.post(&path, &body).await.expect_problem(422);
        assert_eq!(
            Response::invalid_fields(&problem),
            ["period_start"],
            "{date:?}"
        );
    }
    assert_eq!(app.row_counts(), before);
    let plan = app.create_plan_for(&organization).await.id();
    let indicator = app.create_indicator(&plan, json!({})).await.id();
    app.put(
        &format!("/api/v1/indicators/{indicator}/measurements/2021-3-31"),
        &[],
        &json!({"value": 1}),
    )
    .await
    .expect_problem(422);
    app.get(&format!("/api/v1/plans/{plan}/progress?as_of=0370-01-01"))
        .await
        .expect_problem(400);
    let after_plan = app.row_counts();
    app.post(
        &path,
        &json!({"title": "Plan", "period_start": "1900-01-01", "period_end": "2199-12-31"}),
    )
    .await
    .expect(201);
    assert_ne!(app.row_counts(), after_plan);
}

#[actix_web::test]
async fn a_nul_character_in_a_query_parameter_is_a_400_naming_it_not_a_database_error() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/audit-events?entity_type=pl%00an",
        "/api/v1/comparisons/indicators?template_key=investigations%00",
    ] {
        let problem = app.get(path).await.expect_problem(400);
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains("NUL")),
            "{path}: {problem}"
        );
    }
}

//! Tokens at the HTTP edge: every /api/v1 endpoint needs one; a refused one
//! answers 401 with a WWW-Authenticate challenge. (Each token defect is also
//! unit-tested in src/auth/tokens.rs.)

use std::time::Duration;

use planspor::auth::tokens::{TokenIssuer, TokenSettings};

use crate::helpers::{AUDIENCE, ISSUER, TempDir, spawn_app};

#[actix_web::test]
async fn api_endpoints_need_a_token_and_operations_do_not() {
    let app = spawn_app().await;
    let anonymous = app.anonymous();
    let problem = anonymous.get("/api/v1/plans").await;
    assert_eq!(
        problem.header("www-authenticate"),
        Some("Bearer realm=\"planspor\"")
    );
    problem.expect_problem(401);
    anonymous.get("/healthz").await.expect(200);
    anonymous.get("/readyz").await.expect(200);
    anonymous.get("/openapi.json").await.expect(200);
}

#[actix_web::test]
async fn a_malformed_or_foreign_token_is_refused_with_invalid_token() {
    let app = spawn_app().await;
    let garbage = app.with_token("not.a.token").get("/api/v1/plans").await;
    assert!(
        garbage
            .header("www-authenticate")
            .is_some_and(|h| h.contains("error=\"invalid_token\""))
    );
    garbage.expect_problem(401);

    // Signed by another planspor's key: same issuer and audience, wrong key.
    let other_keys = TempDir::new("planspor-other-keys");
    let settings = TokenSettings {
        issuer: ISSUER.into(),
        audience: AUDIENCE.into(),
        leeway_seconds: 30,
    };
    let other = TokenIssuer::load_or_create(&other_keys.0, &settings).expect("a key");
    let me = app.get("/api/v1/users/me").await.expect(200);
    let subject = me.body["user_id"].as_str().expect("an id");
    let forged = other
        .issue(subject, None, None, Duration::from_secs(600))
        .expect("a token");
    app.with_token(&forged)
        .get("/api/v1/plans")
        .await
        .expect_problem(401);
}

#[actix_web::test]
async fn a_valid_token_for_an_unknown_user_is_refused() {
    let app = spawn_app().await;
    let token = app
        .issuer
        .issue("nobody-we-know", None, None, Duration::from_secs(600))
        .expect("a token");
    let problem = app
        .with_token(&token)
        .get("/api/v1/plans")
        .await
        .expect_problem(401);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("no user"))
    );
}

#[actix_web::test]
async fn a_token_for_another_audience_is_refused() {
    let app = spawn_app().await;
    let settings = TokenSettings {
        issuer: ISSUER.into(),
        audience: "another-api".into(),
        leeway_seconds: 30,
    };
    let keys = TempDir::new("planspor-aud-keys");
    let issuer = TokenIssuer::load_or_create(&keys.0, &settings).expect("a key");
    let token = issuer
        .issue("whoever", None, None, Duration::from_secs(600))
        .expect("a token");
    app.with_token(&token)
        .get("/api/v1/plans")
        .await
        .expect_problem(401);
}

#[actix_web::test]
async fn two_authorization_headers_are_refused_so_header_order_never_picks_a_role() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let (_, viewer) = app
        .user("Vera Viewer", Some(&organization), Some("viewer"))
        .await;
    let admin = format!("Bearer {}", app.admin_token);
    let viewer = format!("Bearer {viewer}");
    let before = app.row_counts();
    for pair in [[&admin, &viewer], [&viewer, &admin]] {
        let headers = [
            ("authorization", pair[0].as_str()),
            ("authorization", pair[1].as_str()),
        ];
        let body = serde_json::json!({"name": "Task Force", "kind": "task_force"});
        app.anonymous()
            .send_appending("POST", "/api/v1/organizations", &headers, Some(&body))
            .await
            .expect_problem(400);
    }
    assert_eq!(app.row_counts(), before);
}

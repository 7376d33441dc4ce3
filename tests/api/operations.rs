use crate::helpers::spawn_app;

#[actix_web::test]
async fn health_and_readiness_answer_and_every_response_has_a_request_id() {
    let app = spawn_app().await;
    let health = app.get("/healthz").await.expect(200);
    assert_eq!(health.body["status"], "ok");
    assert!(
        health
            .header("x-request-id")
            .is_some_and(|id| !id.is_empty())
    );
    let ready = app.get("/readyz").await.expect(200);
    assert_eq!(ready.body["status"], "ok");
    let missing = app.get("/api/v1/unknown").await;
    assert!(missing.header("x-request-id").is_some());
}

#[actix_web::test]
async fn every_response_carries_security_headers_and_api_data_is_never_cached() {
    let app = spawn_app().await;
    let api = app.get("/api/v1/organizations").await.expect(200);
    assert_eq!(api.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(api.header("cache-control"), Some("no-store"));
    assert!(
        api.header("content-security-policy")
            .is_some_and(|p| p.starts_with("default-src 'none'"))
    );
    let docs = app.get("/docs/").await.expect(200);
    assert!(
        docs.header("content-security-policy")
            .is_some_and(|p| p.contains("frame-ancestors 'none'"))
    );
    assert_eq!(docs.header("x-frame-options"), Some("DENY"));
    let problem = app.anonymous().get("/api/v1/plans").await;
    assert_eq!(problem.header("cache-control"), Some("no-store"));
}

#[actix_web::test]
async fn beyond_the_request_budget_the_api_answers_429_with_retry_after() {
    let app = crate::helpers::spawn_app_with_rate_limit(30).await;
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(app.get("/api/v1/organizations").await);
    }
    let limited = statuses
        .into_iter()
        .find(|r| r.status.as_u16() == 429)
        .expect("the budget runs out");
    assert!(
        limited
            .header("retry-after")
            .is_some_and(|s| s.parse::<u64>().is_ok_and(|n| n >= 1))
    );
    limited.expect_problem(429);
    app.anonymous().get("/healthz").await.expect(200);
}

#[actix_web::test]
async fn cors_allows_only_the_configured_frontend_origins() {
    let app = spawn_app().await;
    let allowed = app
        .admin()
        .get_with(
            "/api/v1/organizations",
            &[("origin", "https://plan.example.dk")],
        )
        .await
        .expect(200);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://plan.example.dk")
    );
    // A browser app may read an export's file name and the request id.
    let exposed = allowed
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    for header in [
        "content-disposition",
        "etag",
        "x-request-id",
        "idempotency-replayed",
    ] {
        assert!(exposed.contains(header), "{header} in {exposed}");
    }
    let refused = app
        .admin()
        .get_with(
            "/api/v1/organizations",
            &[("origin", "https://evil.example.com")],
        )
        .await;
    assert_eq!(refused.header("access-control-allow-origin"), None);
    let preflight = app
        .anonymous()
        .send_appending(
            "OPTIONS",
            "/api/v1/organizations",
            &[
                ("origin", "https://evil.example.com"),
                ("access-control-request-method", "POST"),
            ],
            None,
        )
        .await;
    let problem = preflight.expect_problem(400);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("Cross-origin")),
        "{problem}"
    );
}

#[actix_web::test]
async fn the_bare_docs_path_leads_to_the_swagger_ui() {
    let app = spawn_app().await;
    // The client follows the redirect, as a browser does.
    let page = app.anonymous().download("/docs", &[]).await.expect(200);
    assert!(String::from_utf8_lossy(&page.bytes).contains("swagger-ui"));
}

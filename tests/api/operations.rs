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

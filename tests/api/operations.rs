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

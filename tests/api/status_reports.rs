use serde_json::json;

use crate::helpers::spawn_app;

#[actix_web::test]
async fn a_status_report_starts_as_a_draft_and_is_frozen_once_published() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let path = format!("/api/v1/plans/{}/status-reports", plan.id());
    let report = app
        .post(&path, &json!({"title": "Status 1. kvartal 2025", "as_of": "2025-03-31", "summary": "Fremdrift på alle syv punkter."}))
        .await
        .expect(201);
    assert_eq!(report.body["state"], "draft");
    let listed = app.get(&path).await.expect(200);
    assert_eq!(listed.body["items"][0], report.body);

    let report_path = format!("/api/v1/status-reports/{}", report.id());
    let edited = app
        .patch(
            &report_path,
            Some(&report.etag()),
            &json!({"summary": "Rettet resumé"}),
        )
        .await
        .expect(200);
    let published = app.publish(&report.id(), &edited.etag()).await.expect(200);
    assert_eq!(published.body["state"], "published");

    let problem = app
        .patch(
            &report_path,
            Some(&published.etag()),
            &json!({"summary": "Stille rettelse"}),
        )
        .await
        .expect_problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("frozen"))
    );
    app.delete(&report_path, Some(&published.etag()))
        .await
        .expect_problem(409);
    assert_eq!(app.get(&report_path).await.expect(200).body, published.body);
}

#[actix_web::test]
async fn a_plan_with_status_reports_is_kept() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    app.post(
        &format!("/api/v1/plans/{}/status-reports", plan.id()),
        &json!({"title": "Status", "as_of": "2025-03-31"}),
    )
    .await
    .expect(201);
    let before = app.row_counts();
    app.delete(&format!("/api/v1/plans/{}", plan.id()), Some(&plan.etag()))
        .await
        .expect_problem(409);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn a_draft_report_can_be_deleted() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let report = app
        .post(
            &format!("/api/v1/plans/{}/status-reports", plan.id()),
            &json!({"title": "Udkast", "as_of": "2025-03-31"}),
        )
        .await
        .expect(201);
    let path = format!("/api/v1/status-reports/{}", report.id());
    app.delete(&path, Some(&report.etag())).await.expect(204);
    app.get(&path).await.expect_problem(404);
}

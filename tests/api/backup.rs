//! A backup restored into an empty database serves the same plans, reports and audit trail.

use std::time::Duration;

use serde_json::json;

use crate::helpers::{TempDir, empty_database, spawn_app, spawn_app_on};

#[actix_web::test]
async fn a_restored_backup_serves_identical_plans_reports_and_audit_trail() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let plan = app
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({"title": "Plan", "period_start": "2021-03-01", "period_end": "2023-03-01", "template": "task_force"}),
        )
        .await
        .expect(201)
        .id();
    let report = app
        .post(
            &format!("/api/v1/plans/{plan}/status-reports"),
            &json!({"title": "Status", "as_of": "2021-10-01"}),
        )
        .await
        .expect(201);
    app.publish(&report.id(), &report.etag()).await.expect(200);
    app.post(
        &format!("/api/v1/status-reports/{}/errata", report.id()),
        &json!({"body": "Rettelse"}),
    )
    .await
    .expect(201);

    let dir = TempDir::new("planspor-backup");
    let file = dir.0.join("planspor.dump");
    planspor::db::backup::backup(&app.database_url(), &file).expect("pg_dump");
    let restored_url = empty_database();
    planspor::db::backup::restore(&restored_url, &file).expect("pg_restore");
    let restored = spawn_app_on(restored_url, 1 << 20, 2, 100_000, Duration::from_secs(5)).await;

    for path in [
        format!("/api/v1/plans/{plan}/tree"),
        format!("/api/v1/status-reports/{}", report.id()),
        format!("/api/v1/status-reports/{}/snapshot", report.id()),
        format!("/api/v1/status-reports/{}/errata", report.id()),
        format!("/api/v1/audit-events?organization_id={organization}&limit=500"),
    ] {
        let original = app.get(&path).await.expect(200).body;
        let copy = restored.get(&path).await.expect(200).body;
        assert_eq!(copy, original, "{path} differs after restore");
    }
}

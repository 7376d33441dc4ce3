//! The Task Force's assessment in a status report: the consultants' voice,
//! apart from the municipality's sections, frozen at publishing, and what a
//! final report rests on.

use serde_json::json;

use crate::helpers::{Response, TestApp, spawn_app};

struct Report {
    plan: String,
    report: String,
    etag: String,
    area: String,
    editor: String,
    consultant: String,
}

async fn draft(app: &TestApp, is_final: bool) -> Report {
    let organization = app.create_organization("330").await.id();
    let plan = app.create_plan_for(&organization).await.id();
    let area = app.create_focus_area(&plan, "Inddragelse").await.id();
    let (_, editor) = app
        .user("Mette Redaktør", Some(&organization), Some("editor"))
        .await;
    let (_, consultant) = app
        .user("Karin Konsulent", Some(&organization), Some("consultant"))
        .await;
    let report = app
        .post(
            &format!("/api/v1/plans/{plan}/status-reports"),
            &json!({"title": "Afsluttende statusrapport", "as_of": "2023-03-01", "is_final": is_final}),
        )
        .await
        .expect(201);
    Report {
        plan,
        etag: report.etag(),
        report: report.id(),
        area,
        editor,
        consultant,
    }
}

#[actix_web::test]
async fn consultants_write_the_assessment_and_replacing_it_needs_the_current_etag() {
    let app = spawn_app().await;
    let r = draft(&app, false).await;
    let path = format!("/api/v1/status-reports/{}/assessment", r.report);
    let body = json!({
        "overall": "Tendens til forbedring i kvaliteten; stadig markante udfordringer med lovmedholdighed.",
        "focus_areas": [{"focus_area_id": r.area, "text": "Børnesamtaler holdes nu i de fleste sager."}],
    });
    app.with_token(&r.editor)
        .put(&path, &[], &body)
        .await
        .expect_problem(403);
    app.get(&path).await.expect_problem(404);
    let created = app
        .with_token(&r.consultant)
        .put(&path, &[], &body)
        .await
        .expect(201);
    assert_eq!(created.body["author_name"], "Karin Konsulent");
    assert_eq!(
        created.body["focus_areas"][0]["focus_area_id"],
        json!(r.area)
    );
    let editor_reads = app.with_token(&r.editor).get(&path).await.expect(200);
    assert_eq!(editor_reads.body["overall"], body["overall"]);

    let consultant = app.with_token(&r.consultant);
    consultant
        .put(&path, &[], &json!({"overall": "Uden If-Match"}))
        .await
        .expect_problem(428);
    let replaced = consultant
        .put(
            &path,
            &[("If-Match", created.etag().as_str())],
            &json!({"overall": "Ny vurdering"}),
        )
        .await
        .expect(200);
    assert_eq!(replaced.body["focus_areas"], json!([]));
    consultant
        .put(
            &path,
            &[("If-Match", created.etag().as_str())],
            &json!({"overall": "Forældet"}),
        )
        .await
        .expect_problem(412);

    let foreign = app
        .create_plan_for(&app.create_organization("340").await.id())
        .await
        .id();
    let foreign_area = app.create_focus_area(&foreign, "Andet").await.id();
    let before_bad = app.row_counts();
    let problem = consultant
        .put(
            &path,
            &[("If-Match", replaced.etag().as_str())],
            &json!({"overall": "x", "focus_areas": [{"focus_area_id": foreign_area, "text": "y"}]}),
        )
        .await
        .expect_problem(422);
    assert_eq!(
        Response::invalid_fields(&problem),
        [format!("focus_areas.{foreign_area}")]
    );
    consultant
        .put(
            &path,
            &[("If-Match", replaced.etag().as_str())],
            &json!({"overall": "Barnet med CPR 010203-1234"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(app.row_counts(), before_bad);
}

#[actix_web::test]
async fn the_assessment_is_frozen_with_the_report_and_shown_in_its_snapshot() {
    let app = spawn_app().await;
    let r = draft(&app, false).await;
    let path = format!("/api/v1/status-reports/{}/assessment", r.report);
    let written = app
        .with_token(&r.consultant)
        .put(&path, &[], &json!({"overall": "Task Forcens vurdering"}))
        .await
        .expect(201);
    app.publish(&r.report, &r.etag).await.expect(200);
    let snapshot = app
        .get(&format!("/api/v1/status-reports/{}/snapshot", r.report))
        .await
        .expect(200)
        .body;
    assert_eq!(snapshot["assessment"]["overall"], "Task Forcens vurdering");
    let problem = app
        .with_token(&r.consultant)
        .put(
            &path,
            &[("If-Match", written.etag().as_str())],
            &json!({"overall": "Efter offentliggørelsen"}),
        )
        .await
        .expect_problem(409);
    assert!(problem["detail"].as_str().unwrap().contains("published"));
}

#[actix_web::test]
async fn a_final_report_is_published_only_with_the_assessment_and_a_final_case_review() {
    let app = spawn_app().await;
    let r = draft(&app, true).await;
    let problem = app.publish(&r.report, &r.etag).await.expect_problem(409);
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("assessment") && detail.contains("final case-review round"),
        "{detail}"
    );

    app.with_token(&r.consultant)
        .put(
            &format!("/api/v1/status-reports/{}/assessment", r.report),
            &[],
            &json!({"overall": "Forbedret"}),
        )
        .await
        .expect(201);
    let problem = app.publish(&r.report, &r.etag).await.expect_problem(409);
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(
        !detail.contains("assessment") && detail.contains("final case-review round"),
        "{detail}"
    );

    app.with_token(&r.consultant)
        .post(
            &format!("/api/v1/plans/{}/case-reviews", r.plan),
            &json!({"kind": "legal", "phase": "final", "reviewed_on": "2023-02-01", "cases_reviewed": 20,
                    "results": [{"criterion_key": "investigation_within_4_months", "met": 12, "not_met": 4, "not_relevant": 4}]}),
        )
        .await
        .expect(201);
    app.publish(&r.report, &r.etag).await.expect(200);
}

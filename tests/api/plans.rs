use serde_json::json;

use crate::helpers::{Response, spawn_app};

#[actix_web::test]
async fn a_new_plan_is_a_draft_of_its_organization() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await;
    let plan = app.create_plan_for(&organization.id()).await;
    assert_eq!(plan.body["status"], "draft");
    assert_eq!(plan.body["organization_id"], organization.body["id"]);
    assert_eq!(
        plan.header("location"),
        Some(format!("/api/v1/plans/{}", plan.id()).as_str())
    );
    let fetched = app
        .get(&format!("/api/v1/plans/{}", plan.id()))
        .await
        .expect(200);
    assert_eq!(fetched.body, plan.body);
}

#[actix_web::test]
async fn plans_are_listed_per_organization_and_filtered_by_status() {
    let app = spawn_app().await;
    let slagelse = app.create_organization("330").await;
    let stevns = app.create_organization("336").await;
    let slagelse_plan = app.create_plan_for(&slagelse.id()).await;
    app.create_plan_for(&stevns.id()).await;

    let of_slagelse = app
        .get(&format!("/api/v1/organizations/{}/plans", slagelse.id()))
        .await
        .expect(200);
    assert_eq!(of_slagelse.body["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(of_slagelse.body["items"][0]["id"], slagelse_plan.body["id"]);

    let filtered = app
        .get(&format!(
            "/api/v1/plans?organization_id={}&status=draft",
            stevns.id()
        ))
        .await
        .expect(200);
    assert_eq!(filtered.body["items"].as_array().map(Vec::len), Some(1));
    let all_drafts = app.get("/api/v1/plans?status=draft").await.expect(200);
    assert_eq!(all_drafts.body["items"].as_array().map(Vec::len), Some(2));
    let none_active = app.get("/api/v1/plans?status=active").await.expect(200);
    assert_eq!(none_active.body["items"], json!([]));
    assert_eq!(none_active.body["next_cursor"], json!(null));
}

#[actix_web::test]
async fn an_unknown_status_filter_is_400_naming_the_parameter() {
    let app = spawn_app().await;
    let problem = app
        .get("/api/v1/plans?status=finished")
        .await
        .expect_problem(400);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("status")),
        "{problem}"
    );
}

#[actix_web::test]
async fn a_period_that_ends_before_it_starts_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await;
    let before = app.row_counts();
    let problem = app
        .post(
            &format!("/api/v1/organizations/{}/plans", organization.id()),
            &json!({"title": "Baglæns", "period_start": "2023-03-01", "period_end": "2021-03-01"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["period_end"]);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn titles_must_be_between_1_and_200_characters_and_long_texts_at_most_20000() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await;
    let path = format!("/api/v1/organizations/{}/plans", organization.id());
    let problem = app
        .post(
            &path,
            &json!({"title": "æ".repeat(201), "description": "ø".repeat(20_001), "period_start": "2021-03-01", "period_end": "2023-03-01"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["title", "description"]);
    let exactly_at_the_limit = app
        .post(&path, &json!({"title": "æ".repeat(200), "period_start": "2021-03-01", "period_end": "2023-03-01"}))
        .await
        .expect(201);
    assert_eq!(
        exactly_at_the_limit.body["title"]
            .as_str()
            .map(|t| t.chars().count()),
        Some(200)
    );
}

#[actix_web::test]
async fn a_date_that_is_not_a_date_is_422() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await;
    let problem = app
        .post(
            &format!("/api/v1/organizations/{}/plans", organization.id()),
            &json!({"title": "Plan", "period_start": "2021-02-30", "period_end": "2023-03-01"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["period_start"]);
}

#[actix_web::test]
async fn a_plan_for_an_unknown_organization_is_404() {
    let app = spawn_app().await;
    app.post(
        &format!("/api/v1/organizations/{}/plans", uuid::Uuid::now_v7()),
        &json!({"title": "Plan", "period_start": "2021-03-01", "period_end": "2023-03-01"}),
    )
    .await
    .expect_problem(404);
}

#[actix_web::test]
async fn patching_a_plan_keeps_the_rest_and_checks_the_merged_period() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let path = format!("/api/v1/plans/{}", plan.id());
    let patched = app
        .patch(
            &path,
            Some(&plan.etag()),
            &json!({"description": "Syv udviklingspunkter"}),
        )
        .await
        .expect(200);
    assert_eq!(patched.body["description"], "Syv udviklingspunkter");
    assert_eq!(patched.body["title"], plan.body["title"]);

    let problem = app
        .patch(
            &path,
            Some(&patched.etag()),
            &json!({"period_end": "2020-01-01"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["period_end"]);
    let problem = app
        .patch(&path, Some(&patched.etag()), &json!({"status": "approved"}))
        .await
        .expect_problem(422);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("status"))
    );
    assert_eq!(app.get(&path).await.expect(200).body, patched.body);
}

#[actix_web::test]
async fn deleting_a_plan_removes_everything_under_it() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let focus_area = app.create_focus_area(&plan.id(), "Inddragelse").await;
    app.create_initiative(&focus_area.id(), "Børnesamtaler")
        .await;
    app.create_indicator(&plan.id(), json!({})).await;
    app.delete(&format!("/api/v1/plans/{}", plan.id()), Some(&plan.etag()))
        .await
        .expect(204);
    let counts = app.row_counts();
    assert!(
        counts
            .iter()
            .filter(|(table, _)| table != "organizations" && table != "audit_events")
            .all(|(_, count)| *count == 0),
        "{counts:?}"
    );
}

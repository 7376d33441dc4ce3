use serde_json::json;

use crate::helpers::{Response, spawn_app};

#[actix_web::test]
async fn an_initiative_belongs_to_its_focus_area_and_plan() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let focus_area = app.create_focus_area(&plan.id(), "Inddragelse").await;
    let initiative = app
        .post(
            &format!("/api/v1/focus-areas/{}/initiatives", focus_area.id()),
            &json!({"title": "Børnesamtaler i alle sager", "owner": "Myndighed, teamleder", "start_date": "2021-04-01", "due_date": "2021-12-31", "status": "in_progress"}),
        )
        .await
        .expect(201);
    assert_eq!(initiative.body["plan_id"], plan.body["id"]);
    assert_eq!(initiative.body["status"], "in_progress");
    let listed = app
        .get(&format!(
            "/api/v1/focus-areas/{}/initiatives",
            focus_area.id()
        ))
        .await
        .expect(200);
    assert_eq!(listed.body["items"][0], initiative.body);
    let defaulted = app.create_initiative(&focus_area.id(), "Supervision").await;
    assert_eq!(defaulted.body["status"], "planned");
}

#[actix_web::test]
async fn a_due_date_before_the_start_and_an_unknown_status_are_refused() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let focus_area = app.create_focus_area(&plan.id(), "Inddragelse").await;
    let path = format!("/api/v1/focus-areas/{}/initiatives", focus_area.id());
    let before = app.row_counts();
    let problem = app
        .post(
            &path,
            &json!({"title": "Baglæns", "start_date": "2022-01-01", "due_date": "2021-01-01"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["due_date"]);
    let problem = app
        .post(&path, &json!({"title": "Ukendt", "status": "paused"}))
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["status"]);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn patch_can_clear_the_owner_and_dates_with_null() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let focus_area = app.create_focus_area(&plan.id(), "Inddragelse").await;
    let created = app
        .post(
            &format!("/api/v1/focus-areas/{}/initiatives", focus_area.id()),
            &json!({"title": "Netværksmøder", "owner": "Familieafdelingen", "due_date": "2022-06-30"}),
        )
        .await
        .expect(201);
    let path = format!("/api/v1/initiatives/{}", created.id());
    let patched = app
        .patch(
            &path,
            Some(&created.etag()),
            &json!({"owner": null, "due_date": null, "status": "done"}),
        )
        .await
        .expect(200);
    assert_eq!(patched.body["owner"], json!(null));
    assert_eq!(patched.body["due_date"], json!(null));
    assert_eq!(patched.body["status"], "done");
    assert_eq!(patched.body["title"], "Netværksmøder");
    app.delete(&path, Some(&patched.etag())).await.expect(204);
    app.get(&path).await.expect_problem(404);
}

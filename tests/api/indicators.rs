use serde_json::json;

use crate::helpers::{Response, spawn_app};

#[actix_web::test]
async fn an_indicator_keeps_its_values_exactly_as_entered() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let indicator = app
        .create_indicator(&plan.id(), json!({"baseline_value": 62.5, "baseline_date": "2021-01-31", "target_value": 87.5, "target_date": "2023-01-31"}))
        .await;
    assert_eq!(indicator.body["baseline_value"], json!(62.5));
    assert_eq!(indicator.body["target_value"], json!(87.5));
    assert_eq!(indicator.body["legal_regime"], "barnets_lov");
    let listed = app
        .get(&format!("/api/v1/plans/{}/indicators", plan.id()))
        .await
        .expect(200);
    assert_eq!(listed.body["items"][0], indicator.body);
}

#[actix_web::test]
async fn values_must_fit_the_unit() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let path = format!("/api/v1/plans/{}/indicators", plan.id());
    let before = app.row_counts();
    let percent = json!({"name": "Andel", "unit": "percent", "direction": "increase", "frequency": "monthly", "baseline_value": 100.5, "target_value": -1});
    let problem = app.post(&path, &percent).await.expect_problem(422);
    assert_eq!(
        Response::invalid_fields(&problem),
        ["baseline_value", "target_value"]
    );
    let count = json!({"name": "Sager pr. rådgiver", "unit": "count", "direction": "decrease", "frequency": "yearly", "target_value": -3});
    let problem = app.post(&path, &count).await.expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["target_value"]);
    let unknown_unit = json!({"name": "Andel", "unit": "promille", "direction": "increase", "frequency": "monthly"});
    let problem = app.post(&path, &unknown_unit).await.expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["unit"]);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn an_indicator_cannot_follow_an_initiative_of_another_plan() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let other_plan = app
        .create_plan_for(plan.body["organization_id"].as_str().unwrap_or_default())
        .await;
    let other_focus_area = app
        .create_focus_area(&other_plan.id(), "Underretning")
        .await;
    let other_initiative = app
        .create_initiative(&other_focus_area.id(), "24-timers vurdering")
        .await;
    let before = app.row_counts();
    let body = json!({"name": "Andel", "unit": "percent", "direction": "increase", "frequency": "monthly", "initiative_id": other_initiative.id()});
    let problem = app
        .post(&format!("/api/v1/plans/{}/indicators", plan.id()), &body)
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["initiative_id"]);
    let body = json!({"name": "Andel", "unit": "percent", "direction": "increase", "frequency": "monthly", "focus_area_id": other_focus_area.id()});
    let problem = app
        .post(&format!("/api/v1/plans/{}/indicators", plan.id()), &body)
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["focus_area_id"]);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn an_indicator_tied_to_both_must_name_the_initiatives_own_focus_area() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let underretning = app.create_focus_area(&plan.id(), "Underretning").await;
    let inddragelse = app.create_focus_area(&plan.id(), "Inddragelse").await;
    let initiative = app
        .create_initiative(&underretning.id(), "24-timers vurdering")
        .await;
    let problem = app
        .post(
            &format!("/api/v1/plans/{}/indicators", plan.id()),
            &json!({"name": "Andel", "unit": "percent", "direction": "increase", "frequency": "monthly", "focus_area_id": inddragelse.id(), "initiative_id": initiative.id()}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["initiative_id"]);
    app.create_indicator(
        &plan.id(),
        json!({"focus_area_id": underretning.id(), "initiative_id": initiative.id()}),
    )
    .await;
}

#[actix_web::test]
async fn patching_an_indicator_revalidates_the_merged_values() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let indicator = app
        .create_indicator(&plan.id(), json!({"unit": "count", "target_value": 430}))
        .await;
    let path = format!("/api/v1/indicators/{}", indicator.id());
    let problem = app
        .patch(&path, Some(&indicator.etag()), &json!({"unit": "percent"}))
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["target_value"]);
    let patched = app
        .patch(
            &path,
            Some(&indicator.etag()),
            &json!({"unit": "percent", "target_value": 100, "legal_regime": null}),
        )
        .await
        .expect(200);
    assert_eq!(patched.body["legal_regime"], json!(null));
    app.delete(&path, Some(&patched.etag())).await.expect(204);
}

#[actix_web::test]
async fn a_display_unit_says_what_a_ratio_counts_and_null_goes_back_to_the_unit() {
    let app = spawn_app().await;
    let plan = app.create_plan().await.id();
    let indicator = app
        .create_indicator(
            &plan,
            json!({"unit": "ratio", "display_unit": "sager pr. rådgiver"}),
        )
        .await;
    assert_eq!(indicator.body["display_unit"], "sager pr. rådgiver");
    let path = format!("/api/v1/indicators/{}", indicator.id());
    let cleared = app
        .patch(
            &path,
            Some(&indicator.etag()),
            &json!({"display_unit": null}),
        )
        .await
        .expect(200);
    assert_eq!(cleared.body["display_unit"], json!(null));
    let problem = app
        .patch(
            &path,
            Some(&cleared.etag()),
            &json!({"display_unit": "x".repeat(201)}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["display_unit"]);

    let organization = app.create_organization("101").await.id();
    let from_template = app
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({"title": "Plan", "period_start": "2025-01-01", "period_end": "2026-12-31", "template": "task_force"}),
        )
        .await
        .expect(201)
        .id();
    let listed = app
        .get(&format!("/api/v1/plans/{from_template}/indicators"))
        .await
        .expect(200);
    let ratio = listed.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["template_key"] == "cases_per_social_worker")
        .map(|i| i["display_unit"].clone());
    assert_eq!(ratio, Some(json!("sager pr. rådgiver")));
}

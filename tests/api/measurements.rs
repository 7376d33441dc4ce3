use serde_json::json;

use crate::helpers::{Response, spawn_app};

async fn indicator(app: &crate::helpers::TestApp) -> String {
    let plan = app.create_plan().await;
    app.create_indicator(&plan.id(), json!({})).await.id()
}

#[actix_web::test]
async fn values_round_trip_exactly_and_list_in_period_order() {
    let app = spawn_app().await;
    let indicator = indicator(&app).await;
    let path = format!("/api/v1/indicators/{indicator}/measurements");
    for (period_end, value) in [
        ("2021-06-30", 33.3),
        ("2021-03-31", 87.5),
        ("2021-09-30", 0.1),
    ] {
        let created = app
            .post(
                &path,
                &json!({"period_end": period_end, "value": value, "note": "Stikprøve på 20 sager"}),
            )
            .await
            .expect(201);
        assert_eq!(created.body["value"], json!(value));
    }
    let listed = app.get(&path).await.expect(200);
    let periods: Vec<_> = listed.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| m["period_end"].clone())
        .collect();
    assert_eq!(
        periods,
        [
            json!("2021-03-31"),
            json!("2021-06-30"),
            json!("2021-09-30")
        ]
    );
    assert_eq!(listed.body["items"][0]["value"], json!(87.5));
}

#[actix_web::test]
async fn a_second_post_for_the_same_period_is_a_conflict_not_a_duplicate() {
    let app = spawn_app().await;
    let indicator = indicator(&app).await;
    let path = format!("/api/v1/indicators/{indicator}/measurements");
    app.post(&path, &json!({"period_end": "2021-03-31", "value": 50}))
        .await
        .expect(201);
    let before = app.row_counts();
    let problem = app
        .post(&path, &json!({"period_end": "2021-03-31", "value": 60}))
        .await
        .expect_problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("PUT"))
    );
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn put_creates_then_replaces_the_value_for_a_period() {
    let app = spawn_app().await;
    let indicator = indicator(&app).await;
    let path = format!("/api/v1/indicators/{indicator}/measurements/2025-03-31");
    let created = app
        .put(&path, &[], &json!({"value": 87.5}))
        .await
        .expect(201);
    assert!(
        created
            .header("location")
            .is_some_and(|l| l.ends_with(&created.id()))
    );
    let replaced = app
        .put(
            &path,
            &[],
            &json!({"value": 90, "note": "Rettet efter gennemgang"}),
        )
        .await
        .expect(200);
    assert_eq!(replaced.id(), created.id());
    assert_eq!(replaced.body["value"], json!(90));
    assert_eq!(replaced.etag(), "\"2\"");
    let all = app
        .get(&format!("/api/v1/indicators/{indicator}/measurements"))
        .await
        .expect(200);
    assert_eq!(all.body["items"].as_array().map(Vec::len), Some(1));
}

#[actix_web::test]
async fn put_honours_if_match_and_if_none_match() {
    let app = spawn_app().await;
    let indicator = indicator(&app).await;
    let path = format!("/api/v1/indicators/{indicator}/measurements/2025-03-31");
    app.put(&path, &[("if-match", "\"1\"")], &json!({"value": 10}))
        .await
        .expect_problem(412);
    let created = app
        .put(&path, &[("if-none-match", "*")], &json!({"value": 10}))
        .await
        .expect(201);
    app.put(&path, &[("if-none-match", "*")], &json!({"value": 11}))
        .await
        .expect_problem(412);
    app.put(&path, &[("if-match", "\"9\"")], &json!({"value": 12}))
        .await
        .expect_problem(412);
    let replaced = app
        .put(
            &path,
            &[("if-match", &created.etag())],
            &json!({"value": 13}),
        )
        .await
        .expect(200);
    assert_eq!(replaced.body["value"], json!(13));
}

#[actix_web::test]
async fn a_period_that_is_not_a_date_and_a_percent_over_100_are_refused() {
    let app = spawn_app().await;
    let indicator = indicator(&app).await;
    let before = app.row_counts();
    let problem = app
        .put(
            &format!("/api/v1/indicators/{indicator}/measurements/2025-02-30"),
            &[],
            &json!({"value": 50}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["period_end"]);
    let problem = app
        .put(
            &format!("/api/v1/indicators/{indicator}/measurements/2025-03-31"),
            &[],
            &json!({"value": 100.1}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["value"]);
    let problem = app
        .post(
            &format!("/api/v1/indicators/{indicator}/measurements"),
            &json!({"period_end": "31-03-2025", "value": 5}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["period_end"]);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn a_measurement_can_be_corrected_and_deleted() {
    let app = spawn_app().await;
    let indicator = indicator(&app).await;
    let created = app
        .post(
            &format!("/api/v1/indicators/{indicator}/measurements"),
            &json!({"period_end": "2021-03-31", "value": 40}),
        )
        .await
        .expect(201);
    let path = format!("/api/v1/measurements/{}", created.id());
    let patched = app
        .patch(
            &path,
            Some(&created.etag()),
            &json!({"value": 45, "note": "Korrektion"}),
        )
        .await
        .expect(200);
    assert_eq!(patched.body["value"], json!(45));
    assert_eq!(patched.body["period_end"], "2021-03-31");
    app.patch(&path, Some(&patched.etag()), &json!({"value": 101}))
        .await
        .expect_problem(422);
    app.delete(&path, Some(&patched.etag())).await.expect(204);
    app.get(&path).await.expect_problem(404);
}

/// A plan of municipality `code` with a percent and a count indicator.
async fn plan_with_two_indicators(
    app: &crate::helpers::TestApp,
    code: &str,
) -> (String, String, String) {
    let organization = app.create_organization(code).await.id();
    let plan = app.create_plan_for(&organization).await.id();
    let percent = app.create_indicator(&plan, json!({})).await.id();
    let count = app
        .create_indicator(
            &plan,
            json!({"name": "Antal anbringelser", "unit": "count", "direction": "decrease"}),
        )
        .await
        .id();
    (plan, percent, count)
}

fn quarter(percent: &str, count: &str, value: f64) -> serde_json::Value {
    json!({"measurements": [
        {"indicator_id": percent, "period_end": "2025-03-31", "value": value},
        {"indicator_id": count, "period_end": "2025-03-31", "value": 12, "note": "Fra DUBU"},
    ]})
}

async fn audit_events_of(app: &crate::helpers::TestApp, entity_id: &str) -> usize {
    let events = app
        .get(&format!("/api/v1/audit-events?entity_id={entity_id}"))
        .await
        .expect(200);
    events.body["items"].as_array().map_or(0, Vec::len)
}

#[actix_web::test]
async fn a_quarter_of_values_is_recorded_in_one_call_and_again_changes_nothing() {
    let app = spawn_app().await;
    let (plan, percent, count) = plan_with_two_indicators(&app, "330").await;
    let path = format!("/api/v1/plans/{plan}/measurements");
    let first = app
        .post(&path, &quarter(&percent, &count, 62.5))
        .await
        .expect(200);
    assert_eq!(
        (first.body["created"].clone(), first.body["updated"].clone()),
        (json!(2), json!(0))
    );
    let stored = first.body["measurements"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(stored[0]["indicator_id"], json!(percent));
    assert_eq!(stored[0]["value"], 62.5);
    assert_eq!(stored[1]["note"], "Fra DUBU");
    let measurement = stored[0]["id"].as_str().expect("an id").to_owned();
    assert_eq!(
        audit_events_of(&app, &measurement).await,
        1,
        "audited as if entered by hand"
    );

    let again = app
        .post(&path, &quarter(&percent, &count, 62.5))
        .await
        .expect(200);
    assert_eq!(again.body["unchanged"], 2);
    assert_eq!(
        again.body["measurements"][0]["version"], 1,
        "nothing was written"
    );
    assert_eq!(audit_events_of(&app, &measurement).await, 1);

    let corrected = app
        .post(&path, &quarter(&percent, &count, 64.0))
        .await
        .expect(200);
    assert_eq!(
        (
            corrected.body["updated"].clone(),
            corrected.body["unchanged"].clone()
        ),
        (json!(1), json!(1))
    );
    let read = app
        .get(&format!("/api/v1/measurements/{measurement}"))
        .await
        .expect(200);
    assert_eq!(read.body["value"], 64.0);
    assert_eq!(read.etag(), "\"2\"");
}

#[actix_web::test]
async fn one_bad_value_refuses_the_whole_set_and_names_every_offending_item() {
    let app = spawn_app().await;
    let (plan, percent, count) = plan_with_two_indicators(&app, "330").await;
    let (_, foreign, _) = plan_with_two_indicators(&app, "101").await;
    let path = format!("/api/v1/plans/{plan}/measurements");
    let problem = app
        .post(
            &path,
            &json!({"measurements": [
                {"indicator_id": count, "period_end": "2025-03-31", "value": 3},
                {"indicator_id": foreign, "period_end": "2025-03-31", "value": 50},
                {"indicator_id": percent, "period_end": "2025-03-31", "value": 140},
                {"indicator_id": count, "period_end": "2025-03-31", "value": 4},
            ]}),
        )
        .await
        .expect_problem(422);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "measurements[1].indicator_id",
            "measurements[2].value",
            "measurements[3]"
        ],
        "{problem}"
    );
    for indicator in [&count, &percent] {
        let listed = app
            .get(&format!("/api/v1/indicators/{indicator}/measurements"))
            .await
            .expect(200);
        assert_eq!(listed.body["items"], json!([]), "nothing is stored");
    }
    app.post(&path, &json!({"measurements": []}))
        .await
        .expect_problem(422);
}

#[actix_web::test]
async fn viewers_may_not_record_a_set_and_other_municipalities_do_not_see_the_plan() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let plan = app.create_plan_for(&organization).await.id();
    let percent = app.create_indicator(&plan, json!({})).await.id();
    let (_, viewer) = app.user("Viggo", Some(&organization), Some("viewer")).await;
    let elsewhere = app.create_organization("101").await.id();
    let (_, stranger) = app.user("Sara", Some(&elsewhere), Some("editor")).await;
    let body = json!({"measurements": [{"indicator_id": percent, "period_end": "2025-03-31", "value": 50}]});
    let path = format!("/api/v1/plans/{plan}/measurements");
    app.with_token(&viewer)
        .post(&path, &body)
        .await
        .expect_problem(403);
    app.with_token(&stranger)
        .post(&path, &body)
        .await
        .expect_problem(404);
}

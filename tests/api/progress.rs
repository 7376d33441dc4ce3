//! Computed progress, roll-ups and the attention list, through the API.

use serde_json::json;

use crate::helpers::spawn_app;

#[actix_web::test]
async fn progress_statuses_roll_up_and_the_attention_list_says_why() {
    let app = spawn_app().await;
    let plan = app.create_plan().await.id();
    let area = app.create_focus_area(&plan, "Underretning").await.id();
    let on_track = app
        .create_indicator(&plan, json!({"focus_area_id": area, "baseline_value": 60, "baseline_date": "2021-03-01", "target_value": 100, "target_date": "2023-03-01"}))
        .await
        .id();
    let behind = app
        .create_indicator(&plan, json!({"name": "Sager pr. rådgiver", "unit": "ratio", "direction": "decrease", "frequency": "quarterly", "focus_area_id": area, "baseline_value": 40, "baseline_date": "2021-03-01", "target_value": 30, "target_date": "2023-03-01"}))
        .await
        .id();
    app.put(
        &format!("/api/v1/indicators/{on_track}/measurements/2022-02-28"),
        &[],
        &json!({"value": 80}),
    )
    .await
    .expect(201);
    app.put(
        &format!("/api/v1/indicators/{behind}/measurements/2021-12-31"),
        &[],
        &json!({"value": 39}),
    )
    .await
    .expect(201);
    let late = app
        .post(
            &format!("/api/v1/focus-areas/{area}/initiatives"),
            &json!({"title": "Visitationsmøde", "due_date": "2021-12-31", "status": "in_progress"}),
        )
        .await
        .expect(201);

    let progress = app
        .get(&format!("/api/v1/plans/{plan}/progress?as_of=2022-03-01"))
        .await
        .expect(200)
        .body;
    let indicators = &progress["focus_areas"][0]["indicators"];
    assert_eq!(indicators[0]["status"], "green", "{indicators:#}");
    assert_eq!(indicators[0]["progress"], json!(0.5));
    assert_eq!(indicators[1]["status"], "red");
    assert_eq!(progress["focus_areas"][0]["status"], "red");
    assert_eq!(progress["status"], "red");
    assert_eq!(
        progress["focus_areas"][0]["overdue_initiatives"],
        json!([late.id()])
    );

    let single = app
        .get(&format!(
            "/api/v1/indicators/{on_track}/progress?as_of=2022-03-01"
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(single["latest"]["value"], json!(80));
    assert_eq!(single["series"].as_array().map(Vec::len), Some(1));
    assert_eq!(single["next_due"], "2022-03-31");

    let attention = app
        .get(&format!("/api/v1/plans/{plan}/attention?as_of=2022-05-01"))
        .await
        .expect(200)
        .body["items"]
        .clone();
    let kinds: Vec<&str> = attention
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        ["stale_indicator", "stale_indicator", "overdue_initiative"]
    );
    assert!(
        attention[0]["why"]
            .as_str()
            .is_some_and(|w| w.contains("No value recorded"))
    );

    app.get(&format!("/api/v1/plans/{plan}/progress?as_of=yesterday"))
        .await
        .expect_problem(400);
}

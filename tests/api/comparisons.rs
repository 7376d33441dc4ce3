//! One template indicator across municipalities, without naming anyone to a municipality.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn municipality_with_value(app: &TestApp, code: &str, value: f64) -> String {
    let organization = app.create_organization(code).await.id();
    let plan = app
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({"title": "Plan", "period_start": "2025-01-01", "period_end": "2026-12-31", "template": "task_force"}),
        )
        .await
        .expect(201)
        .id();
    let indicators = app
        .get(&format!("/api/v1/plans/{plan}/indicators"))
        .await
        .expect(200)
        .body;
    let id = indicators["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["template_key"] == "notifications_assessed_24h")
        .and_then(|i| i["id"].as_str())
        .expect("the template indicator")
        .to_owned();
    app.put(
        &format!("/api/v1/indicators/{id}/measurements/2025-06-30"),
        &[],
        &json!({"value": value}),
    )
    .await
    .expect(201);
    organization
}

#[actix_web::test]
async fn consultants_see_their_municipalities_and_editors_only_an_anonymous_median() {
    let app = spawn_app().await;
    let slagelse = municipality_with_value(&app, "330", 60.0).await;
    let stevns = municipality_with_value(&app, "336", 70.0).await;
    municipality_with_value(&app, "550", 80.0).await;
    municipality_with_value(&app, "147", 90.0).await;
    let (user, consultant) = app
        .user("Karin Konsulent", Some(&slagelse), Some("consultant"))
        .await;
    app.post(
        "/api/v1/memberships",
        &json!({"user_id": user, "organization_id": stevns, "role": "consultant"}),
    )
    .await
    .expect(201);
    let (_, editor) = app
        .user("Erik Editor", Some(&slagelse), Some("editor"))
        .await;
    let path = "/api/v1/comparisons/indicators?template_key=notifications_assessed_24h";

    let seen = app.with_token(&consultant).get(path).await.expect(200).body;
    let mut names: Vec<&str> = seen["municipalities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["organization_name"].as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Kommune 330", "Kommune 336"]);
    assert_eq!(seen["own"], json!([]));

    let seen = app.with_token(&editor).get(path).await.expect(200).body;
    assert_eq!(seen["municipalities"], json!([]));
    assert_eq!(seen["own"][0]["own"]["latest"]["value"], json!(60));
    assert_eq!(seen["own"][0]["others_with_a_value"], 3);
    assert_eq!(seen["own"][0]["others_median"]["value"], json!(80));
    let text = serde_json::to_string(&seen).unwrap_or_default();
    for other in ["Kommune 336", "Kommune 550", "Kommune 147"] {
        assert!(
            !text.contains(other),
            "{other} named to an editor of another municipality"
        );
    }
    assert!(seen["own"][0]["own"]["organization_id"] == Value::String(slagelse));
}

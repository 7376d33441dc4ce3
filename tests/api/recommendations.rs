//! The Task Force's recommendations: written by consultants, answered by
//! initiatives and indicators, rolled up, and on the attention list until
//! something answers them.

use serde_json::{Value, json};

use crate::helpers::{Response, TestApp, spawn_app};

/// A plan of a new municipality, a focus area in it, and a consultant's token.
async fn plan_with_consultant(app: &TestApp, code: &str) -> (String, String, String, String) {
    let organization = app.create_organization(code).await.id();
    let plan = app.create_plan_for(&organization).await.id();
    let area = app.create_focus_area(&plan, "Inddragelse").await.id();
    let (_, consultant) = app
        .user(
            &format!("Konsulent {code}"),
            Some(&organization),
            Some("consultant"),
        )
        .await;
    (organization, plan, area, consultant)
}

fn recommendation(number: i32, area: &str) -> Value {
    json!({
        "number": number,
        "title": format!("Anbefaling om børnesamtaler {number}"),
        "body": "Børnesamtalen holdes og dokumenteres før hver afgørelse.",
        "theme": "inddragelse",
        "focus_area_ids": [area],
    })
}

fn ids<'b>(body: &'b Value, field: &str) -> Vec<&'b str> {
    body[field]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

#[actix_web::test]
async fn consultants_write_recommendations_and_the_municipality_reads_them() {
    let app = spawn_app().await;
    let (organization, plan, area, consultant) = plan_with_consultant(&app, "330").await;
    let (_, editor) = app
        .user("Redaktør", Some(&organization), Some("editor"))
        .await;
    let (_, viewer) = app
        .user("Politiker", Some(&organization), Some("viewer"))
        .await;
    let path = format!("/api/v1/plans/{plan}/recommendations");

    for token in [&editor, &viewer] {
        let refused = app
            .with_token(token)
            .post(&path, &recommendation(1, &area))
            .await
            .expect_problem(403);
        assert!(refused["detail"].as_str().unwrap().contains("Task Force"));
    }
    let created = app
        .with_token(&consultant)
        .post(&path, &recommendation(1, &area))
        .await
        .expect(201);
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/recommendations/{}", created.id()).as_str())
    );
    assert_eq!(created.body["number"], 1);
    assert_eq!(ids(&created.body, "focus_area_ids"), [area.as_str()]);
    assert_eq!(created.body["status"], "unaddressed");

    for token in [&editor, &viewer] {
        let listed = app.with_token(token).get(&path).await.expect(200).body;
        assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(listed["items"][0]["title"], created.body["title"]);
        let edit = app
            .with_token(token)
            .patch(
                &format!("/api/v1/recommendations/{}", created.id()),
                Some(&created.etag()),
                &json!({"title": "Ændret"}),
            )
            .await;
        assert_eq!(edit.status.as_u16(), 403);
    }

    let changed = app
        .with_token(&consultant)
        .patch(
            &format!("/api/v1/recommendations/{}", created.id()),
            Some(&created.etag()),
            &json!({"title": "Børnesamtaler før hver afgørelse", "focus_area_ids": []}),
        )
        .await
        .expect(200);
    assert_eq!(
        changed.body["body"], created.body["body"],
        "absent fields stay"
    );
    assert!(ids(&changed.body, "focus_area_ids").is_empty());
    app.with_token(&consultant)
        .patch(
            &format!("/api/v1/recommendations/{}", created.id()),
            Some(&created.etag()),
            &json!({"title": "Forældet"}),
        )
        .await
        .expect_problem(412);
    app.with_token(&consultant)
        .delete(
            &format!("/api/v1/recommendations/{}", created.id()),
            Some(&changed.etag()),
        )
        .await
        .expect(204);
    app.get(&format!("/api/v1/recommendations/{}", created.id()))
        .await
        .expect_problem(404);
}

#[actix_web::test]
async fn a_recommendation_that_breaks_a_rule_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let (_, plan, area, consultant) = plan_with_consultant(&app, "330").await;
    let (_, other_plan, other_area, _) = plan_with_consultant(&app, "340").await;
    let caller = app.with_token(&consultant);
    let path = format!("/api/v1/plans/{plan}/recommendations");
    caller
        .post(&path, &recommendation(1, &area))
        .await
        .expect(201);
    let mut whole = recommendation(2, &area);
    whole["number"] = json!(2.0);
    let counted = caller.post(&path, &whole).await.expect(201);
    assert_eq!(
        counted.body["number"], 2,
        "2.0 is the integer 2, as JSON Schema counts"
    );
    let before = app.row_counts();

    let duplicate = caller.post(&path, &recommendation(1, &area)).await;
    assert!(
        duplicate.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("number"))
    );
    duplicate.expect_problem(409);
    let foreign_area = caller
        .post(&path, &recommendation(5, &other_area))
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&foreign_area), ["focus_area_ids"]);
    let mut fraction = recommendation(6, &area);
    fraction["number"] = json!(6.5);
    caller.post(&path, &fraction).await.expect_problem(422);
    let mut bad = recommendation(0, &area);
    bad["title"] = json!("");
    let refused = caller.post(&path, &bad).await.expect_problem(422);
    assert_eq!(Response::invalid_fields(&refused), ["number", "title"]);
    let mut unknown_theme = recommendation(3, &area);
    unknown_theme["theme"] = json!("økonomi");
    caller.post(&path, &unknown_theme).await.expect_problem(422);
    let mut cpr = recommendation(4, &area);
    cpr["body"] = json!("Se sagen for 010203-1234");
    caller.post(&path, &cpr).await.expect_problem(422);
    assert_eq!(app.row_counts(), before);
    let _ = other_plan;
}

#[actix_web::test]
async fn initiatives_and_indicators_answer_recommendations_of_their_own_plan() {
    let app = spawn_app().await;
    let (_, plan, area, consultant) = plan_with_consultant(&app, "330").await;
    let (_, other_plan, other_area, other_consultant) = plan_with_consultant(&app, "340").await;
    let caller = app.with_token(&consultant);
    let path = format!("/api/v1/plans/{plan}/recommendations");
    let answered = caller
        .post(&path, &recommendation(1, &area))
        .await
        .expect(201)
        .id();
    let open = caller
        .post(&path, &recommendation(2, &area))
        .await
        .expect(201)
        .id();
    let foreign = app
        .with_token(&other_consultant)
        .post(
            &format!("/api/v1/plans/{other_plan}/recommendations"),
            &recommendation(1, &other_area),
        )
        .await
        .expect(201)
        .id();

    let initiative = app
        .post(
            &format!("/api/v1/focus-areas/{area}/initiatives"),
            &json!({"title": "Fast struktur for børnesamtaler", "recommendation_ids": [answered]}),
        )
        .await
        .expect(201);
    assert_eq!(
        ids(&initiative.body, "recommendation_ids"),
        [answered.as_str()]
    );
    let indicator = app
        .create_indicator(
            &plan,
            json!({"focus_area_id": area, "recommendation_ids": [answered, answered]}),
        )
        .await;
    assert_eq!(
        ids(&indicator.body, "recommendation_ids"),
        [answered.as_str()],
        "a repeated id is one link"
    );

    let before = app.row_counts();
    let refused = app
        .post(
            &format!("/api/v1/focus-areas/{area}/initiatives"),
            &json!({"title": "Forkert plan", "recommendation_ids": [foreign]}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&refused), ["recommendation_ids"]);
    app.patch(
        &format!("/api/v1/initiatives/{}", initiative.id()),
        Some(&initiative.etag()),
        &json!({"recommendation_ids": [foreign]}),
    )
    .await
    .expect_problem(422);
    assert_eq!(app.row_counts(), before);

    let listed = app.get(&path).await.expect(200).body;
    let first = &listed["items"][0];
    assert_eq!(first["id"], json!(answered));
    assert_eq!(ids(first, "initiative_ids"), [initiative.id().as_str()]);
    assert_eq!(ids(first, "indicator_ids"), [indicator.id().as_str()]);
    assert_ne!(first["status"], "unaddressed");
    assert_eq!(listed["items"][1]["status"], "unaddressed");

    let attention = app
        .get(&format!("/api/v1/plans/{plan}/attention"))
        .await
        .expect(200)
        .body["items"]
        .clone();
    let unaddressed: Vec<&Value> = attention
        .as_array()
        .into_iter()
        .flatten()
        .filter(|item| item["kind"] == "unaddressed_recommendation")
        .collect();
    assert_eq!(unaddressed.len(), 1);
    assert_eq!(unaddressed[0]["id"], json!(open));
    assert!(
        unaddressed[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Anbefaling 2")
    );

    // Unlinking leaves the recommendation unaddressed again.
    let current = app
        .get(&format!("/api/v1/initiatives/{}", initiative.id()))
        .await;
    app.patch(
        &format!("/api/v1/initiatives/{}", initiative.id()),
        Some(&current.etag()),
        &json!({"recommendation_ids": []}),
    )
    .await
    .expect(200);
    let current = app
        .get(&format!("/api/v1/indicators/{}", indicator.id()))
        .await;
    app.patch(
        &format!("/api/v1/indicators/{}", indicator.id()),
        Some(&current.etag()),
        &json!({"recommendation_ids": []}),
    )
    .await
    .expect(200);
    let again = app
        .get(&format!("/api/v1/recommendations/{answered}"))
        .await
        .expect(200)
        .body;
    assert_eq!(again["status"], "unaddressed");
}

#[actix_web::test]
async fn after_approval_adding_or_removing_a_recommendation_makes_a_revision() {
    let app = spawn_app().await;
    let (_, plan, area, consultant) = plan_with_consultant(&app, "330").await;
    let caller = app.with_token(&consultant);
    for to in ["submitted", "approved"] {
        caller
            .post(
                &format!("/api/v1/plans/{plan}/transitions"),
                &json!({"to": to}),
            )
            .await
            .expect(201);
    }
    let added = caller
        .post(
            &format!("/api/v1/plans/{plan}/recommendations"),
            &recommendation(1, &area),
        )
        .await
        .expect(201);
    caller
        .delete(
            &format!("/api/v1/recommendations/{}", added.id()),
            Some(&added.etag()),
        )
        .await
        .expect(204);
    let revisions = app
        .get(&format!("/api/v1/plans/{plan}/revisions"))
        .await
        .expect(200)
        .body["items"]
        .clone();
    let reasons: Vec<&str> = revisions
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["reason"].as_str())
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[1].starts_with("recommendation added"));
    assert!(reasons[2].starts_with("recommendation removed"));
    let diff = app
        .get(&format!("/api/v1/plans/{plan}/revisions/diff?from=1&to=2"))
        .await
        .expect(200)
        .body;
    assert!(diff.to_string().contains("Anbefaling om børnesamtaler 1"));
}

#[actix_web::test]
async fn the_plan_records_its_analysis() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let plan = app
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({
                "title": "Plan", "period_start": "2021-03-01", "period_end": "2023-03-01",
                "analysis_date": "2020-11-30",
                "analysis_title": "Task Force-analyse af myndighedsområdet",
                "analysis_url": "https://www.sm.dk/analyse.pdf",
            }),
        )
        .await
        .expect(201);
    assert_eq!(plan.body["analysis_date"], "2020-11-30");
    let refused = app
        .patch(
            &format!("/api/v1/plans/{}", plan.id()),
            Some(&plan.etag()),
            &json!({"analysis_url": "https://x.dk/?cpr=0102031234"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&refused), ["analysis_url"]);
    let changed = app
        .patch(
            &format!("/api/v1/plans/{}", plan.id()),
            Some(&plan.etag()),
            &json!({"analysis_title": "Analyse 2020"}),
        )
        .await
        .expect(200);
    assert_eq!(changed.body["analysis_title"], "Analyse 2020");
    assert_eq!(
        changed.body["analysis_url"],
        "https://www.sm.dk/analyse.pdf"
    );
}

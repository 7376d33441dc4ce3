//! The Task Force process: the template, and the plan's transitions by role.

use serde_json::{Value, json};

use crate::helpers::{Response, TestApp, spawn_app};

struct Team {
    plan: String,
    editor: String,
    consultant: String,
    viewer: String,
}

async fn team(app: &TestApp) -> Team {
    let organization = app.create_organization("330").await.id();
    let plan = app.create_plan_for(&organization).await.id();
    let (_, editor) = app
        .user("Erik Editor", Some(&organization), Some("editor"))
        .await;
    let (_, consultant) = app
        .user("Karin Konsulent", Some(&organization), Some("consultant"))
        .await;
    let (_, viewer) = app
        .user("Vera Viewer", Some(&organization), Some("viewer"))
        .await;
    Team {
        plan,
        editor,
        consultant,
        viewer,
    }
}

async fn move_plan(app: &TestApp, token: &str, plan: &str, body: Value) -> Response {
    app.with_token(token)
        .post(&format!("/api/v1/plans/{plan}/transitions"), &body)
        .await
}

async fn status(app: &TestApp, plan: &str) -> String {
    app.get(&format!("/api/v1/plans/{plan}"))
        .await
        .expect(200)
        .body["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[actix_web::test]
async fn a_plan_from_the_template_has_the_seven_points_and_the_suggested_indicators() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let templates = app.get("/api/v1/templates").await.expect(200);
    assert_eq!(templates.body["items"][0]["key"], "task_force");
    let plan = app
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({"title": "Udviklingsplan", "period_start": "2021-03-01", "period_end": "2023-03-01", "template": "task_force"}),
        )
        .await
        .expect(201);
    let tree = app
        .get(&format!("/api/v1/plans/{}/tree", plan.id()))
        .await
        .expect(200)
        .body;
    let titles: Vec<&str> = tree["focus_areas"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Overordnet faglig styring og ledelse",
            "Tværfagligt",
            "Inddragelse",
            "Forebyggelse",
            "Underretning",
            "Børnefaglig undersøgelse",
            "Valg af indsats og opfølgning"
        ]
    );
    assert_eq!(
        tree["focus_areas"][3]["legal_reference"],
        "Barnets Lov § 30"
    );
    let notification = &tree["focus_areas"][4]["indicators"][0];
    assert_eq!(notification["template_key"], "notifications_assessed_24h");
    assert_eq!(notification["unit"], "percent");
    assert_eq!(notification["legal_regime"], "barnets_lov");
    let indicators = app
        .get(&format!("/api/v1/plans/{}/indicators", plan.id()))
        .await
        .expect(200);
    assert_eq!(indicators.body["items"].as_array().map(Vec::len), Some(7));
    // Ordinary data: it can be edited like anything else.
    let area_id = tree["focus_areas"][1]["id"].as_str().expect("an id");
    let area = app
        .get(&format!("/api/v1/focus-areas/{area_id}"))
        .await
        .expect(200);
    app.patch(
        &format!("/api/v1/focus-areas/{area_id}"),
        Some(&area.etag()),
        &json!({"title": "Tværfagligt samarbejde"}),
    )
    .await
    .expect(200);
}

#[actix_web::test]
async fn an_unknown_template_is_refused_and_creates_nothing() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let before = app.row_counts();
    let problem = app
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({"title": "Plan", "period_start": "2021-03-01", "period_end": "2023-03-01", "template": "seven_points"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["template"]);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn a_plan_goes_through_the_whole_process_with_the_right_people() {
    let app = spawn_app().await;
    let t = team(&app).await;
    move_plan(&app, &t.viewer, &t.plan, json!({"to": "submitted"}))
        .await
        .expect_problem(403);
    move_plan(&app, &t.editor, &t.plan, json!({"to": "submitted"}))
        .await
        .expect(201);
    move_plan(&app, &t.editor, &t.plan, json!({"to": "approved"}))
        .await
        .expect_problem(403);
    move_plan(&app, &app.admin_token, &t.plan, json!({"to": "approved"}))
        .await
        .expect_problem(403);
    let approved = move_plan(&app, &t.consultant, &t.plan, json!({"to": "approved"}))
        .await
        .expect(201);
    assert_eq!(approved.body["actor_name"], "Karin Konsulent");
    let problem = move_plan(&app, &t.editor, &t.plan, json!({"to": "adopted"}))
        .await
        .expect_problem(422);
    assert_eq!(
        Response::invalid_fields(&problem),
        ["committee", "meeting_date", "decision"]
    );
    let adopted = move_plan(
        &app,
        &t.editor,
        &t.plan,
        json!({"to": "adopted", "committee": "Børne- og Ungeudvalget", "meeting_date": "2021-03-09", "decision": "Godkendt", "agenda_url": null}),
    )
    .await
    .expect(201);
    assert_eq!(adopted.body["committee"], "Børne- og Ungeudvalget");
    move_plan(&app, &t.editor, &t.plan, json!({"to": "active"}))
        .await
        .expect(201);

    let problem = move_plan(&app, &t.consultant, &t.plan, json!({"to": "closed"}))
        .await
        .expect_problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("final status report"))
    );
    let report = app
        .post(
            &format!("/api/v1/plans/{}/status-reports", t.plan),
            &json!({"title": "Afsluttende status", "as_of": "2023-03-01", "is_final": true}),
        )
        .await
        .expect(201);
    app.prepare_final_report(&t.plan, &report.id()).await;
    app.publish(&report.id(), &report.etag()).await.expect(200);
    move_plan(&app, &t.consultant, &t.plan, json!({"to": "closed"}))
        .await
        .expect(201);
    assert_eq!(status(&app, &t.plan).await, "closed");

    let transitions = app
        .get(&format!("/api/v1/plans/{}/transitions", t.plan))
        .await
        .expect(200);
    let steps: Vec<(String, String)> = transitions.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["from_status"].as_str().unwrap_or_default().to_owned(),
                t["to_status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("draft", "submitted"),
        ("submitted", "approved"),
        ("approved", "adopted"),
        ("adopted", "active"),
        ("active", "closed"),
    ];
    assert_eq!(steps, expected.map(|(a, b)| (a.to_owned(), b.to_owned())));
    let events = app
        .get(&format!(
            "/api/v1/audit-events?entity_id={}&entity_type=plan",
            t.plan
        ))
        .await
        .expect(200);
    let transition_events = events.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["action"] == "transition")
        .count();
    assert_eq!(transition_events, 5);
}

#[actix_web::test]
async fn an_illegal_transition_lists_the_allowed_ones_and_changes_nothing() {
    let app = spawn_app().await;
    let t = team(&app).await;
    let before = app.row_counts();
    let problem = move_plan(&app, &t.consultant, &t.plan, json!({"to": "active"}))
        .await
        .expect_problem(409);
    assert_eq!(problem["allowed_transitions"], json!(["submitted"]));
    move_plan(
        &app,
        &t.consultant,
        &t.plan,
        json!({"to": "draft", "reason": "Allerede kladde"}),
    )
    .await
    .expect_problem(409);
    move_plan(&app, &t.consultant, &t.plan, json!({"to": "finished"}))
        .await
        .expect_problem(422);
    assert_eq!(app.row_counts(), before);
    assert_eq!(status(&app, &t.plan).await, "draft");
}

#[actix_web::test]
async fn a_submitted_plan_is_returned_to_draft_only_with_a_reason() {
    let app = spawn_app().await;
    let t = team(&app).await;
    move_plan(&app, &t.editor, &t.plan, json!({"to": "submitted"}))
        .await
        .expect(201);
    let problem = move_plan(&app, &t.consultant, &t.plan, json!({"to": "draft"}))
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["reason"]);
    let returned = move_plan(
        &app,
        &t.consultant,
        &t.plan,
        json!({"to": "draft", "reason": "Punkt 3 mangler målbare mål"}),
    )
    .await
    .expect(201);
    assert_eq!(returned.body["reason"], "Punkt 3 mangler målbare mål");
    assert_eq!(status(&app, &t.plan).await, "draft");
}

#[actix_web::test]
async fn a_plan_offers_each_caller_only_the_moves_their_role_may_make() {
    let app = spawn_app().await;
    let t = team(&app).await;
    move_plan(&app, &t.editor, &t.plan, json!({"to": "submitted"}))
        .await
        .expect(201);
    let offered = |token: &str| {
        let path = format!("/api/v1/plans/{}", t.plan);
        let caller = app.with_token(token);
        async move { caller.get(&path).await.expect(200).body["allowed_transitions"].clone() }
    };
    assert_eq!(offered(&t.consultant).await, json!(["approved", "draft"]));
    assert_eq!(
        offered(&t.editor).await,
        json!(["draft"]),
        "only a consultant approves"
    );
    assert_eq!(offered(&t.viewer).await, json!([]));
    let listed = app
        .with_token(&t.consultant)
        .get("/api/v1/plans")
        .await
        .expect(200);
    assert_eq!(
        listed.body["items"][0]["allowed_transitions"],
        json!(["approved", "draft"])
    );
    // What is offered works.
    move_plan(&app, &t.consultant, &t.plan, json!({"to": "approved"}))
        .await
        .expect(201);
    assert_eq!(status(&app, &t.plan).await, "approved");
}

#[actix_web::test]
async fn users_me_says_what_each_role_may_do_in_its_organization() {
    let app = spawn_app().await;
    let t = team(&app).await;
    for (token, write, approve) in [
        (&t.viewer, false, false),
        (&t.editor, true, false),
        (&t.consultant, true, true),
    ] {
        let me = app
            .with_token(token)
            .get("/api/v1/users/me")
            .await
            .expect(200);
        assert_eq!(
            me.body["memberships"][0]["permissions"],
            json!({"read": true, "write": write, "approve": approve, "administer": false}),
            "{}",
            me.body
        );
    }
}

//! Case-review rounds: counts per criterion that add up, shares without
//! relevant cases left out, who records which kind, and two rounds compared.

use serde_json::{Value, json};

use crate::helpers::{Response, TestApp, spawn_app};

struct Plan {
    organization: String,
    plan: String,
    consultant: String,
}

async fn plan(app: &TestApp) -> Plan {
    let organization = app.create_organization("330").await.id();
    let plan = app.create_plan_for(&organization).await.id();
    let (_, consultant) = app
        .user("Karin Konsulent", Some(&organization), Some("consultant"))
        .await;
    Plan {
        organization,
        plan,
        consultant,
    }
}

/// A round of 20 cases: within 4 months `met` of the relevant, the child
/// conversation 12 of 20.
fn round(kind: &str, phase: &str, reviewed_on: &str, met: i64) -> Value {
    json!({
        "kind": kind,
        "phase": phase,
        "reviewed_on": reviewed_on,
        "cases_reviewed": 20,
        "results": [
            {"criterion_key": "investigation_within_4_months", "met": met, "not_met": 16 - met, "not_relevant": 4},
            {"criterion_key": "child_views_obtained_before_decision", "met": 12, "not_met": 8, "not_relevant": 0},
            {"criterion_key": "plan_within_3_months", "met": 0, "not_met": 0, "not_relevant": 20},
        ],
        "note": "Gennemgået af Ankestyrelsen.",
    })
}

#[actix_web::test]
async fn a_round_counts_each_criterion_and_shares_leave_out_cases_where_it_did_not_apply() {
    let app = spawn_app().await;
    let p = plan(&app).await;
    let created = app
        .with_token(&p.consultant)
        .post(
            &format!("/api/v1/plans/{}/case-reviews", p.plan),
            &round("legal", "baseline", "2021-02-15", 6),
        )
        .await
        .expect(201);
    let body = &created.body;
    assert_eq!(body["criteria_key"], "task_force");
    assert_eq!(body["criteria_version"], 1);
    let results = body["results"].as_array().expect("results");
    // In the set's order, whatever the body's.
    let keys: Vec<&str> = results
        .iter()
        .filter_map(|r| r["criterion_key"].as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "investigation_within_4_months",
            "child_views_obtained_before_decision",
            "plan_within_3_months"
        ]
    );
    assert_eq!(results[0]["share"], json!(6.0 / 16.0));
    assert_eq!(results[1]["share"], json!(0.6));
    assert_eq!(
        results[2]["share"],
        Value::Null,
        "no relevant case: no share, not 0"
    );
    let listed = app
        .get(&format!("/api/v1/plans/{}/case-reviews", p.plan))
        .await
        .expect(200)
        .body;
    assert_eq!(listed["items"][0]["id"], json!(created.id()));
    let criteria = app
        .get("/api/v1/case-review-criteria")
        .await
        .expect(200)
        .body["items"]
        .clone();
    assert_eq!(criteria[0]["key"], "task_force");
}

#[actix_web::test]
async fn counts_that_do_not_add_up_are_refused_naming_the_criterion_and_nothing_is_written() {
    let app = spawn_app().await;
    let p = plan(&app).await;
    let caller = app.with_token(&p.consultant);
    let path = format!("/api/v1/plans/{}/case-reviews", p.plan);
    let before = app.row_counts();

    let mut short = round("legal", "baseline", "2021-02-15", 6);
    short["results"][1]["not_relevant"] = json!(1);
    let problem = caller.post(&path, &short).await.expect_problem(422);
    assert_eq!(
        Response::invalid_fields(&problem),
        ["results.child_views_obtained_before_decision"]
    );
    assert!(problem.to_string().contains("21"));

    let mut unknown = round("legal", "baseline", "2021-02-15", 6);
    unknown["results"][0]["criterion_key"] = json!("case_number_recorded");
    let problem = caller.post(&path, &unknown).await.expect_problem(422);
    assert_eq!(
        Response::invalid_fields(&problem),
        ["results.case_number_recorded"]
    );

    let mut twice = round("legal", "baseline", "2021-02-15", 6);
    twice["results"][2] = twice["results"][1].clone();
    caller.post(&path, &twice).await.expect_problem(422);

    // party_hearing belongs to the legal review, not the social-work one.
    let mut other_kind = round("social_work", "baseline", "2021-02-15", 6);
    other_kind["results"][2] =
        json!({"criterion_key": "party_hearing", "met": 5, "not_met": 5, "not_relevant": 10});
    let problem = caller.post(&path, &other_kind).await.expect_problem(422);
    assert_eq!(
        Response::invalid_fields(&problem),
        ["results.party_hearing"]
    );

    let mut cpr = round("legal", "baseline", "2021-02-15", 6);
    cpr["results"][0]["note"] = json!("Sag 010203-1234 var for sent");
    caller.post(&path, &cpr).await.expect_problem(422);

    let mut negative = round("legal", "baseline", "2021-02-15", 6);
    negative["results"][0]["met"] = json!(-1);
    negative["results"][0]["not_met"] = json!(17);
    caller.post(&path, &negative).await.expect_problem(422);

    let mut old_set = round("legal", "baseline", "2021-02-15", 6);
    old_set["criteria_version"] = json!(99);
    let problem = caller.post(&path, &old_set).await.expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["criteria_key"]);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn the_task_force_records_its_reviews_and_the_municipality_its_own() {
    let app = spawn_app().await;
    let p = plan(&app).await;
    let (_, editor) = app
        .user("Mette Redaktør", Some(&p.organization), Some("editor"))
        .await;
    let (_, viewer) = app
        .user("Politiker", Some(&p.organization), Some("viewer"))
        .await;
    let path = format!("/api/v1/plans/{}/case-reviews", p.plan);
    for kind in ["legal", "social_work"] {
        let mut body = round(kind, "baseline", "2021-02-15", 6);
        if kind == "social_work" {
            body["results"][2] = json!({"criterion_key": "intervention_matches_needs", "met": 10, "not_met": 10, "not_relevant": 0});
        }
        app.with_token(&editor)
            .post(&path, &body)
            .await
            .expect_problem(403);
        app.with_token(&p.consultant)
            .post(&path, &body)
            .await
            .expect(201);
    }
    let own = app
        .with_token(&editor)
        .post(&path, &round("self_review", "follow_up", "2022-01-10", 10))
        .await
        .expect(201);
    app.with_token(&viewer)
        .post(&path, &round("self_review", "follow_up", "2022-01-10", 10))
        .await
        .expect_problem(403);
    let legal = app.get(&path).await.expect(200).body["items"][0].clone();
    let legal_id = legal["id"].as_str().expect("id");
    let etag = app
        .get(&format!("/api/v1/case-reviews/{legal_id}"))
        .await
        .etag();
    app.with_token(&editor)
        .patch(
            &format!("/api/v1/case-reviews/{legal_id}"),
            Some(&etag),
            &json!({"note": "Ændret af kommunen"}),
        )
        .await
        .expect_problem(403);
    let changed = app
        .with_token(&editor)
        .patch(
            &format!("/api/v1/case-reviews/{}", own.id()),
            Some(&own.etag()),
            &json!({"phase": "final"}),
        )
        .await
        .expect(200);
    assert_eq!(changed.body["phase"], "final");
    assert_eq!(
        changed.body["results"], own.body["results"],
        "absent fields stay"
    );
    app.with_token(&editor)
        .delete(
            &format!("/api/v1/case-reviews/{}", own.id()),
            Some(&changed.etag()),
        )
        .await
        .expect(204);
}

#[actix_web::test]
async fn two_rounds_compare_per_criterion_in_percentage_points_and_say_what_is_not_comparable() {
    let app = spawn_app().await;
    let p = plan(&app).await;
    let caller = app.with_token(&p.consultant);
    let path = format!("/api/v1/plans/{}/case-reviews", p.plan);
    let baseline = caller
        .post(&path, &round("legal", "baseline", "2021-02-15", 6))
        .await
        .expect(201)
        .id();
    let mut last = round("legal", "final", "2023-02-01", 12);
    last["results"][2] = json!({"criterion_key": "plan_within_3_months", "met": 15, "not_met": 5, "not_relevant": 0});
    let last = caller.post(&path, &last).await.expect(201).id();

    let comparison = app
        .get(&format!(
            "/api/v1/plans/{}/case-reviews/comparison?from={baseline}&to={last}",
            p.plan
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(comparison["same_criteria"], true);
    let criteria = comparison["criteria"].as_array().expect("criteria");
    let of = |key: &str| {
        criteria
            .iter()
            .find(|c| c["criterion_key"] == key)
            .expect("criterion in the comparison")
    };
    // 6 of 16 (37.5 %) to 12 of 16 (75 %): 37.5 points better.
    assert_eq!(
        of("investigation_within_4_months")["change_pp"],
        json!(37.5)
    );
    assert_eq!(
        of("child_views_obtained_before_decision")["change_pp"],
        json!(0.0)
    );
    let not_relevant = of("plan_within_3_months");
    assert_eq!(not_relevant["change_pp"], Value::Null);
    assert!(
        not_relevant["not_comparable"]
            .as_str()
            .is_some_and(|why| why.contains("older round"))
    );
    assert!(
        of("investigation_within_4_months")["title"]
            .as_str()
            .is_some_and(|t| t.contains("4 måneder"))
    );

    // A round of another plan is not this plan's.
    let other = app.create_plan_for(&p.organization).await.id();
    let foreign = app
        .with_token(&p.consultant)
        .post(
            &format!("/api/v1/plans/{other}/case-reviews"),
            &round("legal", "baseline", "2021-02-15", 6),
        )
        .await
        .expect(201)
        .id();
    app.get(&format!(
        "/api/v1/plans/{}/case-reviews/comparison?from={baseline}&to={foreign}",
        p.plan
    ))
    .await
    .expect_problem(404);
}

//! Numbered revisions after approval, and what differs between two.

use serde_json::json;

use crate::helpers::spawn_app;

#[actix_web::test]
async fn structural_changes_after_approval_make_numbered_revisions_with_a_diff() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let plan = app
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({"title": "Plan", "period_start": "2021-03-01", "period_end": "2023-03-01", "template": "task_force"}),
        )
        .await
        .expect(201)
        .id();
    let (_, consultant) = app
        .user("Karin Konsulent", Some(&organization), Some("consultant"))
        .await;
    let before_approval = app.create_focus_area(&plan, "Før godkendelse").await;
    assert_eq!(
        app.get(&format!("/api/v1/plans/{plan}/revisions"))
            .await
            .expect(200)
            .body["items"],
        json!([])
    );
    let caller = app.with_token(&consultant);
    caller
        .post(
            &format!("/api/v1/plans/{plan}/transitions"),
            &json!({"to": "submitted"}),
        )
        .await
        .expect(201);
    caller
        .post(
            &format!("/api/v1/plans/{plan}/transitions"),
            &json!({"to": "approved"}),
        )
        .await
        .expect(201);

    let added = app
        .create_indicator(&plan, json!({"name": "Ny indikator efter godkendelse"}))
        .await;
    app.delete(
        &format!("/api/v1/focus-areas/{}", before_approval.id()),
        Some(&before_approval.etag()),
    )
    .await
    .expect(204);
    let area = app
        .get(&format!("/api/v1/focus-areas/{}", before_approval.id()))
        .await;
    assert_eq!(area.status.as_u16(), 404);

    let revisions = app
        .get(&format!("/api/v1/plans/{plan}/revisions"))
        .await
        .expect(200)
        .body["items"]
        .clone();
    let numbers: Vec<i64> = revisions
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["number"].as_i64())
        .collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(revisions[0]["reason"], "approved");
    assert!(
        revisions[1]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("indicator added"))
    );

    let diff = app
        .get(&format!("/api/v1/plans/{plan}/revisions/diff?from=1&to=3"))
        .await
        .expect(200)
        .body;
    assert_eq!(diff["added"][0]["id"], json!(added.id()));
    assert_eq!(diff["removed"][0]["id"], json!(before_approval.id()));
    assert_eq!(diff["changed"], json!([]));
    app.get(&format!("/api/v1/plans/{plan}/revisions/diff?from=1&to=9"))
        .await
        .expect_problem(404);
}

#[actix_web::test]
async fn concurrent_structural_changes_after_approval_each_get_their_own_revision() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let plan = app
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({"title": "Plan", "period_start": "2021-03-01", "period_end": "2023-03-01"}),
        )
        .await
        .expect(201)
        .id();
    let (_, consultant) = app
        .user("Karin Konsulent", Some(&organization), Some("consultant"))
        .await;
    for to in ["submitted", "approved"] {
        app.with_token(&consultant)
            .post(
                &format!("/api/v1/plans/{plan}/transitions"),
                &json!({"to": to}),
            )
            .await
            .expect(201);
    }

    let writers = 12;
    let answers = futures_util::future::join_all((0..writers).map(|i| {
        let (app, plan) = (&app, &plan);
        async move {
            app.post(
                &format!("/api/v1/plans/{plan}/indicators"),
                &json!({
                    "name": format!("Indikator {i}"),
                    "unit": "percent",
                    "direction": "increase",
                    "frequency": "quarterly",
                    "legal_regime": "barnets_lov",
                }),
            )
            .await
            .status
            .as_u16()
        }
    }))
    .await;
    assert_eq!(
        answers,
        vec![201; writers],
        "every concurrent write is accepted"
    );

    let revisions = app
        .get(&format!("/api/v1/plans/{plan}/revisions"))
        .await
        .expect(200)
        .body["items"]
        .clone();
    let numbers: Vec<i64> = revisions
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["number"].as_i64())
        .collect();
    let expected: Vec<i64> = (1..=(writers as i64 + 1)).collect();
    assert_eq!(
        numbers, expected,
        "the approval and one revision per change"
    );
}

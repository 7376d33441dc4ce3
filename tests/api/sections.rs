//! A status report's sections under concurrent writers: nothing acknowledged
//! is lost, neither to another writer nor to a publish running beside them.

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

fn section_path(report: &str, area: &str) -> String {
    format!("/api/v1/status-reports/{report}/sections/{area}")
}

async fn plan_with_areas(app: &TestApp, count: usize) -> (String, Vec<String>) {
    let plan = app.create_plan().await.id();
    let mut areas = Vec::new();
    for n in 0..count {
        areas.push(
            app.create_focus_area(&plan, &format!("Punkt {n}"))
                .await
                .id(),
        );
    }
    (plan, areas)
}

async fn draft(app: &TestApp, plan: &str) -> (String, String) {
    let report = app
        .post(
            &format!("/api/v1/plans/{plan}/status-reports"),
            &json!({"title": "Status", "as_of": "2021-07-01"}),
        )
        .await
        .expect(201);
    (report.id(), report.etag())
}

fn narrative_in(snapshot: &Value, area: &str) -> String {
    snapshot["focus_areas"]
        .as_array()
        .and_then(|areas| areas.iter().find(|a| a["id"] == area))
        .and_then(|a| a["narrative"].as_str())
        .expect("the focus area is in the snapshot")
        .to_owned()
}

#[actix_web::test]
async fn every_section_write_next_to_a_publish_is_in_the_snapshot_or_refused() {
    let app = &spawn_app().await;
    let (plan, areas) = plan_with_areas(app, 20).await;
    for round in 0..10 {
        let (report, etag) = draft(app, &plan).await;
        let writers = areas.iter().map(|area| {
            let body = json!({"narrative": format!("runde {round}, {area}")});
            let path = section_path(&report, area);
            async move { app.put(&path, &[], &body).await }
        });
        let (answers, published) =
            futures_util::join!(join_all(writers), app.publish(&report, &etag));
        published.expect(200);
        let snapshot = app
            .get(&format!("/api/v1/status-reports/{report}/snapshot"))
            .await
            .expect(200)
            .body;
        for (area, answer) in areas.iter().zip(answers) {
            let in_snapshot = narrative_in(&snapshot, area);
            match answer.status.as_u16() {
                201 => assert_eq!(
                    in_snapshot,
                    format!("runde {round}, {area}"),
                    "acknowledged, then lost"
                ),
                409 => assert_eq!(in_snapshot, "", "refused, yet in the snapshot"),
                other => panic!(
                    "round {round}: a section write answered {other}: {:#}",
                    answer.body
                ),
            }
        }
    }
}

#[actix_web::test]
async fn concurrent_replacements_of_one_section_let_exactly_one_through() {
    let app = &spawn_app().await;
    let (plan, areas) = plan_with_areas(app, 1).await;
    let (report, _) = draft(app, &plan).await;
    let path = section_path(&report, &areas[0]);
    let first = app
        .put(&path, &[], &json!({"narrative": "første"}))
        .await
        .expect(201);
    let etag = first.etag();
    let writers = (0..20).map(|n| {
        let (path, etag) = (path.clone(), etag.clone());
        async move {
            let body = json!({"narrative": format!("skriver {n}")});
            (n, app.put(&path, &[("If-Match", &etag)], &body).await)
        }
    });
    let answers = join_all(writers).await;
    let winners: Vec<usize> = answers
        .iter()
        .filter(|(_, answer)| answer.status == 200)
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(winners.len(), 1, "exactly one replacement may win");
    for (_, answer) in answers.iter().filter(|(_, a)| a.status != 200) {
        assert_eq!(answer.status, 412, "{:#}", answer.body);
    }
    let sections = app
        .get(&format!("/api/v1/status-reports/{report}/sections"))
        .await
        .expect(200)
        .body["items"]
        .clone();
    assert_eq!(
        sections[0]["section"]["narrative"],
        format!("skriver {}", winners[0])
    );
}

#[actix_web::test]
async fn replacing_a_section_needs_the_current_etag() {
    let app = spawn_app().await;
    let (plan, areas) = plan_with_areas(&app, 1).await;
    let (report, _) = draft(&app, &plan).await;
    let path = section_path(&report, &areas[0]);
    app.put(&path, &[("If-Match", "\"1\"")], &json!({"narrative": "ny"}))
        .await
        .expect_problem(412);
    let created = app
        .put(&path, &[], &json!({"narrative": "første"}))
        .await
        .expect(201);
    assert_eq!(created.header("location"), Some(path.as_str()));
    app.put(&path, &[], &json!({"narrative": "blind overskrivning"}))
        .await
        .expect_problem(428);
    app.put(
        &path,
        &[("If-Match", "\"7\"")],
        &json!({"narrative": "forældet"}),
    )
    .await
    .expect_problem(412);
    let replaced = app
        .put(
            &path,
            &[("If-Match", &created.etag())],
            &json!({"narrative": "anden"}),
        )
        .await
        .expect(200);
    assert_ne!(replaced.etag(), created.etag());

    let events = app
        .get(&format!("/api/v1/audit-events?entity_id={}", created.id()))
        .await
        .expect(200)
        .body;
    let events = events["items"].as_array().expect("a page of events");
    assert_eq!(events.len(), 2, "{events:#?}");
    let replacement = events
        .iter()
        .find(|e| e["after"]["narrative"] == "anden")
        .expect("the replacement's event");
    assert_eq!(replacement["before"]["narrative"], "første");
}

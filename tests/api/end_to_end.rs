//! The README's end-to-end run of the Task Force process, through the API.

use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[actix_web::test]
async fn a_plan_from_the_template_goes_from_draft_to_closed_with_reports_changes_and_an_erratum() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let (_, mette) = app
        .user("Mette Hansen", Some(&organization), Some("editor"))
        .await;
    let (_, karin) = app
        .user("Karin Konsulent", Some(&organization), Some("consultant"))
        .await;
    let (mette, karin) = (app.with_token(&mette), app.with_token(&karin));

    let plan = mette
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({"title": "Udviklingsplan 2021–2023", "period_start": "2021-03-01", "period_end": "2023-03-01", "template": "task_force"}),
        )
        .await
        .expect(201)
        .id();
    let transitions = format!("/api/v1/plans/{plan}/transitions");
    mette
        .post(&transitions, &json!({"to": "submitted"}))
        .await
        .expect(201);
    karin
        .post(&transitions, &json!({"to": "approved"}))
        .await
        .expect(201);
    mette
        .post(&transitions, &json!({"to": "adopted", "committee": "Børne- og Ungeudvalget", "meeting_date": "2021-03-09", "decision": "Godkendt"}))
        .await
        .expect(201);
    mette
        .post(&transitions, &json!({"to": "active"}))
        .await
        .expect(201);

    let indicators = mette
        .get(&format!("/api/v1/plans/{plan}/indicators"))
        .await
        .expect(200)
        .body;
    let indicator = indicators["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["template_key"] == "investigations_within_4_months")
        .and_then(|i| i["id"].as_str())
        .expect("the template indicator")
        .to_owned();
    let current = mette
        .get(&format!("/api/v1/indicators/{indicator}"))
        .await
        .expect(200);
    mette
        .patch(
            &format!("/api/v1/indicators/{indicator}"),
            Some(&current.etag()),
            &json!({"baseline_value": 55, "baseline_date": "2021-03-01"}),
        )
        .await
        .expect(200);
    let record = |period: &'static str, value: f64| {
        let path = format!("/api/v1/indicators/{indicator}/measurements/{period}");
        (path, json!({"value": value}))
    };
    for (path, body) in [record("2021-06-30", 62.0), record("2021-09-30", 71.5)] {
        mette.put(&path, &[], &body).await.expect(201);
    }

    let publish = async |title: &str, as_of: &str, is_final: bool| -> String {
        let report = mette
            .post(
                &format!("/api/v1/plans/{plan}/status-reports"),
                &json!({"title": title, "as_of": as_of, "is_final": is_final}),
            )
            .await
            .expect(201);
        if is_final {
            app.prepare_final_report(&plan, &report.id()).await;
        }
        mette
            .publish(&report.id(), &report.etag())
            .await
            .expect(200);
        report.id()
    };
    let first = publish("Status 3. kvartal 2021", "2021-10-01", false).await;
    let (path, body) = record("2021-12-31", 84.0);
    mette.put(&path, &[], &body).await.expect(201);
    let second = publish("Status 4. kvartal 2021", "2022-01-01", false).await;

    let changes = mette
        .get(&format!("/api/v1/status-reports/{second}/changes"))
        .await
        .expect(200)
        .body;
    assert_eq!(changes["previous_report_id"], json!(first));
    let movement = changes["indicators"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["indicator_id"] == json!(indicator));
    assert_eq!(
        movement.map(|m| (m["from_value"].clone(), m["to_value"].clone())),
        Some((json!(71.5), json!(84)))
    );

    let snapshot = mette
        .get(&format!("/api/v1/status-reports/{second}/snapshot"))
        .await
        .expect(200)
        .body;
    let (path, body) = record("2021-12-31", 82.0);
    mette.put(&path, &[], &body).await.expect(200);
    mette
        .post(
            &format!("/api/v1/status-reports/{second}/errata"),
            &json!({"body": "Værdien for 4. kvartal var 82 %, ikke 84 %."}),
        )
        .await
        .expect(201);
    assert_eq!(
        mette
            .get(&format!("/api/v1/status-reports/{second}/snapshot"))
            .await
            .expect(200)
            .body,
        snapshot
    );
    let errata = mette
        .get(&format!("/api/v1/status-reports/{second}/errata"))
        .await
        .expect(200)
        .body["items"]
        .clone();
    assert_eq!(errata[0]["author_name"], "Mette Hansen");

    karin
        .post(&transitions, &json!({"to": "closed"}))
        .await
        .expect_problem(409);
    publish("Afsluttende statusrapport", "2023-03-01", true).await;
    karin
        .post(&transitions, &json!({"to": "closed"}))
        .await
        .expect(201);
    let steps: Vec<Value> = mette.get(&transitions).await.expect(200).body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| t["to_status"].clone())
        .collect();
    assert_eq!(
        steps,
        ["submitted", "approved", "adopted", "active", "closed"].map(Value::from)
    );

    // The README ends with downloading report 2 for the committee.
    for format in ["pdf", "html", "xlsx"] {
        let file = mette
            .download(
                &format!("/api/v1/status-reports/{second}/export/{format}"),
                &[],
            )
            .await
            .expect(200);
        let name = format!("Kommune_330_udviklingsplan_status_2022-01-01.{format}");
        assert!(
            file.header("content-disposition")
                .is_some_and(|value| value.contains(&name)),
            "{:?}",
            file.header("content-disposition")
        );
    }
}

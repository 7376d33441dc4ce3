//! Owners, what they owe (GET /users/me/due), and the reminders that tell
//! them: written once to the outbox and sent once, with two instances running.

use std::time::Duration;

use chrono::{Days, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, eventually, spawn_app};
use crate::receivers::SmtpSink;

/// A user with an e-mail address and `role` in `organization_id`; their id and token.
async fn member(app: &TestApp, name: &str, organization_id: &str, role: &str) -> (String, String) {
    let email = format!("{}@slagelse.dk", name.to_lowercase().replace(' ', "."));
    let user = app
        .post(
            "/api/v1/users",
            &json!({"display_name": name, "email": email}),
        )
        .await
        .expect(201);
    app.post(
        "/api/v1/memberships",
        &json!({"user_id": user.id(), "organization_id": organization_id, "role": role}),
    )
    .await
    .expect(201);
    let subject = user.body["subject"].as_str().expect("a subject");
    let token = app
        .issuer
        .issue(subject, Some(name), None, Duration::from_secs(3600))
        .expect("a token");
    (user.id(), token)
}

/// A plan that began 300 days ago, with a quarterly indicator owned by an
/// editor and nothing measured yet: several quarters are late.
struct LatePlan {
    organization_id: String,
    indicator_id: String,
    owner_id: String,
    owner_token: String,
}

async fn late_plan(app: &TestApp) -> LatePlan {
    let organization_id = app.create_organization("330").await.id();
    let today = Utc::now().date_naive();
    let plan = app
        .post(
            &format!("/api/v1/organizations/{organization_id}/plans"),
            &json!({
                "title": "Udviklingsplan",
                "period_start": today.checked_sub_days(Days::new(300)).expect("a date"),
                "period_end": today.checked_add_days(Days::new(400)).expect("a date"),
            }),
        )
        .await
        .expect(201);
    let (owner_id, owner_token) = member(app, "Mette Hansen", &organization_id, "editor").await;
    let indicator = app
        .create_indicator(&plan.id(), json!({"owner_id": owner_id, "grace_days": 14}))
        .await;
    assert_eq!(indicator.body["owner_id"], json!(owner_id));
    assert_eq!(indicator.body["grace_days"], json!(14));
    LatePlan {
        organization_id,
        indicator_id: indicator.id(),
        owner_id,
        owner_token,
    }
}

fn late_periods(due: &Value) -> Vec<String> {
    due["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|item| item["state"] == "late")
        .map(|item| item["period_end"].as_str().expect("a date").to_owned())
        .collect()
}

#[actix_web::test]
async fn an_owner_sees_what_is_late_and_what_is_due_soon() {
    let app = spawn_app().await;
    let plan = late_plan(&app).await;
    let owner = app.with_token(&plan.owner_token);
    let due = owner
        .get("/api/v1/users/me/due?within_days=90")
        .await
        .expect(200);
    let late = late_periods(&due.body);
    assert!(
        late.len() >= 2,
        "300 days hold at least two late quarters: {:#}",
        due.body
    );
    let first = &due.body["items"][0];
    assert_eq!(first["indicator_id"], json!(plan.indicator_id));
    assert!(first["days_left"].as_i64().expect("days") < 0);
    // Entering the oldest value takes it off the list.
    owner
        .put(
            &format!(
                "/api/v1/indicators/{}/measurements/{}",
                plan.indicator_id, late[0]
            ),
            &[],
            &json!({"value": 71.5}),
        )
        .await
        .expect(201);
    let after = owner
        .get("/api/v1/users/me/due?within_days=90")
        .await
        .expect(200);
    assert_eq!(late_periods(&after.body), late[1..].to_vec());
    // Someone else owes nothing; a window beyond 90 days is refused.
    let (_, viewer) = app
        .user("Viewer", Some(&plan.organization_id), Some("viewer"))
        .await;
    let theirs = app
        .with_token(&viewer)
        .get("/api/v1/users/me/due")
        .await
        .expect(200);
    assert_eq!(theirs.body["items"], json!([]));
    owner
        .get("/api/v1/users/me/due?within_days=91")
        .await
        .expect_problem(400);
}

#[actix_web::test]
async fn an_owner_writes_in_the_plans_organization() {
    let app = spawn_app().await;
    let plan = late_plan(&app).await;
    let plan_id = app
        .get(&format!("/api/v1/indicators/{}", plan.indicator_id))
        .await
        .body["plan_id"]
        .as_str()
        .expect("a plan")
        .to_owned();
    let (viewer, _) = app
        .user("Viewer", Some(&plan.organization_id), Some("viewer"))
        .await;
    let elsewhere = app.create_organization("326").await.id();
    let (stranger, _) = app.user("Stranger", Some(&elsewhere), Some("editor")).await;
    for owner in [viewer, stranger, uuid::Uuid::now_v7().to_string()] {
        let body = app
            .post(
                &format!("/api/v1/plans/{plan_id}/indicators"),
                &json!({"name": "Andel", "unit": "percent", "direction": "increase",
                        "frequency": "quarterly", "owner_id": owner}),
            )
            .await
            .expect_problem(422);
        assert_eq!(
            crate::helpers::Response::invalid_fields(&body),
            ["owner_id"]
        );
    }
    let current = app
        .get(&format!("/api/v1/indicators/{}", plan.indicator_id))
        .await;
    let body = app
        .patch(
            &format!("/api/v1/indicators/{}", plan.indicator_id),
            Some(&current.etag()),
            &json!({"grace_days": 400}),
        )
        .await
        .expect_problem(422);
    assert_eq!(
        crate::helpers::Response::invalid_fields(&body),
        ["grace_days"]
    );
}

#[actix_web::test]
async fn each_late_period_is_reminded_once_with_two_instances_running() {
    let app = spawn_app().await;
    let plan = late_plan(&app).await;
    let due = app
        .with_token(&plan.owner_token)
        .get("/api/v1/users/me/due")
        .await
        .expect(200);
    let late = late_periods(&due.body);
    let sink = SmtpSink::start().await;
    let second = app.second_instance().await;
    app.start_jobs(Some(&sink.url));
    second.start_jobs(Some(&sink.url));
    let overdue = |sink: &SmtpSink| {
        sink.mails()
            .into_iter()
            .filter(|mail| mail.subject().starts_with("Mangler:"))
            .collect::<Vec<_>>()
    };
    eventually(20, "an overdue reminder per late period", || async {
        overdue(&sink).len() >= late.len()
    })
    .await;
    // Both instances keep running for a while: nothing more may come.
    actix_web::rt::time::sleep(Duration::from_secs(2)).await;
    let mails = overdue(&sink);
    assert_eq!(mails.len(), late.len(), "{:#?}", sink.mails());
    let mut subjects: Vec<String> = mails.iter().map(|m| m.subject()).collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), late.len(), "one reminder per period");
    assert!(
        mails
            .iter()
            .all(|m| m.to.contains("mette.hansen@slagelse.dk"))
    );
    assert!(mails[0].data.contains("Udviklingsplan"));
    let digests = sink
        .mails()
        .into_iter()
        .filter(|mail| mail.subject().starts_with("Ugens oversigt"))
        .count();
    assert_eq!(
        digests, 1,
        "the plan's one editor gets one digest this week"
    );
    // The outbox says the same.
    let outbox = app.get("/api/v1/notifications?limit=500").await.expect(200);
    let sent_overdue: Vec<&Value> = outbox.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["kind"] == "overdue")
        .collect();
    assert_eq!(sent_overdue.len(), late.len());
    assert!(
        sent_overdue
            .iter()
            .all(|n| n["status"] == "sent" && n["recipient_id"] == json!(plan.owner_id))
    );
}

#[actix_web::test]
async fn without_a_relay_the_outbox_is_kept_for_administrators() {
    let app = spawn_app().await;
    let plan = late_plan(&app).await;
    app.start_jobs(None);
    eventually(10, "reminders in the outbox", || async {
        app.get("/api/v1/notifications").await.body["items"]
            .as_array()
            .is_some_and(|items| !items.is_empty())
    })
    .await;
    let outbox = app.get("/api/v1/notifications").await.expect(200);
    let items = outbox.body["items"].as_array().expect("items");
    assert!(items.iter().all(|n| n["status"] == "pending"));
    assert!(
        items
            .iter()
            .any(|n| n["kind"] == "overdue" && n["language"] == "da")
    );
    app.with_token(&plan.owner_token)
        .get("/api/v1/notifications")
        .await
        .expect_problem(403);
    // A value that comes in before its reminder is sent cancels the reminder.
    let overdue = items
        .iter()
        .find(|n| n["kind"] == "overdue")
        .expect("an overdue reminder");
    let period = overdue["period_end"].as_str().expect("a period");
    app.with_token(&plan.owner_token)
        .put(
            &format!(
                "/api/v1/indicators/{}/measurements/{period}",
                plan.indicator_id
            ),
            &[],
            &json!({"value": 80}),
        )
        .await
        .expect(201);
    let id = overdue["id"].clone();
    eventually(10, "the answered reminder cancelled", || async {
        app.get("/api/v1/notifications").await.body["items"]
            .as_array()
            .is_some_and(|items| {
                items
                    .iter()
                    .any(|n| n["id"] == id && n["status"] == "cancelled")
            })
    })
    .await;
}

#[actix_web::test]
async fn a_reminder_held_by_an_instance_that_died_is_sent_by_another() {
    let app = spawn_app().await;
    late_plan(&app).await;
    // The first instance wrote today's reminders and claimed them all, then died.
    let mut conn = app.db.conn().await.expect("a connection");
    let rules = planspor::reminders::ReminderRules {
        days_before: 7,
        days_after: 1,
    };
    let written =
        planspor::reminders::schedule::write_reminders(&mut conn, rules, Utc::now().date_naive())
            .await
            .expect("reminders");
    drop(conn);
    assert!(written >= 2, "at least two late periods and a digest");
    app.execute_sql(
        "UPDATE notifications SET attempts = 1, locked_until = now() + interval '2 seconds'",
    );
    let sink = SmtpSink::start().await;
    let survivor = app.second_instance().await;
    survivor.start_jobs(Some(&sink.url));
    actix_web::rt::time::sleep(Duration::from_millis(1000)).await;
    assert!(sink.mails().is_empty(), "held: no one else sends them yet");
    eventually(10, "the survivor sends them", || async {
        sink.mails().len() >= written
    })
    .await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.mails().len(), written, "each once");
}

#[actix_web::test]
async fn an_owner_who_reads_english_is_reminded_in_english() {
    let app = spawn_app().await;
    let plan = late_plan(&app).await;
    let owner = app.with_token(&plan.owner_token);
    let mine = owner.get("/api/v1/users/me/preferences").await.expect(200);
    assert_eq!(mine.body, json!({"language": "da"}));
    owner
        .put(
            "/api/v1/users/me/preferences",
            &[],
            &json!({"language": "en"}),
        )
        .await
        .expect(200);
    owner
        .put(
            "/api/v1/users/me/preferences",
            &[],
            &json!({"language": "sv"}),
        )
        .await
        .expect_problem(422);
    // Preferences are the caller's own: the administrator's stay Danish.
    let theirs = app.get("/api/v1/users/me/preferences").await.expect(200);
    assert_eq!(theirs.body, json!({"language": "da"}));
    app.start_jobs(None);
    eventually(10, "reminders in the outbox", || async {
        app.get("/api/v1/notifications").await.body["items"]
            .as_array()
            .is_some_and(|items| items.iter().any(|n| n["kind"] == "overdue"))
    })
    .await;
    let outbox = app.get("/api/v1/notifications").await.expect(200);
    let overdue: Vec<&Value> = outbox.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["kind"] == "overdue")
        .collect();
    assert!(overdue.iter().all(|n| {
        n["language"] == "en"
            && n["subject"]
                .as_str()
                .is_some_and(|s| s.starts_with("Missing: "))
            && n["body"]
                .as_str()
                .is_some_and(|b| b.contains("Dear Mette Hansen"))
    }));
    let history = app
        .get(&format!("/api/v1/audit-events?entity_id={}", plan.owner_id))
        .await
        .expect(200);
    assert!(
        history.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|e| {
                e["action"] == "update"
                    && e["before"]["language"] == "da"
                    && e["after"]["language"] == "en"
            })
    );
}

//! Webhooks: administrators subscribe a system to an organization's events;
//! every delivery is signed, a failed one is retried, a run of failures
//! disables the subscription on the record, and two instances deliver each
//! event once.

use serde_json::{Value, json};

use crate::helpers::{Response, TestApp, eventually, spawn_app};
use crate::receivers::{WebhookReceiver, signed_by};

async fn subscribe(app: &TestApp, organization_id: &str, url: &str, types: Value) -> Response {
    app.post(
        &format!("/api/v1/organizations/{organization_id}/webhooks"),
        &json!({"url": url, "event_types": types, "description": "ESDH"}),
    )
    .await
}

/// A plan with one quarterly indicator and a value: plan, indicator and measurement events.
async fn some_changes(app: &TestApp, organization_id: &str) -> String {
    let plan = app.create_plan_for(organization_id).await.id();
    let indicator = app.create_indicator(&plan, json!({})).await.id();
    app.put(
        &format!("/api/v1/indicators/{indicator}/measurements/2021-06-30"),
        &[],
        &json!({"value": 64.0}),
    )
    .await
    .expect(201);
    plan
}

/// A service, a receiver on 127.0.0.1 and a municipality subscribed to
/// `event_types`, delivered to the receiver's `path`.
struct Subscribed {
    app: TestApp,
    receiver: WebhookReceiver,
    organization: String,
    /// The answer to the subscription: the webhook with its secret.
    created: Response,
    /// The subscription's signing secret.
    secret: String,
}

impl Subscribed {
    async fn start(path: &str, event_types: Value) -> Self {
        let app = spawn_app().await;
        let receiver = WebhookReceiver::start().await;
        let organization = app.create_organization("330").await.id();
        let created = subscribe(
            &app,
            &organization,
            &format!("{}{path}", receiver.base),
            event_types,
        )
        .await
        .expect(201);
        let secret = created.body["secret"]
            .as_str()
            .expect("a secret")
            .to_owned();
        Self {
            app,
            receiver,
            organization,
            created,
            secret,
        }
    }
}

#[actix_web::test]
async fn every_delivery_is_signed_and_a_failed_one_is_retried_once_per_event() {
    let Subscribed {
        app,
        receiver,
        organization,
        created,
        secret,
    } = Subscribed::start("/flaky", json!(["plan", "measurement"])).await;
    let other = app.create_organization("326").await.id();
    assert!(secret.starts_with("whsec_"));
    let webhook = created.id();
    let shown = app
        .get(&format!("/api/v1/webhooks/{webhook}"))
        .await
        .expect(200);
    assert!(
        shown.body.get("secret").is_none(),
        "the secret is shown once"
    );
    // Two instances deliver; events of another organization never reach it.
    let second = app.second_instance().await;
    app.start_jobs(None);
    second.start_jobs(None);
    let plan = some_changes(&app, &organization).await;
    some_changes(&app, &other).await;
    let delivered = |receiver: &WebhookReceiver| {
        receiver
            .received()
            .iter()
            .filter(|r| r.answered == 204)
            .count()
    };
    // plan create, measurement upsert: the indicator is not subscribed to.
    eventually(20, "both events delivered", || async {
        delivered(&receiver) >= 2
    })
    .await;
    actix_web::rt::time::sleep(std::time::Duration::from_secs(1)).await;
    let received = receiver.received();
    assert!(
        received.iter().all(|r| signed_by(r, &secret)),
        "{received:#?}"
    );
    // Not in order (the retried one comes late); `data.cursor` orders them.
    let mut types: Vec<String> = received
        .iter()
        .filter(|r| r.answered == 204)
        .map(|r| r.json()["type"].as_str().expect("a type").to_owned())
        .collect();
    types.sort();
    assert_eq!(types, ["measurement.upsert", "plan.create"]);
    assert!(
        received
            .iter()
            .all(|r| r.json()["data"]["organization_id"] == json!(organization))
    );
    assert!(
        received
            .iter()
            .any(|r| r.json()["data"]["entity_id"] == json!(plan))
    );
    // The first answer was 500; the same delivery (same webhook-id) came again.
    assert_eq!(received[0].answered, 500);
    assert_eq!(received.len(), 3, "one retry, no duplicates: {received:#?}");
    assert!(
        received[1..]
            .iter()
            .any(|r| r.id == received[0].id && r.answered == 204)
    );
    let deliveries = app
        .get(&format!("/api/v1/webhooks/{webhook}/deliveries"))
        .await
        .expect(200);
    let items = deliveries.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|d| d["status"] == "delivered"));
    let retried = items
        .iter()
        .find(|d| d["id"] == json!(received[0].id))
        .expect("the retried delivery");
    assert_eq!(retried["attempts"], json!(2));
    assert_eq!(retried["last_status_code"], json!(204));
}

#[actix_web::test]
async fn a_rotated_secret_signs_beside_the_previous_one_during_the_overlap() {
    let Subscribed {
        app,
        receiver,
        organization,
        created,
        secret: old,
    } = Subscribed::start("/hook", json!(["plan"])).await;
    let rotated = app
        .admin()
        .post_with(
            &format!("/api/v1/webhooks/{}/rotate-secret", created.id()),
            &[("if-match", &created.etag())],
            Some(&json!({"overlap_hours": 1})),
        )
        .await
        .expect(200);
    let new = rotated.body["secret"]
        .as_str()
        .expect("a secret")
        .to_owned();
    assert_ne!(old, new);
    app.start_jobs(None);
    app.create_plan_for(&organization).await;
    eventually(20, "a delivery", || async {
        !receiver.received().is_empty()
    })
    .await;
    let delivery = &receiver.received()[0];
    assert!(signed_by(delivery, &new) && signed_by(delivery, &old));
    assert!(!signed_by(
        delivery,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    ));
}

#[actix_web::test]
async fn a_run_of_failures_disables_the_subscription_on_the_record() {
    let Subscribed {
        app,
        receiver,
        organization,
        created,
        ..
    } = Subscribed::start("/down", json!(["plan"])).await;
    let webhook = created.id();
    app.start_jobs(None);
    app.create_plan_for(&organization).await;
    eventually(30, "the subscription disabled", || async {
        app.get(&format!("/api/v1/webhooks/{webhook}")).await.body["enabled"] == json!(false)
    })
    .await;
    let shown = app.get(&format!("/api/v1/webhooks/{webhook}")).await;
    assert!(
        shown.body["disabled_reason"]
            .as_str()
            .expect("a reason")
            .contains("3 failed")
    );
    let trail = app
        .get(&format!("/api/v1/audit-events?entity_id={webhook}"))
        .await
        .expect(200);
    let disabled = trail.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["action"] == "update")
        .expect("the disabling is audited");
    assert_eq!(disabled["after"]["enabled"], json!(false));
    // Disabled: no more attempts.
    let attempts = receiver.received().len();
    actix_web::rt::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(receiver.received().len(), attempts);
    // Resumed by an administrator.
    app.patch(
        &format!("/api/v1/webhooks/{webhook}"),
        Some(&shown.etag()),
        &json!({"enabled": true}),
    )
    .await
    .expect(200);
    eventually(10, "attempts resume", || async {
        receiver.received().len() > attempts
    })
    .await;
}

#[actix_web::test]
async fn targets_are_public_https_unless_an_operator_allows_the_host() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    for url in [
        "http://esdh.slagelse.dk/hook",
        "https://10.0.0.7/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/hook",
        "http://127.0.0.2:9000/hook",
    ] {
        let body = subscribe(&app, &organization, url, json!(["plan"]))
            .await
            .expect_problem(422);
        assert_eq!(Response::invalid_fields(&body), ["url"], "{url}");
    }
    let body = subscribe(
        &app,
        &organization,
        "https://esdh.slagelse.dk/hook",
        json!([]),
    )
    .await
    .expect_problem(422);
    assert_eq!(Response::invalid_fields(&body), ["event_types"]);
    subscribe(
        &app,
        &organization,
        "https://esdh.slagelse.dk/hook",
        json!(["plan"]),
    )
    .await
    .expect(201);
}

#[actix_web::test]
async fn only_administrators_manage_webhooks() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let webhook = subscribe(
        &app,
        &organization,
        "https://esdh.slagelse.dk/hook",
        json!(["plan"]),
    )
    .await
    .expect(201)
    .id();
    let (_, editor) = app
        .user("Editor", Some(&organization), Some("editor"))
        .await;
    let editor = app.with_token(&editor);
    editor
        .post(
            &format!("/api/v1/organizations/{organization}/webhooks"),
            &json!({"url": "https://esdh.slagelse.dk/x", "event_types": ["plan"]}),
        )
        .await
        .expect_problem(403);
    editor
        .get(&format!("/api/v1/webhooks/{webhook}"))
        .await
        .expect_problem(403);
    let elsewhere = app.create_organization("326").await.id();
    let (_, stranger) = app.user("Stranger", Some(&elsewhere), Some("editor")).await;
    app.with_token(&stranger)
        .get(&format!("/api/v1/webhooks/{webhook}"))
        .await
        .expect_problem(404);
}

#[actix_web::test]
async fn a_delivery_held_by_an_instance_that_died_is_made_by_another() {
    let Subscribed {
        app,
        receiver,
        organization,
        created,
        secret,
    } = Subscribed::start("/hook", json!(["plan"])).await;
    app.create_plan_for(&organization).await;
    // The first instance queued the event and claimed its delivery, then died
    // before it could send: the row is held for a while, then free again.
    // (The feed holds an event back while an older transaction, of any test
    // on this cluster, still runs: ask until it is settled.)
    eventually(10, "the event queued", || async {
        planspor::webhooks::dispatch::fan_out(&app.db)
            .await
            .expect("fan-out")
            == 1
    })
    .await;
    app.execute_sql(
        "UPDATE webhook_deliveries SET attempts = 1, locked_until = now() + interval '2 seconds'",
    );
    let survivor = app.second_instance().await;
    survivor.start_jobs(None);
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert!(
        receiver.received().is_empty(),
        "held: no one else sends it yet"
    );
    eventually(10, "the survivor delivers it", || async {
        !receiver.received().is_empty()
    })
    .await;
    actix_web::rt::time::sleep(std::time::Duration::from_millis(500)).await;
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert!(signed_by(&received[0], &secret));
    let deliveries = app
        .get(&format!("/api/v1/webhooks/{}/deliveries", created.id()))
        .await
        .expect(200);
    assert_eq!(deliveries.body["items"][0]["status"], "delivered");
    assert_eq!(deliveries.body["items"][0]["attempts"], json!(2));
}

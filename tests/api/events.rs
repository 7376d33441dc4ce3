//! The event feed: every change a caller may read, in commit order, with its
//! plan and version; continued by cursor, long-polled with `wait`, and never
//! skipping a change whose transaction committed after a later one.

use diesel_async::RunQueryDsl;
use serde_json::{Value, json};

use crate::helpers::{Caller, TestApp, spawn_app};

async fn feed(caller: &Caller<'_>, query: &str) -> Value {
    caller
        .get(&format!("/api/v1/events{query}"))
        .await
        .expect(200)
        .body
}

fn items(page: &Value) -> Vec<Value> {
    page["items"].as_array().cloned().unwrap_or_default()
}

/// The feed from `after` to its end, following `has_more`.
async fn drain(caller: &Caller<'_>, mut after: Option<String>) -> (Vec<Value>, Option<String>) {
    let mut all = Vec::new();
    loop {
        let query = after
            .as_ref()
            .map(|cursor| format!("?limit=2&after={cursor}"))
            .unwrap_or_else(|| "?limit=2".into());
        let page = feed(caller, &query).await;
        all.extend(items(&page));
        after = page["next_cursor"].as_str().map(str::to_owned);
        if page["has_more"] != true {
            return (all, after);
        }
    }
}

/// The feed from `after` once `done` holds for it. Transaction ids are shared
/// by the whole cluster, so a write transaction of a test running beside this
/// one can hold the newest events back for a moment: read again until then.
async fn drain_until(
    caller: &Caller<'_>,
    after: Option<String>,
    done: impl Fn(&[Value]) -> bool,
) -> (Vec<Value>, Option<String>) {
    for _ in 0..100 {
        let (events, end) = drain(caller, after.clone()).await;
        if done(&events) {
            return (events, end);
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the feed never showed what was written");
}

#[actix_web::test]
async fn the_feed_tells_each_change_in_order_with_its_plan_and_version() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    let (_, editor) = app.user("Mette", Some(&organization), Some("editor")).await;
    let editor = app.with_token(&editor);
    // Everything the set-up wrote (the organization, Mette's membership) first,
    // so what follows is only the plan's.
    let (before, start) = drain_until(&editor, None, |events| {
        events.iter().any(|e| e["entity_type"] == "membership")
    })
    .await;
    let plan = editor
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({"title": "Udviklingsplan", "period_start": "2021-03-01", "period_end": "2023-03-01"}),
        )
        .await
        .expect(201)
        .id();
    let area = app.create_focus_area(&plan, "Inddragelse").await.id();
    let indicator = app
        .create_indicator(&plan, json!({"name": "Børnesamtaler", "unit": "percent", "direction": "increase", "focus_area_id": area}))
        .await
        .id();
    let measurement = editor
        .put(
            &format!("/api/v1/indicators/{indicator}/measurements/2021-06-30"),
            &[],
            &json!({"value": 40}),
        )
        .await
        .expect(201)
        .id();

    let (new, end) = drain_until(&editor, start.clone(), |e| e.len() >= 4).await;
    let kinds: Vec<&str> = new
        .iter()
        .filter_map(|e| e["entity_type"].as_str())
        .collect();
    assert_eq!(
        kinds,
        ["plan", "focus_area", "indicator", "measurement"],
        "{new:?}"
    );
    assert!(
        new.iter().all(|e| e["plan_id"] == json!(plan)),
        "each names its plan: {new:?}"
    );
    assert!(
        new.iter()
            .all(|e| e["organization_id"] == json!(organization))
    );
    assert_eq!(new[0]["entity_id"], json!(plan));
    assert_eq!(new[0]["action"], "create");
    assert_eq!(new[0]["version"], 1);
    assert_eq!(new[3]["entity_id"], json!(measurement));
    assert_eq!(new[3]["action"], "upsert");
    assert_eq!(end, new[3]["cursor"].as_str().map(str::to_owned));
    assert!(
        before.len() < 3,
        "the organization's own creation at most: {before:?}"
    );

    // Nothing new: an empty page that keeps the cursor.
    let cursor = end.expect("a cursor");
    let idle = feed(&editor, &format!("?after={cursor}")).await;
    assert!(items(&idle).is_empty());
    assert_eq!(idle["next_cursor"], json!(cursor));
    assert_eq!(idle["has_more"], false);

    editor
        .put(
            &format!("/api/v1/indicators/{indicator}/measurements/2021-06-30"),
            &[],
            &json!({"value": 45}),
        )
        .await
        .expect(200);
    let (changed, _) = drain_until(&editor, Some(cursor), |e| !e.is_empty()).await;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["entity_id"], json!(measurement));
    assert_eq!(
        changed[0]["version"], 2,
        "the version a client compares with its ETag"
    );
}

#[actix_web::test]
async fn each_caller_reads_the_changes_of_their_own_municipality_only() {
    let app = spawn_app().await;
    let ours = app.create_organization("330").await.id();
    let theirs = app.create_organization("101").await.id();
    let our_plan = app.create_plan_for(&ours).await.id();
    let their_plan = app.create_plan_for(&theirs).await.id();
    let (_, viewer) = app.user("Viggo", Some(&ours), Some("viewer")).await;
    let (seen, _) = drain_until(&app.with_token(&viewer), None, |events| {
        events.iter().any(|e| e["entity_id"] == json!(our_plan))
    })
    .await;
    let plans: Vec<&Value> = seen.iter().map(|e| &e["plan_id"]).collect();
    assert!(
        plans.contains(&&json!(our_plan)),
        "viewers follow their plans: {seen:?}"
    );
    assert!(
        !plans.contains(&&json!(their_plan)),
        "another municipality's plan leaked"
    );
    assert!(
        seen.iter().all(|e| e["organization_id"] == json!(ours)),
        "nothing outside the viewer's municipality, users included: {seen:?}"
    );
    let (everything, _) = drain_until(&app.admin(), None, |events| {
        events.iter().any(|e| e["entity_id"] == json!(their_plan))
    })
    .await;
    let plans: Vec<&Value> = everything.iter().map(|e| &e["plan_id"]).collect();
    assert!(plans.contains(&&json!(their_plan)) && plans.contains(&&json!(our_plan)));
    assert!(
        everything.iter().any(|e| e["entity_type"] == "user"),
        "administrators also follow users"
    );
}

/// A new plan, and the feed's cursor once the plan's creation shows in it.
async fn a_plan_and_the_end_of_the_feed(app: &TestApp) -> (String, String) {
    let plan = app.create_plan().await.id();
    let (_, end) = drain_until(&app.admin(), None, |events| {
        events.iter().any(|e| e["entity_id"] == json!(plan))
    })
    .await;
    (plan, end.expect("a cursor"))
}

#[actix_web::test]
async fn a_waiting_request_answers_with_the_next_change() {
    let app = spawn_app().await;
    let (plan, cursor) = a_plan_and_the_end_of_the_feed(&app).await;
    let admin = app.admin();
    let path = format!("/api/v1/events?after={cursor}&wait=20");
    let waiting = admin.get(&path);
    let writing = async {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
        app.create_focus_area(&plan, "Tidlig indsats").await.id()
    };
    let (page, area) = futures_util::join!(waiting, writing);
    let page = page.expect(200).body;
    let ids: Vec<Value> = items(&page)
        .iter()
        .map(|e| e["entity_id"].clone())
        .collect();
    assert_eq!(ids, [json!(area)], "{page}");
}

#[actix_web::test]
async fn a_change_that_commits_late_comes_before_changes_that_began_after_it() {
    let app = spawn_app().await;
    let (plan, cursor) = a_plan_and_the_end_of_the_feed(&app).await;
    // A slow writer: its transaction begins first and commits last.
    let mut slow = app.db.conn().await.expect("a connection");
    diesel::sql_query("BEGIN")
        .execute(&mut *slow)
        .await
        .expect("begin");
    diesel::sql_query(
        "INSERT INTO audit_events (id, actor_name, entity_type, entity_id, action) \
         VALUES (gen_random_uuid(), 'slow', 'organization', gen_random_uuid(), 'update')",
    )
    .execute(&mut *slow)
    .await
    .expect("insert");
    let quick = app.create_focus_area(&plan, "Hurtig").await.id();
    let meanwhile = items(&feed(&app.admin(), &format!("?after={cursor}")).await);
    assert!(
        meanwhile.is_empty(),
        "a change is held back while an older transaction is open: {meanwhile:?}"
    );
    diesel::sql_query("COMMIT")
        .execute(&mut *slow)
        .await
        .expect("commit");
    let (after, _) = drain_until(&app.admin(), Some(cursor), |e| e.len() >= 2).await;
    let actors: Vec<&str> = after
        .iter()
        .filter_map(|e| e["entity_type"].as_str())
        .collect();
    assert_eq!(actors, ["organization", "focus_area"], "{after:?}");
    assert_eq!(after[1]["entity_id"], json!(quick));
}

#[actix_web::test]
async fn bad_feed_parameters_are_named() {
    let app = spawn_app().await;
    for (query, named) in [
        ("?after=c1abc", "after"),
        ("?after=e1-1", "after"),
        ("?limit=0", "limit"),
        ("?limit=501", "limit"),
        ("?wait=31", "wait"),
    ] {
        let problem = app
            .get(&format!("/api/v1/events{query}"))
            .await
            .expect_problem(400);
        assert!(
            problem["detail"]
                .as_str()
                .unwrap_or_default()
                .contains(named),
            "{query}: {problem}"
        );
    }
    app.anonymous()
        .get("/api/v1/events")
        .await
        .expect_problem(401);
}

//! A failing database: under a steady load of reads and writes, PostgreSQL is
//! stopped for 10 seconds and started again. Every acknowledged write must be
//! there afterwards, no request may fail with a 500, and the service recovers
//! by itself. The figures are printed; timings are not asserted (they are
//! measurements, not pass/fail rules).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use planspor::db::{self, embedded::Cluster};
use serde_json::json;

use crate::helpers::{TempDir, spawn_app_on};

#[actix_web::test]
async fn a_database_outage_loses_no_acknowledged_write_and_the_service_recovers() {
    let dir = TempDir::new("planspor-outage");
    let cluster = Arc::new(Cluster::start(&dir.0).expect("a private cluster for this test"));
    db::create_database_if_missing(&cluster.url("postgres"), "outage").expect("a database");
    db::migrate(&cluster.url("outage")).expect("migrations");
    let app = spawn_app_on(
        cluster.url("outage"),
        1 << 20,
        4,
        1_000_000,
        Duration::from_secs(2),
    )
    .await;
    let plan = app.create_plan().await.id();

    let outage_over = Arc::new(AtomicBool::new(false));
    let restarted_at = Arc::new(std::sync::Mutex::new(None::<Instant>));
    let outage = {
        let (cluster, outage_over, restarted_at) =
            (cluster.clone(), outage_over.clone(), restarted_at.clone());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(2));
            cluster.stop().expect("stopping PostgreSQL");
            std::thread::sleep(Duration::from_secs(10));
            let restarted = Cluster::start(&dir.0).expect("starting PostgreSQL again");
            *restarted_at.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
            outage_over.store(true, Ordering::SeqCst);
            (restarted, dir)
        })
    };

    let (mut acknowledged, mut unavailable, mut other, mut slowest) =
        (Vec::new(), 0, Vec::new(), Duration::ZERO);
    let mut first_success_after_restart = None;
    let mut n = 0;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(40) {
        n += 1;
        let sent = Instant::now();
        let write = app
            .post(
                &format!("/api/v1/plans/{plan}/focus-areas"),
                &json!({"position": n, "title": format!("Punkt {n}")}),
            )
            .await;
        let read = app.get(&format!("/api/v1/plans/{plan}/tree")).await;
        slowest = slowest.max(sent.elapsed() / 2);
        for response in [&write, &read] {
            match response.status.as_u16() {
                200 | 201 => {}
                503 => unavailable += 1,
                status => other.push(status),
            }
        }
        if write.status.as_u16() == 201 {
            acknowledged.push(write.id());
            if outage_over.load(Ordering::SeqCst) && first_success_after_restart.is_none() {
                first_success_after_restart = Some(Instant::now());
            }
        }
        if first_success_after_restart.is_some() && acknowledged.len() > 5 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    let (restarted, _dir) = outage.join().expect("the outage thread");

    let tree = app
        .get(&format!("/api/v1/plans/{plan}/tree"))
        .await
        .expect(200)
        .body;
    let stored: Vec<&str> = tree["focus_areas"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["id"].as_str())
        .collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !stored.contains(&id.as_str()))
        .collect();
    let recovery = match (
        *restarted_at.lock().unwrap_or_else(|p| p.into_inner()),
        first_success_after_restart,
    ) {
        (Some(restart), Some(success)) => format!(
            "{:.1} s",
            success.saturating_duration_since(restart).as_secs_f64()
        ),
        _ => "never".into(),
    };
    println!(
        "outage: {} writes acknowledged, {} lost; {unavailable} answers 503 during the outage; slowest request {:.2} s; \
         first write {recovery} after PostgreSQL was back",
        acknowledged.len(),
        lost.len(),
        slowest.as_secs_f64()
    );
    let _ = restarted.stop();
    assert!(lost.is_empty(), "acknowledged writes lost: {lost:?}");
    assert!(
        other.is_empty(),
        "answers other than 2xx or 503 during the outage: {other:?}"
    );
    assert!(
        unavailable > 0,
        "the outage was not noticed: the test did not test anything"
    );
    assert!(
        first_success_after_restart.is_some(),
        "the service did not recover"
    );
}

#[actix_web::test]
async fn when_every_connection_is_busy_requests_wait_then_answer_503_never_500() {
    let app = spawn_app_on(
        crate::helpers::fresh_database(),
        1 << 20,
        1,
        1_000_000,
        Duration::from_millis(300),
    )
    .await;
    app.get("/api/v1/organizations").await.expect(200);
    let held = app.db.conn().await.expect("the only connection");
    let waited = Instant::now();
    let busy = app.get("/api/v1/organizations").await;
    println!(
        "pool exhausted: answered {} after {:.2} s",
        busy.status,
        waited.elapsed().as_secs_f64()
    );
    assert!(busy.header("retry-after").is_some());
    busy.expect_problem(503);
    drop(held);
    app.get("/api/v1/organizations").await.expect(200);
}

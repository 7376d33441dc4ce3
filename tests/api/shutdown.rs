//! Graceful shutdown of the real binary under load: requests in flight finish,
//! new connections are refused, and the process exits with 0.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{TempDir, fresh_database};

fn planspor(data_dir: &TempDir, database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_planspor"));
    command
        .env("DATABASE_URL", database_url)
        .env("PLANSPOR_DATA_DIR", &data_dir.0)
        .env("RUST_LOG", "warn");
    command
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn wait_until_ready(client: &awc::Client, base: &str, server: &mut Child) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if let Ok(response) = client.get(format!("{base}/readyz")).send().await
            && response.status().is_success()
        {
            return;
        }
        assert!(
            server.try_wait().ok().flatten().is_none(),
            "planspor exited before it was ready"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("planspor did not become ready");
}

#[actix_web::test]
async fn sigterm_lets_requests_in_flight_finish_and_exits_with_zero() {
    let (data_dir, database_url) = (TempDir::new("planspor-shutdown"), fresh_database());
    let output = planspor(&data_dir, &database_url)
        .args(["admin", "create-user", "--name", "Drift", "--admin"])
        .output()
        .expect("planspor admin");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let user = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let token = planspor(&data_dir, &database_url)
        .args(["admin", "issue-token", "--user", &user])
        .output()
        .expect("a token");
    let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = planspor(&data_dir, &database_url)
        .env("PLANSPOR_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting planspor");
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(30))
        .finish();
    wait_until_ready(&client, &base, &mut server).await;

    let requests: Vec<_> = (0..40)
        .map(|_| {
            client
                .get(format!("{base}/api/v1/organizations"))
                .insert_header(("authorization", format!("Bearer {token}")))
                .send()
        })
        .collect();
    let load = futures_util::future::join_all(requests);
    let terminate = async {
        actix_web::rt::time::sleep(Duration::from_millis(5)).await;
        let killed = Command::new("kill")
            .args(["-TERM", &server.id().to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
    };
    let (responses, ()) = futures_util::join!(load, terminate);
    let statuses: Vec<u16> = responses
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|r| r.status().as_u16())
        .collect();
    let refused = responses.len() - statuses.len();
    println!(
        "shutdown: {} requests answered (statuses {:?}), {refused} refused after SIGTERM",
        statuses.len(),
        {
            let mut s = statuses.clone();
            s.dedup();
            s
        }
    );
    assert!(
        statuses.iter().all(|s| *s == 200),
        "a request in flight did not finish well: {statuses:?}"
    );

    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().expect("waiting for planspor") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "planspor did not stop"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(status.code(), Some(0));
    assert!(
        client.get(format!("{base}/healthz")).send().await.is_err(),
        "a stopped server still accepted a connection"
    );
}

//! The test harness: one private PostgreSQL cluster per test run, a migrated
//! template database, and for every test a fresh database cloned from the
//! template plus the real HTTP server on a free port.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use diesel::RunQueryDsl;
use planspor::AppState;
use planspor::audit::Actor;
use planspor::auth::tokens::{TokenIssuer, TokenSettings, TokenVerifier, TrustConfig};
use planspor::db::{self, Database, embedded::Cluster};
use planspor::exports::{RenderSlots, child::ChildRenderer};
use planspor::users::{User, UserInput};
use serde_json::{Value, json};

const TEMPLATE: &str = "planspor_template";

struct TestCluster {
    cluster: Cluster,
    dir: PathBuf,
}

static CLUSTER: OnceLock<TestCluster> = OnceLock::new();
/// Databases are cloned one at a time: PostgreSQL refuses to copy a template
/// that another copy is reading.
static CLONE_LOCK: Mutex<()> = Mutex::new(());

fn cluster() -> &'static TestCluster {
    CLUSTER.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("planspor-test-{}", std::process::id()));
        let cluster =
            Cluster::start(&dir).unwrap_or_else(|e| panic!("starting the test cluster: {e}"));
        stop_cluster_at_exit();
        db::create_database_if_missing(&cluster.url("postgres"), TEMPLATE)
            .expect("creating the template");
        db::migrate(&cluster.url(TEMPLATE)).expect("migrating the template");
        TestCluster { cluster, dir }
    })
}

extern "C" fn stop_cluster() {
    if let Some(test_cluster) = CLUSTER.get() {
        let _ = test_cluster.cluster.stop();
        let _ = std::fs::remove_dir_all(&test_cluster.dir);
    }
}

#[expect(
    unsafe_code,
    reason = "libtest has no teardown hook; atexit stops the cluster when the test binary exits"
)]
fn stop_cluster_at_exit() {
    // SAFETY: registers a plain extern "C" function without arguments.
    unsafe {
        libc::atexit(stop_cluster);
    }
}

/// A new, empty database (no tables at all); returns its URL.
pub fn empty_database() -> String {
    let cluster = cluster();
    let name = format!("empty_{}", uuid::Uuid::now_v7().simple());
    let statement = format!("CREATE DATABASE {name} TEMPLATE template0");
    db::with_blocking_connection(&cluster.cluster.url("postgres"), move |conn| {
        diesel::sql_query(statement)
            .execute(conn)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
    .expect("creating an empty database");
    cluster.cluster.url(&name)
}

/// A fresh database cloned from the migrated template; returns its URL.
pub fn fresh_database() -> String {
    let cluster = cluster();
    let name = format!("test_{}", uuid::Uuid::now_v7().simple());
    let statement = format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY");
    let _guard = CLONE_LOCK
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    db::with_blocking_connection(&cluster.cluster.url("postgres"), move |conn| {
        diesel::sql_query(statement)
            .execute(conn)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
    .expect("cloning the template database");
    cluster.cluster.url(&name)
}

/// A running planspor on its own database.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// The app's own pool: for counting statements and checking rows.
    pub db: Database,
    /// Signs tokens with the app's own standalone key.
    pub issuer: TokenIssuer,
    /// A token of the administrator every test starts with.
    pub admin_token: String,
    database_url: String,
    client: awc::Client,
    _key_dir: TempDir,
}

/// The issuer and audience the test apps trust.
pub const ISSUER: &str = "planspor-test";
/// The audience the test apps require.
pub const AUDIENCE: &str = "planspor-api";

/// The token settings of the test apps.
pub fn token_settings() -> TokenSettings {
    TokenSettings {
        issuer: ISSUER.into(),
        audience: AUDIENCE.into(),
        leeway_seconds: 30,
    }
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new empty directory under the system's temporary directory.
    pub fn new(prefix: &str) -> Self {
        let path = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&path).expect("creating a temporary directory");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A response, read completely.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Response {
    /// The header as text, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The ETag, which every single-resource response must carry.
    pub fn etag(&self) -> String {
        self.header("etag")
            .expect("response has an ETag")
            .to_owned()
    }

    /// The `id` field of the body.
    pub fn id(&self) -> String {
        self.body["id"].as_str().expect("body has an id").to_owned()
    }

    /// Asserts the status and returns self, printing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {:#}",
            self.body
        );
        self
    }

    /// Asserts an RFC 9457 problem with `status` and returns its body.
    #[track_caller]
    pub fn expect_problem(self, status: u16) -> Value {
        let response = self.expect(status);
        assert_eq!(
            response.header("content-type"),
            Some("application/problem+json")
        );
        assert_eq!(response.body["status"], json!(status));
        assert!(response.body["type"].is_string() && response.body["title"].is_string());
        assert!(
            response.body["detail"]
                .as_str()
                .is_some_and(|detail| !detail.is_empty())
        );
        response.body
    }

    /// The fields a validation problem names.
    pub fn invalid_fields(body: &Value) -> Vec<String> {
        body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A downloaded file, its body kept as bytes.
#[derive(Debug)]
pub struct Download {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Download {
    /// The header as text, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Asserts the status and returns self, printing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            String::from_utf8_lossy(&self.bytes)
        );
        self
    }
}

/// Starts planspor on a fresh database with the default body limit.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(1 << 20, 4).await
}

/// Starts planspor with a request budget of `rate_limit` per minute.
pub async fn spawn_app_with_rate_limit(rate_limit: u32) -> TestApp {
    spawn_app_configured(1 << 20, 4, rate_limit).await
}

/// Starts planspor with the given body limit and pool size.
pub async fn spawn_app_with(body_limit: usize, pool_size: usize) -> TestApp {
    spawn_app_configured(body_limit, pool_size, 100_000).await
}

async fn spawn_app_configured(body_limit: usize, pool_size: usize, rate_limit: u32) -> TestApp {
    spawn_app_on(
        fresh_database(),
        body_limit,
        pool_size,
        rate_limit,
        Duration::from_secs(5),
    )
    .await
}

/// Starts planspor on the database at `database_url` (already migrated), with
/// its own administrator.
pub async fn spawn_app_on(
    database_url: String,
    body_limit: usize,
    pool_size: usize,
    rate_limit: u32,
    pool_timeout: Duration,
) -> TestApp {
    let _ = env_logger::builder().is_test(true).try_init();
    let database =
        Database::connect(&database_url, pool_size, pool_timeout).expect("building the pool");
    let key_dir = TempDir::new("planspor-test-keys");
    let trust = TrustConfig::Standalone {
        key_dir: key_dir.0.clone(),
    };
    let verifier = TokenVerifier::new(&trust, token_settings()).expect("the test key");
    let issuer = TokenIssuer::load_or_create(&key_dir.0, &token_settings()).expect("the test key");
    let admin = register_admin(&database).await;
    let admin_token = issuer
        .issue(
            &admin.subject,
            Some(&admin.display_name),
            None,
            Duration::from_secs(3600),
        )
        .expect("a token");
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a free port");
    let port = listener.local_addr().expect("a local address").port();
    let state = AppState {
        database: database.clone(),
        body_limit,
        verifier,
        issuer: ISSUER.into(),
        small_count_threshold: 5,
        rate_limiter: std::sync::Arc::new(planspor::rate_limit::RateLimiter::new(rate_limit)),
        cors_origins: vec!["https://plan.example.dk".into()],
        // PDFs render as in the service: in a child, planspor's own binary.
        render_slots: std::sync::Arc::new(RenderSlots::with_pdf_children(
            RenderSlots::DEFAULT,
            ChildRenderer::planspor(env!("CARGO_BIN_EXE_planspor")),
        )),
        // The tests' webhook receivers listen on this machine.
        webhook_targets: planspor::webhooks::target::TargetPolicy::allowing(vec![
            "127.0.0.1".into(),
        ]),
    };
    let server = actix_web::HttpServer::new(move || planspor::build_app(state.clone()))
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listening")
        .run();
    actix_web::rt::spawn(server);
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(30))
        .finish();
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        db: database,
        issuer,
        admin_token,
        database_url,
        client,
        _key_dir: key_dir,
    }
}

async fn register_admin(database: &Database) -> User {
    let input = UserInput {
        display_name: "Test Administrator".into(),
        email: None,
        is_admin: Some(true),
        subject: None,
        language: None,
    };
    let user = input.parse(ISSUER).expect("a valid user");
    let mut conn = database.conn().await.expect("a connection");
    planspor::users::create(&mut conn, &Actor::command_line(), user)
        .await
        .expect("registering the administrator")
}

/// Requests made with one token (or none).
pub struct Caller<'a> {
    app: &'a TestApp,
    token: Option<String>,
}

impl TestApp {
    async fn read(
        mut response: awc::ClientResponse<
            impl futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>>
            + Unpin,
        >,
    ) -> Response {
        let bytes = response
            .body()
            .limit(64 << 20)
            .await
            .expect("reading the body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Response {
            status: response.status(),
            headers: response.headers().clone(),
            body,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Requests as the administrator.
    pub fn admin(&self) -> Caller<'_> {
        Caller {
            app: self,
            token: Some(self.admin_token.clone()),
        }
    }

    /// Requests with `token`.
    pub fn with_token(&self, token: &str) -> Caller<'_> {
        Caller {
            app: self,
            token: Some(token.to_owned()),
        }
    }

    /// Requests without a token.
    pub fn anonymous(&self) -> Caller<'_> {
        Caller {
            app: self,
            token: None,
        }
    }

    /// GET `path` as the administrator.
    pub async fn get(&self, path: &str) -> Response {
        self.admin().get(path).await
    }

    /// POST `body` as the administrator.
    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.admin().post(path, body).await
    }

    /// Sends a raw body as the administrator.
    pub async fn send_raw(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Response {
        self.admin()
            .send_raw(method, path, content_type, body)
            .await
    }

    /// PUT as the administrator.
    pub async fn put(&self, path: &str, headers: &[(&str, &str)], body: &Value) -> Response {
        self.admin().put(path, headers, body).await
    }

    /// PATCH as the administrator.
    pub async fn patch(&self, path: &str, etag: Option<&str>, body: &Value) -> Response {
        self.admin().patch(path, etag, body).await
    }

    /// Publishes a draft report as the administrator.
    pub async fn publish(&self, report_id: &str, etag: &str) -> Response {
        self.admin().publish(report_id, etag).await
    }

    /// DELETE as the administrator.
    pub async fn delete(&self, path: &str, etag: Option<&str>) -> Response {
        self.admin().delete(path, etag).await
    }

    /// A new user with `role` in `organization_id` (or an administrator when
    /// `role` is `None` and `admin` is set); returns their id and a token.
    pub async fn user(
        &self,
        name: &str,
        organization_id: Option<&str>,
        role: Option<&str>,
    ) -> (String, String) {
        let user = self
            .post("/api/v1/users", &json!({"display_name": name}))
            .await
            .expect(201);
        if let (Some(organization_id), Some(role)) = (organization_id, role) {
            self.post(
                "/api/v1/memberships",
                &json!({"user_id": user.id(), "organization_id": organization_id, "role": role}),
            )
            .await
            .expect(201);
        }
        let subject = user.body["subject"].as_str().expect("a subject").to_owned();
        let token = self
            .issuer
            .issue(&subject, Some(name), None, Duration::from_secs(3600))
            .expect("a token");
        (user.id(), token)
    }

    /// The URL of this test's database.
    pub fn database_url(&self) -> String {
        self.database_url.clone()
    }

    /// Runs SQL on this test's database (for bulk set-up).
    pub fn execute_sql(&self, sql: &str) {
        let sql = sql.to_owned();
        db::with_blocking_connection(&self.database_url, move |conn| {
            diesel::connection::SimpleConnection::batch_execute(conn, &sql)
                .map_err(|e| e.to_string())
        })
        .expect("executing SQL");
    }

    /// Number of rows in every table: equal before and after means nothing was written.
    pub fn row_counts(&self) -> Vec<(String, i64)> {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::Text)]
            name: String,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            count: i64,
        }
        let tables = [
            "organizations",
            "plans",
            "focus_areas",
            "initiatives",
            "indicators",
            "measurements",
            "progress_notes",
            "status_reports",
            "audit_events",
            "recommendations",
            "recommendation_focus_areas",
            "initiative_recommendations",
            "indicator_recommendations",
            "case_reviews",
            "status_report_assessments",
            "webhooks",
            "webhook_deliveries",
            "notifications",
        ];
        let sql = tables
            .iter()
            .map(|table| format!("SELECT '{table}' AS name, count(*) AS count FROM {table}"))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        db::with_blocking_connection(&self.database_url, move |conn| {
            diesel::sql_query(sql)
                .load::<Count>(conn)
                .map_err(|e| e.to_string())
        })
        .expect("counting rows")
        .into_iter()
        .map(|row| (row.name, row.count))
        .collect()
    }

    /// What a final report rests on, written as an administrator: the Task
    /// Force's assessment of `report_id` and a final case-review round of `plan_id`.
    pub async fn prepare_final_report(&self, plan_id: &str, report_id: &str) {
        self.put(
            &format!("/api/v1/status-reports/{report_id}/assessment"),
            &[],
            &json!({"overall": "Der er en tendens til forbedring i kvaliteten af sagsbehandlingen."}),
        )
        .await
        .expect(201);
        self.post(
            &format!("/api/v1/plans/{plan_id}/case-reviews"),
            &json!({"kind": "legal", "phase": "final", "reviewed_on": "2023-02-01", "cases_reviewed": 20,
                    "results": [{"criterion_key": "investigation_within_4_months", "met": 12, "not_met": 4, "not_relevant": 4}]}),
        )
        .await
        .expect(201);
    }

    /// A municipality with a unique code.
    pub async fn create_organization(&self, code: &str) -> Response {
        self.post(
            "/api/v1/organizations",
            &json!({"name": format!("Kommune {code}"), "kind": "municipality", "municipality_code": code}),
        )
        .await
        .expect(201)
    }

    /// A plan of a new municipality (Slagelse, code 330).
    pub async fn create_plan(&self) -> Response {
        let organization = self.create_organization("330").await;
        self.create_plan_for(&organization.id()).await
    }

    /// A plan of `organization_id`.
    pub async fn create_plan_for(&self, organization_id: &str) -> Response {
        self.post(
            &format!("/api/v1/organizations/{organization_id}/plans"),
            &json!({"title": "Udviklingsplan 2021–2023", "period_start": "2021-03-01", "period_end": "2023-03-01"}),
        )
        .await
        .expect(201)
    }

    /// A focus area of `plan_id` at the next position.
    pub async fn create_focus_area(&self, plan_id: &str, title: &str) -> Response {
        self.post(
            &format!("/api/v1/plans/{plan_id}/focus-areas"),
            &json!({"title": title}),
        )
        .await
        .expect(201)
    }

    /// An initiative of `focus_area_id`.
    pub async fn create_initiative(&self, focus_area_id: &str, title: &str) -> Response {
        self.post(
            &format!("/api/v1/focus-areas/{focus_area_id}/initiatives"),
            &json!({"title": title}),
        )
        .await
        .expect(201)
    }

    /// A percent indicator of `plan_id` with the given extra fields.
    pub async fn create_indicator(&self, plan_id: &str, extra: Value) -> Response {
        let mut body = json!({
            "name": "Andel underretninger vurderet inden for 24 timer",
            "unit": "percent",
            "direction": "increase",
            "frequency": "quarterly",
            "legal_regime": "barnets_lov",
        });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.post(&format!("/api/v1/plans/{plan_id}/indicators"), &body)
            .await
            .expect(201)
    }
}

impl Caller<'_> {
    fn authorized(&self, request: awc::ClientRequest) -> awc::ClientRequest {
        match &self.token {
            Some(token) => request.insert_header(("authorization", format!("Bearer {token}"))),
            None => request,
        }
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> Response {
        TestApp::read(
            self.authorized(self.app.client.get(self.app.url(path)))
                .send()
                .await
                .expect("GET"),
        )
        .await
    }

    /// POST `body` as JSON to `path`.
    pub async fn post(&self, path: &str, body: &Value) -> Response {
        let request = self.authorized(self.app.client.post(self.app.url(path)));
        TestApp::read(request.send_json(body).await.expect("POST")).await
    }

    /// Sends `body` verbatim with `content_type`.
    pub async fn send_raw(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Response {
        let method = actix_web::http::Method::from_bytes(method.as_bytes()).expect("a method");
        let request = self
            .authorized(self.app.client.request(method, self.app.url(path)))
            .insert_header(("content-type", content_type));
        TestApp::read(request.send_body(body).await.expect("request")).await
    }

    /// GET with extra headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut request = self.authorized(self.app.client.get(self.app.url(path)));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        TestApp::read(request.send().await.expect("GET")).await
    }

    /// GET a file with extra headers, keeping its body as bytes.
    pub async fn download(&self, path: &str, headers: &[(&str, &str)]) -> Download {
        let mut request = self.authorized(self.app.client.get(self.app.url(path)));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        let mut response = request.send().await.expect("GET");
        let bytes = response
            .body()
            .limit(64 << 20)
            .await
            .expect("reading the body");
        Download {
            status: response.status(),
            headers: response.headers().clone(),
            bytes: bytes.to_vec(),
        }
    }

    /// POST with extra headers and an optional JSON body.
    pub async fn post_with(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Response {
        let mut request = self.authorized(self.app.client.post(self.app.url(path)));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        let sent = match body {
            Some(body) => request.send_json(body).await,
            None => request.send().await,
        };
        TestApp::read(sent.expect("POST")).await
    }

    /// Sends `method` with `headers` appended as given, repeated names
    /// included (`post_with` replaces a header of the same name).
    pub async fn send_appending(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Response {
        let method = actix_web::http::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self.authorized(self.app.client.request(method, self.app.url(path)));
        for (name, value) in headers {
            request = request.append_header((*name, *value));
        }
        let sent = match body {
            Some(body) => request.send_json(body).await,
            None => request.send().await,
        };
        TestApp::read(sent.expect("request")).await
    }

    /// Publishes a draft report whose ETag is `etag`.
    pub async fn publish(&self, report_id: &str, etag: &str) -> Response {
        self.post_with(
            &format!("/api/v1/status-reports/{report_id}/publish"),
            &[("if-match", etag)],
            None,
        )
        .await
    }

    /// PUT `body` as JSON with extra headers.
    pub async fn put(&self, path: &str, headers: &[(&str, &str)], body: &Value) -> Response {
        let mut request = self.authorized(self.app.client.put(self.app.url(path)));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        TestApp::read(request.send_json(body).await.expect("PUT")).await
    }

    /// PATCH `body` to `path`, with `If-Match: etag` unless `etag` is `None`.
    pub async fn patch(&self, path: &str, etag: Option<&str>, body: &Value) -> Response {
        let mut request = self.authorized(self.app.client.patch(self.app.url(path)));
        if let Some(etag) = etag {
            request = request.insert_header(("if-match", etag));
        }
        TestApp::read(request.send_json(body).await.expect("PATCH")).await
    }

    /// DELETE `path`, with `If-Match: etag` unless `etag` is `None`.
    pub async fn delete(&self, path: &str, etag: Option<&str>) -> Response {
        let mut request = self.authorized(self.app.client.delete(self.app.url(path)));
        if let Some(etag) = etag {
            request = request.insert_header(("if-match", etag));
        }
        TestApp::read(request.send().await.expect("DELETE")).await
    }
}

impl TestApp {
    /// Another planspor process on this app's database: the second instance
    /// of a deployment (its own pool, server and background jobs).
    pub async fn second_instance(&self) -> TestApp {
        spawn_app_on(
            self.database_url(),
            1 << 20,
            4,
            100_000,
            Duration::from_secs(5),
        )
        .await
    }

    /// Starts this instance's background jobs (reminders, the outbox, webhook
    /// deliveries) at test speed, sending e-mail through `smtp_url` if given.
    /// Off unless a test asks: tests that count statements see only their own.
    pub fn start_jobs(&self, smtp_url: Option<&str>) {
        use planspor::webhooks::dispatch::DeliveryRules;
        let mailer = smtp_url.map(|url| {
            planspor::notifications::mail::Mailer::new(url, "planspor <planspor@test.invalid>")
                .expect("a mailer")
        });
        let jobs = planspor::jobs::Jobs {
            database: self.db.clone(),
            mailer,
            reminders: planspor::reminders::ReminderRules {
                days_before: 7,
                days_after: 1,
            },
            reminder_interval: Duration::from_millis(300),
            deliveries: DeliveryRules {
                targets: planspor::webhooks::target::TargetPolicy::allowing(vec![
                    "127.0.0.1".into(),
                ]),
                first_retry: Duration::from_millis(500),
                max_attempts: 5,
                failure_limit: 3,
                failing_for: Duration::ZERO,
                timeout: Duration::from_secs(5),
            },
            poll_interval: Duration::from_millis(100),
        };
        actix_web::rt::spawn(jobs.run());
    }
}

/// Polls `check` every 100 ms until it holds, for at most `seconds`.
pub async fn eventually<F, Fut>(seconds: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "gave up waiting: {what}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

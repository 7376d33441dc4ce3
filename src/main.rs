//! Starts planspor: configuration, logging, the database (embedded or given),
//! migrations, then the HTTP server until SIGTERM/SIGINT.

use std::process::ExitCode;

use actix_web::HttpServer;
use planspor::AppState;
use planspor::config::{Config, help_text};
use planspor::db::{self, Database};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--help" | "-h") => {
            print!("{}", help_text());
            return ExitCode::SUCCESS;
        }
        Some("admin") => {
            return match planspor::admin_cli::run(&args[1..]) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("planspor admin: {message}");
                    ExitCode::FAILURE
                }
            };
        }
        Some(planspor::exports::child::SUBCOMMAND) => {
            return planspor::exports::child::serve_stdio();
        }
        Some("--print-openapi") => {
            print!("{}", planspor::openapi::document_json());
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("unknown argument {other:?}\n\n{}", help_text());
            return ExitCode::from(2);
        }
        None => {}
    }
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or(planspor::config::DEFAULT_LOG_FILTER),
    )
    .init();
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            log::error!("{message}");
            eprintln!("planspor: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let (url, cluster) = db::prepare(&config)?;
    let served = serve(&config, &url);
    if let Some(cluster) = cluster {
        log::info!("stopping the embedded PostgreSQL");
        cluster.stop().map_err(|e| e.to_string())?;
    }
    served
}

/// Committee PDFs render in children of this very binary.
fn render_slots() -> Result<planspor::exports::RenderSlots, String> {
    use planspor::exports::{RenderSlots, child::ChildRenderer};
    let program = std::env::current_exe()
        .map_err(|e| format!("cannot find planspor's own binary to render PDFs with: {e}"))?;
    Ok(RenderSlots::with_pdf_children(
        RenderSlots::DEFAULT,
        ChildRenderer::planspor(program),
    ))
}

fn serve(config: &Config, url: &str) -> Result<(), String> {
    let database = Database::connect(url, config.pool_size, config.pool_timeout)?;
    let purge_database = database.clone();
    let state = AppState {
        database,
        body_limit: config.body_limit,
        verifier: planspor::auth::verifier(config)?,
        issuer: config.auth.issuer.clone(),
        small_count_threshold: config.small_count_threshold,
        rate_limiter: std::sync::Arc::new(planspor::rate_limit::RateLimiter::new(
            config.rate_limit_per_minute,
        )),
        cors_origins: config.cors_origins.clone(),
        render_slots: std::sync::Arc::new(render_slots()?),
        webhook_targets: planspor::webhooks::target::TargetPolicy::allowing(
            config.webhook_allowed_hosts.clone(),
        ),
    };
    let jobs = jobs(config, &state)?;
    log::info!("planspor listening on http://{}", config.bind);
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || planspor::build_app(state.clone()))
            .bind(&config.bind)
            .map_err(|e| format!("binding {}: {e}", config.bind))?
            .disable_signals()
            .shutdown_timeout(30)
            // A slow client cannot hold a worker: the request head must arrive
            // within 10 s, and an idle connection closes after 30 s.
            .client_request_timeout(std::time::Duration::from_secs(10))
            .keep_alive(std::time::Duration::from_secs(30))
            .run();
        actix_web::rt::spawn(stop_gracefully_on_signal(server.handle()));
        actix_web::rt::spawn(purge_idempotency_keys(purge_database));
        actix_web::rt::spawn(release_start_up_memory());
        if config.background_jobs {
            actix_web::rt::spawn(jobs.run());
        } else {
            log::info!("PLANSPOR_BACKGROUND_JOBS=off: no reminders or webhook deliveries from this instance");
        }
        server.await.map_err(|e| format!("server: {e}"))
    })
}

/// The background work: reminders, the outbox, webhook deliveries.
fn jobs(config: &Config, state: &AppState) -> Result<planspor::jobs::Jobs, String> {
    use planspor::webhooks::dispatch::DeliveryRules;
    let mailer = match &config.smtp_url {
        Some(url) => Some(planspor::notifications::mail::Mailer::new(
            url,
            &config.mail_from,
        )?),
        None => {
            log::info!("PLANSPOR_SMTP_URL is unset: reminders are kept in the outbox, not sent");
            None
        }
    };
    Ok(planspor::jobs::Jobs {
        database: state.database.clone(),
        mailer,
        reminders: config.reminders,
        reminder_interval: std::time::Duration::from_secs(600),
        deliveries: DeliveryRules {
            targets: state.webhook_targets.clone(),
            ..DeliveryRules::default()
        },
        poll_interval: std::time::Duration::from_secs(2),
    })
}

/// Once the workers have built their apps (the contract, the templates),
/// what start-up freed goes back to the operating system.
async fn release_start_up_memory() {
    actix_web::rt::time::sleep(std::time::Duration::from_millis(500)).await;
    planspor::memory::release_freed_memory();
}

/// Deletes expired idempotency keys every hour.
async fn purge_idempotency_keys(database: Database) {
    let mut interval = actix_web::rt::time::interval(std::time::Duration::from_secs(3600));
    loop {
        interval.tick().await;
        let purged = match database.conn().await {
            Ok(mut conn) => planspor::idempotency::purge_expired(&mut conn).await,
            Err(error) => Err(error),
        };
        match purged {
            Ok(count) if count > 0 => log::info!("purged {count} expired idempotency keys"),
            Ok(_) => {}
            Err(error) => log::warn!("purging idempotency keys: {error}"),
        }
    }
}

/// Both SIGTERM and SIGINT stop the server gracefully: it stops accepting,
/// lets in-flight requests finish (up to 30 s), then returns. (actix's own
/// handling treats SIGINT as a forced stop.)
async fn stop_gracefully_on_signal(handle: actix_web::dev::ServerHandle) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut terminate), Ok(mut interrupt)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        log::error!("cannot listen for SIGTERM/SIGINT; stop the service with SIGKILL");
        return;
    };
    tokio::select! {
        _ = terminate.recv() => log::info!("SIGTERM received; finishing in-flight requests"),
        _ = interrupt.recv() => log::info!("SIGINT received; finishing in-flight requests"),
    }
    handle.stop(true).await;
}

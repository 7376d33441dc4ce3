//! Starts planspor: configuration, logging, the database (embedded or given),
//! migrations, then the HTTP server until SIGTERM/SIGINT.

use std::process::ExitCode;

use actix_web::HttpServer;
use planspor::config::{Config, DatabaseSource, help_text};
use planspor::db::{self, Database, embedded};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--help" | "-h") => {
            print!("{}", help_text());
            return ExitCode::SUCCESS;
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
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
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
    let (url, cluster) = match &config.database {
        DatabaseSource::External(url) => (url.clone(), None),
        DatabaseSource::Embedded => {
            let cluster = embedded::Cluster::start(&config.data_dir).map_err(|e| e.to_string())?;
            db::create_database_if_missing(&cluster.url("postgres"), embedded::DATABASE)?;
            (cluster.url(embedded::DATABASE), Some(cluster))
        }
    };
    let served = serve(&config, &url);
    if let Some(cluster) = cluster {
        log::info!("stopping the embedded PostgreSQL");
        cluster.stop().map_err(|e| e.to_string())?;
    }
    served
}

fn serve(config: &Config, url: &str) -> Result<(), String> {
    db::migrate(url)?;
    let database = Database::connect(url, config.pool_size, config.pool_timeout)?;
    let body_limit = config.body_limit;
    log::info!("planspor listening on http://{}", config.bind);
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || planspor::build_app(database.clone(), body_limit))
            .bind(&config.bind)
            .map_err(|e| format!("binding {}: {e}", config.bind))?
            .disable_signals()
            .shutdown_timeout(30)
            .run();
        actix_web::rt::spawn(stop_gracefully_on_signal(server.handle()));
        server.await.map_err(|e| format!("server: {e}"))
    })
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

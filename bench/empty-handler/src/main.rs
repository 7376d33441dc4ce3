//! A minimal actix-web JSON handler: the ceiling planspor's requests/s are
//! compared with in the benchmark (`bench/run.sh`). Listens on
//! `EMPTY_HANDLER_BIND` (default 127.0.0.1:18090) with actix's default worker
//! count, like planspor. A member of planspor's workspace with planspor's
//! actix-web requirement: built together with planspor, it gets exactly
//! planspor's actix-web (version and features) from the same compiled
//! dependencies, so the ratio measures planspor's own layers, not a different
//! HTTP stack, and costs no second build of the dependency tree.

use actix_web::{App, HttpResponse, HttpServer, get};

#[get("/json")]
async fn json() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let bind = std::env::var("EMPTY_HANDLER_BIND").unwrap_or_else(|_| "127.0.0.1:18090".into());
    HttpServer::new(|| App::new().service(json))
        .keep_alive(std::time::Duration::from_secs(30))
        .bind(bind)?
        .run()
        .await
}

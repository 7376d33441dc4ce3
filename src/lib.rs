//! planspor: the system of record for the development plans Danish
//! municipalities write with the national Task Force.
//!
//! `main.rs` only wires things up; everything it needs, and everything the
//! tests need, is built here.

pub mod admin_cli;
pub mod audit;
pub mod auth;
pub mod case_reviews;
pub mod comparisons;
pub mod concurrency;
pub mod config;
pub mod cors;
pub mod db;
pub mod domain;
pub mod error;
pub mod events;
pub mod exports;
pub mod focus_areas;
pub mod idempotency;
pub mod imports;
pub mod indicators;
pub mod initiatives;
pub mod jobs;
pub mod json;
pub mod measurements;
pub mod memberships;
pub mod memory;
pub mod notifications;
pub mod openapi;
pub mod ops;
pub mod organizations;
pub mod pagination;
pub mod plans;
pub mod progress;
pub mod progress_notes;
pub mod query;
pub mod rate_limit;
pub mod recommendations;
pub mod reminders;
pub mod request_log;
pub mod resource;
pub mod revisions;
pub mod routing;
pub mod security_headers;
pub mod status_reports;
pub mod templates;
pub mod users;
pub mod validation;
pub mod webhooks;
pub mod workflow;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, middleware, web};
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::db::Database;
use crate::error::ApiError;
use crate::json::BodyLimit;

/// The routes and their contract, from one registration.
fn app_parts_with<T>(app: App<T>) -> (App<T>, utoipa::openapi::OpenApi)
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    let (app, api) = app
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .configure(ops::routes)
        .service(
            scope::scope("/api/v1")
                .configure(organizations::routes)
                .configure(plans::routes)
                .configure(focus_areas::routes)
                .configure(initiatives::routes)
                .configure(indicators::routes)
                .configure(measurements::routes)
                .configure(imports::routes)
                .configure(progress_notes::routes)
                .configure(recommendations::routes)
                .configure(case_reviews::routes)
                .configure(events::routes)
                .configure(webhooks::routes)
                .configure(notifications::routes)
                .configure(reminders::routes)
                .configure(status_reports::routes)
                .configure(status_reports::published_routes)
                .configure(users::routes)
                .configure(memberships::routes)
                .configure(audit::routes)
                .configure(templates::routes)
                .configure(workflow::routes)
                .configure(progress::routes)
                .configure(revisions::routes)
                .configure(comparisons::routes)
                .configure(exports::routes),
        )
        .split_for_parts();
    let mut api = api;
    openapi::add_shared_behaviour(&mut api);
    (app, api)
}

/// The contract without a running service (for `--print-openapi` and the contract test).
pub fn app_parts() -> (
    App<impl ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>>,
    utoipa::openapi::OpenApi,
) {
    app_parts_with(App::new())
}

/// What every worker shares.
#[derive(Clone)]
pub struct AppState {
    /// The connection pool.
    pub database: Database,
    /// Largest accepted body, in bytes.
    pub body_limit: usize,
    /// Checks bearer tokens.
    pub verifier: auth::tokens::TokenVerifier,
    /// The issuer of planspor's own users.
    pub issuer: String,
    /// Counts below this are never shown in comparisons and exports.
    pub small_count_threshold: u32,
    /// The request budgets, shared by every worker.
    pub rate_limiter: std::sync::Arc<rate_limit::RateLimiter>,
    /// Browser origins allowed to call the API.
    pub cors_origins: Vec<String>,
    /// How many exports render at once, shared by every worker.
    pub render_slots: std::sync::Arc<exports::RenderSlots>,
    /// Where webhooks may deliver.
    pub webhook_targets: webhooks::target::TargetPolicy,
}

/// The whole application for one worker: routes, contract, docs, error handlers, logging.
pub fn build_app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let login_provider = state.verifier.discovery_url();
    let base = App::new()
        .app_data(web::Data::new(state.database))
        .app_data(web::Data::new(BodyLimit(state.body_limit)))
        .app_data(web::Data::new(state.verifier))
        .app_data(web::Data::new(auth::Issuer(state.issuer)))
        .app_data(web::Data::new(comparisons::SmallCountThreshold(
            state.small_count_threshold,
        )))
        .app_data(web::Data::from(state.rate_limiter.clone()))
        .app_data(web::Data::from(state.render_slots.clone()))
        .app_data(web::Data::new(state.webhook_targets.clone()))
        // A path id that is not a UUID names no resource: 404, like an unknown one.
        .app_data(
            web::PathConfig::default().error_handler(|_, _| ApiError::NotFound("resource").into()),
        )
        .app_data(web::QueryConfig::default().error_handler(|error, _| {
            ApiError::BadRequest(format!("Invalid query parameter: {error}")).into()
        }));
    let (app, mut api) = app_parts_with(base);
    if let Some(discovery_url) = login_provider {
        openapi::declare_login_provider(&mut api, &discovery_url);
    }
    app.app_data(web::Data::new(routing::KnownPaths::from_contract(&api)))
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", api))
        // Swagger UI lives under /docs/; the bare path people type leads there.
        .service(web::redirect("/docs", "/docs/").permanent())
        .default_service(web::to(routing::unmatched))
        .wrap(middleware::from_fn(idempotency::idempotent_posts))
        .wrap(middleware::from_fn(rate_limit::limit_requests))
        .wrap(cors::policy(&state.cors_origins))
        .wrap(middleware::from_fn(cors::refusals_as_problems))
        .wrap(middleware::from_fn(security_headers::add_security_headers))
        .wrap(middleware::from_fn(request_log::log_request))
}

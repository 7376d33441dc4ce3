//! The single export operation that came before one operation per format:
//! `GET …/export?format=…` answers 308 to the operation of that format.
// The contract marks them deprecated through `#[deprecated]`, which actix's
// route macro calls from generated code in this module.
#![allow(deprecated, reason = "the deprecated operations are still served")]

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};

use super::FormatParams;
use crate::auth::Principal;
use crate::domain::{PlanId, StatusReportId};
use crate::openapi::responses as r;
use crate::query::ApiQuery;

/// Redirects to the export operation of the format asked for.
///
/// The export of one format in one operation (`?format=pdf`, the default, …)
/// came before the operations per format; this answers 308 with `Location`
/// set to the one for `format`, keeping `lang`. Call those directly.
#[utoipa::path(tag = "exports",
    params(("status_report_id" = StatusReportId, Path, description = "Status report id"), FormatParams),
    security(("bearer" = [])),
    responses(
        (status = 308, description = "Ask the operation of the format instead",
            headers(("Location" = String, description = "The operation of the format, e.g. `…/export/pdf?lang=da`"))),
        r::ListErrors,
    ))]
#[get("/status-reports/{status_report_id}/export")]
#[deprecated = "use the operation of the format, /export/{format}"]
pub async fn export_report(
    request: HttpRequest,
    _principal: Principal,
    // A malformed id is a 404 here as on every other path, not a redirect.
    _report: web::Path<StatusReportId>,
    params: ApiQuery<FormatParams>,
) -> HttpResponse {
    to_format(&request, &params)
}

/// Redirects to the plan export operation of the format asked for.
///
/// As the report's redirect: 308 to `/plans/{plan_id}/export/{format}`, keeping `lang`.
#[utoipa::path(tag = "exports",
    params(("plan_id" = PlanId, Path, description = "Plan id"), FormatParams),
    security(("bearer" = [])),
    responses(
        (status = 308, description = "Ask the operation of the format instead",
            headers(("Location" = String, description = "The operation of the format, e.g. `…/export/pdf?lang=da`"))),
        r::ListErrors,
    ))]
#[get("/plans/{plan_id}/export")]
#[deprecated = "use the operation of the format, /export/{format}"]
pub async fn export_plan(
    request: HttpRequest,
    _principal: Principal,
    _plan: web::Path<PlanId>,
    params: ApiQuery<FormatParams>,
) -> HttpResponse {
    to_format(&request, &params)
}

fn to_format(request: &HttpRequest, params: &FormatParams) -> HttpResponse {
    let location = format!(
        "{}/{}?lang={}",
        request.path(),
        params.format.extension(),
        params.lang.code()
    );
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, location))
        .finish()
}

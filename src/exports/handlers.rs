//! GET /status-reports/{id}/export and GET /plans/{id}/export.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;

use super::document::{self, Export};
use super::download::{content_disposition, filename, not_modified};
use super::{ExportParams, Format, RenderSlots};
use crate::auth::Principal;
use crate::comparisons::SmallCountThreshold;
use crate::db::Database;
use crate::domain::{PlanId, StatusReportId};
use crate::error::ApiError;
use crate::openapi::responses as r;
use crate::plans;
use crate::query::ApiQuery;
use crate::status_reports::{self, snapshot::ReportSnapshot};

/// A published report's export only changes with its errata: caches may keep
/// it, but must ask (and get a 304) before using it again.
const REVALIDATE: &str = "private, no-cache";

/// The bytes of the file.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[expect(dead_code, reason = "only its schema is used, in the contract")]
struct FileBytes(Vec<u8>);

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config.service(export_report).service(export_plan);
}

/// A published report as a committee document or data file: `pdf` (default)
/// and `html` are the committee appendix, `xlsx` a sheet per kind, `csv` the
/// measurements (UTF-8 with BOM, `;` and decimal comma for `lang=da`, `,` and
/// decimal point for `en`), `json` the frozen snapshot exactly as stored.
/// Every committee format shows counts below the small-count threshold as
/// "<5" and says so. The ETag covers everything the file depends on; send it
/// in `If-None-Match` to get 304 instead of the same file again.
#[utoipa::path(tag = "exports",
    params(("id" = StatusReportId, Path, description = "Status report id"), ExportParams,
        ("If-None-Match" = Option<String>, Header, description = "The ETag of the file you have")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The file, as an attachment",
            headers(
                ("Content-Disposition" = String, description = "attachment; filename=\"Slagelse_udviklingsplan_status_2025-03-31.pdf\"; filename*=UTF-8''…"),
                ("ETag" = String, description = "Changes only when the file would")),
            content(
                (inline(FileBytes) = "application/pdf"),
                (String = "text/html; charset=utf-8"),
                (inline(FileBytes) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (String = "text/csv; charset=utf-8"),
                (ReportSnapshot = "application/json"))),
        (status = 304, description = "Not modified: the If-None-Match ETag is current", headers(("ETag" = String))),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
    ))]
#[get("/status-reports/{id}/export")]
async fn export_report(
    req: HttpRequest,
    principal: Principal,
    db: web::Data<Database>,
    slots: web::Data<RenderSlots>,
    threshold: web::Data<SmallCountThreshold>,
    id: web::Path<StatusReportId>,
    params: ApiQuery<ExportParams>,
) -> Result<HttpResponse, ApiError> {
    let ExportParams { format, lang } = params.0;
    let head = {
        let mut conn = db.conn().await?;
        let report = status_reports::find_scoped(&mut conn, *id)
            .await?
            .readable_by(&principal)?;
        document::report_head(&mut conn, report).await?
    };
    let etag = head.etag(format, lang, threshold.0);
    if not_modified(&req, &etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, REVALIDATE))
            .finish());
    }
    // Never wait for a slot while holding a connection the rest of the API needs.
    let _slot = slots.acquire().await?;
    let export = {
        let mut conn = db.conn().await?;
        document::load_report(&mut conn, head, format, lang, threshold.0).await?
    };
    deliver(&slots, format, export, Some(etag)).await
}

/// The plan's current state (as of today) in any export format, marked in
/// every format as not a published report. Same formats as a report's export;
/// in `json` the snapshot's `report` is an unsaved one: the nil id, the title
/// "Aktuel status" ("Current state" with `lang=en`), `published_by` empty.
#[utoipa::path(tag = "exports",
    params(("id" = PlanId, Path, description = "Plan id"), ExportParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The file, as an attachment",
            headers(("Content-Disposition" = String, description = "attachment; filename=\"Slagelse_udviklingsplan_aktuel_2025-05-02.pdf\"; filename*=UTF-8''…")),
            content(
                (inline(FileBytes) = "application/pdf"),
                (String = "text/html; charset=utf-8"),
                (inline(FileBytes) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (String = "text/csv; charset=utf-8"),
                (ReportSnapshot = "application/json"))),
        r::ListErrors,
    ))]
#[get("/plans/{id}/export")]
async fn export_plan(
    principal: Principal,
    db: web::Data<Database>,
    slots: web::Data<RenderSlots>,
    threshold: web::Data<SmallCountThreshold>,
    id: web::Path<PlanId>,
    params: ApiQuery<ExportParams>,
) -> Result<HttpResponse, ApiError> {
    let ExportParams { format, lang } = params.0;
    let plan = {
        let mut conn = db.conn().await?;
        plans::find_scoped(&mut conn, *id)
            .await?
            .readable_by(&principal)?
    };
    let _slot = slots.acquire().await?;
    let export = {
        let mut conn = db.conn().await?;
        let today = Utc::now().date_naive();
        document::load_plan(&mut conn, &plan, today, lang, threshold.0).await?
    };
    deliver(&slots, format, export, None).await
}

/// Renders on the export threads and wraps the bytes as a download; with an
/// ETag (a published report), caches may keep it but must revalidate.
async fn deliver(
    slots: &RenderSlots,
    format: Format,
    export: Export,
    etag: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let name = filename(&export.document, format);
    let bytes = slots.render(format, export).await?;
    let mut response = HttpResponse::Ok();
    response
        .content_type(format.content_type())
        .insert_header((header::CONTENT_DISPOSITION, content_disposition(&name)));
    if format == Format::Html {
        response.insert_header((header::CONTENT_SECURITY_POLICY, super::html::CSP));
    }
    if let Some(etag) = etag {
        response
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, REVALIDATE));
    }
    Ok(response.body(bytes))
}

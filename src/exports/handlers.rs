//! GET /status-reports/{status_report_id}/export/{format} and
//! GET /plans/{plan_id}/export/{format}: one operation per format.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, get, web};
use chrono::Utc;
use serde::de::DeserializeOwned;
use utoipa_actix_web::service_config::ServiceConfig;

use super::answers::*;
use super::document::{self, Export};
use super::download::{content_disposition, filename, not_modified};
use super::{Format, Lang, LangParams, RenderSlots, redirects};
use crate::auth::Principal;
use crate::comparisons::SmallCountThreshold;
use crate::db::Database;
use crate::domain::{PlanId, StatusReportId};
use crate::error::ApiError;
use crate::openapi::responses::{self as r, IfNoneMatchHeader};
use crate::plans;
use crate::query::ApiQuery;
use crate::status_reports;

/// A published report's export only changes with its errata: caches may keep
/// it, but must ask (and get a 304) before using it again.
const REVALIDATE: &str = "private, no-cache";

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(export_report_pdf)
        .service(export_report_html)
        .service(export_report_xlsx)
        .service(export_report_csv)
        .service(export_report_json)
        .service(export_plan_pdf)
        .service(export_plan_html)
        .service(export_plan_xlsx)
        .service(export_plan_csv)
        .service(export_plan_json)
        .service(redirects::export_report)
        .service(redirects::export_plan);
}

/// What every export handler takes from its request: the caller, the record
/// (a report's or a plan's id), the language, and where exports render.
pub struct ExportRequest<Id> {
    request: HttpRequest,
    principal: Principal,
    db: web::Data<Database>,
    slots: web::Data<RenderSlots>,
    threshold: web::Data<SmallCountThreshold>,
    id: Id,
    lang: Lang,
}

impl<Id: DeserializeOwned + Copy + 'static> FromRequest for ExportRequest<Id> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        type Parts<Id> = (
            Principal,
            web::Data<Database>,
            web::Data<RenderSlots>,
            web::Data<SmallCountThreshold>,
            web::Path<Id>,
            ApiQuery<LangParams>,
        );
        let parts = Parts::<Id>::from_request(req, payload);
        let request = req.clone();
        Box::pin(async move {
            let (principal, db, slots, threshold, id, query) = parts.await?;
            Ok(Self {
                request,
                principal,
                db,
                slots,
                threshold,
                id: *id,
                lang: query.0.lang,
            })
        })
    }
}

impl ExportRequest<StatusReportId> {
    /// The published report in `format`, or 304 when the caller has it.
    async fn report(self, format: Format) -> Result<HttpResponse, ApiError> {
        let Self {
            request,
            principal,
            db,
            slots,
            threshold,
            id,
            lang,
        } = self;
        let head = {
            let mut conn = db.conn().await?;
            let report = status_reports::find_scoped(&mut conn, id)
                .await?
                .readable_by(&principal)?;
            document::report_head(&mut conn, report).await?
        };
        let etag = head.etag(format, lang, threshold.0);
        if not_modified(&request, &etag) {
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
}

impl ExportRequest<PlanId> {
    /// The plan's current state in `format`.
    async fn plan(self, format: Format) -> Result<HttpResponse, ApiError> {
        let Self {
            principal,
            db,
            slots,
            threshold,
            id,
            lang,
            ..
        } = self;
        let plan = {
            let mut conn = db.conn().await?;
            plans::find_scoped(&mut conn, id)
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
}

/// A published report as the committee appendix in PDF.
///
/// Print-ready, tagged for screen readers, Danish by default (`lang=en` for
/// English). Counts below the small-count threshold show as "<5", and the
/// document says so. Anyone who may read the plan may download it; a draft
/// report answers 409 (export the plan's current state instead). The ETag
/// covers everything the file depends on: send it in `If-None-Match` to get
/// 304 instead of the same file again.
#[utoipa::path(tag = "exports",
    params(("status_report_id" = StatusReportId, Path, description = "Status report id"), LangParams, IfNoneMatchHeader),
    security(("bearer" = [])),
    responses(ReportPdf, r::ReportExportErrors))]
#[get("/status-reports/{status_report_id}/export/pdf")]
async fn export_report_pdf(
    export: ExportRequest<StatusReportId>,
) -> Result<HttpResponse, ApiError> {
    export.report(Format::Pdf).await
}

/// A published report as the committee appendix in HTML.
///
/// The same content as the PDF as one self-contained, accessible web page
/// (no scripts, no external resources). Same rules as the PDF: readers of the
/// plan, 409 for a draft, 304 for a current `If-None-Match`.
#[utoipa::path(tag = "exports",
    params(("status_report_id" = StatusReportId, Path, description = "Status report id"), LangParams, IfNoneMatchHeader),
    security(("bearer" = [])),
    responses(ReportHtml, r::ReportExportErrors))]
#[get("/status-reports/{status_report_id}/export/html")]
async fn export_report_html(
    export: ExportRequest<StatusReportId>,
) -> Result<HttpResponse, ApiError> {
    export.report(Format::Html).await
}

/// A published report as an Excel workbook.
///
/// A sheet per kind: focus areas, initiatives, indicators, measurements, and
/// where the report has them the Task Force's recommendations, case reviews
/// and assessment, and the errata; real dates and numbers, not text. Same
/// rules as the PDF.
#[utoipa::path(tag = "exports",
    params(("status_report_id" = StatusReportId, Path, description = "Status report id"), LangParams, IfNoneMatchHeader),
    security(("bearer" = [])),
    responses(ReportXlsx, r::ReportExportErrors))]
#[get("/status-reports/{status_report_id}/export/xlsx")]
async fn export_report_xlsx(
    export: ExportRequest<StatusReportId>,
) -> Result<HttpResponse, ApiError> {
    export.report(Format::Xlsx).await
}

/// A published report's measurements as CSV.
///
/// UTF-8 with a byte order mark; `;` and decimal comma for `lang=da`, `,` and
/// decimal point for `en`. A cell that a spreadsheet would run as a formula
/// is written as text. Same rules as the PDF.
#[utoipa::path(tag = "exports",
    params(("status_report_id" = StatusReportId, Path, description = "Status report id"), LangParams, IfNoneMatchHeader),
    security(("bearer" = [])),
    responses(ReportCsv, r::ReportExportErrors))]
#[get("/status-reports/{status_report_id}/export/csv")]
async fn export_report_csv(
    export: ExportRequest<StatusReportId>,
) -> Result<HttpResponse, ApiError> {
    export.report(Format::Csv).await
}

/// A published report's frozen snapshot as a JSON download.
///
/// Exactly what `GET /status-reports/{status_report_id}/snapshot` answers,
/// as an attachment with a file name. Same rules as the PDF.
#[utoipa::path(tag = "exports",
    params(("status_report_id" = StatusReportId, Path, description = "Status report id"), LangParams, IfNoneMatchHeader),
    security(("bearer" = [])),
    responses(ReportJson, r::ReportExportErrors))]
#[get("/status-reports/{status_report_id}/export/json")]
async fn export_report_json(
    export: ExportRequest<StatusReportId>,
) -> Result<HttpResponse, ApiError> {
    export.report(Format::Json).await
}

/// A plan's current state as a committee document in PDF.
///
/// The plan as of today, computed now, and marked on every page as not a
/// published report. Anyone who may read the plan may download it.
#[utoipa::path(tag = "exports",
    params(("plan_id" = PlanId, Path, description = "Plan id"), LangParams),
    security(("bearer" = [])),
    responses(PlanPdf, r::ListErrors))]
#[get("/plans/{plan_id}/export/pdf")]
async fn export_plan_pdf(export: ExportRequest<PlanId>) -> Result<HttpResponse, ApiError> {
    export.plan(Format::Pdf).await
}

/// A plan's current state as a committee document in HTML.
///
/// As the PDF, as one self-contained web page.
#[utoipa::path(tag = "exports",
    params(("plan_id" = PlanId, Path, description = "Plan id"), LangParams),
    security(("bearer" = [])),
    responses(PlanHtml, r::ListErrors))]
#[get("/plans/{plan_id}/export/html")]
async fn export_plan_html(export: ExportRequest<PlanId>) -> Result<HttpResponse, ApiError> {
    export.plan(Format::Html).await
}

/// A plan's current state as an Excel workbook.
///
/// The same sheets as a published report's workbook, marked as the current state.
#[utoipa::path(tag = "exports",
    params(("plan_id" = PlanId, Path, description = "Plan id"), LangParams),
    security(("bearer" = [])),
    responses(PlanXlsx, r::ListErrors))]
#[get("/plans/{plan_id}/export/xlsx")]
async fn export_plan_xlsx(export: ExportRequest<PlanId>) -> Result<HttpResponse, ApiError> {
    export.plan(Format::Xlsx).await
}

/// A plan's measurements as CSV.
///
/// The layout of a published report's CSV, with every measurement the plan has today.
#[utoipa::path(tag = "exports",
    params(("plan_id" = PlanId, Path, description = "Plan id"), LangParams),
    security(("bearer" = [])),
    responses(PlanCsv, r::ListErrors))]
#[get("/plans/{plan_id}/export/csv")]
async fn export_plan_csv(export: ExportRequest<PlanId>) -> Result<HttpResponse, ApiError> {
    export.plan(Format::Csv).await
}

/// A plan's current state as an unsaved snapshot in JSON.
///
/// The snapshot a report published today would freeze; its `report` is an
/// unsaved one: the nil id, the title "Aktuel status" ("Current state" with
/// `lang=en`), `published_by` empty.
#[utoipa::path(tag = "exports",
    params(("plan_id" = PlanId, Path, description = "Plan id"), LangParams),
    security(("bearer" = [])),
    responses(PlanJson, r::ListErrors))]
#[get("/plans/{plan_id}/export/json")]
async fn export_plan_json(export: ExportRequest<PlanId>) -> Result<HttpResponse, ApiError> {
    export.plan(Format::Json).await
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

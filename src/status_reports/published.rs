//! Publishing a status report (freezing its snapshot), reading the snapshot,
//! errata, and the changes since the previous published report.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use utoipa_actix_web::service_config::ServiceConfig;

use super::StatusReport;
use super::assessment;
use super::changes::{ReportChanges, compare};
use super::errata::{self, Erratum, ErratumInput};
use super::queries::{self, ReportLock};
use super::sections::{self, list_sections, write_section};
use super::snapshot::{self, ReportSnapshot, TaskForceRecord};
use crate::audit::{Actor, Change};
use crate::auth::Principal;
use crate::case_reviews;
use crate::concurrency::{IfMatch, etag, ok};
use crate::db::{Database, PgConn, SerializedJsonb};
use crate::domain::{OrganizationId, PlanId, ReportState, StatusReportId};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::organizations;
use crate::pagination::Paginated;
use crate::progress::load_plan_data;
use crate::recommendations;
use crate::resource::{self, Entity, Owned, Recorded};

/// Errata in the audit trail.
const ERRATUM: &str = "status_report_erratum";

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_sections)
        .service(write_section)
        .service(assessment::get_assessment)
        .service(assessment::write_assessment)
        .service(publish_report)
        .service(get_snapshot)
        .service(list_errata)
        .service(add_erratum)
        .service(get_report_changes);
}

/// Publish a draft report, freezing it into an immutable snapshot.
///
/// The whole plan as of the report's date is frozen with the report's sections and the Task
/// Force's record. Editors and consultants of the plan's municipality (and administrators);
/// viewers get 403. A published report answers 409, and so does a final report (`is_final`)
/// without the Task Force's assessment and a `final` case-review round of the plan. Send the
/// ETag you read in `If-Match` (428 without it, 412 when stale).
#[utoipa::path(tag = "status_reports",
    params(("status_report_id" = StatusReportId, Path, description = "Status report id"), r::IfMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Published", body = StatusReport, headers(("ETag" = String))),
        r::DeleteErrors,
    ))]
#[post("/status-reports/{status_report_id}/publish")]
async fn publish_report(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<StatusReportId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let Owned {
        row: report,
        organization: organization_id,
    } = queries::find_scoped(&mut conn, *id)
        .await?
        .writable_by(&principal)?;
    report.ensure_draft()?;
    if_match.check(report.version)?;
    let actor = Actor::from(&principal);
    let published = resource::in_transaction(&mut conn, &actor.clone(), move |conn| {
        Box::pin(async move {
            // Everything the snapshot holds is read under the report's lock,
            // after every section write that got in first has committed.
            let report = queries::lock(conn, report.id, ReportLock::Exclusive).await?;
            report.ensure_draft()?;
            if_match.check(report.version)?;
            if report.is_final {
                ensure_final_report_rests_on_the_task_force(conn, &report).await?;
            }
            let published_at = Utc::now();
            let frozen = freeze(conn, &report, organization_id, published_at, &actor).await?;
            let published =
                queries::mark_published(conn, &report, frozen, published_at, actor.user_id).await?;
            let change = Change::updated(
                Entity::STATUS_REPORT.name(),
                report.id.0,
                Some(organization_id),
                &report,
                &published,
            );
            Ok(Recorded::new(published, change))
        })
    })
    .await?;
    Ok(ok(&published))
}

/// A final report says whether casework got better: it is published only with
/// the Task Force's assessment and a `final` case-review round of the plan.
async fn ensure_final_report_rests_on_the_task_force(
    conn: &mut PgConn,
    report: &StatusReport,
) -> Result<(), ApiError> {
    let mut missing = Vec::new();
    if assessment::find(conn, report.id).await?.is_none() {
        missing.push(
            "the Task Force's assessment (PUT /status-reports/{status_report_id}/assessment)",
        );
    }
    if !assessment::has_final_review(conn, report.plan_id).await? {
        missing.push("a final case-review round of the plan (POST /plans/{plan_id}/case-reviews with \"phase\": \"final\")");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Conflict(format!(
            "A final status report is published only with {}.",
            missing.join(" and ")
        )))
    }
}

/// The Task Force's record of a plan as a report shows it: the focus areas its
/// recommendations concern, its case-review rounds, and `report`'s assessment
/// (none for a plan export). Three statements.
pub async fn task_force_record(
    conn: &mut PgConn,
    plan_id: PlanId,
    report: Option<StatusReportId>,
) -> Result<TaskForceRecord, ApiError> {
    let assessment = match report {
        Some(report) => assessment::find(conn, report).await?,
        None => None,
    };
    Ok(TaskForceRecord {
        recommendation_areas: recommendations::focus_areas_of_plan(conn, plan_id).await?,
        case_reviews: case_reviews::of_plan(conn, plan_id).await?,
        assessment,
    })
}

/// The snapshot of `report` as of now, serialized straight into the statement
/// (see SerializedJsonb); the plan's rows are freed before the write.
async fn freeze(
    conn: &mut PgConn,
    report: &StatusReport,
    organization_id: OrganizationId,
    published_at: DateTime<Utc>,
    actor: &Actor,
) -> Result<SerializedJsonb<ReportSnapshot>, ApiError> {
    let organization = organizations::find(conn, organization_id).await?;
    let data = load_plan_data(conn, report.plan_id).await?;
    let written = sections::list(conn, report.id).await?;
    let task_force = task_force_record(conn, report.plan_id, Some(report.id)).await?;
    Ok(SerializedJsonb(snapshot::build(
        report,
        &organization,
        &data,
        &written,
        task_force,
        published_at,
        &actor.name,
    )))
}

async fn stored_snapshot(
    conn: &mut PgConn,
    report: &StatusReport,
) -> Result<serde_json::Value, ApiError> {
    if report.state != ReportState::Published {
        return Err(ApiError::Conflict(
            "The status report is a draft; it has no frozen snapshot yet.".into(),
        ));
    }
    let stored = queries::snapshot(conn, report.id).await?;
    stored.ok_or_else(|| ApiError::Internal("a published report without a snapshot".into()))
}

/// Get the frozen snapshot of a published report.
///
/// Exactly as stored when it was published; a draft has none yet (409). For anyone who may read
/// the plan; another municipality's report answers 404, as one that does not exist.
#[utoipa::path(tag = "status_reports", params(("status_report_id" = StatusReportId, Path, description = "Status report id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The snapshot", body = ReportSnapshot, headers(("ETag" = String))),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
    ))]
#[get("/status-reports/{status_report_id}/snapshot")]
async fn get_snapshot(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<StatusReportId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let report = queries::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let stored = stored_snapshot(&mut conn, &report).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(report.version)))
        .json(stored))
}

/// The corrections appended to a report, oldest first.
///
/// Every erratum in one page (`next_cursor` is `null`); a draft has none. For anyone who may
/// read the plan; another municipality's report answers 404, as one that does not exist.
#[utoipa::path(tag = "status_reports", params(("status_report_id" = StatusReportId, Path, description = "Status report id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Its errata", body = Paginated<Erratum>),
        r::ReadErrors,
    ))]
#[get("/status-reports/{status_report_id}/errata")]
async fn list_errata(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<StatusReportId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let report = queries::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    Ok(HttpResponse::Ok().json(Paginated::complete(
        errata::list(&mut conn, report.id).await?,
    )))
}

/// Correct a published report with an erratum.
///
/// The correction is a new, visible entry with who and when; the report itself stays as it was
/// shown, and errata are append-only. Editors and consultants of the plan's municipality (and
/// administrators); viewers get 403. A draft answers 409: correct it by editing it.
#[utoipa::path(tag = "status_reports", request_body = ErratumInput,
    params(("status_report_id" = StatusReportId, Path, description = "Status report id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Appended", body = Erratum),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
    ))]
#[post("/status-reports/{status_report_id}/errata")]
async fn add_erratum(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<StatusReportId>,
    body: ApiJson<ErratumInput>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let Owned {
        row: report,
        organization,
    } = queries::find_scoped(&mut conn, *id)
        .await?
        .writable_by(&principal)?;
    if report.state != ReportState::Published {
        return Err(ApiError::Conflict(
            "A draft is corrected by editing it; errata are for published reports.".into(),
        ));
    }
    let text = body.0.parse()?;
    let actor = Actor::from(&principal);
    let erratum = resource::in_transaction(&mut conn, &actor.clone(), move |conn| {
        Box::pin(async move {
            let erratum = errata::insert(conn, report.id, text, &actor).await?;
            let change = Change::created(ERRATUM, erratum.id, Some(organization), &erratum);
            Ok(Recorded::new(erratum, change))
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(erratum))
}

/// What changed since the plan's previous published report.
///
/// Status changes, indicator movements, initiatives completed or newly overdue, compared between
/// the frozen snapshots (for the plan's first published report, against nothing). A draft
/// answers 409. For anyone who may read the plan; another municipality's report answers 404, as
/// one that does not exist.
#[utoipa::path(tag = "status_reports", params(("status_report_id" = StatusReportId, Path, description = "Status report id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changes", body = ReportChanges),
        (status = 401, response = r::Unauthorized),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
    ))]
#[get("/status-reports/{status_report_id}/changes")]
async fn get_report_changes(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<StatusReportId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let report = queries::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let current = parse_snapshot(stored_snapshot(&mut conn, &report).await?)?;
    let previous = queries::previous_published(&mut conn, &report).await?;
    let previous = match previous {
        Some(previous) => Some(parse_snapshot(
            stored_snapshot(&mut conn, &previous).await?,
        )?),
        None => None,
    };
    Ok(HttpResponse::Ok().json(compare(&current, previous.as_ref())))
}

/// A stored snapshot as the typed value; one that no longer parses is a bug (500).
pub(crate) fn parse_snapshot(value: serde_json::Value) -> Result<ReportSnapshot, ApiError> {
    serde_json::from_value(value)
        .map_err(|e| ApiError::Internal(format!("a stored snapshot does not parse: {e}")))
}

//! What a draft status report says per focus area: a status (suggested from
//! the computed roll-up; overriding it needs a reason), a narrative,
//! highlights, risks and next steps.

use actix_web::{HttpRequest, HttpResponse, get, put, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::StatusReport;
use super::queries::{self, ReportLock};
use crate::audit::{Actor, Change};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, Versioned, created, ok};
use crate::db::schema::status_report_sections as s;
use crate::db::{Database, PgConn};
use crate::domain::{FocusAreaId, Health, LongText, StatusReportId};
use crate::error::{ApiError, FieldCode, Refusal};
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::pagination::Paginated;
use crate::parse_fields;
use crate::progress::{load_plan_data, plan_progress};
use crate::resource::{self, Entity, Owned, Recorded};

/// Sections in the audit trail.
const SECTION: &str = "status_report_section";

/// One focus area's part of a status report.
#[derive(Debug, Clone, Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = s, check_for_backend(diesel::pg::Pg))]
pub struct Section {
    /// Id.
    pub id: Uuid,
    /// The report.
    pub report_id: StatusReportId,
    /// The focus area.
    pub focus_area_id: FocusAreaId,
    /// The status chosen instead of the suggested one (`null`: the suggestion stands).
    pub status: Option<Health>,
    /// Why the suggested status was overridden.
    pub status_reason: Option<String>,
    /// What happened.
    pub narrative: String,
    /// What went well.
    pub highlights: String,
    /// What may go wrong.
    pub risks: String,
    /// What comes next.
    pub next_steps: String,
    /// Increases on every change.
    pub version: i32,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Versioned for Section {
    fn version(&self) -> i32 {
        self.version
    }
}

/// A section with the status computed for the report's date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SectionView {
    /// The focus area.
    pub focus_area_id: FocusAreaId,
    /// Its number.
    pub position: i32,
    /// Its title.
    pub title: String,
    /// The status computed from its indicators and initiatives as of the report's date.
    pub suggested_status: Health,
    /// The status the report gives (the suggestion unless overridden).
    pub status: Health,
    /// The written part, if any has been written.
    pub section: Option<Section>,
}

/// The body of PUT /status-reports/{status_report_id}/sections/{focus_area_id}.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionInput {
    /// A status other than the suggested one; then `status_reason` is required.
    pub status: Option<Health>,
    /// Why the suggested status does not fit.
    #[schema(max_length = 20000)]
    pub status_reason: Option<String>,
    /// What happened.
    #[schema(max_length = 20000)]
    pub narrative: Option<String>,
    /// What went well.
    #[schema(max_length = 20000)]
    pub highlights: Option<String>,
    /// What may go wrong.
    #[schema(max_length = 20000)]
    pub risks: Option<String>,
    /// What comes next.
    #[schema(max_length = 20000)]
    pub next_steps: Option<String>,
}

/// Validated section fields.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = s, treat_none_as_null = true)]
pub struct SectionFields {
    status: Option<Health>,
    status_reason: Option<String>,
    narrative: String,
    highlights: String,
    risks: String,
    next_steps: String,
}

fn parse_override(
    status: Option<Health>,
    reason: Option<String>,
    suggested: Health,
) -> Result<Option<String>, Refusal> {
    match (status, reason) {
        (Some(status), None) if status != suggested => Err(Refusal::new(
            FieldCode::Required,
            format!(
                "is required to give `{}` instead of the suggested `{}`",
                status.as_str(),
                suggested.as_str()
            ),
        )),
        (_, Some(reason)) => LongText::parse_required(reason).map(|r| Some(r.into_inner())),
        (_, None) => Ok(None),
    }
}

impl SectionInput {
    /// Parses the body; overriding `suggested` needs a reason.
    pub fn parse(self, suggested: Health) -> Result<SectionFields, ApiError> {
        let (status_reason, narrative, highlights, risks, next_steps) = parse_fields! {
            status_reason: parse_override(self.status, self.status_reason, suggested),
            narrative: LongText::parse(self.narrative),
            highlights: LongText::parse(self.highlights),
            risks: LongText::parse(self.risks),
            next_steps: LongText::parse(self.next_steps),
        }?;
        Ok(SectionFields {
            status: self.status.filter(|status| *status != suggested),
            status_reason,
            narrative: narrative.into_inner(),
            highlights: highlights.into_inner(),
            risks: risks.into_inner(),
            next_steps: next_steps.into_inner(),
        })
    }
}

/// The report's sections.
pub async fn list(conn: &mut PgConn, report_id: StatusReportId) -> Result<Vec<Section>, ApiError> {
    Ok(s::table
        .filter(s::report_id.eq(report_id))
        .select(Section::as_select())
        .load(conn)
        .await?)
}

/// The section of `report_id` for `focus_area_id`, locked until the transaction ends.
async fn find_for_update(
    conn: &mut PgConn,
    report_id: StatusReportId,
    focus_area_id: FocusAreaId,
) -> Result<Option<Section>, ApiError> {
    Ok(s::table
        .filter(s::report_id.eq(report_id))
        .filter(s::focus_area_id.eq(focus_area_id))
        .select(Section::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

/// Creates the section, or `None` if a concurrent writer created it first.
async fn insert(
    conn: &mut PgConn,
    report_id: StatusReportId,
    focus_area_id: FocusAreaId,
    fields: SectionFields,
) -> Result<Option<Section>, ApiError> {
    Ok(diesel::insert_into(s::table)
        .values((
            s::id.eq(Uuid::now_v7()),
            s::report_id.eq(report_id),
            s::focus_area_id.eq(focus_area_id),
            fields,
        ))
        .on_conflict_do_nothing()
        .returning(Section::as_returning())
        .get_result(conn)
        .await
        .optional()?)
}

async fn replace(
    conn: &mut PgConn,
    current: &Section,
    fields: SectionFields,
) -> Result<Section, ApiError> {
    diesel::update(
        s::table
            .find(current.id)
            .filter(s::version.eq(current.version)),
    )
    .set(fields)
    .returning(Section::as_returning())
    .get_result(conn)
    .await
    .optional()?
    .ok_or(ApiError::PreconditionFailed)
}

/// What a section write did.
enum Written {
    Created(Section),
    Replaced { before: Section, after: Section },
}

/// Creates the section (no `If-Match`) or replaces the version the client
/// read (`If-Match`), under the report's shared lock so that a publish sees
/// the write or refuses it, never loses it.
async fn write(
    conn: &mut PgConn,
    report_id: StatusReportId,
    focus_area_id: FocusAreaId,
    if_match: Option<IfMatch>,
    fields: SectionFields,
) -> Result<Written, ApiError> {
    queries::lock(conn, report_id, ReportLock::Shared)
        .await?
        .ensure_draft()?;
    let current = find_for_update(conn, report_id, focus_area_id).await?;
    match (current, if_match) {
        (None, None) => insert(conn, report_id, focus_area_id, fields)
            .await?
            .map(Written::Created)
            .ok_or(ApiError::PreconditionRequired),
        (None, Some(_)) => Err(ApiError::PreconditionFailed),
        (Some(_), None) => Err(ApiError::PreconditionRequired),
        (Some(before), Some(if_match)) => {
            if_match.check(before.version)?;
            let after = replace(conn, &before, fields).await?;
            Ok(Written::Replaced { before, after })
        }
    }
}

/// List a report's sections: one per focus area of its plan.
///
/// Every focus area of the report's plan, with its suggested status and what the report says,
/// computed from the plan as it is now as of the report's date (what a published report showed
/// is in its snapshot). All in one page. For anyone who may read the plan; another
/// municipality's report answers 404, as one that does not exist.
#[utoipa::path(tag = "status_reports", params(("status_report_id" = StatusReportId, Path, description = "Status report id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One entry per focus area", body = Paginated<SectionView>),
        r::ReadErrors,
    ))]
#[get("/status-reports/{status_report_id}/sections")]
pub async fn list_sections(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<StatusReportId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let report = queries::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let data = load_plan_data(&mut conn, report.plan_id).await?;
    let progress = plan_progress(
        &data,
        crate::progress::handlers::context(&data, Some(report.as_of)),
    );
    let mut written = list(&mut conn, report.id).await?;
    let views: Vec<SectionView> = progress
        .focus_areas
        .iter()
        .map(|area| {
            let section = written
                .iter()
                .position(|s| s.focus_area_id == area.focus_area_id)
                .map(|index| written.swap_remove(index));
            SectionView {
                focus_area_id: area.focus_area_id,
                position: area.position,
                title: area.title.clone(),
                suggested_status: area.status,
                status: section
                    .as_ref()
                    .and_then(|s| s.status)
                    .unwrap_or(area.status),
                section,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(Paginated::complete(views)))
}

/// Write a draft report's section for one focus area.
///
/// The first write creates it (201, no `If-Match`); replacing it needs the `ETag` you read in
/// `If-Match` (428 without it, 412 when stale), so no one's text is overwritten unseen. A
/// `status` other than the suggested one needs a `status_reason` (422). Editors and consultants
/// (and administrators); viewers get 403, a published report answers 409, and a focus area not
/// of the report's plan 404.
#[utoipa::path(tag = "status_reports", request_body = SectionInput,
    params(
        ("status_report_id" = StatusReportId, Path, description = "Status report id"),
        ("focus_area_id" = FocusAreaId, Path, description = "A focus area of the report's plan"),
        ("If-Match" = Option<String>, Header, description = "The ETag you read; required to replace an existing section"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The section, replaced", body = Section, headers(("ETag" = String))),
        (status = 201, description = "The section, created", body = Section, headers(("ETag" = String), ("Location" = String))),
        (status = 400, response = r::BadRequest),
        (status = 401, response = r::Unauthorized),
        (status = 403, response = r::Forbidden),
        (status = 404, response = r::NotFound),
        (status = 409, response = r::Conflict),
        (status = 412, response = r::PreconditionFailed),
        (status = 413, response = r::PayloadTooLarge),
        (status = 415, response = r::UnsupportedMediaType),
        (status = 422, response = r::Invalid),
        (status = 428, response = r::PreconditionRequired),
    ))]
#[put("/status-reports/{status_report_id}/sections/{focus_area_id}")]
pub async fn write_section(
    principal: Principal,
    db: web::Data<Database>,
    path: web::Path<(StatusReportId, FocusAreaId)>,
    request: HttpRequest,
    body: ApiJson<SectionInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, focus_area_id) = path.into_inner();
    let if_match = IfMatch::from_headers(&request);
    let mut conn = db.conn().await?;
    let Owned {
        row: report,
        organization,
    } = queries::find_scoped(&mut conn, id)
        .await?
        .writable_by(&principal)?;
    report.ensure_draft()?;
    let suggested = suggested_status(&mut conn, &report, focus_area_id).await?;
    let fields = body.0.parse(suggested)?;
    let written = resource::in_transaction(&mut conn, &Actor::from(&principal), |conn| {
        Box::pin(async move {
            let written = write(conn, report.id, focus_area_id, if_match, fields).await?;
            let (before, after) = match &written {
                Written::Created(after) => (None, after),
                Written::Replaced { before, after } => (Some(before), after),
            };
            let change = Change::upserted(SECTION, after.id, Some(organization), before, after);
            Ok(Recorded::new(written, change))
        })
    })
    .await?;
    Ok(match written {
        Written::Created(section) => created(request.path().to_owned(), &section),
        Written::Replaced { after, .. } => ok(&after),
    })
}

/// The status the focus area's indicators and initiatives give as of the report's date.
async fn suggested_status(
    conn: &mut PgConn,
    report: &StatusReport,
    focus_area_id: FocusAreaId,
) -> Result<Health, ApiError> {
    let data = load_plan_data(conn, report.plan_id).await?;
    let progress = plan_progress(
        &data,
        crate::progress::handlers::context(&data, Some(report.as_of)),
    );
    progress
        .focus_areas
        .iter()
        .find(|area| area.focus_area_id == focus_area_id)
        .map(|area| area.status)
        .ok_or(ApiError::NotFound(Entity::FOCUS_AREA.label()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overriding_the_suggested_status_needs_a_reason() {
        assert!(parse_override(Some(Health::Green), None, Health::Amber).is_err());
        assert!(parse_override(Some(Health::Amber), None, Health::Amber).is_ok());
        assert!(
            parse_override(
                Some(Health::Green),
                Some("Ny rutine virker".into()),
                Health::Amber
            )
            .is_ok()
        );
        assert!(parse_override(None, None, Health::Red).is_ok());
    }
}

//! The Task Force's assessment in a status report: its overall judgement and,
//! optionally, one per focus area, apart from the municipality's own account
//! (the sections). Only consultants (and administrators) write it; it is
//! frozen with the report, and a final report is published only with it.

use actix_web::{HttpRequest, HttpResponse, get, put, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::queries::{self, ReportLock};
use crate::audit::{Actor, Change};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, Versioned, created, ok};
use crate::db::schema::{case_reviews, focus_areas, status_report_assessments as a};
use crate::db::{Database, PgConn};
use crate::domain::{FocusAreaId, LongText, PlanId, ReviewPhase, StatusReportId, UserId};
use crate::error::{ApiError, FieldCode, FieldError, Refusal};
use crate::json::ApiJson;
use crate::openapi::responses as r;
use crate::resource::{self, Owned, Recorded};

/// Assessments in the audit trail.
const ASSESSMENT: &str = "status_report_assessment";

/// How many focus areas one assessment may speak to.
const MAX_AREAS: usize = 100;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = a, check_for_backend(diesel::pg::Pg))]
struct AssessmentRow {
    report_id: StatusReportId,
    overall: String,
    focus_areas: serde_json::Value,
    author_name: String,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// The Task Force's assessment of a status report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Assessment {
    /// The report.
    pub report_id: StatusReportId,
    /// The Task Force's overall assessment.
    pub overall: String,
    /// Its assessment of single focus areas, in the plan's order.
    pub focus_areas: Vec<AreaAssessment>,
    /// The consultant who last wrote it.
    pub author_name: String,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was first written.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// The Task Force's assessment of one focus area.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AreaAssessment {
    /// The focus area.
    pub focus_area_id: FocusAreaId,
    /// The assessment.
    pub text: String,
}

impl Versioned for Assessment {
    fn version(&self) -> i32 {
        self.version
    }
}

impl AssessmentRow {
    fn into_assessment(self) -> Result<Assessment, ApiError> {
        Ok(Assessment {
            report_id: self.report_id,
            overall: self.overall,
            focus_areas: serde_json::from_value(self.focus_areas)
                .map_err(|e| ApiError::Internal(format!("a stored assessment: {e}")))?,
            author_name: self.author_name,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The body that writes the assessment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentInput {
    /// The overall assessment, 1–20,000 characters.
    #[schema(min_length = 1, max_length = 20000)]
    pub overall: String,
    /// Assessments of single focus areas of the report's plan (at most 100).
    #[schema(max_items = 100)]
    pub focus_areas: Option<Vec<AreaAssessmentInput>>,
}

/// The assessment of one focus area.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaAssessmentInput {
    /// A focus area of the report's plan.
    pub focus_area_id: FocusAreaId,
    /// The assessment, 1–20,000 characters.
    #[schema(min_length = 1, max_length = 20000)]
    pub text: String,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = a)]
struct AssessmentFields {
    overall: String,
    focus_areas: serde_json::Value,
    author_id: Option<UserId>,
    author_name: String,
}

impl AssessmentInput {
    /// Parses the body; `plan_areas` are the focus areas of the report's plan
    /// in position order, which the assessment follows.
    fn parse(
        self,
        plan_areas: &[FocusAreaId],
        author: &Actor,
    ) -> Result<AssessmentFields, ApiError> {
        let mut errors = Vec::new();
        let overall = LongText::parse_required(self.overall)
            .map_err(|m| errors.push(FieldError::new("overall", m)));
        let given = self.focus_areas.unwrap_or_default();
        if given.len() > MAX_AREAS {
            errors.push(FieldError::new(
                "focus_areas",
                Refusal::new(FieldCode::TooMany, "must hold at most 100 focus areas"),
            ));
        }
        let mut areas: Vec<AreaAssessment> = Vec::new();
        for area in given {
            let field = format!("focus_areas.{}", area.focus_area_id);
            if !plan_areas.contains(&area.focus_area_id) {
                errors.push(FieldError::new(
                    &field,
                    Refusal::new(
                        FieldCode::NoSuchRecord,
                        "must be a focus area of the report's plan",
                    ),
                ));
            } else if areas.iter().any(|a| a.focus_area_id == area.focus_area_id) {
                errors.push(FieldError::new(
                    &field,
                    Refusal::new(FieldCode::Duplicate, "is assessed twice"),
                ));
            } else {
                match LongText::parse_required(area.text) {
                    Ok(text) => areas.push(AreaAssessment {
                        focus_area_id: area.focus_area_id,
                        text: text.into_inner(),
                    }),
                    Err(message) => errors.push(FieldError::new(&field, message)),
                }
            }
        }
        let (Ok(overall), true) = (overall, errors.is_empty()) else {
            return Err(ApiError::Validation(errors));
        };
        areas.sort_by_key(|a| plan_areas.iter().position(|id| *id == a.focus_area_id));
        Ok(AssessmentFields {
            overall: overall.into_inner(),
            focus_areas: serde_json::to_value(areas)
                .map_err(|e| ApiError::Internal(format!("an assessment: {e}")))?,
            author_id: author.user_id,
            author_name: author.name.clone(),
        })
    }
}

/// The report's assessment, if the Task Force has written one.
pub async fn find(
    conn: &mut PgConn,
    report_id: StatusReportId,
) -> Result<Option<Assessment>, ApiError> {
    a::table
        .find(report_id)
        .select(AssessmentRow::as_select())
        .first(conn)
        .await
        .optional()?
        .map(AssessmentRow::into_assessment)
        .transpose()
}

/// Whether the plan has a `final` case-review round: a final report rests on one.
pub async fn has_final_review(conn: &mut PgConn, plan_id: PlanId) -> Result<bool, ApiError> {
    Ok(diesel::select(diesel::dsl::exists(
        case_reviews::table
            .filter(case_reviews::plan_id.eq(plan_id))
            .filter(case_reviews::phase.eq(ReviewPhase::Final)),
    ))
    .get_result(conn)
    .await?)
}

async fn plan_areas(conn: &mut PgConn, plan_id: PlanId) -> Result<Vec<FocusAreaId>, ApiError> {
    Ok(focus_areas::table
        .filter(focus_areas::plan_id.eq(plan_id))
        .order(focus_areas::position)
        .select(focus_areas::id)
        .load(conn)
        .await?)
}

/// What a write did.
enum Written {
    Created(Assessment),
    Replaced {
        before: Assessment,
        after: Assessment,
    },
}

/// Creates the assessment (no `If-Match`) or replaces the version the client
/// read, under the report's shared lock so that a publish sees it or refuses it.
async fn write(
    conn: &mut PgConn,
    report_id: StatusReportId,
    if_match: Option<IfMatch>,
    fields: AssessmentFields,
) -> Result<Written, ApiError> {
    queries::lock(conn, report_id, ReportLock::Shared)
        .await?
        .ensure_draft()?;
    let current = a::table
        .find(report_id)
        .select(AssessmentRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?
        .map(AssessmentRow::into_assessment)
        .transpose()?;
    match (current, if_match) {
        (None, None) => {
            let row: Option<AssessmentRow> = diesel::insert_into(a::table)
                .values((a::report_id.eq(report_id), fields))
                .on_conflict_do_nothing()
                .returning(AssessmentRow::as_returning())
                .get_result(conn)
                .await
                .optional()?;
            // A concurrent first write got in: this one must read it first.
            let row = row.ok_or(ApiError::PreconditionRequired)?;
            Ok(Written::Created(row.into_assessment()?))
        }
        (None, Some(_)) => Err(ApiError::PreconditionFailed),
        (Some(_), None) => Err(ApiError::PreconditionRequired),
        (Some(before), Some(if_match)) => {
            if_match.check(before.version)?;
            let after = diesel::update(
                a::table
                    .find(report_id)
                    .filter(a::version.eq(before.version)),
            )
            .set(fields)
            .returning(AssessmentRow::as_returning())
            .get_result(conn)
            .await
            .optional()?
            .ok_or(ApiError::PreconditionFailed)?
            .into_assessment()?;
            Ok(Written::Replaced { before, after })
        }
    }
}

/// Get the Task Force's assessment of a status report.
///
/// For anyone who may read the plan; 404 while none has been written, and for another
/// municipality's report, as for one that does not exist. The ETag is the one to send in
/// `If-Match` to replace it.
#[utoipa::path(tag = "status_reports", params(("status_report_id" = StatusReportId, Path, description = "Status report id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The assessment", body = Assessment, headers(("ETag" = String))),
        r::ReadErrors,
    ))]
#[get("/status-reports/{status_report_id}/assessment")]
pub async fn get_assessment(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<StatusReportId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.conn().await?;
    let report = queries::find_scoped(&mut conn, *id)
        .await?
        .readable_by(&principal)?;
    let assessment = find(&mut conn, report.id)
        .await?
        .ok_or(ApiError::NotFound("assessment"))?;
    Ok(ok(&assessment))
}

/// Write the Task Force's assessment of a draft report.
///
/// Consultants assigned to the plan's municipality and administrators only; editors and viewers
/// get 403. The first write creates it (201, no `If-Match`); replacing it needs the `ETag` you
/// read (428 without it, 412 when stale). It is frozen with the report: a published report
/// answers 409. Assessed focus areas must be the plan's, each once (422).
#[utoipa::path(tag = "status_reports", request_body = AssessmentInput,
    params(
        ("status_report_id" = StatusReportId, Path, description = "Status report id"),
        ("If-Match" = Option<String>, Header, description = "The ETag you read; required to replace the assessment"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The assessment, replaced", body = Assessment, headers(("ETag" = String))),
        (status = 201, description = "The assessment, created", body = Assessment, headers(("ETag" = String), ("Location" = String))),
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
#[put("/status-reports/{status_report_id}/assessment")]
pub async fn write_assessment(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<StatusReportId>,
    request: HttpRequest,
    body: ApiJson<AssessmentInput>,
) -> Result<HttpResponse, ApiError> {
    let if_match = IfMatch::from_headers(&request);
    let mut conn = db.conn().await?;
    let Owned {
        row: report,
        organization,
    } = queries::find_scoped(&mut conn, *id)
        .await?
        .writable_by_task_force(&principal)?;
    report.ensure_draft()?;
    let actor = Actor::from(&principal);
    let areas = plan_areas(&mut conn, report.plan_id).await?;
    let fields = body.0.parse(&areas, &actor)?;
    let written = resource::in_transaction(&mut conn, &actor, |conn| {
        Box::pin(async move {
            let written = write(conn, report.id, if_match, fields).await?;
            let (before, after) = match &written {
                Written::Created(after) => (None, after),
                Written::Replaced { before, after } => (Some(before), after),
            };
            let change = Change::upserted(
                ASSESSMENT,
                after.report_id.0,
                Some(organization),
                before,
                after,
            );
            Ok(Recorded::new(written, change))
        })
    })
    .await?;
    Ok(match written {
        Written::Created(assessment) => created(request.path().to_owned(), &assessment),
        Written::Replaced { after, .. } => ok(&after),
    })
}

//! HTTP handlers for the audit trail.

use actix_web::{HttpResponse, get, web};

use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{AuditEvent, AuditFilter, queries};
use crate::auth::{Principal, Visible};
use crate::db::Database;
use crate::error::ApiError;
use crate::openapi::responses as r;
use crate::pagination::{PageParams, Paginated};
use crate::query::ApiQuery;
use crate::resource::Entity;

/// Registers the handlers.
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_audit_events)
        .service(get_record_history);
}

/// The audit trail, newest last.
///
/// Administrators see everything; consultants and editors their organizations' events; viewers
/// none (403 for a caller who is only a viewer). Filter by organization, kind of row, row, actor
/// and time. Returns a page (`items`, `next_cursor`); continue with `cursor`.
#[utoipa::path(tag = "audit", params(AuditFilter, PageParams), security(("bearer" = [])), responses(
    (status = 200, description = "One page of audit events", body = Paginated<AuditEvent>),
    (status = 400, response = r::BadRequest),
    (status = 401, response = r::Unauthorized),
    (status = 403, response = r::Forbidden),
))]
#[get("/audit-events")]
async fn list_audit_events(
    principal: Principal,
    db: web::Data<Database>,
    filter: ApiQuery<AuditFilter>,
    params: ApiQuery<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.parse()?;
    let visible = principal.audit_visible();
    if visible == Visible::Only(Vec::new()) {
        return Err(ApiError::Forbidden(
            "Your role does not include the audit trail.".into(),
        ));
    }
    let rows = queries::list(&mut *db.conn().await?, &visible, &filter, page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(rows, page, |e| e.id.0, |e| e)))
}

/// The kinds of rows with a history, as they appear in paths.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HistoryEntity {
    /// `/organizations/{organization_id}/history`
    Organizations,
    /// `/plans/{plan_id}/history`
    Plans,
    /// `/focus-areas/{focus_area_id}/history`
    FocusAreas,
    /// `/initiatives/{initiative_id}/history`
    Initiatives,
    /// `/indicators/{indicator_id}/history`
    Indicators,
    /// `/measurements/{measurement_id}/history`
    Measurements,
    /// `/progress-notes/{progress_note_id}/history`
    ProgressNotes,
    /// `/status-reports/{status_report_id}/history`
    StatusReports,
    /// `/users/{user_id}/history`
    Users,
    /// `/memberships/{membership_id}/history`
    Memberships,
    /// `/recommendations/{recommendation_id}/history`
    Recommendations,
    /// `/case-reviews/{case_review_id}/history`
    CaseReviews,
}

impl HistoryEntity {
    fn entity(self) -> Entity {
        match self {
            Self::Organizations => Entity::ORGANIZATION,
            Self::Plans => Entity::PLAN,
            Self::FocusAreas => Entity::FOCUS_AREA,
            Self::Initiatives => Entity::INITIATIVE,
            Self::Indicators => Entity::INDICATOR,
            Self::Measurements => Entity::MEASUREMENT,
            Self::ProgressNotes => Entity::PROGRESS_NOTE,
            Self::StatusReports => Entity::STATUS_REPORT,
            Self::Users => Entity::USER,
            Self::Memberships => Entity::MEMBERSHIP,
            Self::Recommendations => Entity::RECOMMENDATION,
            Self::CaseReviews => Entity::CASE_REVIEW,
        }
    }
}

/// One record's history, oldest first (also after the record was deleted).
///
/// Every audit event of the record in one page, with who changed what. Administrators see every
/// record's; consultants and editors those of their organizations. A record with no event you
/// may see answers 404: for viewers always, and for a user's history to anyone but an
/// administrator.
#[utoipa::path(tag = "audit",
    params(
        ("entity" = HistoryEntity, Path, description = "Kind of record, as in its own path"),
        ("record_id" = Uuid, Path, description = "The record's id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every audit event of the record", body = Paginated<AuditEvent>),
        r::ReadErrors,
    ))]
#[get("/{entity}/{record_id}/history")]
async fn get_record_history(
    principal: Principal,
    db: web::Data<Database>,
    path: web::Path<(HistoryEntity, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (entity, id) = path.into_inner();
    let events = queries::history(
        &mut *db.conn().await?,
        &principal.audit_visible(),
        entity.entity(),
        id,
    )
    .await?;
    if events.is_empty() {
        return Err(ApiError::NotFound("record"));
    }
    Ok(HttpResponse::Ok().json(Paginated::complete(events)))
}

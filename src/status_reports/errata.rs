//! Errata: corrections appended to a published status report, visible with
//! who and when. The report itself never changes.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::Actor;
use crate::db::PgConn;
use crate::db::schema::status_report_errata as e;
use crate::domain::{LongText, StatusReportId, UserId};
use crate::error::ApiError;

/// A correction to a published report.
#[derive(Debug, Clone, Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = e, check_for_backend(diesel::pg::Pg))]
pub struct Erratum {
    /// Id.
    pub id: Uuid,
    /// The report it corrects.
    pub report_id: StatusReportId,
    /// The correction.
    pub body: String,
    /// Who wrote it.
    pub author_id: Option<UserId>,
    /// Their name.
    pub author_name: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The body of POST /status-reports/{status_report_id}/errata.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErratumInput {
    /// What was wrong and what is right, 1–20,000 characters.
    #[schema(
        min_length = 1,
        max_length = 20000,
        example = "Værdien for 2. kvartal var 71,5 %, ikke 75 %."
    )]
    pub body: String,
}

impl ErratumInput {
    /// The validated text.
    pub fn parse(self) -> Result<String, ApiError> {
        LongText::parse_required(self.body)
            .map(LongText::into_inner)
            .map_err(|refusal| ApiError::refused("body", refusal))
    }
}

/// The report's errata, oldest first.
pub async fn list(conn: &mut PgConn, report_id: StatusReportId) -> Result<Vec<Erratum>, ApiError> {
    Ok(e::table
        .filter(e::report_id.eq(report_id))
        .order(e::id)
        .select(Erratum::as_select())
        .load(conn)
        .await?)
}

/// Appends an erratum.
pub async fn insert(
    conn: &mut PgConn,
    report_id: StatusReportId,
    body: String,
    author: &Actor,
) -> Result<Erratum, ApiError> {
    Ok(diesel::insert_into(e::table)
        .values((
            e::id.eq(Uuid::now_v7()),
            e::report_id.eq(report_id),
            e::body.eq(body),
            e::author_id.eq(author.user_id),
            e::author_name.eq(&author.name),
        ))
        .returning(Erratum::as_returning())
        .get_result(conn)
        .await?)
}

//! Reading the plan's indicators for an import, and storing and finding
//! committed imports.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::file::FileFormat;
use super::{Import, ImportCounts, ImportIndicator, RowReport};
use crate::db::PgConn;
use crate::db::schema::{indicators as ind, measurement_imports as mi, plans};
use crate::domain::{Frequency, ImportId, IndicatorId, OrganizationId, PlanId, Unit, UserId};
use crate::error::ApiError;
use crate::resource::{Entity, Scoped};

/// What an import needs of each of the plan's indicators.
pub(super) async fn indicators_of_plan(
    conn: &mut PgConn,
    plan_id: PlanId,
) -> Result<Vec<ImportIndicator>, ApiError> {
    let rows: Vec<(IndicatorId, Option<String>, Unit, Frequency)> = ind::table
        .filter(ind::plan_id.eq(plan_id))
        .select((ind::id, ind::template_key, ind::unit, ind::frequency))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, template_key, unit, frequency)| ImportIndicator {
            id,
            template_key,
            unit,
            frequency,
        })
        .collect())
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = mi)]
#[diesel(check_for_backend(diesel::pg::Pg))]
struct ImportRow {
    id: ImportId,
    plan_id: PlanId,
    imported_by: Option<UserId>,
    importer_name: String,
    file_name: String,
    file_format: String,
    checksum: String,
    created_count: i32,
    updated_count: i32,
    unchanged_count: i32,
    skipped_count: i32,
    rows: serde_json::Value,
    created_at: chrono::DateTime<chrono::Utc>,
}

impl ImportRow {
    fn of(import: &Import) -> Result<Self, ApiError> {
        let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        Ok(Self {
            id: import.id,
            plan_id: import.plan_id,
            imported_by: import.imported_by,
            importer_name: import.importer_name.clone(),
            file_name: import.file_name.clone(),
            file_format: import.file_format.as_str().to_owned(),
            checksum: import.checksum.clone(),
            created_count: count(import.counts.created),
            updated_count: count(import.counts.updated),
            unchanged_count: count(import.counts.unchanged),
            skipped_count: count(import.counts.skipped),
            rows: serde_json::to_value(&import.rows)
                .map_err(|e| ApiError::Internal(format!("an import's rows as JSON: {e}")))?,
            created_at: import.created_at,
        })
    }

    fn into_import(self) -> Result<Import, ApiError> {
        let count = |n: i32| usize::try_from(n).unwrap_or_default();
        let rows: Vec<RowReport> = serde_json::from_value(self.rows)
            .map_err(|e| ApiError::Internal(format!("a stored import's rows: {e}")))?;
        Ok(Import {
            id: self.id,
            plan_id: self.plan_id,
            imported_by: self.imported_by,
            importer_name: self.importer_name,
            file_name: self.file_name,
            file_format: if self.file_format == "xlsx" {
                FileFormat::Xlsx
            } else {
                FileFormat::Csv
            },
            checksum: self.checksum,
            counts: ImportCounts {
                created: count(self.created_count),
                updated: count(self.updated_count),
                unchanged: count(self.unchanged_count),
                skipped: count(self.skipped_count),
                refused: 0,
            },
            rows,
            created_at: self.created_at,
        })
    }
}

/// Stores a committed import (inside the caller's transaction).
pub(super) async fn insert(conn: &mut PgConn, import: &Import) -> Result<(), ApiError> {
    diesel::insert_into(mi::table)
        .values(ImportRow::of(import)?)
        .execute(conn)
        .await?;
    Ok(())
}

/// The import with `id` and the organization that owns its plan, or 404.
pub(super) async fn find_scoped(
    conn: &mut PgConn,
    id: ImportId,
) -> Result<Scoped<Import>, ApiError> {
    let (row, organization): (ImportRow, OrganizationId) = mi::table
        .inner_join(plans::table)
        .filter(mi::id.eq(id))
        .select((ImportRow::as_select(), plans::organization_id))
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound(Entity::IMPORT.label()))?;
    Scoped::new(Entity::IMPORT, row, organization).try_map(ImportRow::into_import)
}

//! Importing measurements from the spreadsheets municipalities already have:
//! a CSV or XLSX file in the layout of the plan's own measurement export, so
//! export → edit → import round-trips.
//!
//! A dry run (the default) answers what each row would do and changes
//! nothing. A commit applies every row in one transaction, or none when any
//! row is refused, and is kept as a resource (`GET /imports/{import_id}`):
//! who, when, which file (name and SHA-256), the counts and the row report.
//! Each changed value is audited as if entered by hand; a value already
//! stored as sent is left alone, so the same file twice changes nothing the
//! second time.

pub mod file;
mod handlers;
mod queries;
pub mod rows;

pub use handlers::routes;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::{Frequency, ImportId, IndicatorId, PlanId, Unit, UserId};
use crate::error::{FieldCode, Refusal};
use crate::resource::{Entity, Resource};
use file::{DecimalMark, FileFormat};

/// The most bytes one file may have: 50,000 rows of the export's layout fit
/// in less than half of it.
pub const MAX_FILE_BYTES: usize = 16 << 20;

/// What an indicator of the plan needs to take an imported row.
#[derive(Debug, Clone)]
pub struct ImportIndicator {
    /// Its id.
    pub id: IndicatorId,
    /// Its key in the plan's template, if it came from one.
    pub template_key: Option<String>,
    /// Its unit, which bounds the value.
    pub unit: Unit,
    /// How often it is measured: a row's period must end one of its periods.
    pub frequency: Frequency,
}

/// Whether an import only reports or also applies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Answer what each row would do; change nothing (the default).
    #[default]
    DryRun,
    /// Apply every row in one transaction, or none if any row is refused.
    Commit,
}

/// The query of POST /plans/{plan_id}/imports.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// `dry_run` (default) or `commit`.
    #[serde(default)]
    #[param(inline)]
    pub mode: ImportMode,
    /// The file's name, kept with a committed import (default `import.csv` or `import.xlsx`).
    #[param(max_length = 255)]
    pub file_name: Option<String>,
    /// How decimals are written: `comma` (`87,5`) or `point` (`87.5`). By default a
    /// `;`-separated file uses a comma and a `,`-separated one a point.
    #[param(inline)]
    pub decimal: Option<DecimalMark>,
}

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// A value for a period that had none.
    Created,
    /// Replaces a different value for its period.
    Updated,
    /// The same value is already stored.
    Unchanged,
    /// Not a value (a small count shown as "<5"): the stored one is left alone.
    Skipped,
    /// Refused; `reason` says why. A commit with a refused row applies nothing.
    Refused,
}

/// Why a row was refused or skipped.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct RowReason {
    /// A stable code (`no_such_record`, `duplicate`, `out_of_range`, `cpr_number`, …).
    pub code: FieldCode,
    /// In English.
    pub message: String,
}

impl From<Refusal> for RowReason {
    fn from(refusal: Refusal) -> Self {
        Self {
            code: refusal.code,
            message: refusal.message,
        }
    }
}

/// One row of the file and what became of it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct RowReport {
    /// Its row in the file as a spreadsheet numbers it (the header is row 1).
    pub row: usize,
    /// The indicator it names, when it names one of the plan's.
    pub indicator_id: Option<IndicatorId>,
    /// The period it is for, when that could be read.
    pub period_end: Option<NaiveDate>,
    /// The value, when it could be read.
    pub value: Option<f64>,
    /// What became of it.
    pub outcome: RowOutcome,
    /// Why it was refused or skipped.
    pub reason: Option<RowReason>,
}

/// The counts of an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
pub struct ImportCounts {
    /// Values for periods that had none.
    pub created: usize,
    /// Values that replace different ones.
    pub updated: usize,
    /// Values already stored as sent.
    pub unchanged: usize,
    /// Rows that are not values (small counts shown as "<5").
    pub skipped: usize,
    /// Rows refused.
    pub refused: usize,
}

impl ImportCounts {
    fn of(rows: &[RowReport]) -> Self {
        let mut counts = Self::default();
        for row in rows {
            let count = match row.outcome {
                RowOutcome::Created => &mut counts.created,
                RowOutcome::Updated => &mut counts.updated,
                RowOutcome::Unchanged => &mut counts.unchanged,
                RowOutcome::Skipped => &mut counts.skipped,
                RowOutcome::Refused => &mut counts.refused,
            };
            *count += 1;
        }
        counts
    }
}

/// What a dry run found, row by row (nothing was changed).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportPreview {
    /// Always `dry_run`.
    pub mode: ImportMode,
    /// The file's name as given.
    pub file_name: String,
    /// CSV or XLSX, told by the file's content.
    pub file_format: FileFormat,
    /// SHA-256 of the file, hex.
    pub checksum: String,
    /// How a CSV file's text was decoded when it was not UTF-8 (`windows-1252`), else null.
    pub encoding: Option<&'static str>,
    /// The counts; a commit applies only when `refused` is 0.
    pub counts: ImportCounts,
    /// Every row with a value or a reason, in file order.
    pub rows: Vec<RowReport>,
}

/// A committed import.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Import {
    /// Its id.
    pub id: ImportId,
    /// The plan whose measurements it recorded.
    pub plan_id: PlanId,
    /// Who imported it, while the user exists.
    pub imported_by: Option<UserId>,
    /// Their name as it was then.
    pub importer_name: String,
    /// The file's name as given.
    pub file_name: String,
    /// CSV or XLSX.
    pub file_format: FileFormat,
    /// SHA-256 of the file, hex.
    pub checksum: String,
    /// What it did.
    pub counts: ImportCounts,
    /// Every row with a value or a reason, in file order.
    pub rows: Vec<RowReport>,
    /// When it was committed.
    pub created_at: DateTime<Utc>,
}

/// What the audit trail records of an import: all but the rows, whose
/// values are each audited on their own.
#[derive(Debug, Serialize)]
pub struct ImportSummary<'a> {
    /// Its id.
    pub id: ImportId,
    /// Its plan.
    pub plan_id: PlanId,
    /// The file's name.
    pub file_name: &'a str,
    /// SHA-256 of the file.
    pub checksum: &'a str,
    /// What it did.
    pub counts: ImportCounts,
}

impl Import {
    /// The audit trail's view of it.
    pub fn summary(&self) -> ImportSummary<'_> {
        ImportSummary {
            id: self.id,
            plan_id: self.plan_id,
            file_name: &self.file_name,
            checksum: &self.checksum,
            counts: self.counts,
        }
    }
}

impl Resource for Import {
    const ENTITY: Entity = Entity::IMPORT;

    fn audit_id(&self) -> uuid::Uuid {
        self.id.0
    }
}

impl crate::concurrency::Versioned for Import {
    /// An import never changes after it is committed.
    fn version(&self) -> i32 {
        1
    }
}

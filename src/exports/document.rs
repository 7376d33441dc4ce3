//! Loading an [`ExportDocument`] in a fixed number of statements, whatever the
//! plan's size.
//!
//! A published report's export is loaded in two steps. The head (the report,
//! its errata, which report came before it, the plan's adoption) is small and
//! decides the ETag, so a repeated download answers 304 without reading the
//! snapshot. The snapshots are read only when the export is rendered.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{ExportDocument, Format, Lang, PreviousReport, queries};
use crate::db::PgConn;
use crate::domain::{ReportState, StatusReportId};
use crate::error::ApiError;
use crate::organizations;
use crate::plans::Plan;
use crate::progress::load_plan_data;
use crate::status_reports::changes::compare;
use crate::status_reports::errata::{self, Erratum};
use crate::status_reports::snapshot::{self, ReportSnapshot};
use crate::status_reports::{StatusReport, parse_snapshot, previous_published, task_force_record};
use crate::workflow::PlanTransition;

/// A document and, for a published report, the snapshot it was parsed from.
#[derive(Debug)]
pub struct Export {
    /// What the committee formats render.
    pub document: ExportDocument,
    /// A published report's snapshot exactly as stored, for `format=json`
    /// (`None` for a plan export, whose snapshot was just built, and for the
    /// other formats: a large plan's stored tree is megabytes the render does
    /// not need).
    pub stored_snapshot: Option<serde_json::Value>,
}

/// Everything a published report's export depends on besides its frozen snapshot.
#[derive(Debug)]
pub struct ReportHead {
    report: StatusReport,
    errata: Vec<Erratum>,
    previous: Option<StatusReportId>,
    adoption: Option<PlanTransition>,
}

/// The head of `report`'s export (three statements); 409 for a draft.
pub async fn report_head(conn: &mut PgConn, report: StatusReport) -> Result<ReportHead, ApiError> {
    if report.state != ReportState::Published {
        return Err(ApiError::Conflict(
            "Exports are of published status reports, and this one is a draft. Publish it, \
             or export the plan's current state with GET /plans/{plan_id}/export."
                .into(),
        ));
    }
    let errata = errata::list(conn, report.id).await?;
    let previous = previous_published(conn, &report).await?.map(|r| r.id);
    // The adoption as it stood when the report was published, so a published
    // report's export never changes afterwards except through its errata.
    let adoption = queries::adoption(conn, report.plan_id, report.published_at).await?;
    Ok(ReportHead {
        report,
        errata,
        previous,
        adoption,
    })
}

impl ReportHead {
    /// A strong ETag over everything the bytes depend on: the planspor
    /// version (the renderers), the report and its version, the report it is
    /// compared with, the adoption, the errata, the format, language and threshold.
    pub fn etag(&self, format: Format, lang: Lang, threshold: u32) -> String {
        let mut hash = Sha256::new();
        let lang = lang.code();
        let parts = [
            env!("CARGO_PKG_VERSION").to_owned(),
            self.report.id.0.to_string(),
            self.report.version.to_string(),
            self.previous.map(|id| id.0.to_string()).unwrap_or_default(),
            self.adoption
                .as_ref()
                .map(|a| a.id.to_string())
                .unwrap_or_default(),
            format.extension().to_owned(),
            lang.to_owned(),
            threshold.to_string(),
        ];
        let errata = self.errata.iter().map(|erratum| erratum.id.to_string());
        for part in parts.into_iter().chain(errata) {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        let digest = hash.finalize();
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("\"{hex}\"")
    }
}

/// The whole export of a published report: its snapshot and the previous one
/// (one statement), compared as GET /status-reports/{status_report_id}/changes does.
pub async fn load_report(
    conn: &mut PgConn,
    head: ReportHead,
    format: Format,
    lang: Lang,
    small_count_threshold: u32,
) -> Result<Export, ApiError> {
    let ids: Vec<StatusReportId> = std::iter::once(head.report.id)
        .chain(head.previous)
        .collect();
    let mut stored = queries::snapshots(conn, &ids).await?;
    let mut take = |id: StatusReportId| -> Result<serde_json::Value, ApiError> {
        let position = stored.iter().position(|(row, _)| *row == id);
        position
            .and_then(|i| stored.swap_remove(i).1)
            .ok_or_else(|| ApiError::Internal(format!("published report {} has no snapshot", id.0)))
    };
    let stored_snapshot = take(head.report.id)?;
    let previous = match head.previous {
        Some(id) => Some(parse_snapshot(take(id)?)?),
        None => None,
    };
    let snapshot = ReportSnapshot::deserialize(&stored_snapshot)
        .map_err(|e| ApiError::Internal(format!("a stored snapshot does not parse: {e}")))?;
    let changes = compare(&snapshot, previous.as_ref());
    let previous_report = previous.map(|p| PreviousReport {
        title: p.report.title,
        as_of: p.report.as_of,
    });
    Ok(Export {
        document: ExportDocument {
            snapshot,
            published: true,
            adoption: head.adoption,
            changes: Some(changes),
            previous_report,
            errata: head.errata,
            lang,
            small_count_threshold,
            generated_at: Utc::now(),
        },
        stored_snapshot: (format == Format::Json).then_some(stored_snapshot),
    })
}

/// The current state of `plan` as of `today`, built like a report's snapshot
/// but from an unsaved, unpublished report (nine statements).
pub async fn load_plan(
    conn: &mut PgConn,
    plan: &Plan,
    today: NaiveDate,
    lang: Lang,
    small_count_threshold: u32,
) -> Result<Export, ApiError> {
    let organization = organizations::find(conn, plan.organization_id).await?;
    let data = load_plan_data(conn, plan.id).await?;
    let adoption = queries::adoption(conn, plan.id, None).await?;
    let generated_at = Utc::now();
    let task_force = task_force_record(conn, plan.id, None).await?;
    let report = current_state(plan, today, lang, generated_at);
    let snapshot = snapshot::build(
        &report,
        &organization,
        &data,
        &[],
        task_force,
        generated_at,
        "",
    );
    Ok(Export {
        document: ExportDocument {
            snapshot,
            published: false,
            adoption,
            changes: None,
            previous_report: None,
            errata: Vec::new(),
            lang,
            small_count_threshold,
            generated_at,
        },
        stored_snapshot: None,
    })
}

/// The report a plan export pretends to be: never stored, never published,
/// with the nil id so it can be told from a real one.
fn current_state(
    plan: &Plan,
    today: NaiveDate,
    lang: Lang,
    generated_at: DateTime<Utc>,
) -> StatusReport {
    StatusReport {
        id: StatusReportId(Uuid::nil()),
        plan_id: plan.id,
        title: match lang {
            Lang::Da => "Aktuel status",
            Lang::En => "Current state",
        }
        .into(),
        as_of: today,
        summary: String::new(),
        state: ReportState::Draft,
        is_final: false,
        published_at: None,
        published_by: None,
        version: 0,
        created_at: generated_at,
        updated_at: generated_at,
        created_by: None,
    }
}

//! Committee exports: a published status report, or a plan's current state, as
//! the documents a committee reads (PDF, HTML) and the data Excel users want
//! (XLSX, CSV, JSON).
//!
//! Every format renders one [`ExportDocument`]: what the report showed (its
//! frozen snapshot) plus what a committee appendix needs around it. Renderers
//! are pure functions of the document, so they are tested without a database.

pub mod charts;
pub mod html;
pub mod labels;
pub mod pdf;
#[doc(hidden)]
pub mod sample;
pub mod view;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::comparisons::{Shown, shown};
use crate::progress::IndicatorProgress;
use crate::status_reports::changes::ReportChanges;
use crate::status_reports::errata::Erratum;
use crate::status_reports::snapshot::ReportSnapshot;
use crate::workflow::PlanTransition;

/// The language of a committee document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Danish, the default.
    #[default]
    Da,
    /// English.
    En,
}

/// What an export is rendered from.
#[derive(Debug, Clone)]
pub struct ExportDocument {
    /// The report as published (or, for a plan export, the plan as of today).
    pub snapshot: ReportSnapshot,
    /// `false` for a plan export: the current state, not a published report,
    /// and every format says so.
    pub published: bool,
    /// The committee's adoption of the plan (committee, meeting date, decision), if adopted.
    pub adoption: Option<PlanTransition>,
    /// What changed since the previous published report (`None` for a plan export).
    pub changes: Option<ReportChanges>,
    /// Corrections published after the report, oldest first.
    pub errata: Vec<Erratum>,
    /// The language to write in.
    pub lang: Lang,
    /// Counts below this are shown as "<threshold" and never charted.
    pub small_count_threshold: u32,
    /// When the export was made.
    pub generated_at: DateTime<Utc>,
}

impl ExportDocument {
    /// `value` of `indicator` as a committee may see it: suppressed when it is a small count.
    pub fn shown(&self, indicator: &IndicatorProgress, value: f64) -> Shown {
        shown(Some(value), indicator.unit, self.small_count_threshold)
    }

    /// Every indicator in the document, focus areas first, in order.
    pub fn indicators(&self) -> impl Iterator<Item = &IndicatorProgress> {
        self.snapshot
            .focus_areas
            .iter()
            .flat_map(|area| area.indicators.iter())
            .chain(self.snapshot.indicators.iter())
    }

    /// Whether any value of the document is suppressed (the document must then say so in a note).
    pub fn has_suppressed_values(&self) -> bool {
        self.indicators().any(|indicator| {
            indicator
                .series
                .iter()
                .any(|point| self.shown(indicator, point.value).suppressed)
        })
    }
}

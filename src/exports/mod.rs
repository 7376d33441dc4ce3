//! Committee exports: a published status report, or a plan's current state, as
//! the documents a committee reads (PDF, HTML) and the data Excel users want
//! (XLSX, CSV, JSON).
//!
//! Every format renders one [`ExportDocument`]: what the report showed (its
//! frozen snapshot) plus what a committee appendix needs around it. Renderers
//! are pure functions of the document, so they are tested without a database.

mod answers;
pub mod charts;
pub mod child;
pub mod csv;
pub mod document;
mod download;
mod handlers;
pub mod html;
pub mod json;
pub mod labels;
pub mod overview;
pub mod parts;
pub mod pdf;
mod pdf_title;
mod queries;
mod redirects;
pub mod review_chart;
#[doc(hidden)]
pub mod sample;
pub mod tabular;
pub mod view;
pub mod xlsx;
pub mod yardstick;

pub use handlers::routes;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use tokio::sync::{Semaphore, SemaphorePermit};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

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

impl Lang {
    /// Its code, as in the query string: `da` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Da => "da",
            Self::En => "en",
        }
    }
}

/// The file an export is delivered as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The committee appendix, print-ready (the default).
    #[default]
    Pdf,
    /// The same content as one self-contained web page.
    Html,
    /// A workbook with a sheet per kind: focus areas, initiatives, indicators, measurements,
    /// and where the report has them the Task Force's recommendations, case reviews and
    /// assessment, and the errata.
    Xlsx,
    /// The measurements, UTF-8 with a byte order mark.
    Csv,
    /// The frozen snapshot exactly as stored.
    Json,
}

impl Format {
    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Html => "text/html; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Json => "application/json",
        }
    }

    /// Its file name extension, which is also its name in the query string.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Html => "html",
            Self::Xlsx => "xlsx",
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }
}

/// The query of the export operations (one operation per format).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangParams {
    /// `da` (default) or `en`: the language of headings, labels and the file name.
    #[serde(default)]
    #[param(inline)]
    pub lang: Lang,
}

/// The query of the old single export operation, which redirects.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatParams {
    /// `pdf` (default), `html`, `xlsx`, `csv` or `json`.
    #[serde(default)]
    #[param(inline)]
    pub format: Format,
    /// `da` (default) or `en`: the language of headings, labels and the file name.
    #[serde(default)]
    #[param(inline)]
    pub lang: Lang,
}

/// Where exports render, shared by every worker (app data): `slots` exports
/// loaded at once, rendered on as many long-lived threads of their own.
///
/// Rendering is CPU work and a large plan's document takes memory, so ten
/// simultaneous exports queue here instead of starving the API. The threads
/// are a rayon pool, so typst's parallel layout stays on them too (one thread:
/// a PDF is laid out on one core, which peaks at less memory), and every
/// render allocates from the same few threads: spread over the blocking pool's
/// many threads, each with its own malloc arena keeping its peak, the process
/// grew to several times one export's memory (BENCHMARKS.md, Exports).
///
/// The service renders PDFs in child processes ([`child`]), whose memory goes
/// back when they exit; the other formats are small and render in process.
#[derive(Debug)]
pub struct RenderSlots {
    slots: Semaphore,
    threads: rayon::ThreadPool,
    pdf_renderer: Option<child::ChildRenderer>,
}

impl RenderSlots {
    /// One export at a time: committee exports are occasional, a large one
    /// takes about a second and 100 MB, and the other core stays with the API.
    pub const DEFAULT: usize = 1;

    /// `slots` exports at once (at least one), every format in this process.
    ///
    /// # Panics
    /// When the operating system refuses to start the render threads.
    pub fn new(slots: usize) -> Self {
        let slots = slots.max(1);
        let threads = rayon::ThreadPoolBuilder::new()
            .num_threads(slots)
            .thread_name(|n| format!("export-{n}"))
            // A panicking renderer fails its own request (its result channel
            // closes), it does not abort the process.
            .panic_handler(|_| log::error!("an export renderer panicked"))
            .build()
            .unwrap_or_else(|e| panic!("cannot start the export threads: {e}"));
        Self {
            slots: Semaphore::new(slots),
            threads,
            pdf_renderer: None,
        }
    }

    /// `slots` exports at once, PDFs each in a child process run by `renderer`.
    ///
    /// # Panics
    /// When the operating system refuses to start the render threads.
    pub fn with_pdf_children(slots: usize, renderer: child::ChildRenderer) -> Self {
        Self {
            pdf_renderer: Some(renderer),
            ..Self::new(slots)
        }
    }

    /// Waits for a free slot; it is held until the permit is dropped.
    pub async fn acquire(&self) -> Result<SemaphorePermit<'_>, ApiError> {
        self.slots
            .acquire()
            .await
            .map_err(|e| ApiError::Internal(format!("render slots: {e}")))
    }

    /// Renders `export` on the render threads, without blocking the caller.
    pub async fn render(
        &self,
        format: Format,
        export: document::Export,
    ) -> Result<Vec<u8>, ApiError> {
        let (done, rendered) = tokio::sync::oneshot::channel();
        let pdf_renderer = self.pdf_renderer.clone();
        self.threads.spawn(move || {
            let bytes = match (format, pdf_renderer) {
                (Format::Pdf, Some(renderer)) => {
                    pdf::prepare(&export.document).and_then(|job| renderer.render(job))
                }
                _ => render(format, &export),
            };
            drop(export);
            crate::memory::release_freed_memory();
            // The receiver is gone only when the client went away.
            let _ = done.send(bytes);
        });
        rendered
            .await
            .map_err(|_| ApiError::Internal("the export renderer failed".into()))?
    }

    /// Renders `export` on the render threads and waits (benchmarks, tools).
    pub fn render_blocking(
        &self,
        format: Format,
        export: &document::Export,
    ) -> Result<Vec<u8>, ApiError> {
        self.threads.install(|| render(format, export))
    }
}

impl Default for RenderSlots {
    fn default() -> Self {
        Self::new(Self::DEFAULT)
    }
}

/// Renders `export` as `format`: pure CPU work, called off the actix workers.
pub fn render(format: Format, export: &document::Export) -> Result<Vec<u8>, ApiError> {
    match format {
        Format::Pdf => pdf::render(&export.document),
        Format::Html => Ok(html::render(&export.document).into_bytes()),
        Format::Xlsx => xlsx::render(&export.document),
        Format::Csv => csv::render(&export.document),
        Format::Json => json::render(export),
    }
}

/// The published report a report is compared with, as the document names it.
#[derive(Debug, Clone)]
pub struct PreviousReport {
    /// Its title.
    pub title: String,
    /// The date it reported on.
    pub as_of: chrono::NaiveDate,
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
    /// The report the changes are counted from, if there is one.
    pub previous_report: Option<PreviousReport>,
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

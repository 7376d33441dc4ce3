//! The committee document as the reader sees it: every string already worded
//! in the document's language, every date and number formatted, every small
//! count suppressed and every chart drawn. The PDF and the HTML renderer both
//! lay out this one view, so they cannot disagree on content; the PDF template
//! receives it as JSON data, which is never parsed as markup.

use serde::Serialize;

pub use super::parts::{Pair, Status, paragraphs};

use super::labels::{self, Words};
use super::yardstick::{self, Yardstick};
use super::{ExportDocument, Lang, charts};
use crate::domain::Health;
use crate::progress::IndicatorProgress;
use crate::status_reports::changes::ReportChanges;
use crate::status_reports::snapshot::{SnapshotFocusArea, SnapshotInitiative};

/// How many of an indicator's latest values its table lists; the chart shows them all.
pub const TABLE_VALUES: usize = 4;

/// The whole document.
#[derive(Debug, Serialize)]
pub struct View {
    /// "da" / "en".
    pub lang: &'static str,
    /// The fixed phrases.
    #[serde(skip)]
    pub words: &'static Words,
    /// The headings the PDF template needs.
    pub headings: Headings,
    /// Document title (the report's, or the plan's for a plan export).
    pub title: String,
    /// The municipality.
    pub municipality: String,
    /// The plan's title.
    pub plan: String,
    /// "Status pr. 31. marts 2025".
    pub as_of: String,
    /// "Planperiode: 1. januar 2024 – 31. december 2026".
    pub period: String,
    /// The cover's warning for a plan export.
    pub not_published: Option<String>,
    /// "Offentliggjort 2. april 2025 af …".
    pub published: Option<String>,
    /// Committee, meeting date, decision, agenda as label/value pairs.
    pub adoption: Vec<Pair>,
    /// "Dannet 23. november 2026".
    pub generated: String,
    /// The plan's rolled-up status.
    pub status: Status,
    /// The plan's workflow status, as label/value.
    pub plan_status: Pair,
    /// The report summary, in paragraphs.
    pub summary: Vec<String>,
    /// The overview's headings and the status legend.
    pub overview: super::overview::Overview,
    /// The final report says so.
    pub final_report: Option<String>,
    /// The small-number note, when anything is suppressed.
    pub suppression_note: Option<String>,
    /// The Task Force's part: its assessment, recommendations and case reviews.
    pub task_force: Yardstick,
    /// Per focus area.
    pub focus_areas: Vec<Area>,
    /// Indicators tied to no focus area.
    pub plan_indicators: Vec<Indicator>,
    /// Corrections, oldest first.
    pub errata: Vec<Erratum>,
    /// The date of the latest correction ("15. april 2025"), for the cover.
    pub corrected_on: Option<String>,
    /// The changes page.
    pub changes: Changes,
}

/// Headings and column names used by the PDF template.
#[derive(Debug, Serialize)]
pub struct Headings {
    summary: &'static str,
    agenda: &'static str,
    overall_status: &'static str,
    focus_areas: &'static str,
    focus_area: &'static str,
    status: &'static str,
    objective: &'static str,
    status_reason: &'static str,
    suggested_status: &'static str,
    legal_reference: &'static str,
    narrative: &'static str,
    highlights: &'static str,
    risks: &'static str,
    next_steps: &'static str,
    initiatives: &'static str,
    initiative: &'static str,
    owner: &'static str,
    due: &'static str,
    no_initiatives: &'static str,
    indicators: &'static str,
    plan_indicators: &'static str,
    no_indicators: &'static str,
    period: &'static str,
    value: &'static str,
    no_values: &'static str,
    errata: &'static str,
    changes: &'static str,
    before: &'static str,
    now: &'static str,
    page: &'static str,
    page_of: &'static str,
    key_figure: &'static str,
    corrected: &'static str,
    see_page: &'static str,
    appendix: &'static str,
}

impl Headings {
    fn new(w: &'static Words) -> Self {
        Self {
            summary: w.summary,
            overall_status: w.overall_status,
            focus_areas: w.focus_areas,
            focus_area: w.focus_area,
            status: w.status,
            objective: w.objective,
            status_reason: w.status_reason,
            suggested_status: w.suggested_status,
            legal_reference: w.legal_reference,
            narrative: w.narrative,
            highlights: w.highlights,
            risks: w.risks,
            next_steps: w.next_steps,
            initiatives: w.initiatives,
            initiative: w.initiative,
            owner: w.owner,
            due: w.due,
            no_initiatives: w.no_initiatives,
            indicators: w.indicators,
            plan_indicators: w.plan_indicators,
            no_indicators: w.no_indicators,
            period: w.period,
            value: w.value,
            no_values: w.no_values,
            errata: w.errata,
            changes: w.changes,
            before: w.before,
            now: w.now,
            page: w.page,
            page_of: w.page_of,
            key_figure: w.key_figure,
            corrected: w.corrected,
            see_page: w.see_page,
            appendix: w.appendix,
            agenda: w.agenda,
        }
    }
}

/// A focus area.
#[derive(Debug, Serialize)]
pub struct Area {
    /// "1. Tidlig indsats".
    pub heading: String,
    /// Where the overview links to: "area-0".
    pub anchor: String,
    /// The title alone.
    pub title: String,
    /// Objective, in paragraphs.
    pub objective: Vec<String>,
    /// Legal basis.
    pub legal_reference: Option<String>,
    /// The status the report gave.
    pub status: Status,
    /// The computed status, when the report gave another.
    pub suggested_status: Option<Status>,
    /// Why.
    pub status_reason: Vec<String>,
    /// Narrative, highlights, risks and next steps: heading and paragraphs, empty ones left out.
    pub sections: Vec<Section>,
    /// The initiatives.
    pub initiatives: Vec<Initiative>,
    /// The indicators.
    pub indicators: Vec<Indicator>,
    /// The Task Force's assessment of this focus area, in paragraphs.
    pub assessment: Option<Vec<String>>,
}

/// A text section of a focus area.
#[derive(Debug, Serialize)]
pub struct Section {
    /// Its heading.
    pub heading: &'static str,
    /// Its paragraphs.
    pub paragraphs: Vec<String>,
}

/// An initiative row.
#[derive(Debug, Serialize)]
pub struct Initiative {
    /// Title.
    pub title: String,
    /// Status in words.
    pub status: &'static str,
    /// Owner, or empty.
    pub owner: String,
    /// Due date, or empty.
    pub due: String,
    /// The overdue mark ("⚠ overskredet"), or `None`.
    pub overdue: Option<String>,
}

/// An indicator: chart, caption and table.
#[derive(Debug, Serialize)]
pub struct Indicator {
    /// Its name.
    pub name: String,
    /// Where the overview links to: "ind-0-2" (focus area 0, indicator 2), "ind-p-1".
    pub anchor: String,
    /// The latest value as shown ("71,5 %", "<5"), or empty.
    pub latest: String,
    /// The target as shown, or empty.
    pub target: String,
    /// The value the previous report showed, or empty when there is none.
    pub previous: String,
    /// The values as shown, scaled to 0..1 (lowest to highest), oldest first:
    /// the overview's small trend line. Empty for fewer than two values or small counts.
    pub trend: Vec<f64>,
    /// Its status.
    pub status: Status,
    /// Why, in a sentence.
    pub reason: String,
    /// Caption: unit, legal regime, legal reference.
    pub caption: String,
    /// The chart (SVG), unless there is nothing to chart or it holds small counts.
    pub chart: Option<String>,
    /// Why there is no chart (small counts), if so.
    pub chart_note: Option<String>,
    /// The chart in words, for screen readers.
    pub chart_text: String,
    /// Baseline, target and latest as label/value.
    pub key_figures: Vec<Pair>,
    /// Baseline and target alone (the PDF lists the latest in its table of values).
    pub reference_figures: Vec<Pair>,
    /// The latest values, oldest first as in the chart (period, value).
    pub table: Vec<[String; 2]>,
    /// "The latest 8 of 143 values; …" when the table is shortened.
    pub table_note: Option<String>,
    /// Every value, oldest first (the chart's data as text; HTML only).
    #[serde(skip)]
    pub all_values: Vec<[String; 2]>,
}

/// A correction.
#[derive(Debug, Serialize)]
pub struct Erratum {
    /// "2. april 2025, Navn".
    pub byline: String,
    /// The correction, in paragraphs.
    pub paragraphs: Vec<String>,
}

/// The changes page.
#[derive(Debug, Serialize)]
pub struct Changes {
    /// The report the changes are counted from: "Sammenlignet med …".
    pub compared_with: Option<String>,
    /// A sentence when there is nothing to list (first report, plan export, no changes).
    pub note: Option<String>,
    /// Focus areas: title, before, now.
    pub focus_areas: Group,
    /// Indicators: name, before, now.
    pub indicators: Group,
    /// Initiatives completed.
    pub completed: Group,
    /// Initiatives newly overdue.
    pub newly_overdue: Group,
    /// Recommendations: number and title, before, now.
    pub recommendations: Group,
}

/// One list of the changes page.
#[derive(Debug, Serialize, Default)]
pub struct Group {
    /// Heading.
    pub heading: &'static str,
    /// The first column's name.
    pub column: &'static str,
    /// Rows: the name, then (for status changes) before and now.
    pub rows: Vec<Vec<String>>,
}

/// Builds the view of `document`.
pub fn build(document: &ExportDocument) -> View {
    let lang = document.lang;
    let w = labels::words(lang);
    let snapshot = &document.snapshot;
    let plan = &snapshot.plan;
    let adoption = document.adoption.as_ref();
    let mut adoption_pairs = Vec::new();
    if let Some(a) = adoption {
        let mut push = |label, value: Option<String>| {
            if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                adoption_pairs.push(Pair { label, value });
            }
        };
        push(w.committee, a.committee.clone());
        push(
            w.meeting_date,
            a.meeting_date.map(|d| labels::date(lang, d)),
        );
        push(w.decision, a.decision.clone());
        push(w.agenda, a.agenda_url.clone());
    }
    View {
        lang: labels::code(lang),
        words: w,
        headings: Headings::new(w),
        title: if document.published {
            snapshot.report.title.clone()
        } else {
            plan.title.clone()
        },
        municipality: snapshot.organization.name.clone(),
        plan: plan.title.clone(),
        as_of: format!(
            "{} {}",
            w.status_as_of,
            labels::date(lang, snapshot.report.as_of)
        ),
        period: format!(
            "{}: {} – {}",
            w.plan_period,
            labels::date(lang, plan.period_start),
            labels::date(lang, plan.period_end)
        ),
        not_published: (!document.published).then(|| w.not_published.to_owned()),
        published: document.published.then(|| {
            format!(
                "{} {} {} {}",
                w.published,
                labels::date(lang, snapshot.report.published_at.date_naive()),
                w.by,
                snapshot.report.published_by
            )
        }),
        adoption: adoption_pairs,
        generated: format!(
            "{} {}",
            w.generated,
            labels::date(lang, document.generated_at.date_naive())
        ),
        status: Status::new(lang, snapshot.status),
        plan_status: Pair {
            label: w.plan_status,
            value: labels::plan_status(lang, plan.status).to_owned(),
        },
        summary: paragraphs(&snapshot.report.summary),
        overview: super::overview::build(document),
        final_report: (document.published && snapshot.report.is_final)
            .then(|| w.final_report.to_owned()),
        suppression_note: (document.has_suppressed_values()
            || yardstick::has_suppressed_counts(document))
        .then(|| labels::suppression_note(lang, document.small_count_threshold)),
        task_force: yardstick::build(document),
        focus_areas: snapshot
            .focus_areas
            .iter()
            .enumerate()
            .map(|(n, area)| build_area(document, area, n))
            .collect(),
        plan_indicators: snapshot
            .indicators
            .iter()
            .enumerate()
            .map(|(k, i)| build_indicator(document, i, None, format!("ind-p-{k}")))
            .collect(),
        errata: document
            .errata
            .iter()
            .map(|e| Erratum {
                byline: format!(
                    "{}, {}",
                    labels::date(lang, e.created_at.date_naive()),
                    e.author_name
                ),
                paragraphs: paragraphs(&e.body),
            })
            .collect(),
        corrected_on: document
            .errata
            .iter()
            .map(|e| e.created_at)
            .max()
            .map(|at| labels::date(lang, at.date_naive())),
        changes: build_changes(document),
    }
}

fn build_area(document: &ExportDocument, area: &SnapshotFocusArea, n: usize) -> Area {
    let lang = document.lang;
    let w = labels::words(lang);
    let sections = [
        (w.narrative, &area.narrative),
        (w.highlights, &area.highlights),
        (w.risks, &area.risks),
        (w.next_steps, &area.next_steps),
    ]
    .into_iter()
    .map(|(heading, text)| Section {
        heading,
        paragraphs: paragraphs(text),
    })
    .filter(|s| !s.paragraphs.is_empty())
    .collect();
    Area {
        heading: format!("{}. {}", area.position, area.title),
        anchor: format!("area-{n}"),
        title: area.title.clone(),
        objective: paragraphs(&area.objective),
        legal_reference: area
            .legal_reference
            .clone()
            .filter(|r| !r.trim().is_empty()),
        status: Status::new(lang, area.status),
        suggested_status: (area.suggested_status != area.status)
            .then(|| Status::new(lang, area.suggested_status)),
        status_reason: area
            .status_reason
            .as_deref()
            .map(paragraphs)
            .unwrap_or_default(),
        sections,
        initiatives: area
            .initiatives
            .iter()
            .map(|i| build_initiative(document, i))
            .collect(),
        indicators: area
            .indicators
            .iter()
            .enumerate()
            .map(|(k, i)| {
                let anchor = format!("ind-{n}-{k}");
                build_indicator(document, i, area.legal_reference.as_deref(), anchor)
            })
            .collect(),
        assessment: yardstick::area_assessment(document, area.id),
    }
}

fn build_initiative(document: &ExportDocument, initiative: &SnapshotInitiative) -> Initiative {
    let lang = document.lang;
    Initiative {
        title: initiative.title.clone(),
        status: labels::initiative_status(lang, initiative.status),
        owner: initiative.owner.clone().unwrap_or_default(),
        due: initiative
            .due_date
            .map(|d| labels::short_date(lang, d))
            .unwrap_or_default(),
        overdue: initiative
            .overdue
            .then(|| format!("⚠ {}", labels::words(lang).overdue)),
    }
}

/// A value as the committee may see it: "<5" when it is a suppressed small count.
fn shown_value(document: &ExportDocument, indicator: &IndicatorProgress, value: f64) -> String {
    let shown = document.shown(indicator, value);
    match shown.value {
        Some(v) => labels::quantity(document.lang, v, indicator.unit),
        None => labels::suppressed(document.small_count_threshold),
    }
}

fn build_indicator(
    document: &ExportDocument,
    indicator: &IndicatorProgress,
    legal_reference: Option<&str>,
    anchor: String,
) -> Indicator {
    let lang = document.lang;
    let w = labels::words(lang);
    let ends: Vec<chrono::NaiveDate> = indicator.series.iter().map(|p| p.period_end).collect();
    let cadence = labels::Cadence::of(&ends);
    let row = |p: &crate::progress::Point| {
        [
            labels::period(lang, cadence, p.period_end),
            shown_value(document, indicator, p.value),
        ]
    };
    let suppressed = indicator
        .series
        .iter()
        .any(|p| document.shown(indicator, p.value).suppressed);
    let mut caption = vec![
        format!("{}: {}", w.value, labels::display_unit(lang, indicator)),
        super::tabular::direction(lang, indicator.direction).to_owned(),
    ];
    if let Some(regime) = indicator.legal_regime {
        caption.push(labels::legal_regime(lang, regime).to_owned());
    }
    if let Some(reference) = legal_reference.filter(|r| !r.trim().is_empty()) {
        caption.push(format!("{}: {reference}", w.legal_reference));
    }
    let mut key_figures = Vec::new();
    let mut figure = |label, value: Option<f64>| {
        if let Some(v) = value {
            key_figures.push(Pair {
                label,
                value: shown_value(document, indicator, v),
            });
        }
    };
    figure(w.baseline, indicator.baseline);
    figure(w.target, indicator.target);
    figure(w.latest, indicator.latest.as_ref().map(|p| p.value));
    let count = indicator.series.len();
    // An empty drawing is no chart (charts::render leaves out what it cannot draw).
    let chart = (!suppressed && count > 0)
        .then(|| charts::render(document, indicator))
        .filter(|svg| !svg.is_empty());
    let chart_text = chart_text(document, indicator, &key_figures);
    let reference_figures = key_figures
        .iter()
        .filter(|pair| pair.label != w.latest)
        .cloned()
        .collect();
    let shown = |value: Option<f64>| {
        value
            .map(|v| shown_value(document, indicator, v))
            .unwrap_or_default()
    };
    Indicator {
        name: indicator.name.clone(),
        anchor,
        latest: shown(indicator.latest.as_ref().map(|p| p.value)),
        target: shown(indicator.target),
        previous: previous_value(document, indicator).map_or_else(String::new, |v| shown(Some(v))),
        trend: if suppressed {
            Vec::new()
        } else {
            trend(indicator)
        },
        status: Status::new(lang, indicator.status),
        reason: super::tabular::visible_reason(document, indicator),
        caption: caption.join(" · "),
        chart,
        chart_note: suppressed.then(|| w.not_charted.to_owned()),
        chart_text,
        key_figures,
        reference_figures,
        // The latest values, oldest first, as the chart runs.
        table: indicator.series[count.saturating_sub(TABLE_VALUES)..]
            .iter()
            .map(row)
            .collect(),
        table_note: (count > TABLE_VALUES).then(|| {
            format!(
                "{} {TABLE_VALUES} {} {count} {}",
                w.latest_values, w.of, w.values_chart_all
            )
        }),
        all_values: indicator.series.iter().map(row).collect(),
    }
}

/// What the previous published report showed for `indicator`: the value it
/// moved from, or, when it did not move, the same latest value.
fn previous_value(document: &ExportDocument, indicator: &IndicatorProgress) -> Option<f64> {
    let changes = document.changes.as_ref()?;
    changes.previous_report_id?;
    match changes
        .indicators
        .iter()
        .find(|m| m.indicator_id == indicator.indicator_id)
    {
        Some(movement) => movement.from_value,
        None => indicator.latest.as_ref().map(|p| p.value),
    }
}

/// The series scaled to 0..1 between its lowest and highest value (a flat
/// series sits in the middle), for a trend line a few millimetres high.
fn trend(indicator: &IndicatorProgress) -> Vec<f64> {
    if indicator.series.len() < 2 {
        return Vec::new();
    }
    let values = indicator.series.iter().map(|p| p.value);
    let low = values.clone().fold(f64::INFINITY, f64::min);
    let high = values.clone().fold(f64::NEG_INFINITY, f64::max);
    let span = high - low;
    values
        .map(|v| {
            if span > 0.0 && span.is_finite() {
                (v - low) / span
            } else {
                0.5
            }
        })
        .collect()
}

/// The chart in a few sentences: what a sighted reader takes from it (how
/// many values over which periods, which way they went, the target), with
/// Danish plurals.
fn chart_text(document: &ExportDocument, indicator: &IndicatorProgress, key: &[Pair]) -> String {
    let lang = document.lang;
    let da = lang == Lang::Da;
    let w = labels::words(lang);
    let mut text = format!("{}: {}.", w.chart, indicator.name);
    let series = &indicator.series;
    if let (Some(first), Some(last)) = (series.first(), series.last()) {
        let ends: Vec<chrono::NaiveDate> = series.iter().map(|p| p.period_end).collect();
        let cadence = labels::Cadence::of(&ends);
        let (from, to) = (
            labels::period(lang, cadence, first.period_end),
            labels::period(lang, cadence, last.period_end),
        );
        let count = match (series.len(), da) {
            (1, true) => format!(" 1 målt værdi, {to}."),
            (1, false) => format!(" 1 measured value, {to}."),
            (n, true) => format!(" {n} målte værdier fra {from} til {to}."),
            (n, false) => format!(" {n} measured values from {from} to {to}."),
        };
        text.push_str(&count);
        if series.len() > 1 {
            let (a, b) = (
                shown_value(document, indicator, first.value),
                shown_value(document, indicator, last.value),
            );
            let movement = match (last.value.partial_cmp(&first.value), da) {
                (Some(std::cmp::Ordering::Greater), true) => format!(" Steget fra {a} til {b}"),
                (Some(std::cmp::Ordering::Less), true) => format!(" Faldet fra {a} til {b}"),
                (_, true) => format!(" Uændret på {b}"),
                (Some(std::cmp::Ordering::Greater), false) => format!(" Up from {a} to {b}"),
                (Some(std::cmp::Ordering::Less), false) => format!(" Down from {a} to {b}"),
                (_, false) => format!(" Unchanged at {b}"),
            };
            text.push_str(&movement);
            text.push_str(&format!(
                "; {}.",
                super::tabular::direction(lang, indicator.direction)
            ));
        }
    }
    for pair in key.iter().filter(|p| p.label != w.latest) {
        text.push_str(&format!(" {}: {}.", pair.label, pair.value));
    }
    text
}

fn build_changes(document: &ExportDocument) -> Changes {
    let lang = document.lang;
    let w = labels::words(lang);
    let status = |h: Option<Health>| {
        h.map(|h| format!("{} {}", labels::health_symbol(h), labels::health(lang, h)))
            .unwrap_or_else(|| w.new.to_owned())
    };
    let empty = |heading| Group {
        heading,
        column: "",
        rows: Vec::new(),
    };
    let Some(changes) = document.changes.as_ref() else {
        return Changes {
            compared_with: None,
            note: Some(w.no_changes_plan.to_owned()),
            focus_areas: empty(w.changed_areas),
            indicators: empty(w.changed_indicators),
            completed: empty(w.completed),
            newly_overdue: empty(w.newly_overdue),
            recommendations: empty(w.changed_recommendations),
        };
    };
    let value = |id, v: Option<f64>| {
        let indicator = document.indicators().find(|i| i.indicator_id == id);
        match (indicator, v) {
            (Some(indicator), Some(v)) => shown_value(document, indicator, v),
            _ => "–".to_owned(),
        }
    };
    let titles = |list: &[crate::status_reports::changes::InitiativeChange]| {
        list.iter().map(|c| vec![c.title.clone()]).collect()
    };
    Changes {
        compared_with: document.previous_report.as_ref().map(|previous| {
            let date = labels::date(lang, previous.as_of);
            match lang {
                Lang::Da => format!("Sammenlignet med »{}« pr. {date}.", previous.title),
                Lang::En => format!("Compared with “{}” as of {date}.", previous.title),
            }
        }),
        note: note_for(changes, w),
        focus_areas: Group {
            heading: w.changed_areas,
            column: w.focus_area,
            rows: changes
                .focus_areas
                .iter()
                .map(|c| vec![c.title.clone(), status(c.from), status(Some(c.to))])
                .collect(),
        },
        indicators: Group {
            heading: w.changed_indicators,
            column: w.indicator,
            rows: changes
                .indicators
                .iter()
                .map(|c| {
                    vec![
                        c.name.clone(),
                        format!(
                            "{} ({})",
                            value(c.indicator_id, c.from_value),
                            status(c.from_status)
                        ),
                        format!(
                            "{} ({})",
                            value(c.indicator_id, c.to_value),
                            status(Some(c.to_status))
                        ),
                    ]
                })
                .collect(),
        },
        completed: Group {
            heading: w.completed,
            column: w.initiative,
            rows: titles(&changes.initiatives_completed),
        },
        newly_overdue: Group {
            heading: w.newly_overdue,
            column: w.initiative,
            rows: titles(&changes.initiatives_newly_overdue),
        },
        recommendations: recommendation_changes(document, changes),
    }
}

fn recommendation_changes(document: &ExportDocument, changes: &ReportChanges) -> Group {
    let lang = document.lang;
    let w = labels::words(lang);
    let status = |s: Option<crate::domain::RecommendationStatus>| {
        s.map_or_else(
            || w.new.to_owned(),
            |s| yardstick::recommendation_status(lang, s).to_owned(),
        )
    };
    let name = yardstick::words(lang).recommendation;
    Group {
        heading: w.changed_recommendations,
        column: name,
        rows: changes
            .recommendations
            .iter()
            .map(|c| {
                vec![
                    format!("{name} {}: {}", c.number, c.title),
                    status(c.from),
                    status(Some(c.to)),
                ]
            })
            .collect(),
    }
}

fn note_for(changes: &ReportChanges, w: &Words) -> Option<String> {
    if changes.previous_report_id.is_none() {
        return Some(w.first_report.to_owned());
    }
    let nothing = changes.focus_areas.is_empty()
        && changes.indicators.is_empty()
        && changes.initiatives_completed.is_empty()
        && changes.initiatives_newly_overdue.is_empty()
        && changes.recommendations.is_empty();
    nothing.then(|| w.no_changes.to_owned())
}

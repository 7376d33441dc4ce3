//! What the data formats (XLSX and CSV) share: the rows they are made of and
//! the words they are written in, in Danish and English.

use super::{ExportDocument, Lang};
use crate::domain::{Direction, Health, InitiativeStatus, LegalRegime, Unit};
use crate::progress::IndicatorProgress;

/// The words of a data export in one language.
pub struct Words {
    /// Sheet names: focus areas, initiatives, indicators, measurements.
    pub sheets: [&'static str; 4],
    /// Label of the as-of date on every sheet.
    pub as_of: &'static str,
    /// Said of a plan export on every sheet and in every CSV row.
    pub not_published: &'static str,
    /// Column headers of the focus area sheet.
    pub focus_area_columns: [&'static str; 13],
    /// Column headers of the initiative sheet.
    pub initiative_columns: [&'static str; 7],
    /// Column headers of the indicator sheet.
    pub indicator_columns: [&'static str; 16],
    /// Column headers of the measurement sheet and the CSV.
    pub measurement_columns: [&'static str; 7],
    /// Yes and no.
    pub yes_no: [&'static str; 2],
    /// Plan-level indicators' focus area.
    pub whole_plan: &'static str,
    /// The sheet of corrections published after the report, and its columns.
    pub errata_sheet: &'static str,
    /// Column headers of the errata sheet.
    pub errata_columns: [&'static str; 3],
    /// Said on every sheet of a corrected report.
    pub corrected: &'static str,
    /// The sheet of the Task Force's recommendations.
    pub recommendation_sheet: &'static str,
    /// Its columns.
    pub recommendation_columns: [&'static str; 6],
    /// The sheet of the case reviews, first round against latest.
    pub review_sheet: &'static str,
    /// Its columns.
    pub review_columns: [&'static str; 14],
    /// The sheet of the Task Force's assessment.
    pub assessment_sheet: &'static str,
    /// Its columns.
    pub assessment_columns: [&'static str; 3],
    /// The assessment's row for the whole report.
    pub overall: &'static str,
}

const DA: Words = Words {
    sheets: ["Fokusområder", "Initiativer", "Indikatorer", "Målinger"],
    as_of: "Opgjort pr.",
    not_published: "Ikke en offentliggjort statusrapport: planens aktuelle status",
    focus_area_columns: [
        "Nr.",
        "Fokusområde",
        "Formål",
        "Lovgrundlag",
        "Status",
        "Beregnet status",
        "Begrundelse for status",
        "Fortælling",
        "Højdepunkter",
        "Risici",
        "Næste skridt",
        "Initiativer",
        "Heraf forsinkede",
    ],
    initiative_columns: [
        "Fokusområde nr.",
        "Fokusområde",
        "Initiativ",
        "Ansvarlig",
        "Status",
        "Frist",
        "Forsinket",
    ],
    indicator_columns: [
        "Fokusområde nr.",
        "Fokusområde",
        "Indikator",
        "Enhed",
        "Retning",
        "Lovgivning",
        "Udgangspunkt",
        "Mål",
        "Seneste værdi",
        "Seneste periode",
        "Fremdrift",
        "Forventet fremdrift",
        "Status",
        "Begrundelse",
        "Næste måling",
        "Indikator-id",
    ],
    measurement_columns: [
        "Fokusområde nr.",
        "Fokusområde",
        "Indikator",
        "Enhed",
        "Periodens slutdato",
        "Værdi",
        "Indikator-id",
    ],
    yes_no: ["Ja", "Nej"],
    whole_plan: "Hele planen",
    errata_sheet: "Rettelser",
    errata_columns: ["Dato", "Rettet af", "Rettelse"],
    corrected: "Rettet efter offentliggørelsen: se arket Rettelser",
    recommendation_sheet: "Anbefalinger",
    recommendation_columns: [
        "Nr.",
        "Anbefaling",
        "Tema",
        "Fokusområder",
        "Besvares af",
        "Status",
    ],
    review_sheet: "Sagsgennemgange",
    review_columns: [
        "Gennemgang",
        "Kriterium",
        "Første runde",
        "Opfyldt",
        "Ikke opfyldt",
        "Relevante sager",
        "Andel opfyldt",
        "Seneste runde",
        "Opfyldt",
        "Ikke opfyldt",
        "Relevante sager",
        "Andel opfyldt",
        "Ændring (procentpoint)",
        "Kriterienøgle",
    ],
    assessment_sheet: "Task Forcens vurdering",
    assessment_columns: ["Fokusområde", "Task Forcens vurdering", "Skrevet af"],
    overall: "Samlet vurdering",
};

const EN: Words = Words {
    sheets: ["Focus areas", "Initiatives", "Indicators", "Measurements"],
    as_of: "As of",
    not_published: "Not a published status report: the plan's current state",
    focus_area_columns: [
        "No.",
        "Focus area",
        "Objective",
        "Legal basis",
        "Status",
        "Computed status",
        "Reason for the status",
        "Narrative",
        "Highlights",
        "Risks",
        "Next steps",
        "Initiatives",
        "Of which overdue",
    ],
    initiative_columns: [
        "Focus area no.",
        "Focus area",
        "Initiative",
        "Owner",
        "Status",
        "Due date",
        "Overdue",
    ],
    indicator_columns: [
        "Focus area no.",
        "Focus area",
        "Indicator",
        "Unit",
        "Direction",
        "Legislation",
        "Baseline",
        "Target",
        "Latest value",
        "Latest period",
        "Progress",
        "Expected progress",
        "Status",
        "Reason",
        "Next value due",
        "Indicator id",
    ],
    measurement_columns: [
        "Focus area no.",
        "Focus area",
        "Indicator",
        "Unit",
        "Period end",
        "Value",
        "Indicator id",
    ],
    yes_no: ["Yes", "No"],
    whole_plan: "Whole plan",
    errata_sheet: "Corrections",
    errata_columns: ["Date", "Corrected by", "Correction"],
    corrected: "Corrected after publishing: see the Corrections sheet",
    recommendation_sheet: "Recommendations",
    recommendation_columns: [
        "No.",
        "Recommendation",
        "Theme",
        "Focus areas",
        "Answered by",
        "Status",
    ],
    review_sheet: "Case reviews",
    review_columns: [
        "Review",
        "Criterion",
        "First round",
        "Met",
        "Not met",
        "Relevant cases",
        "Share met",
        "Latest round",
        "Met",
        "Not met",
        "Relevant cases",
        "Share met",
        "Change (percentage points)",
        "Criterion key",
    ],
    assessment_sheet: "Task Force assessment",
    assessment_columns: ["Focus area", "The Task Force's assessment", "Written by"],
    overall: "Overall assessment",
};

/// The words for `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Da => &DA,
        Lang::En => &EN,
    }
}

/// Why some values read "<5", or `None` when none do.
pub fn suppression_note(document: &ExportDocument) -> Option<String> {
    let threshold = document.small_count_threshold;
    let baselines = document.indicators().any(|indicator| {
        indicator
            .baseline
            .is_some_and(|value| document.shown(indicator, value).suppressed)
    });
    let reviews = super::yardstick::has_suppressed_counts(document);
    (baselines || reviews || document.has_suppressed_values()).then(|| match document.lang {
        Lang::Da => format!(
            "Antal under {threshold} vises som \"<{threshold}\" og indgår ikke i grafer: \
             så små tal kan pege på enkelte børn og familier."
        ),
        Lang::En => format!(
            "Counts below {threshold} are shown as \"<{threshold}\" and never charted: \
             numbers that small could point to individual children and families."
        ),
    })
}

/// The text shown instead of a suppressed count.
pub fn suppressed(document: &ExportDocument) -> String {
    format!("<{}", document.small_count_threshold)
}

/// A status as a word.
pub fn health(lang: Lang, status: Health) -> &'static str {
    match lang {
        Lang::Da => status.label_da(),
        Lang::En => match status {
            Health::NoTarget => "no target",
            Health::NoData => "no data",
            Health::Green => "green",
            Health::Amber => "amber",
            Health::Stale => "missing data",
            Health::Red => "red",
        },
    }
}

/// An initiative's status as a word.
pub fn initiative_status(lang: Lang, status: InitiativeStatus) -> &'static str {
    use InitiativeStatus::*;
    match (lang, status) {
        (Lang::Da, Planned) => "planlagt",
        (Lang::Da, InProgress) => "i gang",
        (Lang::Da, Done) => "færdig",
        (Lang::Da, Blocked) => "blokeret",
        (Lang::Da, Cancelled) => "opgivet",
        (Lang::En, Planned) => "planned",
        (Lang::En, InProgress) => "in progress",
        (Lang::En, Done) => "done",
        (Lang::En, Blocked) => "blocked",
        (Lang::En, Cancelled) => "cancelled",
    }
}

/// A unit as a word.
pub fn unit(lang: Lang, unit: Unit) -> &'static str {
    match (lang, unit) {
        (Lang::Da, Unit::Percent) => "procent",
        (Lang::Da, Unit::Count) => "antal",
        (Lang::Da, Unit::Days) => "dage",
        (Lang::Da, Unit::Ratio) => "forhold",
        (Lang::En, Unit::Percent) => "percent",
        (Lang::En, Unit::Count) => "count",
        (Lang::En, Unit::Days) => "days",
        (Lang::En, Unit::Ratio) => "ratio",
    }
}

/// Which way is better, in words.
pub fn direction(lang: Lang, direction: Direction) -> &'static str {
    match (lang, direction) {
        (Lang::Da, Direction::Increase) => "højere er bedre",
        (Lang::Da, Direction::Decrease) => "lavere er bedre",
        (Lang::En, Direction::Increase) => "higher is better",
        (Lang::En, Direction::Decrease) => "lower is better",
    }
}

/// The law a series follows.
pub fn legal_regime(regime: Option<LegalRegime>) -> &'static str {
    match regime {
        Some(LegalRegime::Serviceloven) => "Serviceloven",
        Some(LegalRegime::BarnetsLov) => "Barnets Lov",
        None => "",
    }
}

/// An indicator with the focus area it is shown under (`None`: the whole plan).
pub struct Placed<'a> {
    /// The focus area's number and title.
    pub area: Option<(i32, &'a str)>,
    /// The indicator.
    pub indicator: &'a IndicatorProgress,
}

/// Every indicator of the document with its focus area, in document order.
pub fn placed_indicators(document: &ExportDocument) -> impl Iterator<Item = Placed<'_>> {
    let snapshot = &document.snapshot;
    let in_areas = snapshot.focus_areas.iter().flat_map(|area| {
        area.indicators.iter().map(move |indicator| Placed {
            area: Some((area.position, area.title.as_str())),
            indicator,
        })
    });
    let plan_level = snapshot.indicators.iter().map(|indicator| Placed {
        area: None,
        indicator,
    });
    in_areas.chain(plan_level)
}

/// Whether the indicator's latest value or baseline is a suppressed count.
fn hides_a_value(document: &ExportDocument, indicator: &IndicatorProgress) -> bool {
    let hides = |value: Option<f64>| value.is_some_and(|v| document.shown(indicator, v).suppressed);
    hides(indicator.latest.as_ref().map(|p| p.value)) || hides(indicator.baseline)
}

/// Progress is hidden when the latest value or the baseline is suppressed:
/// with the baseline and target it would give the value away.
pub fn visible_progress(document: &ExportDocument, indicator: &IndicatorProgress) -> Option<f64> {
    if hides_a_value(document, indicator) {
        None
    } else {
        indicator.progress
    }
}

/// Why the indicator has its status, in the document's language; left out
/// when it would reveal a suppressed count (it quotes the progress).
pub fn visible_reason(document: &ExportDocument, indicator: &IndicatorProgress) -> String {
    if hides_a_value(document, indicator) {
        String::new()
    } else {
        let thresholds = document.snapshot.plan.thresholds;
        super::labels::indicator_reason(document.lang, indicator, thresholds)
    }
}

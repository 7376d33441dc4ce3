//! The words of the committee documents, in Danish and English, so the PDF and
//! the HTML page say exactly the same things: headings, status words and
//! symbols, Danish-style dates ("31. marts 2025") and numbers ("71,5 %").

use chrono::{Datelike, NaiveDate};

use super::Lang;
use crate::domain::{Health, InitiativeStatus, LegalRegime, PlanStatus, Unit};
use crate::progress::{IndicatorProgress, Thresholds};

/// The fixed phrases of a committee document in one language.
#[derive(Debug)]
pub struct Words {
    /// The document's kind under the title on the cover.
    pub appendix: &'static str,
    /// A plan export is not a published report, and says so on the cover.
    pub not_published: &'static str,
    /// "Status pr." before the as_of date.
    pub status_as_of: &'static str,
    /// "Plan period".
    pub plan_period: &'static str,
    /// "Published" (followed by date and name).
    pub published: &'static str,
    /// "by" between the date and the publisher.
    pub by: &'static str,
    /// "Adopted by".
    pub committee: &'static str,
    /// The committee's meeting date.
    pub meeting_date: &'static str,
    /// The committee's decision.
    pub decision: &'static str,
    /// Link to the agenda item.
    pub agenda: &'static str,
    /// Heading of the summary.
    pub summary: &'static str,
    /// The plan's rolled-up status.
    pub overall_status: &'static str,
    /// The plan's workflow status.
    pub plan_status: &'static str,
    /// This is the plan's final report.
    pub final_report: &'static str,
    /// Heading of the focus-area overview table.
    pub focus_areas: &'static str,
    /// Column "Focus area".
    pub focus_area: &'static str,
    /// "Status".
    pub status: &'static str,
    /// "Objective".
    pub objective: &'static str,
    /// "Reason for the status".
    pub status_reason: &'static str,
    /// "Computed status" when the report overrode it.
    pub suggested_status: &'static str,
    /// "Legal basis".
    pub legal_reference: &'static str,
    /// "Narrative".
    pub narrative: &'static str,
    /// "Highlights".
    pub highlights: &'static str,
    /// "Risks".
    pub risks: &'static str,
    /// "Next steps".
    pub next_steps: &'static str,
    /// "Initiatives".
    pub initiatives: &'static str,
    /// Column "Initiative".
    pub initiative: &'static str,
    /// Column "Owner".
    pub owner: &'static str,
    /// Column "Due".
    pub due: &'static str,
    /// The overdue mark.
    pub overdue: &'static str,
    /// No initiatives.
    pub no_initiatives: &'static str,
    /// Column "Indicator".
    pub indicator: &'static str,
    /// "Indicators".
    pub indicators: &'static str,
    /// Indicators tied to no focus area.
    pub plan_indicators: &'static str,
    /// No indicators.
    pub no_indicators: &'static str,
    /// Column "Period".
    pub period: &'static str,
    /// Column "Value".
    pub value: &'static str,
    /// "Baseline".
    pub baseline: &'static str,
    /// "Target".
    pub target: &'static str,
    /// "Latest".
    pub latest: &'static str,
    /// "Measured values".
    pub measured: &'static str,
    /// Before the count of values in a shortened table.
    pub latest_values: &'static str,
    /// "of" in "the latest 8 of 143 values".
    pub of: &'static str,
    /// After the count: "values; the chart shows them all".
    pub values_chart_all: &'static str,
    /// "All values" (the full table behind a chart).
    pub all_values: &'static str,
    /// No values measured yet.
    pub no_values: &'static str,
    /// A chart left out because of suppressed small counts.
    pub not_charted: &'static str,
    /// "Chart" (in the text equivalent of a chart).
    pub chart: &'static str,
    /// Suppression note, before the threshold.
    pub suppression_note: &'static str,
    /// Suppression note, after the threshold.
    pub suppression_note_end: &'static str,
    /// "Errata".
    pub errata: &'static str,
    /// Heading of the changes page.
    pub changes: &'static str,
    /// There is no previous report.
    pub first_report: &'static str,
    /// A plan export has no changes page content.
    pub no_changes_plan: &'static str,
    /// Nothing changed.
    pub no_changes: &'static str,
    /// "Focus areas whose status changed".
    pub changed_areas: &'static str,
    /// "Indicators that moved".
    pub changed_indicators: &'static str,
    /// "Initiatives completed".
    pub completed: &'static str,
    /// "Initiatives newly overdue".
    pub newly_overdue: &'static str,
    /// "Recommendations with a new status".
    pub changed_recommendations: &'static str,
    /// Column "Before".
    pub before: &'static str,
    /// Column "Now".
    pub now: &'static str,
    /// A new item (no "before").
    pub new: &'static str,
    /// "Page" in the footer.
    pub page: &'static str,
    /// "af" in "Side 2 af 9".
    pub page_of: &'static str,
    /// The key figures' first column.
    pub key_figure: &'static str,
    /// The cover's mark of a corrected report: "Rettet".
    pub corrected: &'static str,
    /// "se side" before a page number.
    pub see_page: &'static str,
    /// "Generated" on the cover.
    pub generated: &'static str,
    /// Legend: the measured series.
    pub series: &'static str,
}

const DA: Words = Words {
    appendix: "Bilag: statusrapport for udviklingsplan",
    not_published: "Aktuel status – ikke en offentliggjort statusrapport",
    status_as_of: "Status pr.",
    plan_period: "Planperiode",
    published: "Offentliggjort",
    by: "af",
    committee: "Vedtaget i",
    meeting_date: "Mødedato",
    decision: "Beslutning",
    agenda: "Dagsordenspunkt",
    summary: "Sammenfatning",
    overall_status: "Samlet status",
    plan_status: "Planens fase",
    final_report: "Dette er planens afsluttende statusrapport.",
    focus_areas: "Fokusområder",
    focus_area: "Fokusområde",
    status: "Status",
    objective: "Formål",
    status_reason: "Begrundelse for status",
    suggested_status: "Beregnet status",
    legal_reference: "Lovgrundlag",
    narrative: "Status og udvikling",
    highlights: "Det er gået godt",
    risks: "Risici",
    next_steps: "Næste skridt",
    initiatives: "Indsatser",
    initiative: "Indsats",
    owner: "Ansvarlig",
    due: "Frist",
    overdue: "overskredet",
    no_initiatives: "Ingen indsatser.",
    indicator: "Indikator",
    indicators: "Indikatorer",
    plan_indicators: "Indikatorer for hele planen",
    no_indicators: "Ingen indikatorer.",
    period: "Periode",
    value: "Værdi",
    baseline: "Udgangspunkt",
    target: "Mål",
    latest: "Seneste",
    measured: "Målt",
    latest_values: "De seneste",
    of: "af",
    values_chart_all: "målinger; grafen viser dem alle.",
    all_values: "Alle målinger",
    no_values: "Ingen målinger endnu.",
    not_charted: "Ingen graf: serien indeholder små tal, som ikke vises.",
    chart: "Graf",
    suppression_note: "Diskretion: antal under",
    suppression_note_end: "vises som »<N« og indgår ikke i graferne, så enkeltpersoner ikke kan genkendes.",
    errata: "Rettelser",
    changes: "Ændringer siden sidste statusrapport",
    first_report: "Dette er planens første offentliggjorte statusrapport; alt er nyt.",
    no_changes_plan: "En aktuel status sammenlignes ikke med en tidligere rapport.",
    no_changes: "Ingen ændringer siden sidste statusrapport.",
    changed_areas: "Fokusområder med ny status",
    changed_indicators: "Indikatorer med nye tal eller ny status",
    completed: "Indsatser afsluttet",
    newly_overdue: "Indsatser, der nu er overskredet",
    changed_recommendations: "Anbefalinger med ny status",
    before: "Før",
    now: "Nu",
    new: "ny",
    page: "Side",
    page_of: "af",
    key_figure: "Nøgletal",
    corrected: "Rettet",
    see_page: "se side",
    generated: "Dannet",
    series: "Målt værdi",
};

const EN: Words = Words {
    appendix: "Appendix: development plan status report",
    not_published: "Current status – not a published status report",
    status_as_of: "Status as of",
    plan_period: "Plan period",
    published: "Published",
    by: "by",
    committee: "Adopted by",
    meeting_date: "Meeting date",
    decision: "Decision",
    agenda: "Agenda item",
    summary: "Summary",
    overall_status: "Overall status",
    plan_status: "Plan phase",
    final_report: "This is the plan's final status report.",
    focus_areas: "Focus areas",
    focus_area: "Focus area",
    status: "Status",
    objective: "Objective",
    status_reason: "Reason for the status",
    suggested_status: "Computed status",
    legal_reference: "Legal basis",
    narrative: "Progress",
    highlights: "Highlights",
    risks: "Risks",
    next_steps: "Next steps",
    initiatives: "Initiatives",
    initiative: "Initiative",
    owner: "Owner",
    due: "Due",
    overdue: "overdue",
    no_initiatives: "No initiatives.",
    indicator: "Indicator",
    indicators: "Indicators",
    plan_indicators: "Plan-wide indicators",
    no_indicators: "No indicators.",
    period: "Period",
    value: "Value",
    baseline: "Baseline",
    target: "Target",
    latest: "Latest",
    measured: "Measured",
    latest_values: "The latest",
    of: "of",
    values_chart_all: "values; the chart shows them all.",
    all_values: "All values",
    no_values: "No values measured yet.",
    not_charted: "No chart: the series contains small counts that are not shown.",
    chart: "Chart",
    suppression_note: "Confidentiality: counts below",
    suppression_note_end: "are shown as “<N” and are not charted, so no individual can be recognised.",
    errata: "Errata",
    changes: "Changes since the previous status report",
    first_report: "This is the plan's first published status report; everything is new.",
    no_changes_plan: "A current status is not compared with an earlier report.",
    no_changes: "Nothing changed since the previous status report.",
    changed_areas: "Focus areas with a new status",
    changed_indicators: "Indicators with new figures or a new status",
    completed: "Initiatives completed",
    newly_overdue: "Initiatives now overdue",
    changed_recommendations: "Recommendations with a new status",
    before: "Before",
    now: "Now",
    new: "new",
    page: "Page",
    page_of: "of",
    key_figure: "Key figure",
    corrected: "Corrected",
    see_page: "see page",
    generated: "Generated",
    series: "Measured value",
};

/// The phrases for `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Da => &DA,
        Lang::En => &EN,
    }
}

/// The language code for `lang=` attributes.
pub fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Da => "da",
        Lang::En => "en",
    }
}

const MONTHS_DA: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `date` written out: "31. marts 2025" / "31 March 2025".
pub fn date(lang: Lang, date: NaiveDate) -> String {
    let month = date.month0() as usize;
    match lang {
        Lang::Da => format!("{}. {} {}", date.day(), MONTHS_DA[month], date.year()),
        Lang::En => format!("{} {} {}", date.day(), MONTHS_EN[month], date.year()),
    }
}

/// How often a series was measured, as read off its own period ends: what a
/// period is called in a chart or table ("1. kvt. 2025", "mar. 2025").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// Every period ends a quarter, about three months apart.
    Quarterly,
    /// Every period ends a month.
    Monthly,
    /// Anything else: the period's date itself.
    Dates,
}

impl Cadence {
    /// The cadence of a series whose periods end on `ends` (in order).
    pub fn of(ends: &[NaiveDate]) -> Self {
        let month_end = |d: &NaiveDate| d.succ_opt().is_some_and(|next| next.day() == 1);
        if ends.is_empty() || !ends.iter().all(month_end) {
            return Self::Dates;
        }
        let quarter_end = |d: &NaiveDate| d.month().is_multiple_of(3);
        let apart = ends.windows(2).all(|w| (w[1] - w[0]).num_days() >= 85);
        if ends.iter().all(quarter_end) && apart {
            Self::Quarterly
        } else {
            Self::Monthly
        }
    }
}

/// The period ending on `date` as a reader names it: "1. kvt. 2025" / "Q1
/// 2025", "mar. 2025" / "Mar 2025", else the date.
pub fn period(lang: Lang, cadence: Cadence, date: NaiveDate) -> String {
    let month = date.month0() as usize;
    match (cadence, lang) {
        (Cadence::Quarterly, Lang::Da) => format!("{}. kvt. {}", month / 3 + 1, date.year()),
        (Cadence::Quarterly, Lang::En) => format!("Q{} {}", month / 3 + 1, date.year()),
        (Cadence::Monthly, Lang::Da) => {
            let name: String = MONTHS_DA[month].chars().take(3).collect();
            format!("{name}. {}", date.year())
        }
        (Cadence::Monthly, Lang::En) => {
            let name: String = MONTHS_EN[month].chars().take(3).collect();
            format!("{name} {}", date.year())
        }
        (Cadence::Dates, _) => short_date(lang, date),
    }
}

/// `date` short, for table cells: "31.03.2025" / "2025-03-31".
pub fn short_date(lang: Lang, date: NaiveDate) -> String {
    match lang {
        Lang::Da => date.format("%d.%m.%Y").to_string(),
        Lang::En => date.format("%Y-%m-%d").to_string(),
    }
}

/// A status in words.
pub fn health(lang: Lang, status: Health) -> &'static str {
    match lang {
        Lang::Da => status.label_da(),
        Lang::En => match status {
            Health::NoTarget => "no target",
            Health::NoData => "no data",
            Health::Green => "green",
            Health::Amber => "amber",
            Health::Stale => "data missing",
            Health::Red => "red",
        },
    }
}

/// A symbol for a status, so a status never rests on colour alone (and
/// survives black-and-white printing).
pub fn health_symbol(status: Health) -> &'static str {
    match status {
        Health::Green => "✔",
        Health::Amber => "▲",
        Health::Red => "✖",
        Health::Stale => "⚠",
        Health::NoData => "○",
        Health::NoTarget => "◇",
    }
}

/// The colour that goes with a status (always next to its word and symbol).
pub fn health_colour(status: Health) -> &'static str {
    match status {
        Health::Green => "#1e7b34",
        Health::Amber => "#a86200",
        Health::Red => "#b3261e",
        Health::Stale => "#6b4c9a",
        Health::NoData | Health::NoTarget => "#5f6368",
    }
}

/// An initiative's status in words.
pub fn initiative_status(lang: Lang, status: InitiativeStatus) -> &'static str {
    use InitiativeStatus as S;
    match (lang, status) {
        (Lang::Da, S::Planned) => "planlagt",
        (Lang::Da, S::InProgress) => "i gang",
        (Lang::Da, S::Done) => "gennemført",
        (Lang::Da, S::Blocked) => "blokeret",
        (Lang::Da, S::Cancelled) => "opgivet",
        (Lang::En, S::Planned) => "planned",
        (Lang::En, S::InProgress) => "in progress",
        (Lang::En, S::Done) => "done",
        (Lang::En, S::Blocked) => "blocked",
        (Lang::En, S::Cancelled) => "cancelled",
    }
}

/// The plan's workflow status in words.
pub fn plan_status(lang: Lang, status: PlanStatus) -> &'static str {
    use PlanStatus as S;
    match (lang, status) {
        (Lang::Da, S::Draft) => "kladde",
        (Lang::Da, S::Submitted) => "indsendt til Task Force",
        (Lang::Da, S::Approved) => "godkendt af Task Force",
        (Lang::Da, S::Adopted) => "politisk vedtaget",
        (Lang::Da, S::Active) => "i udviklingsfasen",
        (Lang::Da, S::Closed) => "afsluttet",
        (Lang::En, S::Draft) => "draft",
        (Lang::En, S::Submitted) => "submitted to the Task Force",
        (Lang::En, S::Approved) => "approved by the Task Force",
        (Lang::En, S::Adopted) => "adopted by the committee",
        (Lang::En, S::Active) => "in its development phase",
        (Lang::En, S::Closed) => "closed",
    }
}

/// The law an indicator's series follows.
pub fn legal_regime(lang: Lang, regime: LegalRegime) -> &'static str {
    match (lang, regime) {
        (_, LegalRegime::Serviceloven) => "Serviceloven",
        (Lang::Da, LegalRegime::BarnetsLov) => "Barnets Lov",
        (Lang::En, LegalRegime::BarnetsLov) => "Barnets Lov (Children's Act)",
    }
}

/// How `indicator`'s unit reads: its own display unit ("sager pr. rådgiver"),
/// else the unit in words.
pub fn display_unit(lang: Lang, indicator: &IndicatorProgress) -> &str {
    indicator
        .display_unit
        .as_deref()
        .unwrap_or_else(|| unit(lang, indicator.unit))
}

/// The unit in words, for the chart's value axis.
pub fn unit(lang: Lang, unit: Unit) -> &'static str {
    match (lang, unit) {
        (_, Unit::Percent) => "%",
        (Lang::Da, Unit::Count) => "antal",
        (Lang::Da, Unit::Days) => "dage",
        (Lang::Da, Unit::Ratio) => "forhold",
        (Lang::En, Unit::Count) => "count",
        (Lang::En, Unit::Days) => "days",
        (Lang::En, Unit::Ratio) => "ratio",
    }
}

/// Why an indicator has its status, in the document's language, saying what
/// sets it apart: "78 % af den forventede fremdrift – gul under 90 %". The
/// thresholds are the plan's; a report stored before they were recorded
/// leaves the rule out.
pub fn indicator_reason(
    lang: Lang,
    indicator: &IndicatorProgress,
    thresholds: Option<Thresholds>,
) -> String {
    let da = lang == Lang::Da;
    let share = |s: f64| format!("{} %", number(lang, (s * 100.0).round()));
    match indicator.status {
        Health::Stale => match (indicator.next_due, da) {
            (Some(due), true) => format!("Ingen værdi for perioden til {}.", date(lang, due)),
            (Some(due), false) => format!("No value for the period ending {}.", date(lang, due)),
            (None, true) => "Ingen værdi for den seneste periode.".to_owned(),
            (None, false) => "No value for the latest period.".to_owned(),
        },
        Health::NoData if da => "Intet målt endnu, og intet er forfaldent endnu.".to_owned(),
        Health::NoData => "Nothing measured yet, and nothing due yet.".to_owned(),
        Health::NoTarget if da => {
            "Der er intet mål at vurdere den seneste værdi ud fra.".to_owned()
        }
        Health::NoTarget => "There is no target to judge the latest value against.".to_owned(),
        status => {
            // A judged status always has both; without them, the reason stored with it.
            let (Some(progress), Some(expected)) =
                (indicator.progress, indicator.expected_progress)
            else {
                return indicator.reason.clone();
            };
            if progress >= 1.0 {
                return if da {
                    "Målet er nået.".into()
                } else {
                    "The target is reached.".into()
                };
            }
            let of_expected = if expected > 0.0 {
                progress / expected
            } else {
                1.0
            };
            let mut reason = if da {
                format!("{} af den forventede fremdrift", share(of_expected))
            } else {
                format!("{} of the expected progress", share(of_expected))
            };
            if let Some(t) = thresholds {
                let rule = match (status, da) {
                    (Health::Green, true) => format!("grøn fra {}", share(t.green)),
                    (Health::Green, false) => format!("green from {}", share(t.green)),
                    (Health::Amber, true) => format!("gul under {}", share(t.green)),
                    (Health::Amber, false) => format!("amber below {}", share(t.green)),
                    (_, true) => format!("rød under {}", share(t.amber)),
                    (_, false) => format!("red below {}", share(t.amber)),
                };
                reason = format!("{reason} – {rule}");
            }
            reason.push('.');
            reason
        }
    }
}

/// `value` with at most two decimals and the language's decimal mark ("71,5").
pub fn number(lang: Lang, value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded}");
    match lang {
        Lang::Da => text.replace('.', ","),
        Lang::En => text,
    }
}

/// `value` with its unit: "71,5 %", "12 dage", "3".
pub fn quantity(lang: Lang, value: f64, of: Unit) -> String {
    let number = number(lang, value);
    match of {
        Unit::Percent => format!("{number} %"),
        Unit::Days => format!("{number} {}", unit(lang, Unit::Days)),
        Unit::Count | Unit::Ratio => number,
    }
}

/// What a suppressed small count is shown as: "<5".
pub fn suppressed(threshold: u32) -> String {
    format!("<{threshold}")
}

/// The note every document with suppressed values carries.
pub fn suppression_note(lang: Lang, threshold: u32) -> String {
    let words = words(lang);
    let end = words
        .suppression_note_end
        .replace("<N", &suppressed(threshold));
    format!("{} {threshold} {end}", words.suppression_note)
}

#[cfg(test)]
mod period_tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn periods_are_named_after_the_series_cadence() {
        let quarters = [day(2024, 12, 31), day(2025, 3, 31), day(2025, 6, 30)];
        let months = [day(2025, 1, 31), day(2025, 2, 28), day(2025, 3, 31)];
        let dates = [day(2025, 1, 15), day(2025, 2, 28)];
        assert_eq!(Cadence::of(&quarters), Cadence::Quarterly);
        assert_eq!(Cadence::of(&months), Cadence::Monthly);
        assert_eq!(Cadence::of(&dates), Cadence::Dates);
        // Quarter ends one month apart are months that happen to end quarters.
        assert_eq!(
            Cadence::of(&[day(2025, 3, 31), day(2025, 6, 30), day(2025, 7, 31)]),
            Cadence::Monthly
        );
        assert_eq!(
            period(Lang::Da, Cadence::Quarterly, quarters[1]),
            "1. kvt. 2025"
        );
        assert_eq!(period(Lang::En, Cadence::Quarterly, quarters[2]), "Q2 2025");
        assert_eq!(period(Lang::Da, Cadence::Monthly, months[2]), "mar. 2025");
        assert_eq!(period(Lang::En, Cadence::Monthly, months[1]), "Feb 2025");
        assert_eq!(period(Lang::Da, Cadence::Dates, dates[0]), "15.01.2025");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn dates_are_written_out_in_danish_style() {
        assert_eq!(date(Lang::Da, day(2025, 3, 31)), "31. marts 2025");
        assert_eq!(date(Lang::Da, day(2024, 1, 1)), "1. januar 2024");
        assert_eq!(date(Lang::En, day(2025, 3, 31)), "31 March 2025");
        assert_eq!(short_date(Lang::Da, day(2025, 3, 1)), "01.03.2025");
    }

    #[test]
    fn numbers_use_the_languages_decimal_mark() {
        assert_eq!(quantity(Lang::Da, 71.5, Unit::Percent), "71,5 %");
        assert_eq!(quantity(Lang::En, 71.5, Unit::Percent), "71.5 %");
        assert_eq!(quantity(Lang::Da, 12.0, Unit::Days), "12 dage");
        assert_eq!(number(Lang::Da, 2.0 / 3.0), "0,67");
    }

    #[test]
    fn the_suppression_note_names_the_threshold() {
        let note = suppression_note(Lang::Da, 5);
        assert!(note.contains("under 5"), "{note}");
        assert!(note.contains("»<5«"), "{note}");
    }
}

#[cfg(test)]
mod reason_tests {
    use super::*;
    use crate::domain::{Direction, IndicatorId};

    fn judged(status: Health, progress: f64, expected: f64) -> IndicatorProgress {
        IndicatorProgress {
            indicator_id: IndicatorId::new(),
            name: "Sager pr. rådgiver".into(),
            unit: Unit::Ratio,
            direction: Direction::Decrease,
            legal_regime: None,
            display_unit: None,
            as_of: NaiveDate::from_ymd_opt(2025, 3, 31).unwrap_or_default(),
            latest: None,
            series: Vec::new(),
            baseline: Some(35.0),
            target: Some(25.0),
            progress: Some(progress),
            expected_progress: Some(expected),
            status,
            reason: String::new(),
            next_due: None,
        }
    }

    const PLAN: Option<Thresholds> = Some(Thresholds {
        green: 0.9,
        amber: 0.7,
    });

    #[test]
    fn a_green_and_an_amber_indicator_give_different_reasons_with_their_rule() {
        let green = indicator_reason(Lang::Da, &judged(Health::Green, 0.47, 0.5), PLAN);
        let amber = indicator_reason(Lang::Da, &judged(Health::Amber, 0.39, 0.5), PLAN);
        let red = indicator_reason(Lang::En, &judged(Health::Red, 0.2, 0.5), PLAN);
        assert_eq!(green, "94 % af den forventede fremdrift – grøn fra 90 %.");
        assert_eq!(amber, "78 % af den forventede fremdrift – gul under 90 %.");
        assert_eq!(red, "40 % of the expected progress – red below 70 %.");
    }

    #[test]
    fn a_reached_target_says_so_and_an_old_report_leaves_the_rule_out() {
        let reached = indicator_reason(Lang::Da, &judged(Health::Green, 1.0, 0.5), PLAN);
        assert_eq!(reached, "Målet er nået.");
        let old = indicator_reason(Lang::En, &judged(Health::Amber, 0.39, 0.5), None);
        assert_eq!(old, "78 % of the expected progress.");
    }
}

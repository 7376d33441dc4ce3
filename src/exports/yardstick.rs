//! The Task Force's part of a committee document: the recommendations of its
//! analysis and what answers them, the case reviews of the first and the
//! latest round, and its own assessment, labelled as the Task Force's and kept
//! apart from the municipality's account.
//!
//! Case-review counts are protected like every count a committee sees: a
//! count of met or not met cases below the threshold reads "<5" and the share
//! is not shown, since with the number of relevant cases it would give the
//! count away.

use serde::Serialize;

use super::labels;
use super::parts::{Pair, Status, paragraphs};
use super::{ExportDocument, Lang, review_chart};
use crate::case_reviews::{ReviewCourse, RoundSummary, Shares, criteria};
use crate::domain::{Health, RecommendationStatus, ReviewKind, ReviewPhase, Theme};
use crate::status_reports::snapshot::SnapshotRecommendation;

/// One criterion's result in one round as a committee may see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShownResult {
    /// Cases that met it, `None` when suppressed.
    pub met: Option<i32>,
    /// Cases that did not, `None` when suppressed.
    pub not_met: Option<i32>,
    /// Cases where it applied.
    pub relevant: i32,
    /// The share met, `None` without relevant cases or when a count is suppressed.
    pub share: Option<f64>,
}

impl ShownResult {
    /// `shares` with the counts below `threshold` withheld.
    pub fn new(shares: &Shares, threshold: u32) -> Self {
        let relevant = shares.met + shares.not_met;
        // Without relevant cases there is no count to protect (both are 0).
        let visible =
            |count: i32| relevant == 0 || u32::try_from(count).is_ok_and(|c| c >= threshold);
        let (met, not_met) = (visible(shares.met), visible(shares.not_met));
        Self {
            met: met.then_some(shares.met),
            not_met: not_met.then_some(shares.not_met),
            relevant,
            share: shares.share.filter(|_| met && not_met),
        }
    }

    /// Whether a count is withheld.
    pub fn suppressed(&self) -> bool {
        self.met.is_none() || self.not_met.is_none()
    }
}

/// Whether any case-review count of the document is withheld.
pub fn has_suppressed_counts(document: &ExportDocument) -> bool {
    document.snapshot.case_reviews.iter().any(|course| {
        course
            .criteria
            .iter()
            .flat_map(|c| c.from.iter().chain(c.to.iter()))
            .any(|s| ShownResult::new(s, document.small_count_threshold).suppressed())
    })
}

/// The change in percentage points, when both shares may be shown.
pub fn shown_change(
    change_pp: Option<f64>,
    first: Option<ShownResult>,
    latest: Option<ShownResult>,
) -> Option<f64> {
    let shown = |r: Option<ShownResult>| r.and_then(|r| r.share).is_some();
    change_pp.filter(|_| shown(first) && shown(latest))
}

/// The words of the Task Force's part, in one language.
#[derive(Debug, Serialize)]
pub struct YardstickWords {
    /// Heading of the assessment.
    pub assessment: &'static str,
    /// Said under it: whose words these are.
    pub assessment_voice: &'static str,
    /// Before the author's name.
    pub written_by: &'static str,
    /// Heading of the recommendations.
    pub recommendations: &'static str,
    /// "Recommendation" before its number.
    pub recommendation: &'static str,
    /// The analysis line's label.
    pub analysis: &'static str,
    /// Columns: number, recommendation, theme, answered by, status.
    pub recommendation_columns: [&'static str; 5],
    /// Nothing answers it yet.
    pub nothing_answers: &'static str,
    /// "of" in "2 of 5 recommendations".
    pub unaddressed_note: &'static str,
    /// Heading of the case reviews.
    pub case_reviews: &'static str,
    /// What a share is.
    pub case_reviews_intro: &'static str,
    /// "First round" and "Latest round".
    pub rounds: [&'static str; 2],
    /// Columns: criterion, first round, latest round, change.
    pub review_columns: [&'static str; 4],
    /// "cases".
    pub cases: &'static str,
    /// "of" in "9 of 17".
    pub of: &'static str,
    /// "not met" in "<5 not met of 17".
    pub not_met: &'static str,
    /// A round without relevant cases.
    pub no_relevant: &'static str,
    /// "percentage points", abbreviated.
    pub points: &'static str,
    /// Only one round so far.
    pub one_round: &'static str,
    /// The rounds used different criteria set versions.
    pub not_comparable: &'static str,
    /// "Chart" in the text equivalent.
    pub chart: &'static str,
}

const DA: YardstickWords = YardstickWords {
    assessment: "Task Forcens vurdering",
    assessment_voice: "Task Forcens egen vurdering, adskilt fra kommunens redegørelse.",
    written_by: "Skrevet af",
    recommendations: "Task Forcens anbefalinger",
    recommendation: "Anbefaling",
    analysis: "Analyse",
    recommendation_columns: ["Nr.", "Anbefaling", "Tema", "Besvares af", "Status"],
    nothing_answers: "ingen indsats eller indikator endnu",
    unaddressed_note: "anbefalinger besvares endnu ikke af nogen indsats eller indikator.",
    case_reviews: "Sagsgennemgange",
    case_reviews_intro: "Andelen er de relevante sager, der opfylder kriteriet. Der gemmes kun samlede antal, aldrig oplysninger om en enkelt sag.",
    rounds: ["Første runde", "Seneste runde"],
    review_columns: ["Kriterium", "Første runde", "Seneste runde", "Ændring"],
    cases: "sager",
    of: "af",
    not_met: "ikke opfyldt",
    no_relevant: "ingen relevante sager",
    points: "procentpoint",
    one_round: "Kun én runde indtil videre; ændringen vises, når der er en ny.",
    not_comparable: "Runderne er gennemgået efter forskellige versioner af kriterierne; ændringen beregnes ikke.",
    chart: "Graf",
};

const EN: YardstickWords = YardstickWords {
    assessment: "The Task Force's assessment",
    assessment_voice: "The Task Force's own assessment, apart from the municipality's account.",
    written_by: "Written by",
    recommendations: "The Task Force's recommendations",
    recommendation: "Recommendation",
    analysis: "Analysis",
    recommendation_columns: ["No.", "Recommendation", "Theme", "Answered by", "Status"],
    nothing_answers: "no initiative or indicator yet",
    unaddressed_note: "recommendations are not yet answered by any initiative or indicator.",
    case_reviews: "Case reviews",
    case_reviews_intro: "The share is of the relevant cases that meet the criterion. Only totals are stored, never anything about a single case.",
    rounds: ["First round", "Latest round"],
    review_columns: ["Criterion", "First round", "Latest round", "Change"],
    cases: "cases",
    of: "of",
    not_met: "not met",
    no_relevant: "no relevant cases",
    points: "percentage points",
    one_round: "Only one round so far; the change is shown once there is another.",
    not_comparable: "The rounds were reviewed against different versions of the criteria; no change is computed.",
    chart: "Chart",
};

/// The words for `lang`.
pub fn words(lang: Lang) -> &'static YardstickWords {
    match lang {
        Lang::Da => &DA,
        Lang::En => &EN,
    }
}

/// A theme in words.
pub fn theme(lang: Lang, theme: Theme) -> &'static str {
    use Theme as T;
    match (lang, theme) {
        (Lang::Da, T::FagligUdredning) => "faglig udredning",
        (Lang::Da, T::ValgAfIndsats) => "valg af indsats",
        (Lang::Da, T::Opfoelgning) => "opfølgning",
        (Lang::Da, T::Inddragelse) => "inddragelse",
        (Lang::Da, T::StyringOgLedelse) => "styring og ledelse",
        (Lang::Da, T::Tvaerfagligt) => "tværfagligt samarbejde",
        (Lang::Da, T::Forebyggelse) => "forebyggelse",
        (Lang::Da, T::Underretning) => "underretninger",
        (Lang::En, T::FagligUdredning) => "professional investigation",
        (Lang::En, T::ValgAfIndsats) => "choice of intervention",
        (Lang::En, T::Opfoelgning) => "follow-up",
        (Lang::En, T::Inddragelse) => "involving child and family",
        (Lang::En, T::StyringOgLedelse) => "management and leadership",
        (Lang::En, T::Tvaerfagligt) => "cross-disciplinary work",
        (Lang::En, T::Forebyggelse) => "prevention",
        (Lang::En, T::Underretning) => "notifications",
    }
}

/// A kind of review in words.
pub fn review_kind(lang: Lang, kind: ReviewKind) -> &'static str {
    match (lang, kind) {
        (Lang::Da, ReviewKind::Legal) => "Juridisk sagsgennemgang (Ankestyrelsen)",
        (Lang::Da, ReviewKind::SocialWork) => "Socialfaglig sagsgennemgang (Socialstyrelsen)",
        (Lang::Da, ReviewKind::SelfReview) => "Kommunens egen stikprøve",
        (Lang::En, ReviewKind::Legal) => "Legal case review (Ankestyrelsen)",
        (Lang::En, ReviewKind::SocialWork) => "Social-work case review (Socialstyrelsen)",
        (Lang::En, ReviewKind::SelfReview) => "The municipality's own sample",
    }
}

/// A phase in words.
pub fn review_phase(lang: Lang, phase: ReviewPhase) -> &'static str {
    match (lang, phase) {
        (Lang::Da, ReviewPhase::Baseline) => "udgangspunkt",
        (Lang::Da, ReviewPhase::FollowUp) => "opfølgning",
        (Lang::Da, ReviewPhase::Final) => "afsluttende",
        (Lang::En, ReviewPhase::Baseline) => "baseline",
        (Lang::En, ReviewPhase::FollowUp) => "follow-up",
        (Lang::En, ReviewPhase::Final) => "final",
    }
}

/// A recommendation's status in words.
pub fn recommendation_status(lang: Lang, status: RecommendationStatus) -> &'static str {
    match (lang, health_of(status)) {
        (_, Some(health)) => labels::health(lang, health),
        (Lang::Da, None) => "ikke besvaret",
        (Lang::En, None) => "unaddressed",
    }
}

fn health_of(status: RecommendationStatus) -> Option<Health> {
    use RecommendationStatus as R;
    match status {
        R::Unaddressed => None,
        R::NoTarget => Some(Health::NoTarget),
        R::NoData => Some(Health::NoData),
        R::Green => Some(Health::Green),
        R::Amber => Some(Health::Amber),
        R::Stale => Some(Health::Stale),
        R::Red => Some(Health::Red),
    }
}

fn status_of(lang: Lang, status: RecommendationStatus) -> Status {
    match health_of(status) {
        Some(health) => Status::new(lang, health),
        None => Status {
            word: recommendation_status(lang, status),
            symbol: "∅",
            colour: "#5f6368",
            key: "unaddressed",
        },
    }
}

/// A criterion's title in the document's language, from the criteria set of
/// the latest round (the stored title where the set is unknown).
pub fn criterion_title(lang: Lang, course: &ReviewCourse, key: &str, stored: &str) -> String {
    let criterion = criteria::find(&course.criteria_key, course.criteria_version)
        .and_then(|set| set.criterion(key));
    match (lang, criterion) {
        (Lang::Da, Some(c)) => c.title.clone(),
        (Lang::En, Some(c)) => c.title_en.clone(),
        (_, None) => stored.to_owned(),
    }
}

/// A round's result as a table cell: "53 % (9 af 17)", "<5 af 17", "<5 ikke
/// opfyldt af 17" or "ingen relevante sager".
pub fn result_text(document: &ExportDocument, result: &ShownResult) -> String {
    let lang = document.lang;
    let w = words(lang);
    let small = labels::suppressed(document.small_count_threshold);
    let relevant = result.relevant;
    match (result.met, result.not_met, result.share) {
        _ if relevant == 0 => w.no_relevant.to_owned(),
        (Some(met), Some(_), Some(share)) => {
            format!("{} ({met} {} {relevant})", percent(lang, share), w.of)
        }
        (None, _, _) => format!("{small} {} {relevant}", w.of),
        (Some(_), _, _) => format!("{small} {} {} {relevant}", w.not_met, w.of),
    }
}

/// A share as a whole percentage: "53 %".
pub fn percent(lang: Lang, share: f64) -> String {
    format!("{} %", labels::number(lang, (share * 100.0).round()))
}

/// "+25,3 procentpoint".
pub fn change_text(lang: Lang, change: f64) -> String {
    let sign = if change > 0.0 { "+" } else { "" };
    format!(
        "{sign}{} {}",
        labels::number(lang, change),
        words(lang).points
    )
}

/// "15. februar 2021 (udgangspunkt, 20 sager)".
pub fn round_text(lang: Lang, round: &RoundSummary) -> String {
    format!(
        "{} ({}, {} {})",
        labels::date(lang, round.reviewed_on),
        review_phase(lang, round.phase),
        round.cases_reviewed,
        words(lang).cases
    )
}

/// The Task Force's part as the document shows it.
#[derive(Debug, Serialize)]
pub struct Yardstick {
    /// Its headings and column names.
    pub words: &'static YardstickWords,
    /// The Task Force's overall assessment.
    pub assessment: Option<AssessmentView>,
    /// The recommendations, when the plan has any.
    pub recommendations: Option<Recommendations>,
    /// Per kind of review.
    pub case_reviews: Vec<Course>,
}

/// The Task Force's overall assessment.
#[derive(Debug, Serialize)]
pub struct AssessmentView {
    /// "Skrevet af Navn".
    pub byline: String,
    /// The assessment, in paragraphs.
    pub paragraphs: Vec<String>,
}

/// The recommendations table.
#[derive(Debug, Serialize)]
pub struct Recommendations {
    /// "Analyse: title, date, url" as label/value, when recorded.
    pub analysis: Option<Pair>,
    /// Rows in number order.
    pub rows: Vec<RecommendationRow>,
    /// "2 af 5 anbefalinger besvares endnu ikke …", when any is unaddressed.
    pub unaddressed: Option<String>,
}

/// One recommendation.
#[derive(Debug, Serialize)]
pub struct RecommendationRow {
    /// "3".
    pub number: String,
    /// Title.
    pub title: String,
    /// Theme in words.
    pub theme: &'static str,
    /// The initiatives' and indicators' names, or the "nothing yet" phrase.
    pub answered_by: Vec<String>,
    /// Status.
    pub status: Status,
}

/// One kind of review: first round against latest.
#[derive(Debug, Serialize)]
pub struct Course {
    /// "Juridisk sagsgennemgang (Ankestyrelsen)".
    pub heading: &'static str,
    /// The rounds compared, as label/value.
    pub rounds: Vec<Pair>,
    /// The bar chart (SVG), unless no share may be shown.
    pub chart: Option<String>,
    /// The chart in words, for screen readers.
    pub chart_text: String,
    /// Rows: criterion, first round, latest round, change.
    pub rows: Vec<[String; 4]>,
    /// Why there is no change column content, when there is none.
    pub note: Option<String>,
}

/// The Task Force's part of `document`.
pub fn build(document: &ExportDocument) -> Yardstick {
    let lang = document.lang;
    let snapshot = &document.snapshot;
    Yardstick {
        words: words(lang),
        assessment: snapshot.assessment.as_ref().map(|a| AssessmentView {
            byline: format!("{} {}", words(lang).written_by, a.author_name),
            paragraphs: paragraphs(&a.overall),
        }),
        recommendations: (!snapshot.recommendations.is_empty()).then(|| recommendations(document)),
        case_reviews: snapshot
            .case_reviews
            .iter()
            .map(|c| course(document, c))
            .collect(),
    }
}

/// The Task Force's assessment of the focus area `id`, in paragraphs.
pub fn area_assessment(
    document: &ExportDocument,
    id: crate::domain::FocusAreaId,
) -> Option<Vec<String>> {
    let assessment = document.snapshot.assessment.as_ref()?;
    let area = assessment
        .focus_areas
        .iter()
        .find(|a| a.focus_area_id == id)?;
    Some(paragraphs(&area.text)).filter(|p| !p.is_empty())
}

fn recommendations(document: &ExportDocument) -> Recommendations {
    let lang = document.lang;
    let w = words(lang);
    let snapshot = &document.snapshot;
    let analysis = snapshot.plan.analysis.as_ref().map(|a| {
        let parts: Vec<String> = [
            a.title.clone(),
            a.date.map(|d| labels::date(lang, d)),
            a.url.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        Pair {
            label: w.analysis,
            value: parts.join(" · "),
        }
    });
    let rows: Vec<RecommendationRow> = snapshot
        .recommendations
        .iter()
        .map(|r| recommendation_row(document, r))
        .collect();
    let unaddressed = snapshot
        .recommendations
        .iter()
        .filter(|r| r.status == RecommendationStatus::Unaddressed)
        .count();
    Recommendations {
        analysis,
        unaddressed: (unaddressed > 0).then(|| {
            format!(
                "{unaddressed} {} {} {}",
                labels::words(lang).of,
                rows.len(),
                w.unaddressed_note
            )
        }),
        rows,
    }
}

/// The titles of the initiatives and the names of the indicators that answer
/// `recommendation`, in document order.
pub fn answered_by(
    document: &ExportDocument,
    recommendation: &SnapshotRecommendation,
) -> Vec<String> {
    let initiatives = document
        .snapshot
        .focus_areas
        .iter()
        .flat_map(|a| a.initiatives.iter())
        .filter(|i| recommendation.initiative_ids.contains(&i.id))
        .map(|i| i.title.clone());
    let indicators = document
        .indicators()
        .filter(|i| recommendation.indicator_ids.contains(&i.indicator_id))
        .map(|i| i.name.clone());
    initiatives.chain(indicators).collect()
}

fn recommendation_row(
    document: &ExportDocument,
    recommendation: &SnapshotRecommendation,
) -> RecommendationRow {
    let lang = document.lang;
    let mut answered_by = answered_by(document, recommendation);
    if answered_by.is_empty() {
        answered_by.push(words(lang).nothing_answers.to_owned());
    }
    RecommendationRow {
        number: recommendation.number.to_string(),
        title: recommendation.title.clone(),
        theme: theme(lang, recommendation.theme),
        answered_by,
        status: status_of(lang, recommendation.status),
    }
}

/// One criterion of a course as the committee may see it.
struct CriterionShown {
    title: String,
    first: Option<ShownResult>,
    latest: Option<ShownResult>,
    change_pp: Option<f64>,
}

fn course(document: &ExportDocument, course: &ReviewCourse) -> Course {
    let lang = document.lang;
    let w = words(lang);
    let threshold = document.small_count_threshold;
    let mut rounds = vec![Pair {
        label: w.rounds[0],
        value: round_text(lang, &course.first),
    }];
    if let Some(latest) = &course.latest {
        rounds.push(Pair {
            label: w.rounds[1],
            value: round_text(lang, latest),
        });
    }
    let shown: Vec<CriterionShown> = course
        .criteria
        .iter()
        .map(|c| {
            let first = c.from.as_ref().map(|s| ShownResult::new(s, threshold));
            let latest = c.to.as_ref().map(|s| ShownResult::new(s, threshold));
            CriterionShown {
                title: criterion_title(lang, course, &c.criterion_key, &c.title),
                change_pp: shown_change(c.change_pp, first, latest),
                first,
                latest,
            }
        })
        .collect();
    let dash = || "–".to_owned();
    let rows = shown
        .iter()
        .map(|c| {
            let cell = |r: Option<ShownResult>| r.map_or_else(dash, |r| result_text(document, &r));
            [
                c.title.clone(),
                cell(c.first),
                cell(c.latest),
                c.change_pp.map_or_else(dash, |pp| change_text(lang, pp)),
            ]
        })
        .collect();
    let same_criteria = course
        .latest
        .as_ref()
        .is_none_or(|latest| latest.criteria == course.first.criteria);
    let note = if course.latest.is_none() {
        Some(w.one_round.to_owned())
    } else {
        (!same_criteria).then(|| w.not_comparable.to_owned())
    };
    let legend: Vec<String> = std::iter::once(&course.first)
        .chain(&course.latest)
        .zip(w.rounds)
        .map(|(round, name)| format!("{name} ({})", labels::short_date(lang, round.reviewed_on)))
        .collect();
    let bars: Vec<review_chart::Bar> = shown.iter().map(|c| bar(document, c)).collect();
    Course {
        heading: review_kind(lang, course.kind),
        chart_text: chart_text(document, course, &shown),
        chart: review_chart::render(&bars, &legend),
        rounds,
        rows,
        note,
    }
}

/// A criterion's bars: the share where it may be shown, else "<5" (a
/// withheld count) or "–" (not reviewed, or no relevant case).
fn bar(document: &ExportDocument, criterion: &CriterionShown) -> review_chart::Bar {
    let value = |result: Option<ShownResult>| {
        result.map(|r| review_chart::BarValue {
            share: r.share,
            label: match r.share {
                Some(share) => percent(document.lang, share),
                None if r.relevant > 0 => labels::suppressed(document.small_count_threshold),
                None => "–".to_owned(),
            },
        })
    };
    review_chart::Bar {
        title: criterion.title.clone(),
        first: value(criterion.first),
        latest: value(criterion.latest),
    }
}

/// What a sighted reader takes from the bars, in one sentence per criterion.
fn chart_text(
    document: &ExportDocument,
    course: &ReviewCourse,
    shown: &[CriterionShown],
) -> String {
    let lang = document.lang;
    let w = words(lang);
    let share = |r: Option<ShownResult>| {
        r.and_then(|r| r.share)
            .map_or_else(|| "–".to_owned(), |s| percent(lang, s))
    };
    let mut parts = vec![format!("{}: {}", w.chart, review_kind(lang, course.kind))];
    parts.extend(shown.iter().map(|c| match course.latest {
        Some(_) => format!("{} {} → {}", c.title, share(c.first), share(c.latest)),
        None => format!("{} {}", c.title, share(c.first)),
    }));
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(met: i32, not_met: i32, not_relevant: i32) -> Shares {
        Shares {
            met,
            not_met,
            not_relevant,
            share: crate::case_reviews::share(met, not_met),
        }
    }

    #[test]
    fn a_small_count_hides_itself_and_the_share() {
        let shown = ShownResult::new(&shares(9, 8, 3), 5);
        assert_eq!(
            (shown.met, shown.not_met, shown.relevant),
            (Some(9), Some(8), 17)
        );
        assert!(shown.share.is_some() && !shown.suppressed());
        let few_met = ShownResult::new(&shares(3, 14, 3), 5);
        assert_eq!((few_met.met, few_met.share), (None, None));
        assert!(few_met.suppressed());
        let few_missed = ShownResult::new(&shares(16, 1, 3), 5);
        assert_eq!((few_missed.not_met, few_missed.share), (None, None));
        let none_relevant = ShownResult::new(&shares(0, 0, 20), 5);
        assert_eq!(none_relevant.share, None);
        assert!(
            !none_relevant.suppressed(),
            "nothing to hide without relevant cases"
        );
    }

    #[test]
    fn a_change_is_shown_only_between_two_visible_shares() {
        let visible = ShownResult::new(&shares(9, 8, 3), 5);
        let hidden = ShownResult::new(&shares(2, 15, 3), 5);
        assert_eq!(
            shown_change(Some(10.0), Some(visible), Some(visible)),
            Some(10.0)
        );
        assert_eq!(shown_change(Some(10.0), Some(hidden), Some(visible)), None);
        assert_eq!(shown_change(None, Some(visible), Some(visible)), None);
    }
}

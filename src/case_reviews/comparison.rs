//! Two rounds side by side: per criterion both shares and the change in
//! percentage points, and where a share cannot be compared, why.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{CaseReview, CriterionResult, criteria};
use crate::domain::{CaseReviewId, ReviewKind, ReviewPhase};

/// One round as the comparison names it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RoundSummary {
    /// The round.
    pub id: CaseReviewId,
    /// Who reviewed.
    pub kind: ReviewKind,
    /// Where in the process.
    pub phase: ReviewPhase,
    /// When.
    pub reviewed_on: chrono::NaiveDate,
    /// How many cases.
    pub cases_reviewed: i32,
    /// The criteria set and version reviewed against.
    pub criteria: String,
}

/// One criterion's counts and share in one round.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Shares {
    /// Cases that met it.
    pub met: i32,
    /// Cases that did not.
    pub not_met: i32,
    /// Cases where it did not apply.
    pub not_relevant: i32,
    /// `met ÷ (met + not_met)`; `null` without relevant cases.
    pub share: Option<f64>,
}

/// One criterion across the two rounds.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CriterionComparison {
    /// The criterion.
    pub criterion_key: String,
    /// Its title in the newer round's criteria set (the key where it has none).
    pub title: String,
    /// In the older round; `null` when it was not reviewed there.
    pub from: Option<Shares>,
    /// In the newer round; `null` when it was not reviewed there.
    pub to: Option<Shares>,
    /// The change of the share in percentage points, when both shares exist
    /// and the rounds used the same criteria set version.
    pub change_pp: Option<f64>,
    /// Why there is no change, when there is none.
    pub not_comparable: Option<String>,
}

/// Two rounds of a plan compared.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReviewComparison {
    /// The older round.
    pub from: RoundSummary,
    /// The newer round.
    pub to: RoundSummary,
    /// Whether both used the same criteria set version.
    pub same_criteria: bool,
    /// Per criterion of either round, in the newer set's order.
    pub criteria: Vec<CriterionComparison>,
}

fn summary(round: &CaseReview) -> RoundSummary {
    RoundSummary {
        id: round.id,
        kind: round.kind,
        phase: round.phase,
        reviewed_on: round.reviewed_on,
        cases_reviewed: round.cases_reviewed,
        criteria: format!("{} v{}", round.criteria_key, round.criteria_version),
    }
}

fn shares(result: &CriterionResult) -> Shares {
    Shares {
        met: result.met,
        not_met: result.not_met,
        not_relevant: result.not_relevant,
        share: result.share,
    }
}

/// Compares `from` with `to`.
pub fn compare(from: &CaseReview, to: &CaseReview) -> ReviewComparison {
    let same_criteria =
        from.criteria_key == to.criteria_key && from.criteria_version == to.criteria_version;
    let set = criteria::find(&to.criteria_key, to.criteria_version);
    let mut keys: Vec<&str> = to
        .results
        .iter()
        .map(|r| r.criterion_key.as_str())
        .collect();
    for result in &from.results {
        if !keys.contains(&result.criterion_key.as_str()) {
            keys.push(&result.criterion_key);
        }
    }
    let criteria = keys
        .into_iter()
        .map(|key| {
            let before = from.results.iter().find(|r| r.criterion_key == key);
            let after = to.results.iter().find(|r| r.criterion_key == key);
            let (change_pp, not_comparable) = change(same_criteria, before, after);
            CriterionComparison {
                criterion_key: key.to_owned(),
                title: set
                    .and_then(|s| s.criterion(key))
                    .map_or_else(|| key.to_owned(), |c| c.title.clone()),
                from: before.map(shares),
                to: after.map(shares),
                change_pp,
                not_comparable,
            }
        })
        .collect();
    ReviewComparison {
        from: summary(from),
        to: summary(to),
        same_criteria,
        criteria,
    }
}

fn change(
    same_criteria: bool,
    before: Option<&CriterionResult>,
    after: Option<&CriterionResult>,
) -> (Option<f64>, Option<String>) {
    let why = |reason: &str| (None, Some(reason.to_owned()));
    if !same_criteria {
        return why("the rounds were reviewed against different criteria set versions");
    }
    let (Some(before), Some(after)) = (before, after) else {
        return why("reviewed in only one of the rounds");
    };
    match (before.share, after.share) {
        (Some(a), Some(b)) => (Some(((b - a) * 1000.0).round() / 10.0), None),
        (None, _) => why("no relevant case in the older round"),
        (_, None) => why("no relevant case in the newer round"),
    }
}

/// One kind of review across a plan's rounds: its first round against its
/// latest, as a status report shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReviewCourse {
    /// Who reviewed.
    pub kind: ReviewKind,
    /// How many rounds of this kind the plan had.
    pub rounds: i32,
    /// The first round.
    pub first: RoundSummary,
    /// The latest round; `null` while the first is the only one.
    pub latest: Option<RoundSummary>,
    /// The criteria set of the latest round, whose titles the documents use.
    pub criteria_key: String,
    /// Its version.
    pub criteria_version: i32,
    /// Per criterion: `from` in the first round, `to` in the latest (`null`
    /// while there is only one round).
    pub criteria: Vec<CriterionComparison>,
}

/// Per kind of review (legal, social work, self review), the first round of
/// `rounds` against the latest; `rounds` are in review order.
pub fn courses(rounds: &[CaseReview]) -> Vec<ReviewCourse> {
    ReviewKind::ALL
        .iter()
        .filter_map(|kind| {
            let of_kind: Vec<&CaseReview> = rounds.iter().filter(|r| r.kind == *kind).collect();
            let (first, latest) = (of_kind.first()?, of_kind.last()?);
            let rounds = i32::try_from(of_kind.len()).unwrap_or(i32::MAX);
            Some(if first.id == latest.id {
                only_round(first)
            } else {
                course(compare(first, latest), latest, rounds)
            })
        })
        .collect()
}

fn course(comparison: ReviewComparison, latest: &CaseReview, rounds: i32) -> ReviewCourse {
    ReviewCourse {
        kind: comparison.from.kind,
        rounds,
        first: comparison.from,
        latest: Some(comparison.to),
        criteria_key: latest.criteria_key.clone(),
        criteria_version: latest.criteria_version,
        criteria: comparison.criteria,
    }
}

fn only_round(round: &CaseReview) -> ReviewCourse {
    let set = criteria::find(&round.criteria_key, round.criteria_version);
    ReviewCourse {
        kind: round.kind,
        rounds: 1,
        first: summary(round),
        latest: None,
        criteria_key: round.criteria_key.clone(),
        criteria_version: round.criteria_version,
        criteria: round
            .results
            .iter()
            .map(|result| CriterionComparison {
                criterion_key: result.criterion_key.clone(),
                title: set
                    .and_then(|s| s.criterion(&result.criterion_key))
                    .map_or_else(|| result.criterion_key.clone(), |c| c.title.clone()),
                from: Some(shares(result)),
                to: None,
                change_pp: None,
                not_comparable: Some("only one round so far".to_owned()),
            })
            .collect(),
    }
}

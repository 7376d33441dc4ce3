//! Case-review rounds: how many of the reviewed cases met each criterion, at
//! the start (`baseline`), along the way (`follow_up`) and at the end
//! (`final`) of a Task Force process. Aggregates only: no case number, no
//! per-case row, and the CPR guard on every text. The Task Force records its
//! `legal` and `social_work` reviews; the municipality its `self_review`.

mod comparison;
pub mod criteria;
mod handlers;
mod queries;

pub use comparison::{
    CriterionComparison, ReviewComparison, ReviewCourse, RoundSummary, Shares, compare, courses,
};
pub use handlers::routes;
pub use queries::of_plan;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::concurrency::Versioned;
use crate::db::schema::case_reviews;
use crate::domain::{CaseReviewId, LongText, PlanId, ReviewKind, ReviewPhase};
use crate::error::{ApiError, FieldCode, FieldError, Refusal};
use crate::resource::{Entity, Resource};

/// The most cases one round may count.
pub const MAX_CASES: i32 = 10_000;

/// A round as stored; `results` is the JSON array of [`StoredResult`].
#[derive(Debug, Clone, diesel::prelude::Queryable, diesel::prelude::Selectable)]
#[diesel(table_name = case_reviews, check_for_backend(diesel::pg::Pg))]
pub struct CaseReviewRow {
    id: CaseReviewId,
    plan_id: PlanId,
    kind: ReviewKind,
    phase: ReviewPhase,
    reviewed_on: NaiveDate,
    cases_reviewed: i32,
    criteria_key: String,
    criteria_version: i32,
    results: serde_json::Value,
    note: String,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// One criterion's counts as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredResult {
    criterion_key: String,
    met: i32,
    not_met: i32,
    not_relevant: i32,
    note: Option<String>,
}

/// One case-review round of a plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseReview {
    /// Id.
    pub id: CaseReviewId,
    /// The plan whose casework was reviewed.
    pub plan_id: PlanId,
    /// Who reviewed: the Task Force's legal or social-work review, or the municipality's own.
    pub kind: ReviewKind,
    /// Where in the process.
    pub phase: ReviewPhase,
    /// When the review was made.
    pub reviewed_on: NaiveDate,
    /// How many cases were reviewed.
    #[schema(example = 20)]
    pub cases_reviewed: i32,
    /// The criteria set reviewed against.
    #[schema(example = "task_force")]
    pub criteria_key: String,
    /// Its version.
    #[schema(example = 1)]
    pub criteria_version: i32,
    /// Per criterion, in the set's order.
    pub results: Vec<CriterionResult>,
    /// The reviewers' overall note; may be empty.
    pub note: String,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// How many of the reviewed cases met one criterion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CriterionResult {
    /// The criterion.
    #[schema(example = "investigation_within_4_months")]
    pub criterion_key: String,
    /// Cases that met it.
    pub met: i32,
    /// Cases that did not.
    pub not_met: i32,
    /// Cases where it did not apply.
    pub not_relevant: i32,
    /// `met ÷ (met + not_met)`; `null` when no case was relevant.
    pub share: Option<f64>,
    /// The reviewers' note on it.
    pub note: Option<String>,
}

/// The share of relevant cases that met a criterion, or none without relevant cases.
pub fn share(met: i32, not_met: i32) -> Option<f64> {
    let relevant = met + not_met;
    (relevant > 0).then(|| f64::from(met) / f64::from(relevant))
}

impl CaseReviewRow {
    /// The round as answered, its results in the set's order.
    pub fn into_review(self) -> Result<CaseReview, ApiError> {
        let stored: Vec<StoredResult> = serde_json::from_value(self.results)
            .map_err(|e| ApiError::Internal(format!("stored case-review results: {e}")))?;
        Ok(CaseReview {
            id: self.id,
            plan_id: self.plan_id,
            kind: self.kind,
            phase: self.phase,
            reviewed_on: self.reviewed_on,
            cases_reviewed: self.cases_reviewed,
            criteria_key: self.criteria_key,
            criteria_version: self.criteria_version,
            results: stored
                .into_iter()
                .map(|r| CriterionResult {
                    share: share(r.met, r.not_met),
                    criterion_key: r.criterion_key,
                    met: r.met,
                    not_met: r.not_met,
                    not_relevant: r.not_relevant,
                    note: r.note,
                })
                .collect(),
            note: self.note,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

impl Resource for CaseReview {
    const ENTITY: Entity = Entity::CASE_REVIEW;

    fn audit_id(&self) -> Uuid {
        self.id.0
    }
}

impl Versioned for CaseReview {
    fn version(&self) -> i32 {
        self.version
    }
}

/// The body that records a round.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseReviewInput {
    /// Who reviewed. `legal` and `social_work` are the Task Force's (consultants
    /// record them); `self_review` is the municipality's (editors and consultants).
    pub kind: ReviewKind,
    /// Where in the process.
    pub phase: ReviewPhase,
    /// When the review was made.
    #[serde(deserialize_with = "crate::domain::strict_date")]
    #[schema(example = "2021-02-15")]
    pub reviewed_on: NaiveDate,
    /// How many cases were reviewed (1–10,000).
    #[serde(deserialize_with = "crate::json::integer")]
    #[schema(minimum = 1, maximum = 10000, example = 20)]
    pub cases_reviewed: i32,
    /// The criteria set (see GET /api/v1/case-review-criteria); `task_force` when absent.
    #[schema(example = "task_force")]
    pub criteria_key: Option<String>,
    /// Its version; the newest when absent.
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[schema(minimum = 1)]
    pub criteria_version: Option<i32>,
    /// Per criterion reviewed, its counts; each adds up to `cases_reviewed`.
    #[schema(max_items = 200)]
    pub results: Vec<CriterionResultInput>,
    /// The reviewers' overall note, up to 20,000 characters; never a case's details.
    #[schema(max_length = 20000)]
    pub note: Option<String>,
}

/// One criterion's counts in a round.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionResultInput {
    /// The criterion, a key of the round's criteria set used by its kind of review.
    #[schema(example = "investigation_within_4_months")]
    pub criterion_key: String,
    /// Cases that met it.
    #[serde(deserialize_with = "crate::json::integer")]
    #[schema(minimum = 0, maximum = 10000, example = 9)]
    pub met: i32,
    /// Cases that did not.
    #[serde(deserialize_with = "crate::json::integer")]
    #[schema(minimum = 0, maximum = 10000, example = 8)]
    pub not_met: i32,
    /// Cases where it did not apply.
    #[serde(deserialize_with = "crate::json::integer")]
    #[schema(minimum = 0, maximum = 10000, example = 3)]
    pub not_relevant: i32,
    /// A note on it, up to 2,000 characters; never a case's details.
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Changes to a round; absent fields stay as they are. Its kind and criteria
/// set stay what they were recorded with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseReviewPatch {
    /// New phase.
    pub phase: Option<ReviewPhase>,
    /// New date.
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub reviewed_on: Option<NaiveDate>,
    /// New number of cases (the results must add up to it).
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[schema(minimum = 1, maximum = 10000)]
    pub cases_reviewed: Option<i32>,
    /// The results, replacing the current ones.
    #[schema(max_items = 200)]
    pub results: Option<Vec<CriterionResultInput>>,
    /// New note.
    #[schema(max_length = 20000)]
    pub note: Option<String>,
}

/// Validated round fields, ready to store.
#[derive(Debug, diesel::prelude::Insertable, diesel::prelude::AsChangeset)]
#[diesel(table_name = case_reviews)]
pub struct CaseReviewFields {
    kind: ReviewKind,
    phase: ReviewPhase,
    reviewed_on: NaiveDate,
    cases_reviewed: i32,
    criteria_key: String,
    criteria_version: i32,
    results: serde_json::Value,
    note: String,
}

impl CaseReviewInput {
    /// Parses the body against its criteria set: every criterion known and
    /// used by the kind of review, each once, its counts adding up.
    pub fn parse(self) -> Result<CaseReviewFields, ApiError> {
        let key = self.criteria_key.unwrap_or_else(|| "task_force".into());
        let set = match self.criteria_version {
            Some(version) => criteria::find(&key, version),
            None => criteria::latest(&key),
        }
        .ok_or_else(|| {
            ApiError::invalid(
                "criteria_key",
                crate::error::FieldCode::UnknownValue,
                "no such criteria set (version); see GET /api/v1/case-review-criteria",
            )
        })?;
        let mut errors = Vec::new();
        if !(1..=MAX_CASES).contains(&self.cases_reviewed) {
            errors.push(FieldError::new(
                "cases_reviewed",
                Refusal::new(FieldCode::OutOfRange, "must be between 1 and 10000"),
            ));
        }
        if self.results.len() > 200 {
            errors.push(FieldError::new(
                "results",
                Refusal::new(FieldCode::TooMany, "must hold at most 200 criteria"),
            ));
        }
        let note = LongText::parse(self.note).map_err(|m| errors.push(FieldError::new("note", m)));
        let mut stored: Vec<StoredResult> = Vec::new();
        for result in self.results {
            let field = format!("results.{}", result.criterion_key);
            match check_result(set, self.kind, self.cases_reviewed, &stored, result) {
                Ok(valid) => stored.push(valid),
                Err(message) => errors.push(FieldError::new(&field, message)),
            }
        }
        if stored.is_empty() && errors.is_empty() {
            errors.push(FieldError::new(
                "results",
                Refusal::new(FieldCode::Required, "must count at least one criterion"),
            ));
        }
        let (Ok(note), true) = (note, errors.is_empty()) else {
            return Err(ApiError::Validation(errors));
        };
        stored.sort_by_key(|r| {
            set.criterion(&r.criterion_key)
                .map_or(i32::MAX, |c| c.position)
        });
        Ok(CaseReviewFields {
            kind: self.kind,
            phase: self.phase,
            reviewed_on: self.reviewed_on,
            cases_reviewed: self.cases_reviewed,
            criteria_key: set.key.clone(),
            criteria_version: set.version,
            results: serde_json::to_value(stored)
                .map_err(|e| ApiError::Internal(format!("case-review results: {e}")))?,
            note: note.into_inner(),
        })
    }
}

fn check_result(
    set: &criteria::CriteriaSet,
    kind: ReviewKind,
    cases_reviewed: i32,
    earlier: &[StoredResult],
    result: CriterionResultInput,
) -> Result<StoredResult, Refusal> {
    let criterion = set.criterion(&result.criterion_key).ok_or_else(|| {
        let message = format!("is not a criterion of {} version {}", set.key, set.version);
        Refusal::new(FieldCode::UnknownValue, message)
    })?;
    if !criterion.kinds.contains(&kind) {
        return Err(Refusal::new(
            FieldCode::NotAllowed,
            format!("is not used by a {} review", kind.as_str()),
        ));
    }
    if earlier
        .iter()
        .any(|r| r.criterion_key == result.criterion_key)
    {
        return Err(Refusal::new(FieldCode::Duplicate, "is counted twice"));
    }
    let counts = [result.met, result.not_met, result.not_relevant];
    if counts.iter().any(|c| !(0..=MAX_CASES).contains(c)) {
        return Err(Refusal::new(
            FieldCode::OutOfRange,
            "counts must be between 0 and 10000",
        ));
    }
    let total: i32 = counts.iter().sum();
    if total != cases_reviewed {
        return Err(Refusal::new(
            FieldCode::Inconsistent,
            format!(
                "met + not_met + not_relevant is {total}, but {cases_reviewed} cases were reviewed"
            ),
        ));
    }
    let note = LongText::parse(result.note)?.into_inner();
    if note.chars().count() > 2000 {
        return Err(Refusal::new(
            FieldCode::TooLong,
            "its note must be at most 2000 characters",
        ));
    }
    Ok(StoredResult {
        criterion_key: result.criterion_key,
        met: result.met,
        not_met: result.not_met,
        not_relevant: result.not_relevant,
        note: (!note.is_empty()).then_some(note),
    })
}

impl CaseReviewPatch {
    /// The full input after applying this patch to `current`.
    pub fn apply_to(self, current: &CaseReview) -> CaseReviewInput {
        CaseReviewInput {
            kind: current.kind,
            phase: self.phase.unwrap_or(current.phase),
            reviewed_on: self.reviewed_on.unwrap_or(current.reviewed_on),
            cases_reviewed: self.cases_reviewed.unwrap_or(current.cases_reviewed),
            criteria_key: Some(current.criteria_key.clone()),
            criteria_version: Some(current.criteria_version),
            results: self.results.unwrap_or_else(|| {
                current
                    .results
                    .iter()
                    .map(|r| CriterionResultInput {
                        criterion_key: r.criterion_key.clone(),
                        met: r.met,
                        not_met: r.not_met,
                        not_relevant: r.not_relevant,
                        note: r.note.clone(),
                    })
                    .collect()
            }),
            note: Some(self.note.unwrap_or_else(|| current.note.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn a_share_counts_only_relevant_cases_and_none_without_them() {
        assert_eq!(share(9, 8), Some(9.0 / 17.0));
        assert_eq!(share(0, 5), Some(0.0));
        assert_eq!(share(0, 0), None);
    }
}

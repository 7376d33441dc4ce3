//! The Task Force process for a plan: draft → submitted → approved → adopted →
//! active → closed, with submitted → draft as the one step back. Every
//! transition is recorded with who, when and why, and is an audit event.

mod handlers;
mod queries;

pub use handlers::routes;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::plan_transitions;
use crate::domain::{LongText, PlanId, PlanStatus, Title, UserId, web_address};
use crate::error::{ApiError, FieldCode, Refusal};
use crate::parse_fields;

/// One recorded transition.
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = plan_transitions, check_for_backend(diesel::pg::Pg))]
pub struct PlanTransition {
    /// Id.
    pub id: Uuid,
    /// The plan.
    pub plan_id: PlanId,
    /// Status before.
    pub from_status: PlanStatus,
    /// Status after.
    pub to_status: PlanStatus,
    /// Who moved it.
    pub actor_id: Option<UserId>,
    /// Their name at the time.
    pub actor_name: String,
    /// Why it was returned to draft.
    pub reason: Option<String>,
    /// The committee that adopted it.
    #[schema(example = "Børne- og Ungeudvalget")]
    pub committee: Option<String>,
    /// The committee's meeting date.
    pub meeting_date: Option<NaiveDate>,
    /// The committee's decision.
    #[schema(example = "Godkendt")]
    pub decision: Option<String>,
    /// Link to the agenda item.
    pub agenda_url: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The body of POST /plans/{plan_id}/transitions.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    /// The status to move to.
    pub to: PlanStatus,
    /// Required when returning to `draft`: why.
    pub reason: Option<String>,
    /// Required for `adopted`: the committee, e.g. "Børne- og Ungeudvalget".
    pub committee: Option<String>,
    /// Required for `adopted`: the meeting date.
    #[serde(default, deserialize_with = "crate::domain::strict_optional_date")]
    pub meeting_date: Option<NaiveDate>,
    /// Required for `adopted`: the decision text.
    pub decision: Option<String>,
    /// For `adopted`: link to the agenda item (http or https).
    #[schema(max_length = 2000, pattern = "^https?://")]
    pub agenda_url: Option<String>,
}

/// What a transition records besides the statuses.
#[derive(Debug, Default, diesel::prelude::Insertable)]
#[diesel(table_name = plan_transitions)]
pub struct TransitionDetails {
    reason: Option<String>,
    committee: Option<String>,
    meeting_date: Option<NaiveDate>,
    decision: Option<String>,
    agenda_url: Option<String>,
}

fn required<T>(value: Option<T>, why: &str) -> Result<T, Refusal> {
    value.ok_or_else(|| Refusal::new(FieldCode::Required, format!("is required {why}")))
}

impl TransitionInput {
    /// Parses what the target status needs: a reason to return, the committee's
    /// decision to adopt.
    pub fn parse(self) -> Result<(PlanStatus, TransitionDetails), ApiError> {
        let details = match self.to {
            PlanStatus::Draft => {
                let (reason,) = parse_fields! {
                    reason: required(self.reason, "to return a plan to draft").and_then(LongText::parse_required),
                }?;
                TransitionDetails {
                    reason: Some(reason.into_inner()),
                    ..Default::default()
                }
            }
            PlanStatus::Adopted => {
                let (committee, meeting_date, decision, agenda_url) = parse_fields! {
                    committee: required(self.committee, "to adopt a plan").and_then(Title::parse),
                    meeting_date: required(self.meeting_date, "to adopt a plan"),
                    decision: required(self.decision, "to adopt a plan").and_then(LongText::parse_required),
                    agenda_url: web_address(self.agenda_url),
                }?;
                TransitionDetails {
                    committee: Some(committee.into_inner()),
                    meeting_date: Some(meeting_date),
                    decision: Some(decision.into_inner()),
                    agenda_url,
                    ..Default::default()
                }
            }
            _ => TransitionDetails::default(),
        };
        Ok((self.to, details))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agenda_address_carrying_a_cpr_number_is_refused_even_percent_encoded() {
        let parsed = |url: &str| web_address(Some(url.into()));
        assert!(parsed("https://dagsorden.slagelse.dk/punkt?cpr=0102031234").is_err());
        assert!(parsed("https://dagsorden.slagelse.dk/punkt?q=010203%2D1234").is_err());
        assert!(
            parsed("https://dagsorden.slagelse.dk/punkt?q=%30%31%30%32%30%33%31%32%33%34").is_err()
        );
        assert!(parsed("https://dagsorden.slagelse.dk/2021-03-09/punkt-12").is_ok());
    }

    #[test]
    fn adopting_needs_the_committees_decision_and_returning_a_reason() {
        let input = |to, reason: Option<&str>| TransitionInput {
            to,
            reason: reason.map(str::to_owned),
            committee: None,
            meeting_date: None,
            decision: None,
            agenda_url: Some("ftp://x".into()),
        };
        let Err(ApiError::Validation(errors)) = input(PlanStatus::Adopted, None).parse() else {
            panic!("adoption without a decision must fail");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["committee", "meeting_date", "decision", "agenda_url"]
        );
        assert!(input(PlanStatus::Draft, None).parse().is_err());
        assert!(
            input(PlanStatus::Draft, Some("Mangler mål for punkt 3"))
                .parse()
                .is_ok()
        );
    }
}

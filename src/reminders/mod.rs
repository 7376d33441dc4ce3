//! Reminders: which indicator values are due soon or late, for whom, and the
//! e-mails that say so. An indicator's `owner` is reminded before and after
//! each period's due date (the period's end plus the indicator's
//! `grace_days`); a plan's editors get a weekly digest of what is late.
//!
//! The rules, in one place:
//! - the open periods of an indicator are those from the first one without a
//!   value (`progress::next_period_end`, the same rule as `stale`) to the end
//!   of the plan; `ad_hoc` indicators and closed plans have none;
//! - a period is **due soon** from `days_before` days before its due date,
//!   **late** from the day after its due date; the overdue reminder goes
//!   `days_after` days after the due date, and only for periods that ended
//!   within the last year (a plan left alone for years does not flood anyone);
//! - an owner is reminded only while they write in the plan's organization;
//! - each reminder has a key (kind, indicator, period, owner; for a digest:
//!   plan, editor, ISO week) that the outbox holds once, so nothing is sent
//!   twice, whichever instance or restart writes it.

mod handlers;
mod messages;
mod queries;
pub mod schedule;

pub use handlers::routes;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::{Frequency, IndicatorId, Language, OrganizationId, PlanId, UserId};
use crate::error::ApiError;
use crate::progress::{next_period_end, period_end};

/// When reminders go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderRules {
    /// Days before a due date that the owner is told it is coming.
    pub days_before: u32,
    /// Days after a due date that the owner is told it was missed.
    pub days_after: u32,
}

/// How far back a late period is still worth an e-mail.
const LOOKBACK_DAYS: u64 = 366;
/// The most open periods looked at per indicator (a monthly indicator of a
/// ten-year plan has 120).
const MAX_OPEN_PERIODS: usize = 240;

/// An indicator whose values someone must enter.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct Duty {
    /// The indicator.
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub indicator_id: IndicatorId,
    /// Its name.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub indicator_name: String,
    /// Its plan.
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub plan_id: PlanId,
    /// The plan's title.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub plan_title: String,
    /// The organization that owns the plan.
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub organization_id: OrganizationId,
    /// How often it is measured.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub frequency: Frequency,
    /// Days after a period's end its value is due.
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub grace_days: i32,
    /// Where its series starts: the baseline date, else the plan's start.
    #[diesel(sql_type = diesel::sql_types::Date)]
    pub start: NaiveDate,
    /// The plan's last day.
    #[diesel(sql_type = diesel::sql_types::Date)]
    pub plan_end: NaiveDate,
    /// The latest period with a value.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
    pub latest: Option<NaiveDate>,
    /// The owner, while they write in the plan's organization.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    pub owner_id: Option<UserId>,
    /// The owner's e-mail address.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub owner_email: Option<String>,
    /// The owner's name.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub owner_name: Option<String>,
    /// The owner's language.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub owner_language: Option<Language>,
}

/// A period whose value has not come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenPeriod {
    /// The period's last day.
    pub period_end: NaiveDate,
    /// The last day its value is on time.
    pub due_on: NaiveDate,
}

impl Duty {
    /// The periods without a value whose due date is at most `until`, oldest first.
    pub fn open_periods(&self, until: NaiveDate) -> Vec<OpenPeriod> {
        let grace = Days::new(u64::try_from(self.grace_days).unwrap_or(0));
        let mut periods = Vec::new();
        let mut next = next_period_end(self.latest, self.start, self.frequency);
        while let Some(period) = next.filter(|p| *p <= self.plan_end) {
            let Some(due_on) = period.checked_add_days(grace) else {
                break;
            };
            if due_on > until || periods.len() == MAX_OPEN_PERIODS {
                break;
            }
            periods.push(OpenPeriod {
                period_end: period,
                due_on,
            });
            next = period
                .checked_add_days(Days::new(1))
                .and_then(|d| period_end(d, self.frequency));
        }
        periods
    }
}

/// Whether a due value is still to come or already late.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    /// Due on `due_on` or within the window asked for.
    DueSoon,
    /// `due_on` has passed.
    Late,
}

/// A value the caller owns that is due soon or late.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DueValue {
    /// The indicator.
    pub indicator_id: IndicatorId,
    /// Its name.
    #[schema(example = "Andel underretninger vurderet inden for 24 timer")]
    pub indicator_name: String,
    /// Its plan.
    pub plan_id: PlanId,
    /// The plan's title.
    pub plan_title: String,
    /// The organization that owns the plan.
    pub organization_id: OrganizationId,
    /// The period the value is for (its last day): the `period_end` to record it under.
    pub period_end: NaiveDate,
    /// The last day the value is on time.
    pub due_on: NaiveDate,
    /// Due soon or late.
    pub state: DueState,
    /// Days until `due_on` (negative: days late).
    #[schema(example = -12)]
    pub days_left: i64,
}

/// What the caller owns that is due soon or late.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueList {
    /// The day it was computed for.
    pub as_of: NaiveDate,
    /// Oldest due date first.
    pub items: Vec<DueValue>,
}

/// The query of GET /users/me/due.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueParams {
    /// Also list values due within this many days, 0–90.
    #[param(minimum = 0, maximum = 90, default = 14)]
    pub within_days: Option<u32>,
}

impl DueParams {
    /// The window in days; 400 outside 0–90.
    pub fn window(&self) -> Result<u64, ApiError> {
        match self.within_days.unwrap_or(14) {
            days @ 0..=90 => Ok(u64::from(days)),
            _ => Err(ApiError::BadRequest(
                "Query parameter `within_days` must be between 0 and 90.".into(),
            )),
        }
    }
}

impl DueList {
    /// The open periods of `duties` due by `today + window` days.
    pub fn new(duties: &[Duty], today: NaiveDate, window: u64) -> Self {
        let until = today.checked_add_days(Days::new(window)).unwrap_or(today);
        let mut items: Vec<DueValue> = duties
            .iter()
            .flat_map(|duty| {
                duty.open_periods(until)
                    .into_iter()
                    .map(move |open| DueValue {
                        indicator_id: duty.indicator_id,
                        indicator_name: duty.indicator_name.clone(),
                        plan_id: duty.plan_id,
                        plan_title: duty.plan_title.clone(),
                        organization_id: duty.organization_id,
                        period_end: open.period_end,
                        due_on: open.due_on,
                        state: if open.due_on < today {
                            DueState::Late
                        } else {
                            DueState::DueSoon
                        },
                        days_left: (open.due_on - today).num_days(),
                    })
            })
            .collect();
        items.sort_by_key(|item| (item.due_on, item.indicator_id));
        Self {
            as_of: today,
            items,
        }
    }
}

#[cfg(test)]
mod tests;

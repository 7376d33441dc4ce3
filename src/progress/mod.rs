//! Indicator progress and status, computed from the measurements and the
//! indicator's definition whenever asked (never stored twice), and rolled up
//! to focus areas and the plan.
//!
//! The rules, in one place:
//! - **progress** = (latest − baseline) ÷ (target − baseline): 0 at the baseline,
//!   1 at the target, above 1 beyond it, negative when moving the wrong way; the
//!   same formula serves both directions. Without a baseline value the first
//!   measurement is the baseline. When target = baseline, progress is 1 if the
//!   latest value is at or on the good side of the target, else 0.
//! - **expected progress** by a date grows linearly from the baseline date (or
//!   the plan's start) to the target date (or the plan's end), from 0 to 1.
//! - **status**: `green` when progress ≥ green threshold × expected, `amber` when
//!   ≥ amber threshold × expected, else `red` (thresholds per plan, default 0.9
//!   and 0.7); `stale` when a period has ended without a value (frequency-based,
//!   not for `ad_hoc`); `no_data` when nothing is due yet and nothing measured;
//!   `no_target` when there is data but no target to judge it against.
//! - **roll-up**: a focus area takes the worst status of its indicators and
//!   initiatives (an overdue initiative counts as `amber`, a blocked one as
//!   `red`); the plan takes the worst of its focus areas and plan-level
//!   indicators. Severity: red > stale > amber > green; `no_data` and
//!   `no_target` only when nothing else is known.

pub(crate) mod handlers;
mod queries;

pub use handlers::routes;
pub use queries::{PlanData, RecommendationOutline, load_plan_data};

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{
    Direction, FocusAreaId, Frequency, IndicatorId, InitiativeId, InitiativeStatus, LegalRegime,
    Unit,
};
use crate::indicators::Indicator;
use crate::initiatives::Initiative;
use crate::measurements::Measurement;

pub use crate::domain::Health;

/// The worst of `statuses` (see the module's roll-up rule), `no_data` for none.
pub fn roll_up(statuses: impl IntoIterator<Item = Health>) -> Health {
    statuses
        .into_iter()
        .max_by_key(|status| status.severity())
        .unwrap_or(Health::NoData)
}

/// Thresholds as shares of the expected progress.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct Thresholds {
    /// Green from this share.
    pub green: f64,
    /// Amber from this share; red below.
    pub amber: f64,
}

/// One value of the series.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct Point {
    /// Last day of the period.
    pub period_end: NaiveDate,
    /// Value.
    #[serde(serialize_with = "crate::json::number")]
    pub value: f64,
}

/// An indicator's computed progress and status as of a date.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct IndicatorProgress {
    /// The indicator.
    pub indicator_id: IndicatorId,
    /// Its name.
    pub name: String,
    /// Unit of its values.
    pub unit: Unit,
    /// Which way is better.
    pub direction: Direction,
    /// The law its series follows.
    pub legal_regime: Option<LegalRegime>,
    /// How its unit reads in documents (absent in reports published before it existed).
    #[serde(default)]
    pub display_unit: Option<String>,
    /// The date the figures describe.
    pub as_of: NaiveDate,
    /// The latest value up to `as_of`.
    pub latest: Option<Point>,
    /// Every value up to `as_of`, oldest first.
    pub series: Vec<Point>,
    /// The baseline used (the stored one, else the first value).
    #[serde(serialize_with = "crate::json::optional_number")]
    #[schema(value_type = Option<f64>)]
    pub baseline: Option<f64>,
    /// The target.
    #[serde(serialize_with = "crate::json::optional_number")]
    #[schema(value_type = Option<f64>)]
    pub target: Option<f64>,
    /// Share of the way from baseline to target (1 = reached).
    pub progress: Option<f64>,
    /// Share expected by `as_of`.
    pub expected_progress: Option<f64>,
    /// The status.
    pub status: Health,
    /// Why, in a sentence.
    pub reason: String,
    /// The end of the next period a value is due for (`null` for `ad_hoc`).
    pub next_due: Option<NaiveDate>,
}

fn end_of_month(year: i32, month: u32) -> NaiveDate {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// The last day of the `frequency` period that contains `date` (`None` for `ad_hoc`).
pub fn period_end(date: NaiveDate, frequency: Frequency) -> Option<NaiveDate> {
    match frequency {
        Frequency::Monthly => Some(end_of_month(date.year(), date.month())),
        Frequency::Quarterly => Some(end_of_month(date.year(), date.month().div_ceil(3) * 3)),
        Frequency::Yearly => Some(end_of_month(date.year(), 12)),
        Frequency::AdHoc => None,
    }
}

/// The end of the first period without a value: the one after the latest
/// measured (`latest`), or the first period from `start` when nothing is
/// measured yet (`None` for `ad_hoc`). Its value is what `stale` and the
/// reminders wait for.
pub fn next_period_end(
    latest: Option<NaiveDate>,
    start: NaiveDate,
    frequency: Frequency,
) -> Option<NaiveDate> {
    match latest {
        Some(latest) => latest
            .checked_add_days(Days::new(1))
            .and_then(|d| period_end(d, frequency)),
        None => period_end(start, frequency),
    }
}

fn fraction_of_days(from: NaiveDate, to: NaiveDate, at: NaiveDate) -> f64 {
    let total = (to - from).num_days();
    if total <= 0 {
        return if at >= to { 1.0 } else { 0.0 };
    }
    ((at - from).num_days() as f64 / total as f64).clamp(0.0, 1.0)
}

/// Progress from `baseline` to `target` at `latest`, as described in the module docs.
pub fn progress(baseline: f64, target: f64, latest: f64, direction: Direction) -> f64 {
    if target == baseline {
        let reached = match direction {
            Direction::Increase => latest >= target,
            Direction::Decrease => latest <= target,
        };
        return if reached { 1.0 } else { 0.0 };
    }
    (latest - baseline) / (target - baseline)
}

/// What the computation needs besides the indicator and its values.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// The date to compute for.
    pub as_of: NaiveDate,
    /// The plan's period, the default span of expected progress.
    pub plan_start: NaiveDate,
    /// The plan's last day.
    pub plan_end: NaiveDate,
    /// The plan's thresholds.
    pub thresholds: Thresholds,
}

impl Context {
    /// The plan's period and thresholds, as of `as_of`.
    pub fn of(data: &PlanData, as_of: NaiveDate) -> Self {
        Self {
            as_of,
            plan_start: data.plan.period_start,
            plan_end: data.plan.period_end,
            thresholds: Thresholds {
                green: data.plan.green_threshold,
                amber: data.plan.amber_threshold,
            },
        }
    }
}

/// Computes the indicator's progress and status from its values (any order;
/// values after `as_of` are ignored).
pub fn indicator_progress(
    indicator: &Indicator,
    measurements: &[&Measurement],
    context: Context,
) -> IndicatorProgress {
    let mut series: Vec<Point> = measurements
        .iter()
        .filter(|m| m.period_end <= context.as_of)
        .map(|m| Point {
            period_end: m.period_end,
            value: m.value,
        })
        .collect();
    series.sort_by_key(|p| p.period_end);
    let latest = series.last().cloned();
    let baseline = indicator
        .baseline_value
        .or_else(|| series.first().map(|p| p.value));
    let start = indicator.baseline_date.unwrap_or(context.plan_start);
    let next_due = next_period_end(
        latest.as_ref().map(|p| p.period_end),
        start,
        indicator.frequency,
    );
    let stale = next_due.is_some_and(|due| due < context.as_of);
    let progress = match (baseline, indicator.target_value, &latest) {
        (Some(baseline), Some(target), Some(latest)) => Some(progress(
            baseline,
            target,
            latest.value,
            indicator.direction,
        )),
        _ => None,
    };
    let target_date = indicator.target_date.unwrap_or(context.plan_end);
    let expected = indicator
        .target_value
        .map(|_| fraction_of_days(start, target_date, context.as_of));
    let (status, reason) = judge(
        stale,
        latest.as_ref(),
        progress,
        expected,
        next_due,
        context.thresholds,
    );
    IndicatorProgress {
        indicator_id: indicator.id,
        name: indicator.name.clone(),
        unit: indicator.unit,
        direction: indicator.direction,
        legal_regime: indicator.legal_regime,
        display_unit: indicator.display_unit.clone(),
        as_of: context.as_of,
        latest,
        series,
        baseline,
        target: indicator.target_value,
        progress,
        expected_progress: expected,
        status,
        reason,
        next_due,
    }
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

fn judge(
    stale: bool,
    latest: Option<&Point>,
    progress: Option<f64>,
    expected: Option<f64>,
    next_due: Option<NaiveDate>,
    thresholds: Thresholds,
) -> (Health, String) {
    if stale {
        let due = next_due.map_or_else(String::new, |d| format!(" for the period ending {d}"));
        return (Health::Stale, format!("No value recorded{due}."));
    }
    let Some(latest) = latest else {
        return (
            Health::NoData,
            "Nothing measured yet, and nothing due yet.".into(),
        );
    };
    let (Some(progress), Some(expected)) = (progress, expected) else {
        return (
            Health::NoTarget,
            format!(
                "Latest value {} ({}), but no target to judge it against.",
                latest.value, latest.period_end
            ),
        );
    };
    let achieved = format!(
        "{} of the way to the target, {} expected by now",
        percent(progress),
        percent(expected)
    );
    if progress >= 1.0 || progress >= thresholds.green * expected {
        (Health::Green, format!("On track: {achieved}."))
    } else if progress >= thresholds.amber * expected {
        (Health::Amber, format!("Behind: {achieved}."))
    } else {
        (Health::Red, format!("Well behind: {achieved}."))
    }
}

/// Whether the initiative is past its due date and neither done nor cancelled.
pub fn is_overdue(initiative: &Initiative, as_of: NaiveDate) -> bool {
    initiative.due_date.is_some_and(|due| due < as_of)
        && !matches!(
            initiative.status,
            InitiativeStatus::Done | InitiativeStatus::Cancelled
        )
}

/// An initiative's contribution to its focus area's status.
pub fn initiative_health(initiative: &Initiative, as_of: NaiveDate) -> Option<Health> {
    if initiative.status == InitiativeStatus::Blocked {
        Some(Health::Red)
    } else if is_overdue(initiative, as_of) {
        Some(Health::Amber)
    } else {
        None
    }
}

/// A focus area's rolled-up status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FocusAreaProgress {
    /// The focus area.
    pub focus_area_id: FocusAreaId,
    /// Its number.
    pub position: i32,
    /// Its title.
    pub title: String,
    /// Rolled-up status.
    pub status: Health,
    /// Its indicators (also those of its initiatives).
    pub indicators: Vec<IndicatorProgress>,
    /// Its initiatives past their due date and not done.
    pub overdue_initiatives: Vec<InitiativeId>,
}

/// A plan's computed progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanProgress {
    /// The date the figures describe.
    pub as_of: NaiveDate,
    /// Rolled-up status of the plan.
    pub status: Health,
    /// Per focus area, in position order.
    pub focus_areas: Vec<FocusAreaProgress>,
    /// Indicators tied to no focus area.
    pub indicators: Vec<IndicatorProgress>,
}

/// Computes the whole plan's progress as of `context.as_of`.
pub fn plan_progress(data: &PlanData, context: Context) -> PlanProgress {
    let for_indicator = |indicator: &Indicator| {
        let values: Vec<&Measurement> = data
            .measurements
            .iter()
            .filter(|m| m.indicator_id == indicator.id)
            .collect();
        indicator_progress(indicator, &values, context)
    };
    // An indicator tied only to an initiative belongs to that initiative's focus area.
    let area_of = |indicator: &Indicator| {
        indicator.focus_area_id.or_else(|| {
            let initiative = indicator.initiative_id?;
            data.initiatives
                .iter()
                .find(|i| i.id == initiative)
                .map(|i| i.focus_area_id)
        })
    };
    let focus_areas: Vec<FocusAreaProgress> = data
        .focus_areas
        .iter()
        .map(|area| {
            let indicators: Vec<IndicatorProgress> = data
                .indicators
                .iter()
                .filter(|i| area_of(i) == Some(area.id))
                .map(for_indicator)
                .collect();
            let initiatives: Vec<&Initiative> = data
                .initiatives
                .iter()
                .filter(|i| i.focus_area_id == area.id)
                .collect();
            let status = roll_up(
                indicators.iter().map(|i| i.status).chain(
                    initiatives
                        .iter()
                        .filter_map(|i| initiative_health(i, context.as_of)),
                ),
            );
            FocusAreaProgress {
                focus_area_id: area.id,
                position: area.position,
                title: area.title.clone(),
                status,
                indicators,
                overdue_initiatives: initiatives
                    .iter()
                    .filter(|i| is_overdue(i, context.as_of))
                    .map(|i| i.id)
                    .collect(),
            }
        })
        .collect();
    let indicators: Vec<IndicatorProgress> = data
        .indicators
        .iter()
        .filter(|i| area_of(i).is_none())
        .map(for_indicator)
        .collect();
    let status = roll_up(
        focus_areas
            .iter()
            .map(|f| f.status)
            .chain(indicators.iter().map(|i| i.status)),
    );
    PlanProgress {
        as_of: context.as_of,
        status,
        focus_areas,
        indicators,
    }
}

#[cfg(test)]
mod tests;

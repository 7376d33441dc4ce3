use chrono::{NaiveDate, Utc};

use super::*;
use crate::domain::{IndicatorId, MeasurementId, PlanId};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date in the test")
}

fn indicator(
    direction: Direction,
    baseline: Option<f64>,
    target: Option<f64>,
    frequency: Frequency,
) -> Indicator {
    Indicator {
        id: IndicatorId::new(),
        plan_id: PlanId::new(),
        focus_area_id: None,
        initiative_id: None,
        name: "Andel".into(),
        definition: String::new(),
        unit: Unit::Percent,
        direction,
        baseline_value: baseline,
        baseline_date: Some(date("2021-01-01")),
        target_value: target,
        target_date: Some(date("2023-01-01")),
        frequency,
        legal_regime: None,
        display_unit: None,
        template_key: None,
        owner_id: None,
        grace_days: 0,
        recommendation_ids: Vec::new(),
        version: 1,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

fn value(indicator: &Indicator, period_end: &str, value: f64) -> Measurement {
    Measurement {
        id: MeasurementId::new(),
        indicator_id: indicator.id,
        period_end: date(period_end),
        value,
        note: String::new(),
        version: 1,
        created_at: Utc::now(),
        updated_at: Utc::now(),
        recorded_by: None,
    }
}

fn context(as_of: &str) -> Context {
    Context {
        as_of: date(as_of),
        plan_start: date("2021-01-01"),
        plan_end: date("2023-01-01"),
        thresholds: Thresholds {
            green: 0.9,
            amber: 0.7,
        },
    }
}

fn compute(indicator: &Indicator, values: &[Measurement], as_of: &str) -> IndicatorProgress {
    let values: Vec<&Measurement> = values.iter().collect();
    indicator_progress(indicator, &values, context(as_of))
}

#[test]
fn progress_is_the_share_of_the_way_from_baseline_to_target_in_either_direction() {
    assert_eq!(progress(60.0, 100.0, 80.0, Direction::Increase), 0.5);
    assert_eq!(progress(40.0, 30.0, 35.0, Direction::Decrease), 0.5);
    assert_eq!(progress(40.0, 30.0, 45.0, Direction::Decrease), -0.5);
    assert_eq!(progress(60.0, 100.0, 110.0, Direction::Increase), 1.25);
}

#[test]
fn a_target_equal_to_the_baseline_is_reached_or_not() {
    assert_eq!(progress(30.0, 30.0, 29.0, Direction::Decrease), 1.0);
    assert_eq!(progress(30.0, 30.0, 31.0, Direction::Decrease), 0.0);
    assert_eq!(progress(100.0, 100.0, 100.0, Direction::Increase), 1.0);
}

#[test]
fn halfway_in_time_and_halfway_in_value_is_green() {
    let i = indicator(
        Direction::Increase,
        Some(60.0),
        Some(100.0),
        Frequency::Quarterly,
    );
    let p = compute(&i, &[value(&i, "2021-12-31", 80.0)], "2022-01-01");
    assert_eq!(p.progress, Some(0.5));
    assert!(p.expected_progress.is_some_and(|e| (e - 0.5).abs() < 0.01));
    assert_eq!(p.status, Health::Green);
}

#[test]
fn behind_schedule_is_amber_then_red() {
    let i = indicator(
        Direction::Decrease,
        Some(40.0),
        Some(30.0),
        Frequency::Quarterly,
    );
    let amber = compute(&i, &[value(&i, "2021-12-31", 36.2)], "2022-01-01");
    assert_eq!(amber.status, Health::Amber, "{}", amber.reason);
    let red = compute(&i, &[value(&i, "2021-12-31", 39.0)], "2022-01-01");
    assert_eq!(red.status, Health::Red, "{}", red.reason);
}

#[test]
fn values_beyond_the_target_are_green_and_later_values_are_ignored() {
    let i = indicator(
        Direction::Increase,
        Some(60.0),
        Some(100.0),
        Frequency::Quarterly,
    );
    let values = [
        value(&i, "2021-03-31", 100.0),
        value(&i, "2021-06-30", 100.0),
        value(&i, "2021-09-30", 20.0),
    ];
    let p = compute(&i, &values, "2021-07-01");
    assert_eq!(p.status, Health::Green);
    assert_eq!(p.series.len(), 2);
    assert_eq!(p.latest.map(|l| l.value), Some(100.0));
}

#[test]
fn a_period_without_a_value_is_stale_with_its_due_date() {
    let i = indicator(
        Direction::Increase,
        Some(60.0),
        Some(100.0),
        Frequency::Quarterly,
    );
    let p = compute(&i, &[value(&i, "2021-03-31", 90.0)], "2021-07-15");
    assert_eq!(p.status, Health::Stale);
    assert_eq!(p.next_due, Some(date("2021-06-30")));
    let in_time = compute(&i, &[value(&i, "2021-03-31", 90.0)], "2021-06-30");
    assert_eq!(in_time.next_due, Some(date("2021-06-30")));
    assert_ne!(in_time.status, Health::Stale);
}

#[test]
fn no_measurements_is_no_data_until_a_period_has_passed() {
    let i = indicator(
        Direction::Increase,
        Some(60.0),
        Some(100.0),
        Frequency::Monthly,
    );
    assert_eq!(compute(&i, &[], "2021-01-20").status, Health::NoData);
    assert_eq!(compute(&i, &[], "2021-02-15").status, Health::Stale);
    let ad_hoc = indicator(
        Direction::Increase,
        Some(60.0),
        Some(100.0),
        Frequency::AdHoc,
    );
    assert_eq!(compute(&ad_hoc, &[], "2025-01-01").status, Health::NoData);
    assert_eq!(compute(&ad_hoc, &[], "2025-01-01").next_due, None);
}

#[test]
fn without_a_target_the_status_says_so_and_without_a_baseline_the_first_value_is_it() {
    let no_target = indicator(Direction::Decrease, Some(31.0), None, Frequency::Yearly);
    let p = compute(
        &no_target,
        &[value(&no_target, "2021-12-31", 29.0)],
        "2022-01-01",
    );
    assert_eq!(p.status, Health::NoTarget);
    let no_baseline = indicator(Direction::Increase, None, Some(430.0), Frequency::Yearly);
    let values = [
        value(&no_baseline, "2021-06-30", 0.0),
        value(&no_baseline, "2021-12-31", 215.0),
    ];
    let p = compute(&no_baseline, &values, "2022-01-01");
    assert_eq!(p.baseline, Some(0.0));
    assert_eq!(p.progress, Some(0.5));
}

#[test]
fn period_ends_follow_the_frequency() {
    assert_eq!(
        period_end(date("2024-02-10"), Frequency::Monthly),
        Some(date("2024-02-29"))
    );
    assert_eq!(
        period_end(date("2024-05-10"), Frequency::Quarterly),
        Some(date("2024-06-30"))
    );
    assert_eq!(
        period_end(date("2024-12-31"), Frequency::Quarterly),
        Some(date("2024-12-31"))
    );
    assert_eq!(
        period_end(date("2024-05-10"), Frequency::Yearly),
        Some(date("2024-12-31"))
    );
}

#[test]
fn roll_up_takes_the_worst_known_status() {
    assert_eq!(
        roll_up([Health::Green, Health::Amber, Health::NoData]),
        Health::Amber
    );
    assert_eq!(roll_up([Health::Green, Health::Stale]), Health::Stale);
    assert_eq!(roll_up([Health::Red, Health::Stale]), Health::Red);
    assert_eq!(roll_up([Health::NoTarget]), Health::NoTarget);
    assert_eq!(roll_up([Health::NoTarget, Health::Green]), Health::Green);
    assert_eq!(roll_up([]), Health::NoData);
}

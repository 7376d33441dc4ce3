use super::schedule::reminder_for;
use super::*;
use crate::domain::NotificationKind;

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn quarterly(latest: Option<&str>, grace_days: i32) -> Duty {
    Duty {
        indicator_id: IndicatorId::new(),
        indicator_name: "Andel".into(),
        plan_id: PlanId::new(),
        plan_title: "Udviklingsplan".into(),
        organization_id: OrganizationId::new(),
        frequency: Frequency::Quarterly,
        grace_days,
        start: date("2026-01-01"),
        plan_end: date("2027-12-31"),
        latest: latest.map(date),
        owner_id: Some(UserId::new()),
        owner_email: Some("mette@slagelse.dk".into()),
        owner_name: Some("Mette".into()),
        owner_language: Some(Language::Da),
    }
}

#[test]
fn the_open_periods_start_after_the_latest_value_and_end_at_the_window() {
    let nothing_yet = quarterly(None, 14);
    let ends: Vec<_> = nothing_yet
        .open_periods(date("2026-10-14"))
        .iter()
        .map(|p| (p.period_end, p.due_on))
        .collect();
    assert_eq!(
        ends,
        vec![
            (date("2026-03-31"), date("2026-04-14")),
            (date("2026-06-30"), date("2026-07-14")),
            (date("2026-09-30"), date("2026-10-14")),
        ]
    );
    let after_q2 = quarterly(Some("2026-06-30"), 14);
    assert_eq!(
        after_q2.open_periods(date("2026-10-13")),
        Vec::<OpenPeriod>::new(),
        "Q3's value is due on 14 October, after the window"
    );
}

#[test]
fn the_open_periods_stop_at_the_plans_end() {
    let mut duty = quarterly(None, 0);
    duty.plan_end = date("2026-06-30");
    assert_eq!(duty.open_periods(date("2030-01-01")).len(), 2);
}

#[test]
fn a_period_is_reminded_before_its_due_date_and_again_after_it() {
    let rules = ReminderRules {
        days_before: 7,
        days_after: 1,
    };
    let open = OpenPeriod {
        period_end: date("2026-09-30"),
        due_on: date("2026-10-14"),
    };
    assert_eq!(reminder_for(open, rules, date("2026-10-06")), None);
    assert_eq!(
        reminder_for(open, rules, date("2026-10-07")),
        Some(NotificationKind::DueSoon)
    );
    assert_eq!(
        reminder_for(open, rules, date("2026-10-14")),
        Some(NotificationKind::DueSoon)
    );
    assert_eq!(
        reminder_for(open, rules, date("2026-10-15")),
        Some(NotificationKind::Overdue)
    );
    assert_eq!(
        reminder_for(open, rules, date("2027-11-01")),
        None,
        "a period more than a year old is not reminded"
    );
}

#[test]
fn the_due_list_says_late_or_due_soon_with_the_days_left() {
    let list = DueList::new(&[quarterly(Some("2026-03-31"), 14)], date("2026-10-10"), 7);
    let states: Vec<_> = list.items.iter().map(|i| (i.state, i.days_left)).collect();
    assert_eq!(states, vec![(DueState::Late, -88), (DueState::DueSoon, 4)]);
}

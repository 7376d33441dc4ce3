//! Writing the reminders that are due today into the outbox.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};

use super::messages::{self, Message};
use super::{Duty, LOOKBACK_DAYS, OpenPeriod, ReminderRules, queries};
use crate::db::PgConn;
use crate::domain::{Language, NotificationId, NotificationKind, PlanId};
use crate::error::ApiError;
use crate::notifications::{NewNotification, queries as outbox};

/// Writes today's reminders and digests to the outbox, each once; returns how many were new.
pub async fn write_reminders(
    conn: &mut PgConn,
    rules: ReminderRules,
    today: NaiveDate,
) -> Result<usize, ApiError> {
    let duties = queries::all_duties(conn).await?;
    let mut notifications = owner_reminders(&duties, rules, today);
    notifications.extend(weekly_digests(conn, &duties, today).await?);
    outbox::insert_new(conn, &notifications).await
}

/// Which reminder, if any, the owner of a period gets today.
pub fn reminder_for(
    open: OpenPeriod,
    rules: ReminderRules,
    today: NaiveDate,
) -> Option<NotificationKind> {
    let overdue_from = open
        .due_on
        .checked_add_days(Days::new(u64::from(rules.days_after)))?;
    let recent = open
        .period_end
        .checked_add_days(Days::new(LOOKBACK_DAYS))
        .is_some_and(|limit| limit >= today);
    let soon_from = open
        .due_on
        .checked_sub_days(Days::new(u64::from(rules.days_before)))?;
    if today >= overdue_from {
        recent.then_some(NotificationKind::Overdue)
    } else if soon_from <= today && today <= open.due_on {
        Some(NotificationKind::DueSoon)
    } else {
        None
    }
}

fn owner_reminders(
    duties: &[Duty],
    rules: ReminderRules,
    today: NaiveDate,
) -> Vec<NewNotification> {
    let until = today
        .checked_add_days(Days::new(u64::from(rules.days_before)))
        .unwrap_or(today);
    let mut reminders = Vec::new();
    for duty in duties {
        let Some(owner) = duty.owner_id else { continue };
        let language = duty.owner_language.unwrap_or(Language::Da);
        let name = duty.owner_name.as_deref().unwrap_or_default();
        for open in duty.open_periods(until) {
            let Some(kind) = reminder_for(open, rules, today) else {
                continue;
            };
            let message = match kind {
                NotificationKind::DueSoon => messages::due_soon(language, name, duty, open),
                _ => messages::overdue(language, name, duty, open),
            };
            reminders.push(NewNotification {
                id: NotificationId::new(),
                kind,
                dedupe_key: format!(
                    "{}:{}:{}:{owner}",
                    kind.as_str(),
                    duty.indicator_id,
                    open.period_end
                ),
                recipient_id: Some(owner),
                recipient_email: duty.owner_email.clone(),
                organization_id: duty.organization_id,
                plan_id: Some(duty.plan_id),
                indicator_id: Some(duty.indicator_id),
                period_end: Some(open.period_end),
                due_on: Some(open.due_on),
                language,
                subject: message.subject,
                body: message.body,
            });
        }
    }
    reminders
}

/// For every plan with late values, a digest to each of its editors, once per ISO week.
async fn weekly_digests(
    conn: &mut PgConn,
    duties: &[Duty],
    today: NaiveDate,
) -> Result<Vec<NewNotification>, ApiError> {
    let yesterday = today.pred_opt().unwrap_or(today);
    let mut late: BTreeMap<PlanId, Vec<(&Duty, OpenPeriod)>> = BTreeMap::new();
    for duty in duties {
        for open in duty.open_periods(yesterday) {
            let recent = open
                .period_end
                .checked_add_days(Days::new(LOOKBACK_DAYS))
                .is_some_and(|limit| limit >= today);
            if recent {
                late.entry(duty.plan_id).or_default().push((duty, open));
            }
        }
    }
    if late.is_empty() {
        return Ok(Vec::new());
    }
    let organizations: Vec<_> = late
        .values()
        .map(|list| list[0].0.organization_id)
        .collect();
    let editors = queries::editors(conn, &organizations).await?;
    let week = today.iso_week();
    let mut digests = Vec::new();
    for (plan_id, list) in &late {
        let (first, _) = list[0];
        for editor in editors
            .iter()
            .filter(|e| e.organization_id == first.organization_id)
        {
            let Message { subject, body } = messages::weekly_digest(
                editor.language,
                &editor.display_name,
                &first.plan_title,
                list,
            );
            digests.push(NewNotification {
                id: NotificationId::new(),
                kind: NotificationKind::WeeklyDigest,
                dedupe_key: format!(
                    "weekly_digest:{plan_id}:{}:{}-W{:02}",
                    editor.user_id,
                    week.year(),
                    week.week()
                ),
                recipient_id: Some(editor.user_id),
                recipient_email: editor.email.clone(),
                organization_id: first.organization_id,
                plan_id: Some(*plan_id),
                indicator_id: None,
                period_end: None,
                due_on: None,
                language: editor.language,
                subject,
                body,
            });
        }
    }
    Ok(digests)
}

//! The words of the reminder e-mails, in the recipient's language. Plain text:
//! it reads the same in every mail client and in `GET /notifications`.

use super::{Duty, OpenPeriod};
use crate::domain::{Frequency, Language};
use crate::exports::Lang;
use crate::exports::labels::{self, Cadence};

/// An e-mail's subject and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

fn lang(language: Language) -> Lang {
    match language {
        Language::Da => Lang::Da,
        Language::En => Lang::En,
    }
}

/// "3. kvt. 2026" for a quarterly period, "sep. 2026" for a monthly one, else the date.
fn period(language: Language, frequency: Frequency, end: chrono::NaiveDate) -> String {
    let cadence = match frequency {
        Frequency::Quarterly => Cadence::Quarterly,
        Frequency::Monthly => Cadence::Monthly,
        Frequency::Yearly | Frequency::AdHoc => Cadence::Dates,
    };
    labels::period(lang(language), cadence, end)
}

fn date(language: Language, day: chrono::NaiveDate) -> String {
    labels::date(lang(language), day)
}

fn signature(language: Language) -> &'static str {
    match language {
        Language::Da => {
            "Værdien indberettes i planspor, enkeltvis eller ved import af et regneark.\n\n\
             Venlig hilsen\nplanspor"
        }
        Language::En => {
            "Enter the value in planspor, one by one or by importing a spreadsheet.\n\n\
             Kind regards\nplanspor"
        }
    }
}

/// The owner is told a value is due within the next days.
pub fn due_soon(language: Language, name: &str, duty: &Duty, open: OpenPeriod) -> Message {
    let period = period(language, duty.frequency, open.period_end);
    let due = date(language, open.due_on);
    let (indicator, plan) = (&duty.indicator_name, &duty.plan_title);
    match language {
        Language::Da => Message {
            subject: format!(
                "Påmindelse: «{indicator}» for {period} skal indberettes senest {due}"
            ),
            body: format!(
                "Kære {name}\n\nDu er ansvarlig for indikatoren «{indicator}» i udviklingsplanen \
                 «{plan}».\nVærdien for {period} skal indberettes senest {due}.\n\n{}\n",
                signature(language)
            ),
        },
        Language::En => Message {
            subject: format!("Reminder: “{indicator}” for {period} is due by {due}"),
            body: format!(
                "Dear {name}\n\nYou are responsible for the indicator “{indicator}” of the \
                 development plan “{plan}”.\nIts value for {period} is due by {due}.\n\n{}\n",
                signature(language)
            ),
        },
    }
}

/// The owner is told a value is late.
pub fn overdue(language: Language, name: &str, duty: &Duty, open: OpenPeriod) -> Message {
    let period = period(language, duty.frequency, open.period_end);
    let due = date(language, open.due_on);
    let (indicator, plan) = (&duty.indicator_name, &duty.plan_title);
    match language {
        Language::Da => Message {
            subject: format!("Mangler: «{indicator}» for {period} (frist {due})"),
            body: format!(
                "Kære {name}\n\nVærdien af indikatoren «{indicator}» i udviklingsplanen «{plan}» \
                 for {period} skulle have været indberettet senest {due}, og den mangler \
                 stadig. Indtil den kommer, står indikatoren som «mangler data» i \
                 statusrapporterne.\n\n{}\n",
                signature(language)
            ),
        },
        Language::En => Message {
            subject: format!("Missing: “{indicator}” for {period} (due {due})"),
            body: format!(
                "Dear {name}\n\nThe value of the indicator “{indicator}” of the development plan \
                 “{plan}” for {period} was due by {due} and is still missing. Until it comes in, \
                 the indicator shows as “stale” in the status reports.\n\n{}\n",
                signature(language)
            ),
        },
    }
}

/// A plan's editors are told what is late this week.
pub fn weekly_digest(
    language: Language,
    name: &str,
    plan_title: &str,
    late: &[(&Duty, OpenPeriod)],
) -> Message {
    let lines: Vec<String> = late
        .iter()
        .map(|(duty, open)| {
            let period = period(language, duty.frequency, open.period_end);
            let due = date(language, open.due_on);
            match language {
                Language::Da => format!("- {}: {period} (frist {due})", duty.indicator_name),
                Language::En => format!("- {}: {period} (due {due})", duty.indicator_name),
            }
        })
        .collect();
    let count = late.len();
    let values = match (language, count) {
        (Language::Da, 1) => "manglende værdi",
        (Language::Da, _) => "manglende værdier",
        (Language::En, 1) => "missing value",
        (Language::En, _) => "missing values",
    };
    match language {
        Language::Da => Message {
            subject: format!("Ugens oversigt: {count} {values} i «{plan_title}»"),
            body: format!(
                "Kære {name}\n\nI udviklingsplanen «{plan_title}» mangler disse værdier:\n\n{}\n\n{}\n",
                lines.join("\n"),
                signature(language)
            ),
        },
        Language::En => Message {
            subject: format!("This week: {count} {values} in “{plan_title}”"),
            body: format!(
                "Dear {name}\n\nThese values of the development plan “{plan_title}” are missing:\n\n{}\n\n{}\n",
                lines.join("\n"),
                signature(language)
            ),
        },
    }
}

//! From a sheet's rows to values of the plan's indicators: the header says
//! which column is which (Danish or English, planspor's own export or a plain
//! `indicator_id,period_end,value,note`), and each row becomes a value to
//! record, a row to skip, or a refusal with its reason.

use chrono::NaiveDate;

use super::file::{DecimalMark, Sheet};
use super::{ImportIndicator, RowOutcome, RowReport};
use crate::domain::{Frequency, IndicatorId, UserId};
use crate::error::{ApiError, FieldCode, Refusal};
use crate::measurements::MeasurementInput;
use crate::measurements::batch::BatchValue;
use crate::progress::period_end;

/// Which column holds what.
#[derive(Debug, Default)]
struct Columns {
    indicator_id: Option<usize>,
    template_key: Option<usize>,
    period_end: Option<usize>,
    value: Option<usize>,
    note: Option<usize>,
}

/// The names a column goes by, lower-cased: planspor's export in Danish and
/// English, and the API's own field names.
const INDICATOR_ID: [&str; 3] = ["indikator-id", "indicator id", "indicator_id"];
const TEMPLATE_KEY: [&str; 4] = ["skabelonnøgle", "template key", "template_key", "nøgle"];
const PERIOD_END: [&str; 4] = ["periodens slutdato", "period end", "period_end", "periode"];
const VALUE: [&str; 2] = ["værdi", "value"];
const NOTE: [&str; 3] = ["bemærkning", "note", "notat"];

impl Columns {
    fn of(header: &[String]) -> Result<Self, ApiError> {
        let mut columns = Self::default();
        for (at, name) in header.iter().enumerate() {
            let name = name.trim().to_lowercase();
            let slot = if INDICATOR_ID.contains(&name.as_str()) {
                &mut columns.indicator_id
            } else if TEMPLATE_KEY.contains(&name.as_str()) {
                &mut columns.template_key
            } else if PERIOD_END.contains(&name.as_str()) {
                &mut columns.period_end
            } else if VALUE.contains(&name.as_str()) {
                &mut columns.value
            } else if NOTE.contains(&name.as_str()) {
                &mut columns.note
            } else {
                continue;
            };
            slot.get_or_insert(at);
        }
        let missing = match (&columns, columns.indicator_id.or(columns.template_key)) {
            (_, None) => Some("an indicator column (Indikator-id or Skabelonnøgle)"),
            (
                Self {
                    period_end: None, ..
                },
                _,
            ) => Some("a period column (Periodens slutdato)"),
            (Self { value: None, .. }, _) => Some("a value column (Værdi)"),
            _ => None,
        };
        match missing {
            Some(what) => Err(ApiError::invalid(
                "file",
                FieldCode::Required,
                format!(
                    "has no {what} in its first row; export the plan's measurements to see the layout"
                ),
            )),
            None => Ok(columns),
        }
    }
}

/// A value read from a row.
#[derive(Debug)]
pub struct Imported {
    /// The row it came from.
    pub row: usize,
    /// The value to record.
    pub value: BatchValue,
    /// Its note cell was empty: a note already stored stays.
    pub keeps_note: bool,
}

/// One row read: a value to record, or the report of a row that is not.
#[derive(Debug)]
pub enum Parsed {
    /// A value for an indicator, with the row it came from.
    Value(Imported),
    /// A row skipped or refused.
    Report(RowReport),
}

/// Reads every row after the header against the plan's `indicators`.
pub fn parse(
    sheet: &Sheet,
    indicators: &[ImportIndicator],
    recorded_by: UserId,
) -> Result<Vec<Parsed>, ApiError> {
    let Some((header, rows)) = sheet.rows.split_first() else {
        return Err(ApiError::invalid("file", FieldCode::Empty, "is empty"));
    };
    let columns = Columns::of(header)?;
    let mut seen: Vec<(IndicatorId, NaiveDate, usize)> = Vec::new();
    let mut parsed = Vec::with_capacity(rows.len());
    for (n, cells) in rows.iter().enumerate() {
        // The header is row 1, as a spreadsheet numbers it.
        let row = n + 2;
        if cells.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |at: Option<usize>| {
            at.and_then(|at| cells.get(at))
                .map(|c| c.trim())
                .unwrap_or_default()
        };
        let line = Line {
            row,
            indicator_id: cell(columns.indicator_id),
            template_key: cell(columns.template_key),
            period_end: cell(columns.period_end),
            value: cell(columns.value),
            note: cell(columns.note),
        };
        parsed.push(line.parse(sheet.decimal, indicators, recorded_by, &mut seen));
    }
    Ok(parsed)
}

struct Line<'a> {
    row: usize,
    indicator_id: &'a str,
    template_key: &'a str,
    period_end: &'a str,
    value: &'a str,
    note: &'a str,
}

impl Line<'_> {
    fn parse(
        &self,
        decimal: DecimalMark,
        indicators: &[ImportIndicator],
        recorded_by: UserId,
        seen: &mut Vec<(IndicatorId, NaiveDate, usize)>,
    ) -> Parsed {
        match self.value(decimal, indicators, recorded_by, seen) {
            Ok(Some(value)) => Parsed::Value(Imported {
                row: self.row,
                value,
                keeps_note: self.note.is_empty(),
            }),
            Ok(None) => Parsed::Report(self.report(
                None,
                RowOutcome::Skipped,
                Some(Refusal::new(
                    FieldCode::NotAllowed,
                    "a value shown as a small count (\"<5\") is not a value; the stored one is left as it is",
                )),
            )),
            Err((indicator, refusal)) => {
                Parsed::Report(self.report(indicator, RowOutcome::Refused, Some(refusal)))
            }
        }
    }

    fn report(
        &self,
        indicator_id: Option<IndicatorId>,
        outcome: RowOutcome,
        reason: Option<Refusal>,
    ) -> RowReport {
        RowReport {
            row: self.row,
            indicator_id,
            period_end: crate::domain::parse_date(self.period_end).ok(),
            value: None,
            outcome,
            reason: reason.map(Into::into),
        }
    }

    /// The value to record, `None` for a suppressed small count, or why not.
    fn value(
        &self,
        decimal: DecimalMark,
        indicators: &[ImportIndicator],
        recorded_by: UserId,
        seen: &mut Vec<(IndicatorId, NaiveDate, usize)>,
    ) -> Result<Option<BatchValue>, (Option<IndicatorId>, Refusal)> {
        let indicator = self.indicator(indicators).map_err(|r| (None, r))?;
        let refuse = |refusal: Refusal| (Some(indicator.id), refusal);
        let period_end = parse_period(self.period_end).map_err(refuse)?;
        if let Some(end) = period_end_of(period_end, indicator.frequency)
            && end != period_end
        {
            return Err(refuse(Refusal::new(
                FieldCode::InvalidFormat,
                format!(
                    "{period_end} is not the last day of a {} period (that is {end})",
                    indicator.frequency.as_str()
                ),
            )));
        }
        if self.value.starts_with('<') {
            return Ok(None);
        }
        let value = parse_number(self.value, decimal).map_err(refuse)?;
        let note = formula_safe(self.note).map_err(refuse)?;
        let key = (indicator.id, period_end);
        if let Some((_, _, first)) = seen.iter().find(|(id, end, _)| (*id, *end) == key) {
            return Err(refuse(Refusal::new(
                FieldCode::Duplicate,
                format!("the same indicator and period as row {first}"),
            )));
        }
        seen.push((indicator.id, period_end, self.row));
        let input = MeasurementInput {
            period_end,
            value,
            note: Some(note),
        };
        let fields = input.parse(indicator.unit, recorded_by).map_err(|error| {
            refuse(match error {
                ApiError::Validation(mut errors) if !errors.is_empty() => {
                    let first = errors.swap_remove(0);
                    Refusal::new(first.code, format!("{}: {}", first.field, first.message))
                }
                other => Refusal::new(FieldCode::InvalidFormat, other.to_string()),
            })
        })?;
        Ok(Some(BatchValue {
            indicator_id: indicator.id,
            fields,
        }))
    }

    /// The indicator the row names, by id or by template key.
    fn indicator<'i>(
        &self,
        indicators: &'i [ImportIndicator],
    ) -> Result<&'i ImportIndicator, Refusal> {
        let by_id = (!self.indicator_id.is_empty()).then(|| {
            indicators
                .iter()
                .find(|i| i.id.0.to_string().eq_ignore_ascii_case(self.indicator_id))
        });
        let by_key = (!self.template_key.is_empty()).then(|| {
            indicators
                .iter()
                .find(|i| i.template_key.as_deref() == Some(self.template_key))
        });
        match (by_id, by_key) {
            (Some(Some(indicator)), _) | (None, Some(Some(indicator))) => Ok(indicator),
            (None, None) => Err(Refusal::new(
                FieldCode::Required,
                "names no indicator (Indikator-id or Skabelonnøgle)",
            )),
            _ => Err(Refusal::new(
                FieldCode::NoSuchRecord,
                "names no indicator of this plan",
            )),
        }
    }
}

/// A period's last day as an ISO date (`2025-03-31`) or a Danish one (`31.03.2025`).
fn parse_period(text: &str) -> Result<NaiveDate, Refusal> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%d.%m.%Y") {
        return crate::domain::parse_date(&date.to_string());
    }
    crate::domain::parse_date(text)
}

fn period_end_of(date: NaiveDate, frequency: Frequency) -> Option<NaiveDate> {
    period_end(date, frequency)
}

/// A number as the file writes it: `87,5` with a decimal comma, `87.5` with a
/// point; thousands separators of the other kind and spaces are ignored.
fn parse_number(text: &str, decimal: DecimalMark) -> Result<f64, Refusal> {
    let (mark, thousands) = match decimal {
        DecimalMark::Comma => (',', '.'),
        DecimalMark::Point => ('.', ','),
    };
    let digits: String = text
        .chars()
        .filter(|c| *c != thousands && !c.is_whitespace())
        .map(|c| if c == mark { '.' } else { c })
        .collect();
    if digits.is_empty() {
        return Err(Refusal::new(FieldCode::Required, "has no value"));
    }
    digits
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            Refusal::new(
                FieldCode::InvalidFormat,
                format!("{text:?} is not a number"),
            )
        })
}

/// A note as planspor's CSV export wrote it (a leading `'` keeps a spreadsheet
/// from reading text as a formula) is taken back; a raw formula is refused.
fn formula_safe(note: &str) -> Result<String, Refusal> {
    let formula = |text: &str| text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    match note.strip_prefix('\'') {
        Some(rest) if formula(rest) => Ok(rest.to_owned()),
        _ if formula(note) => Err(Refusal::new(
            FieldCode::NotAllowed,
            "the note starts like a spreadsheet formula (=, +, -, @); start it with a letter or '",
        )),
        _ => Ok(note.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_with_the_files_decimal_mark() {
        assert_eq!(parse_number("87,5", DecimalMark::Comma), Ok(87.5));
        assert_eq!(parse_number("1.234,5", DecimalMark::Comma), Ok(1234.5));
        assert_eq!(parse_number("1,234.5", DecimalMark::Point), Ok(1234.5));
        assert_eq!(parse_number(" 12 ", DecimalMark::Point), Ok(12.0));
        assert!(parse_number("=1+1", DecimalMark::Point).is_err());
        assert!(parse_number("NaN", DecimalMark::Point).is_err());
        assert!(parse_number("", DecimalMark::Point).is_err());
    }

    #[test]
    fn periods_are_iso_or_danish_dates_in_range() {
        let date = NaiveDate::from_ymd_opt(2025, 3, 31);
        assert_eq!(parse_period("2025-03-31").ok(), date);
        assert_eq!(parse_period("31.03.2025").ok(), date);
        assert!(parse_period("2025-3-31").is_err());
        assert!(parse_period("31.03.1800").is_err());
    }

    #[test]
    fn a_formula_is_refused_and_the_exports_escape_is_taken_back() {
        assert_eq!(formula_safe("Ny opgørelse"), Ok("Ny opgørelse".to_owned()));
        assert_eq!(
            formula_safe("'=HYPERLINK(1)"),
            Ok("=HYPERLINK(1)".to_owned())
        );
        assert_eq!(
            formula_safe("'Ikke en formel"),
            Ok("'Ikke en formel".to_owned())
        );
        for hostile in ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)"] {
            assert!(formula_safe(hostile).is_err(), "{hostile}");
        }
    }
}

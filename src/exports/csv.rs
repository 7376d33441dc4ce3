//! The measurements as CSV for Excel users: UTF-8 with a byte order mark (so
//! Excel reads æ, ø and å), one row per value. With `lang=da` the separator
//! is `;` and decimals use a comma, which is what Danish Excel opens directly
//! by double-click; with `lang=en`, `,` and a decimal point. Dates are ISO
//! 8601, which Excel reads as dates in either. Suppressed counts read "<5",
//! with the reason in the note column of that row.

use std::borrow::Cow;

use super::tabular::{self, placed_indicators, words};
use super::{ExportDocument, Lang};
use crate::error::ApiError;

/// The byte order mark that tells Excel the file is UTF-8.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

/// The CSV as bytes.
pub fn render(document: &ExportDocument) -> Result<Vec<u8>, ApiError> {
    write(document).map_err(|e| ApiError::Internal(format!("csv: {e}")))
}

fn write(document: &ExportDocument) -> Result<Vec<u8>, csv::Error> {
    let lang = document.lang;
    let words = words(lang);
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(separator(lang))
        .terminator(::csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    writer.write_record(header(lang))?;
    let as_of = document.snapshot.report.as_of.to_string();
    let source = source(document);
    let note = suppressed_note(document);
    for placed in placed_indicators(document) {
        let indicator = placed.indicator;
        let (position, area) = match placed.area {
            Some((position, title)) => (position.to_string(), title),
            None => (String::new(), words.whole_plan),
        };
        let unit = tabular::unit(lang, indicator.unit);
        let id = indicator.indicator_id.0.to_string();
        for point in &indicator.series {
            let shown = document.shown(indicator, point.value);
            let (value, remark) = match shown.value {
                Some(value) => (number(lang, value), ""),
                None => (tabular::suppressed(document), note.as_str()),
            };
            let period = point.period_end.to_string();
            let record = [
                as_of.as_str(),
                &source,
                &position,
                area,
                &indicator.name,
                unit,
                &period,
                &value,
                remark,
                &id,
            ];
            let cells = record.map(inert);
            writer.write_record(cells.iter().map(|cell| cell.as_bytes()))?;
        }
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// The report the values come from (saying so when it was corrected after
/// publishing), or that they are a plan's current state.
fn source(document: &ExportDocument) -> String {
    let title = &document.snapshot.report.title;
    match (
        document.published,
        document.errata.is_empty(),
        document.lang,
    ) {
        (false, _, lang) => words(lang).not_published.to_owned(),
        (true, true, _) => title.clone(),
        (true, false, Lang::Da) => format!("{title} (rettet efter offentliggørelsen)"),
        (true, false, Lang::En) => format!("{title} (corrected after publishing)"),
    }
}

/// A cell that a spreadsheet cannot take for a formula (OWASP's CSV injection
/// advice): text starting with `=`, `+`, `-`, `@`, a tab or a carriage return
/// gets a leading apostrophe, which Excel and LibreOffice show as text. A
/// number we wrote ourselves (`-3,5`) stays a number.
fn inert(cell: &str) -> Cow<'_, str> {
    let starts_like_a_formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let is_number = cell
        .replace(',', ".")
        .parse::<f64>()
        .is_ok_and(f64::is_finite);
    if starts_like_a_formula && !is_number {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn separator(lang: Lang) -> u8 {
    match lang {
        Lang::Da => b';',
        Lang::En => b',',
    }
}

/// The measurement sheet's columns, with the as-of date and the source in
/// front and a note (why a value reads "<5") before the indicator id.
fn header(lang: Lang) -> Vec<&'static str> {
    let (as_of, source, note) = match lang {
        Lang::Da => ("Opgjort pr.", "Kilde", "Bemærkning"),
        Lang::En => ("As of", "Source", "Note"),
    };
    let columns = &words(lang).measurement_columns;
    let mut header = vec![as_of, source];
    header.extend(&columns[..6]);
    header.extend([note, columns[6]]);
    header
}

fn suppressed_note(document: &ExportDocument) -> String {
    let threshold = document.small_count_threshold;
    match document.lang {
        Lang::Da => {
            format!("Under {threshold}: vises ikke, da så små tal kan pege på enkeltpersoner")
        }
        Lang::En => format!(
            "Below {threshold}: not shown, as numbers that small could point to individuals"
        ),
    }
}

/// The shortest exact form of `value`, with a decimal comma for Danish.
fn number(lang: Lang, value: f64) -> String {
    let text = value.to_string();
    match lang {
        Lang::Da => text.replace('.', ","),
        Lang::En => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_our_numbers_stay_numbers() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=1",
        ] {
            assert_eq!(inert(formula), format!("'{formula}"), "{formula:?}");
        }
        for plain in ["-3,5", "-3.5", "+4", "Underretning", "", "71,5", "<5"] {
            assert_eq!(inert(plain), plain, "{plain:?}");
        }
    }

    #[test]
    fn danish_numbers_have_a_decimal_comma_and_no_trailing_zero() {
        assert_eq!(number(Lang::Da, 71.5), "71,5");
        assert_eq!(number(Lang::Da, 84.0), "84");
        assert_eq!(number(Lang::En, 71.5), "71.5");
    }
}

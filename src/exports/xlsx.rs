//! The workbook: one sheet per kind (focus areas, initiatives, indicators,
//! measurements), plus, where the report has them, the Task Force's
//! recommendations, case reviews and assessment, and the corrections. Every
//! sheet starts with the same three lines (the as-of date
//! as a real date, what the figures are, and the note on suppressed counts
//! when there are any), then a frozen, bold header row; cells are typed
//! (dates as Excel dates, numbers as numbers, progress as a percentage) and
//! every column is as wide as its content, up to a limit with wrapping.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::tabular::{self, Placed, Words, placed_indicators, words};
use super::yardstick::{self, ShownResult};
use super::{ExportDocument, Lang};
use crate::case_reviews::Shares;
use crate::error::ApiError;

/// The row of the column headers; data starts below it.
pub const HEADER_ROW: u32 = 3;
/// The widest a column gets, in characters; longer text wraps.
const MAX_WIDTH: usize = 60;

/// The workbook as bytes.
pub fn render(document: &ExportDocument) -> Result<Vec<u8>, ApiError> {
    build(document).map_err(|e| ApiError::Internal(format!("xlsx: {e}")))
}

fn build(document: &ExportDocument) -> Result<Vec<u8>, XlsxError> {
    let words = words(document.lang);
    let formats = Formats::new(document.lang);
    let mut workbook = Workbook::new();
    // Whether the sheet shows measured values, and so may need the suppression note.
    let sheets: [(&str, WriteSheet, bool); 4] = [
        (words.sheets[0], focus_areas, false),
        (words.sheets[1], initiatives, false),
        (words.sheets[2], indicators, true),
        (words.sheets[3], measurements, true),
    ];
    let snapshot = &document.snapshot;
    let optional: [(&str, WriteSheet, bool, bool); 4] = [
        (
            words.recommendation_sheet,
            recommendations,
            false,
            !snapshot.recommendations.is_empty(),
        ),
        (
            words.review_sheet,
            case_reviews,
            true,
            !snapshot.case_reviews.is_empty(),
        ),
        (
            words.assessment_sheet,
            assessment,
            false,
            snapshot.assessment.is_some(),
        ),
        (
            words.errata_sheet,
            errata,
            false,
            !document.errata.is_empty(),
        ),
    ];
    let present = optional
        .into_iter()
        .filter(|sheet| sheet.3)
        .map(|(name, write, values, _)| (name, write, values));
    for (name, write, shows_values) in sheets.into_iter().chain(present) {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(name)?;
        let mut sheet = Sheet::new(worksheet, &formats);
        write(&mut sheet, document)?;
        sheet.finish(document, words, shows_values)?;
    }
    workbook.save_to_buffer()
}

/// Fills one sheet below its header row.
type WriteSheet = fn(&mut Sheet, &ExportDocument) -> Result<(), XlsxError>;

struct Formats {
    header: Format,
    date: Format,
    percent: Format,
    wrap: Format,
    plain: Format,
}

impl Formats {
    fn new(lang: Lang) -> Self {
        Self {
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            date: Format::new().set_num_format(match lang {
                Lang::Da => "dd-mm-yyyy",
                Lang::En => "yyyy-mm-dd",
            }),
            percent: Format::new().set_num_format("0%"),
            wrap: Format::new().set_text_wrap(),
            plain: Format::new(),
        }
    }
}

/// A worksheet being filled row by row, remembering how wide each column must be.
struct Sheet<'a> {
    worksheet: &'a mut Worksheet,
    formats: &'a Formats,
    row: u32,
    widths: Vec<usize>,
}

impl<'a> Sheet<'a> {
    fn new(worksheet: &'a mut Worksheet, formats: &'a Formats) -> Self {
        Self {
            worksheet,
            formats,
            row: HEADER_ROW,
            widths: Vec::new(),
        }
    }

    fn fit(&mut self, column: u16, chars: usize) {
        let column = usize::from(column);
        if self.widths.len() <= column {
            self.widths.resize(column + 1, 0);
        }
        self.widths[column] = self.widths[column].max(chars);
    }

    fn header(&mut self, titles: &[&str]) -> Result<(), XlsxError> {
        for (column, title) in (0u16..).zip(titles) {
            self.worksheet.write_string_with_format(
                HEADER_ROW,
                column,
                *title,
                &self.formats.header,
            )?;
            self.fit(column, title.chars().count() + 2);
        }
        Ok(())
    }

    /// Moves to the next data row.
    fn next_row(&mut self) {
        self.row += 1;
    }

    fn text(&mut self, column: u16, text: &str) -> Result<(), XlsxError> {
        if text.is_empty() {
            return Ok(());
        }
        let longest_line = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        let format = if longest_line > MAX_WIDTH || text.contains('\n') {
            &self.formats.wrap
        } else {
            &self.formats.plain
        };
        self.worksheet.write_string_with_format(
            self.row,
            column,
            cell_text(text).as_ref(),
            format,
        )?;
        self.fit(column, longest_line);
        Ok(())
    }

    fn number(&mut self, column: u16, value: Option<f64>) -> Result<(), XlsxError> {
        if let Some(value) = value {
            self.worksheet.write_number(self.row, column, value)?;
            self.fit(column, value.to_string().len());
        }
        Ok(())
    }

    fn integer(&mut self, column: u16, value: usize) -> Result<(), XlsxError> {
        // Counts of rows are far below 2^53, so the conversion is exact.
        self.number(column, Some(value as f64))
    }

    fn percent(&mut self, column: u16, share: Option<f64>) -> Result<(), XlsxError> {
        if let Some(share) = share {
            self.worksheet.write_number_with_format(
                self.row,
                column,
                share,
                &self.formats.percent,
            )?;
            self.fit(column, 5);
        }
        Ok(())
    }

    fn date(&mut self, column: u16, date: Option<NaiveDate>) -> Result<(), XlsxError> {
        if let Some(date) = date {
            write_date(self.worksheet, self.formats, (self.row, column), date)?;
            self.fit(column, 10);
        }
        Ok(())
    }

    /// A measured value: the number, or the "<5" text when it is a suppressed count.
    fn measured(
        &mut self,
        column: u16,
        document: &ExportDocument,
        placed: &Placed<'_>,
        value: Option<f64>,
    ) -> Result<(), XlsxError> {
        match value.map(|v| document.shown(placed.indicator, v)) {
            Some(shown) if shown.suppressed => self.text(column, &tabular::suppressed(document)),
            Some(shown) => self.number(column, shown.value),
            None => Ok(()),
        }
    }

    /// A round's counts from `column` on: met, not met, relevant, share; a
    /// withheld count reads "<5" and its share stays empty.
    fn result(
        &mut self,
        column: u16,
        document: &ExportDocument,
        stored: Option<&Shares>,
        shown: Option<ShownResult>,
    ) -> Result<(), XlsxError> {
        let (Some(_), Some(shown)) = (stored, shown) else {
            return Ok(());
        };
        let count = |sheet: &mut Self, column, value: Option<i32>| match value {
            Some(v) => sheet.number(column, Some(f64::from(v))),
            None => sheet.text(column, &tabular::suppressed(document)),
        };
        count(self, column, shown.met)?;
        count(self, column + 1, shown.not_met)?;
        self.number(column + 2, Some(f64::from(shown.relevant)))?;
        self.percent(column + 3, shown.share)
    }

    /// The lines above the header, the frozen panes and the column widths.
    fn finish(
        self,
        document: &ExportDocument,
        words: &Words,
        has_values: bool,
    ) -> Result<(), XlsxError> {
        let Sheet {
            worksheet,
            formats,
            widths,
            ..
        } = self;
        worksheet.write_string_with_format(0, 0, words.as_of, &formats.header)?;
        write_date(worksheet, formats, (0, 1), document.snapshot.report.as_of)?;
        worksheet.write_string(1, 0, cell_text(&context_line(document, words)).as_ref())?;
        if has_values && let Some(note) = tabular::suppression_note(document) {
            worksheet.write_string(2, 0, note)?;
        }
        worksheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
        // The as-of label and date sit in the first two columns: fit them too.
        let minimum = [words.as_of.chars().count() + 1, 11];
        for (column, chars) in (0u16..).zip(widths) {
            let chars = chars.max(minimum.get(usize::from(column)).copied().unwrap_or(0));
            worksheet.set_column_width(column, chars.min(MAX_WIDTH) as f64 + 1.0)?;
        }
        Ok(())
    }
}

/// Longest text an Excel cell holds, in UTF-16 code units.
const EXCEL_CELL_MAX: usize = 32_767;
/// What a cut text ends with, so no reader takes it for the whole.
const CUT_MARK: &str = " [… afkortet / cut]";

/// `text` as a cell holds it: whole when it fits, else cut at a character
/// boundary and marked. The API's limits keep new text within a cell; this
/// keeps every stored text exportable whatever limits it was stored under.
fn cell_text(text: &str) -> Cow<'_, str> {
    if text.encode_utf16().count() <= EXCEL_CELL_MAX {
        return Cow::Borrowed(text);
    }
    let room = EXCEL_CELL_MAX - CUT_MARK.encode_utf16().count();
    let mut used = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            used += c.len_utf16();
            used > room
        })
        .map_or(text.len(), |(at, _)| at);
    Cow::Owned(format!("{}{CUT_MARK}", &text[..end]))
}

/// A date as an Excel date, or, outside the years Excel counts (1900–9999),
/// as its ISO 8601 text, so the value is shown rather than the file refused.
fn write_date(
    worksheet: &mut Worksheet,
    formats: &Formats,
    (row, column): (u32, u16),
    date: NaiveDate,
) -> Result<(), XlsxError> {
    let excel = u16::try_from(date.year())
        .ok()
        .filter(|year| (1900..=9999).contains(year))
        // Month and day always fit in a u8.
        .and_then(|year| ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok());
    match excel {
        Some(excel) => worksheet.write_date_with_format(row, column, &excel, &formats.date)?,
        None => {
            worksheet.write_string_with_format(row, column, date.to_string(), &formats.plain)?
        }
    };
    Ok(())
}

/// Whose figures these are and what they are: a published report, or not.
fn context_line(document: &ExportDocument, words: &Words) -> String {
    let snapshot = &document.snapshot;
    let what = if document.published {
        snapshot.report.title.as_str()
    } else {
        words.not_published
    };
    let mut line = format!(
        "{} · {} · {what}",
        snapshot.organization.name, snapshot.plan.title
    );
    if !document.errata.is_empty() {
        line.push_str(" · ");
        line.push_str(words.corrected);
    }
    line
}

fn focus_areas(sheet: &mut Sheet, document: &ExportDocument) -> Result<(), XlsxError> {
    let lang = document.lang;
    sheet.header(&words(lang).focus_area_columns)?;
    for area in &document.snapshot.focus_areas {
        sheet.next_row();
        sheet.number(0, Some(f64::from(area.position)))?;
        sheet.text(1, &area.title)?;
        sheet.text(2, &area.objective)?;
        sheet.text(3, area.legal_reference.as_deref().unwrap_or(""))?;
        sheet.text(4, tabular::health(lang, area.status))?;
        sheet.text(5, tabular::health(lang, area.suggested_status))?;
        sheet.text(6, area.status_reason.as_deref().unwrap_or(""))?;
        sheet.text(7, &area.narrative)?;
        sheet.text(8, &area.highlights)?;
        sheet.text(9, &area.risks)?;
        sheet.text(10, &area.next_steps)?;
        sheet.integer(11, area.initiatives.len())?;
        sheet.integer(12, area.initiatives.iter().filter(|i| i.overdue).count())?;
    }
    Ok(())
}

fn initiatives(sheet: &mut Sheet, document: &ExportDocument) -> Result<(), XlsxError> {
    let lang = document.lang;
    let words = words(lang);
    sheet.header(&words.initiative_columns)?;
    for area in &document.snapshot.focus_areas {
        for initiative in &area.initiatives {
            sheet.next_row();
            sheet.number(0, Some(f64::from(area.position)))?;
            sheet.text(1, &area.title)?;
            sheet.text(2, &initiative.title)?;
            sheet.text(3, initiative.owner.as_deref().unwrap_or(""))?;
            sheet.text(4, tabular::initiative_status(lang, initiative.status))?;
            sheet.date(5, initiative.due_date)?;
            sheet.text(6, words.yes_no[usize::from(!initiative.overdue)])?;
        }
    }
    Ok(())
}

fn area_columns(sheet: &mut Sheet, words: &Words, placed: &Placed<'_>) -> Result<(), XlsxError> {
    match placed.area {
        Some((position, title)) => {
            sheet.number(0, Some(f64::from(position)))?;
            sheet.text(1, title)
        }
        None => sheet.text(1, words.whole_plan),
    }
}

fn indicators(sheet: &mut Sheet, document: &ExportDocument) -> Result<(), XlsxError> {
    let lang = document.lang;
    let words = words(lang);
    sheet.header(&words.indicator_columns)?;
    for placed in placed_indicators(document) {
        let indicator = placed.indicator;
        sheet.next_row();
        area_columns(sheet, words, &placed)?;
        sheet.text(2, &indicator.name)?;
        sheet.text(3, tabular::unit(lang, indicator.unit))?;
        sheet.text(4, tabular::direction(lang, indicator.direction))?;
        sheet.text(5, tabular::legal_regime(indicator.legal_regime))?;
        sheet.measured(6, document, &placed, indicator.baseline)?;
        sheet.number(7, indicator.target)?;
        sheet.measured(
            8,
            document,
            &placed,
            indicator.latest.as_ref().map(|p| p.value),
        )?;
        sheet.date(9, indicator.latest.as_ref().map(|p| p.period_end))?;
        sheet.percent(10, tabular::visible_progress(document, indicator))?;
        sheet.percent(11, indicator.expected_progress)?;
        sheet.text(12, tabular::health(lang, indicator.status))?;
        sheet.text(13, &tabular::visible_reason(document, indicator))?;
        sheet.date(14, indicator.next_due)?;
        sheet.text(15, &indicator.indicator_id.0.to_string())?;
    }
    Ok(())
}

fn measurements(sheet: &mut Sheet, document: &ExportDocument) -> Result<(), XlsxError> {
    let lang = document.lang;
    let words = words(lang);
    sheet.header(&words.measurement_columns)?;
    for placed in placed_indicators(document) {
        let indicator = placed.indicator;
        let id = indicator.indicator_id.0.to_string();
        for point in &indicator.series {
            sheet.next_row();
            area_columns(sheet, words, &placed)?;
            sheet.text(2, &indicator.name)?;
            sheet.text(3, tabular::unit(lang, indicator.unit))?;
            sheet.date(4, Some(point.period_end))?;
            sheet.measured(5, document, &placed, Some(point.value))?;
            sheet.text(6, &id)?;
        }
    }
    Ok(())
}

fn errata(sheet: &mut Sheet, document: &ExportDocument) -> Result<(), XlsxError> {
    sheet.header(&words(document.lang).errata_columns)?;
    for erratum in &document.errata {
        sheet.next_row();
        sheet.date(0, Some(erratum.created_at.date_naive()))?;
        sheet.text(1, &erratum.author_name)?;
        sheet.text(2, &erratum.body)?;
    }
    Ok(())
}

fn recommendations(sheet: &mut Sheet, document: &ExportDocument) -> Result<(), XlsxError> {
    let lang = document.lang;
    sheet.header(&words(lang).recommendation_columns)?;
    let snapshot = &document.snapshot;
    for r in &snapshot.recommendations {
        let areas: Vec<String> = snapshot
            .focus_areas
            .iter()
            .filter(|a| r.focus_area_ids.contains(&a.id))
            .map(|a| format!("{}. {}", a.position, a.title))
            .collect();
        let answered = yardstick::answered_by(document, r);
        sheet.next_row();
        sheet.number(0, Some(f64::from(r.number)))?;
        sheet.text(1, &r.title)?;
        sheet.text(2, yardstick::theme(lang, r.theme))?;
        sheet.text(3, &areas.join("\n"))?;
        sheet.text(4, &answered.join("\n"))?;
        sheet.text(5, yardstick::recommendation_status(lang, r.status))?;
    }
    Ok(())
}

fn case_reviews(sheet: &mut Sheet, document: &ExportDocument) -> Result<(), XlsxError> {
    let lang = document.lang;
    sheet.header(&words(lang).review_columns)?;
    let threshold = document.small_count_threshold;
    for course in &document.snapshot.case_reviews {
        for criterion in &course.criteria {
            let first = criterion
                .from
                .as_ref()
                .map(|s| ShownResult::new(s, threshold));
            let latest = criterion
                .to
                .as_ref()
                .map(|s| ShownResult::new(s, threshold));
            sheet.next_row();
            sheet.text(0, yardstick::review_kind(lang, course.kind))?;
            let title = yardstick::criterion_title(
                lang,
                course,
                &criterion.criterion_key,
                &criterion.title,
            );
            sheet.text(1, &title)?;
            sheet.date(2, Some(course.first.reviewed_on))?;
            sheet.result(3, document, criterion.from.as_ref(), first)?;
            if let Some(round) = &course.latest {
                sheet.date(7, Some(round.reviewed_on))?;
                sheet.result(8, document, criterion.to.as_ref(), latest)?;
            }
            sheet.number(
                12,
                yardstick::shown_change(criterion.change_pp, first, latest),
            )?;
            sheet.text(13, &criterion.criterion_key)?;
        }
    }
    Ok(())
}

fn assessment(sheet: &mut Sheet, document: &ExportDocument) -> Result<(), XlsxError> {
    let words = words(document.lang);
    sheet.header(&words.assessment_columns)?;
    let Some(assessment) = &document.snapshot.assessment else {
        return Ok(());
    };
    sheet.next_row();
    sheet.text(0, words.overall)?;
    sheet.text(1, &assessment.overall)?;
    sheet.text(2, &assessment.author_name)?;
    for area in &document.snapshot.focus_areas {
        let Some(text) = assessment
            .focus_areas
            .iter()
            .find(|a| a.focus_area_id == area.id)
        else {
            continue;
        };
        sheet.next_row();
        sheet.text(0, &format!("{}. {}", area.position, area.title))?;
        sheet.text(1, &text.text)?;
        sheet.text(2, &assessment.author_name)?;
    }
    Ok(())
}

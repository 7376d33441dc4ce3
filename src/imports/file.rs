//! Reading an uploaded spreadsheet into rows of text cells, refusing what is
//! not a plain CSV or workbook: another encoding than UTF-8 or Windows-1252,
//! a workbook with macros, a compressed file that would unpack to far more
//! than it weighs (a zip bomb), more rows than an import takes.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, FieldCode};

/// The most rows (after the header) one import takes.
pub const MAX_ROWS: usize = 50_000;
/// The most a workbook may unpack to: a real measurement sheet of 50,000 rows
/// is a few MB; a file that claims more is refused before it is unpacked.
const MAX_UNPACKED_BYTES: u64 = 64 << 20;
/// How much larger than its packed size one part of a workbook may be.
/// Spreadsheet XML packs about 10:1; a zip bomb packs 1000:1 and more.
const MAX_RATIO: u64 = 200;

/// What kind of file was sent, told by its content rather than its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// Comma- or semicolon-separated text.
    Csv,
    /// An Excel workbook (Office Open XML).
    Xlsx,
}

impl FileFormat {
    /// Its name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// How decimals are written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DecimalMark {
    /// `87,5`: Danish, and what a `;`-separated file uses.
    Comma,
    /// `87.5`: English, and what a `,`-separated file uses.
    Point,
}

/// A file read into rows of cells, the header first.
#[derive(Debug)]
pub struct Sheet {
    /// CSV or XLSX.
    pub format: FileFormat,
    /// The rows, each a list of cells as text (a workbook's numbers and dates
    /// already in their canonical form: `87.5`, `2025-03-31`).
    pub rows: Vec<Vec<String>>,
    /// The decimal mark the file's text numbers use.
    pub decimal: DecimalMark,
    /// How the text was decoded, when it was not UTF-8 (said in the report).
    pub encoding: Option<&'static str>,
}

/// Reads `bytes` as CSV or XLSX; `decimal` overrides what the separator implies.
pub fn read(bytes: &[u8], decimal: Option<DecimalMark>) -> Result<Sheet, ApiError> {
    let sheet = if bytes.starts_with(b"PK\x03\x04") {
        read_workbook(bytes)?
    } else {
        read_csv(bytes)?
    };
    if sheet.rows.len().saturating_sub(1) > MAX_ROWS {
        return Err(refused(
            FieldCode::TooMany,
            format!("holds more than {MAX_ROWS} rows; split it into several imports"),
        ));
    }
    Ok(Sheet {
        decimal: decimal.unwrap_or(sheet.decimal),
        ..sheet
    })
}

fn refused(code: FieldCode, message: impl Into<String>) -> ApiError {
    ApiError::invalid("file", code, message)
}

fn read_csv(bytes: &[u8]) -> Result<Sheet, ApiError> {
    let (text, encoding) = decode(bytes)?;
    let first_line = text.lines().next().unwrap_or_default();
    // The header tells the separator: Danish Excel writes `;` (and decimal commas).
    let (delimiter, decimal) = if first_line.matches(';').count() >= first_line.matches(',').count()
    {
        (b';', DecimalMark::Comma)
    } else {
        (b',', DecimalMark::Point)
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            refused(
                FieldCode::InvalidFormat,
                format!("is not a readable CSV file: {e}"),
            )
        })?;
        rows.push(record.iter().map(str::to_owned).collect());
        if rows.len() > MAX_ROWS + 1 {
            break;
        }
    }
    Ok(Sheet {
        format: FileFormat::Csv,
        rows,
        decimal,
        encoding,
    })
}

/// UTF-8 (with or without a byte order mark), else Windows-1252, which is what
/// Danish Excel's "CSV (semikolonsepareret)" writes. UTF-16 ("Unicode text")
/// and binary files are refused.
fn decode(bytes: &[u8]) -> Result<(String, Option<&'static str>), ApiError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || bytes.contains(&0) {
        return Err(refused(
            FieldCode::InvalidFormat,
            "is UTF-16 or binary; save it as \"CSV UTF-8\" or as an Excel workbook",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_owned(), None)),
        Err(_) => Ok((
            bytes.iter().map(|&b| windows_1252(b)).collect(),
            Some("windows-1252"),
        )),
    }
}

/// One Windows-1252 byte as a character: Latin-1, except 0x80–0x9F.
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

fn read_workbook(bytes: &[u8]) -> Result<Sheet, ApiError> {
    check_archive(bytes)?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        refused(
            FieldCode::InvalidFormat,
            format!("is not a readable Excel workbook: {e}"),
        )
    })?;
    // The measurement sheet of planspor's own export, else the first sheet.
    let names = workbook.sheet_names();
    let name = names
        .iter()
        .find(|n| matches!(n.as_str(), "Målinger" | "Measurements"))
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| refused(FieldCode::Empty, "has no sheet"))?;
    let range = workbook.worksheet_range(&name).map_err(|e| {
        refused(
            FieldCode::InvalidFormat,
            format!("sheet {name:?} cannot be read: {e}"),
        )
    })?;
    let rows = range
        .rows()
        .take(MAX_ROWS + 2)
        .map(|row| row.iter().map(cell_text).collect())
        .collect();
    Ok(Sheet {
        format: FileFormat::Xlsx,
        rows,
        decimal: DecimalMark::Point,
        encoding: None,
    })
}

/// A workbook is a zip archive: refused with macros in it, or when a part
/// would unpack to far more than it weighs.
fn check_archive(bytes: &[u8]) -> Result<(), ApiError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        refused(
            FieldCode::InvalidFormat,
            format!("is not a readable Excel workbook: {e}"),
        )
    })?;
    let mut unpacked: u64 = 0;
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).map_err(|e| {
            refused(
                FieldCode::InvalidFormat,
                format!("is not a readable Excel workbook: {e}"),
            )
        })?;
        let name = part
            .name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if name.contains("vbaproject") {
            return Err(refused(
                FieldCode::NotAllowed,
                "contains macros; save it as an ordinary workbook (.xlsx) or as CSV",
            ));
        }
        unpacked = unpacked.saturating_add(part.size());
        if part.size()
            > part
                .compressed_size()
                .saturating_mul(MAX_RATIO)
                .max(1 << 20)
            || unpacked > MAX_UNPACKED_BYTES
        {
            return Err(refused(
                FieldCode::TooLong,
                "would unpack to far more than it weighs; it is refused as a possible zip bomb",
            ));
        }
    }
    // The zip reader stops every part at its declared size, so a part that
    // lies about its size cannot unpack to more than was checked here.
    Ok(())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(value) => format!("{value}"),
        Data::Int(value) => value.to_string(),
        Data::Bool(value) => value.to_string(),
        Data::DateTime(value) => value
            .as_datetime()
            .map(|at| at.date().to_string())
            .unwrap_or_else(|| value.as_f64().to_string()),
        Data::DateTimeIso(text) | Data::DurationIso(text) => {
            text.split('T').next().unwrap_or_default().to_owned()
        }
        Data::Error(error) => format!("#{error:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_semicolon_file_is_danish_and_a_comma_file_english() {
        let danish = read(
            "Indikator-id;Periodens slutdato;Værdi\r\nx;2025-03-31;87,5\r\n".as_bytes(),
            None,
        )
        .expect("read");
        assert_eq!(
            (danish.format, danish.decimal),
            (FileFormat::Csv, DecimalMark::Comma)
        );
        assert_eq!(danish.rows[1], ["x", "2025-03-31", "87,5"]);
        let english =
            read(b"indicator_id,period_end,value\nx,2025-03-31,87.5\n", None).expect("read");
        assert_eq!(english.decimal, DecimalMark::Point);
        let stated =
            read(b"indicator_id,period_end,value\n", Some(DecimalMark::Comma)).expect("read");
        assert_eq!(stated.decimal, DecimalMark::Comma);
    }

    #[test]
    fn windows_1252_is_read_and_said_and_utf_16_is_refused() {
        let sheet = read(b"V\xe6rdi;Bem\xe6rkning\n1;\x80 \xf8\n", None).expect("read");
        assert_eq!(sheet.encoding, Some("windows-1252"));
        assert_eq!(sheet.rows[0], ["Værdi", "Bemærkning"]);
        assert_eq!(sheet.rows[1], ["1", "€ ø"]);
        let bom = read("\u{feff}Værdi\n".as_bytes(), None).expect("read");
        assert_eq!((bom.rows[0][0].as_str(), bom.encoding), ("Værdi", None));
        assert!(read(b"\xff\xfeV\0\xe6\0", None).is_err());
    }

    #[test]
    fn more_rows_than_an_import_takes_are_refused() {
        let mut file = String::from("indicator_id,period_end,value\n");
        for _ in 0..=MAX_ROWS {
            file.push_str("x,2025-03-31,1\n");
        }
        assert!(read(file.as_bytes(), None).is_err());
    }

    #[test]
    fn a_zip_that_is_no_workbook_is_refused_as_a_problem() {
        let refused = read(b"PK\x03\x04 not really a zip", None);
        assert!(
            matches!(refused, Err(ApiError::Validation(_))),
            "{refused:?}"
        );
    }
}

//! Calendar dates as the contract states them: RFC 3339 `full-date`
//! (`YYYY-MM-DD`, exactly ten characters) between 1900-01-01 and 2199-12-31.
//! chrono alone would also take `2021-1-1`, ` 2021-01-01` and years such as
//! 0000 or +10000, which no spreadsheet can show; such a date is refused at
//! the edge, so every stored date can be exported in every format.

use crate::error::{FieldCode, Refusal};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, de::Error as _};

/// The earliest date the service accepts.
pub const EARLIEST_DATE: &str = "1900-01-01";
/// The latest date the service accepts.
pub const LATEST_DATE: &str = "2199-12-31";
/// The contract's pattern for a date in range (the calendar check is `format: date`'s).
pub const DATE_PATTERN: &str =
    "^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

/// Why a date was refused; never repeats the value.
pub fn date_message() -> String {
    format!("must be a date YYYY-MM-DD between {EARLIEST_DATE} and {LATEST_DATE}")
}

/// Parses `text` as a date in range, or says why not.
pub fn parse_date(text: &str) -> Result<NaiveDate, Refusal> {
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(at, b)| {
            if at == 4 || at == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let date = well_formed
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .filter(|date| (1900..=2199).contains(&chrono::Datelike::year(date)));
    date.ok_or_else(|| Refusal::new(FieldCode::InvalidFormat, date_message()))
}

/// serde: a required date field, parsed strictly.
pub fn strict_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse_date(&text).map_err(D::Error::custom)
}

/// serde: an optional date field (`null` or absent is `None`); pair with `#[serde(default)]`.
pub fn strict_optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|text| parse_date(&text).map_err(D::Error::custom))
        .transpose()
}

/// serde: a PATCH date field: absent `None`, `null` `Some(None)`, else the date.
pub fn strict_patch_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<NaiveDate>>, D::Error> {
    strict_optional_date(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_full_dates_in_range_parse() {
        assert!(parse_date("2021-01-01").is_ok());
        assert!(parse_date("1900-01-01").is_ok());
        assert!(parse_date("2199-12-31").is_ok());
        for refused in [
            "2021-1-1",
            " 2021-01-01",
            "2021-01-01 ",
            "0000-01-01",
            "0370-05-01",
            "-0001-01-01",
            "+10000-01-01",
            "1899-12-31",
            "2200-01-01",
            "2021-02-30",
            "2021/01/01",
            "20210101",
            "2021-01-01T00:00:00Z",
            "",
            "２０２１-01-01",
        ] {
            assert!(parse_date(refused).is_err(), "{refused:?}");
        }
    }
}

//! Free-text newtypes with the length limits of the contract.

use serde::Serialize;

use super::cpr::refuse_cpr;
use crate::error::{FieldCode, Refusal};

/// Longest title or name, in characters (the database enforces the same).
pub const TITLE_MAX: usize = 200;
/// Longest descriptive text, in characters (the database enforces the same).
pub const LONG_TEXT_MAX: usize = 20_000;

/// Length as spreadsheets and browsers count it: UTF-16 code units, so a
/// character outside the Basic Multilingual Plane (an emoji) counts two. Every
/// text the API accepts then fits an Excel cell (32,767 units) with room to
/// spare, and never more than the database's character limit.
fn char_count(s: &str) -> usize {
    s.encode_utf16().count()
}

/// A required one-line text: a title, a name, an author. 1–200 characters, not blank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Title(String);

impl Title {
    /// Accepts trimmed text of 1 to [`TITLE_MAX`] characters.
    pub fn parse(raw: String) -> Result<Self, Refusal> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(Refusal::new(FieldCode::Empty, "must not be empty"));
        }
        if char_count(trimmed) > TITLE_MAX {
            return Err(Refusal::new(
                FieldCode::TooLong,
                format!("must be at most {TITLE_MAX} characters (an emoji counts as two)"),
            ));
        }
        refuse_cpr(trimmed)?;
        Ok(Self(trimmed.to_owned()))
    }

    /// An optional one-line text: `None` stays `None`, blank text is refused.
    pub fn parse_optional(raw: Option<String>) -> Result<Option<Self>, Refusal> {
        raw.map(Self::parse).transpose()
    }

    /// The text as stored.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A descriptive text that may be empty: descriptions, objectives, notes. At most 20,000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct LongText(String);

impl LongText {
    /// Accepts up to [`LONG_TEXT_MAX`] characters; an absent text is empty.
    pub fn parse(raw: Option<String>) -> Result<Self, Refusal> {
        let text = raw.unwrap_or_default();
        if char_count(&text) > LONG_TEXT_MAX {
            return Err(Refusal::new(
                FieldCode::TooLong,
                format!("must be at most {LONG_TEXT_MAX} characters (an emoji counts as two)"),
            ));
        }
        refuse_cpr(&text)?;
        Ok(Self(text))
    }

    /// Like [`LongText::parse`], but the text must not be blank (a progress note's body).
    pub fn parse_required(raw: String) -> Result<Self, Refusal> {
        if raw.trim().is_empty() {
            return Err(Refusal::new(FieldCode::Empty, "must not be empty"));
        }
        Self::parse(Some(raw))
    }

    /// The text as stored.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An optional http(s) address of at most 2,000 characters (an agenda, a
/// published report), with no CPR number in it, not even percent-encoded in
/// its query string.
pub fn web_address(url: Option<String>) -> Result<Option<String>, Refusal> {
    let Some(url) = url else { return Ok(None) };
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > 2000 {
        return Err(Refusal::new(
            FieldCode::TooLong,
            "must be an http(s) address of at most 2000 characters",
        ));
    }
    let decoded: Vec<String> = form_urlencoded::parse(url.as_bytes())
        .map(|(key, value)| format!("{key}={value}"))
        .collect();
    refuse_cpr(&url)?;
    refuse_cpr(&decoded.join("&"))?;
    Ok(Some(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_trimmed_and_must_not_be_blank() {
        assert_eq!(
            Title::parse("  Inddragelse ".into()).map(Title::into_inner),
            Ok("Inddragelse".into())
        );
        assert!(Title::parse("   ".into()).is_err());
        assert!(Title::parse(String::new()).is_err());
    }

    #[test]
    fn title_limit_counts_characters_not_bytes() {
        assert!(Title::parse("æ".repeat(TITLE_MAX)).is_ok());
        assert!(Title::parse("æ".repeat(TITLE_MAX + 1)).is_err());
    }

    #[test]
    fn long_text_may_be_empty_but_not_over_the_limit() {
        assert_eq!(
            LongText::parse(None).map(LongText::into_inner),
            Ok(String::new())
        );
        assert!(LongText::parse(Some("ø".repeat(LONG_TEXT_MAX))).is_ok());
        assert!(LongText::parse(Some("ø".repeat(LONG_TEXT_MAX + 1))).is_err());
        assert!(LongText::parse_required(" \n".into()).is_err());
    }

    #[test]
    fn characters_outside_the_basic_plane_count_as_two_as_in_excel() {
        assert!(LongText::parse(Some("😀".repeat(LONG_TEXT_MAX / 2))).is_ok());
        assert!(LongText::parse(Some("😀".repeat(LONG_TEXT_MAX / 2 + 1))).is_err());
        assert!(Title::parse("😀".repeat(TITLE_MAX / 2 + 1)).is_err());
    }
}

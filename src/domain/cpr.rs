//! Refusing CPR numbers in free text. Plans hold aggregates, never data about
//! a child; a CPR number typed into a note must not be stored, shown in an
//! error or written to a log.
//!
//! A CPR number is ten digits whose first six are a valid date (DDMMYY). People
//! type it in many ways, so the text is first read as a person sees it: every
//! Unicode decimal digit is a digit (full-width `０`, Arabic-Indic `٣` …),
//! invisible format characters (zero-width space, soft hyphen, direction
//! marks) are not there at all, and every dash, space, slash, underscore or
//! dot is a separator. Then these shapes are CPR numbers:
//!
//! - `0102031234`: ten digits in a row (not part of a longer run);
//! - `010203-1234`: six digits, up to three separators, four digits (`010203 1234`,
//!   `010203 – 1234`, `010203/1234`, `010203.1234`, `010203‑1234` …);
//! - `01-02-03-1234`, `01 02 03 1234`, `01.02.03-1234`: day, month and year
//!   apart, then four digits, when the separators are all alike or the last is
//!   a dash (so "pr. 31.12.21 2345 sager" is a date and a count, not a CPR
//!   number);
//! - `0102 03 1234` and `01 0203 1234` likewise split at the date's parts.
//!
//! The modulus-11 check is deliberately not used: numbers issued since 2007
//! may fail it. Phone numbers (`33 12 34 56`), ISO dates, date ranges, case
//! counts and journal numbers have other shapes and pass.

use crate::error::{FieldCode, Refusal};
use std::borrow::Cow;
use std::ops::Range;

/// The message for a refused text, in Danish and English. It never repeats the value.
pub const CPR_MESSAGE: &str = "ligner et CPR-nummer; personoplysninger om børn hører ikke hjemme i planspor \
(looks like a CPR number; personal data about children does not belong in planspor)";

/// What replaces a CPR-shaped part of a text in an error message or a log line.
pub const REDACTED: &str = "[CPR?]";

/// The first code point of every run of ten Unicode decimal digits (general
/// category Nd) a person may plausibly type or paste.
const DIGIT_ZEROS: &[u32] = &[
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E950, 0x1FBF0,
];

fn decimal_digit(c: char) -> Option<u8> {
    let code = u32::from(c);
    DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&code))
        // The difference is below 10.
        .map(|&zero| (code - zero) as u8)
}

/// Characters that take no space and show nothing (Unicode format characters
/// and the like): a person does not see them, so they do not split a number.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}')
}

/// The kinds of character people put between the parts of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separator {
    Dash,
    Space,
    Slash,
    Underscore,
    Dot,
}

fn separator(c: char) -> Option<Separator> {
    match c {
        '-'
        | '\u{2010}'..='\u{2015}'
        | '\u{2043}'
        | '\u{2212}'
        | '\u{2E3A}'
        | '\u{2E3B}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}'
        | '\u{02D7}' => Some(Separator::Dash),
        '/' | '\u{2044}' | '\u{2215}' | '\u{FF0F}' => Some(Separator::Slash),
        '_' | '\u{FF3F}' => Some(Separator::Underscore),
        '.' | '\u{00B7}' | '\u{2024}' | '\u{2219}' | '\u{FF0E}' => Some(Separator::Dot),
        c if c.is_whitespace() => Some(Separator::Space),
        _ => None,
    }
}

/// A character as a person reads it; invisible ones are skipped before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Digit(u8),
    Separator(Separator),
    Other,
}

/// A maximal run of digits, where it sits in the text, and how it is joined to
/// the run before it (`None`: not joined, something else stands between).
#[derive(Debug)]
struct Group {
    digits: Vec<u8>,
    bytes: Range<usize>,
    joint: Option<Vec<Separator>>,
}

/// Most separators between two parts of one number (" - " is three).
const MAX_JOINT: usize = 3;

fn groups(text: &str) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut between: Option<Vec<Separator>> = None;
    let mut previous_was_digit = false;
    for (at, c) in text.char_indices() {
        if is_invisible(c) {
            continue;
        }
        let token = match (decimal_digit(c), separator(c)) {
            (Some(digit), _) => Token::Digit(digit),
            (None, Some(kind)) => Token::Separator(kind),
            (None, None) => Token::Other,
        };
        let end = at + c.len_utf8();
        match token {
            Token::Digit(digit) if previous_was_digit => {
                if let Some(group) = groups.last_mut() {
                    group.digits.push(digit);
                    group.bytes.end = end;
                }
            }
            Token::Digit(digit) => {
                let joint = between
                    .take()
                    .filter(|j| (1..=MAX_JOINT).contains(&j.len()));
                groups.push(Group {
                    digits: vec![digit],
                    bytes: at..end,
                    joint,
                });
            }
            Token::Separator(kind) => {
                if previous_was_digit {
                    between = Some(Vec::new());
                }
                if let Some(joint) = between.as_mut() {
                    joint.push(kind);
                }
            }
            Token::Other => between = None,
        }
        previous_was_digit = matches!(token, Token::Digit(_));
    }
    groups
}

fn is_valid_ddmmyy(digits: &[u8]) -> bool {
    let number = |i: usize| u32::from(digits[i]) * 10 + u32::from(digits[i + 1]);
    let (day, month, year) = (number(0), number(2), number(4));
    let leap = year % 4 == 0; // 00 is 2000, a leap year; 1900 is out of range for living children
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

/// Whether groups of these lengths, joined so, are written like a CPR number.
fn is_cpr_shape(lengths: &[usize], joints: &[&[Separator]]) -> bool {
    match lengths {
        [10] | [6, 4] | [4, 2, 4] | [2, 4, 4] => true,
        [2, 2, 2, 4] => {
            let all_alike = joints.windows(2).all(|pair| pair[0] == pair[1]);
            let last_is_dash = joints
                .last()
                .is_some_and(|joint| joint.contains(&Separator::Dash));
            all_alike || last_is_dash
        }
        _ => false,
    }
}

/// Where the first CPR-shaped part of `text` is, in bytes.
fn find_cpr(text: &str) -> Option<Range<usize>> {
    let groups = groups(text);
    (0..groups.len()).find_map(|first| {
        let mut lengths = Vec::new();
        let mut joints: Vec<&[Separator]> = Vec::new();
        let mut digits = Vec::new();
        for (index, group) in groups.iter().enumerate().skip(first).take(4) {
            if index > first {
                joints.push(group.joint.as_deref()?);
            }
            lengths.push(group.digits.len());
            digits.extend_from_slice(&group.digits);
            if digits.len() >= 10 {
                let found = digits.len() == 10
                    && is_cpr_shape(&lengths, &joints)
                    && is_valid_ddmmyy(&digits);
                return found.then(|| groups[first].bytes.start..group.bytes.end);
            }
        }
        None
    })
}

/// Whether `text` contains something shaped like a CPR number.
pub fn contains_cpr(text: &str) -> bool {
    find_cpr(text).is_some()
}

/// `Err` with [`CPR_MESSAGE`] when `text` contains a CPR number.
pub fn refuse_cpr(text: &str) -> Result<(), Refusal> {
    if contains_cpr(text) {
        Err(Refusal::new(FieldCode::CprNumber, CPR_MESSAGE))
    } else {
        Ok(())
    }
}

/// `text` with every CPR-shaped part replaced by [`REDACTED`]: for what the
/// service itself writes out (error messages, log lines), which must never
/// repeat one.
pub fn redact_cpr(text: &str) -> Cow<'_, str> {
    let Some(first) = find_cpr(text) else {
        return Cow::Borrowed(text);
    };
    let mut redacted = String::with_capacity(text.len());
    let mut rest = text;
    let mut next = Some(first);
    while let Some(found) = next {
        redacted.push_str(&rest[..found.start]);
        redacted.push_str(REDACTED);
        rest = &rest[found.end..];
        next = find_cpr(rest);
    }
    redacted.push_str(rest);
    Cow::Owned(redacted)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How people write a CPR number, alone and inside ordinary text.
    const POSITIVE: &[&str] = &[
        "0102031234",
        "010203-1234",
        "Barnet (010203-1234) er flyttet",
        "cpr:2902001234", // 29 February 2000
        "note 311299-4321 slut",
        "010101-0001", // fails the old modulus-11 check; still a CPR number
        "010203 1234",
        "010203\u{00A0}1234", // no-break space
        "010203\u{2011}1234", // non-breaking hyphen
        "010203\u{2013}1234", // en dash
        "010203\u{2014}1234", // em dash
        "010203\u{2212}1234", // minus sign
        "010203/1234",
        "010203_1234",
        "010203.1234",
        "010203 - 1234",
        "010203 \u{2013} 1234",
        "01-02-03-1234",
        "01.02.03-1234",
        "01.02.03.1234",
        "01 02 03 1234",
        "01/02/03-1234",
        "01 02 03-1234",
        "0102 03 1234",
        "01 0203 1234",
        "０１０２０３１２３４",   // full-width digits
        "０１０２０３－１２３４", // full-width digits and hyphen
        "٠١٠٢٠٣١٢٣٤",             // Arabic-Indic digits
        "۰۱۰۲۰۳-۱۲۳۴",            // Extended Arabic-Indic digits
        "०१०२०३१२३४",             // Devanagari digits
        "𝟎𝟏𝟎𝟐𝟎𝟑𝟏𝟐𝟑𝟒",             // mathematical bold digits
        "0102\u{200B}031234",     // zero-width space inside
        "010203\u{00AD}1234",     // soft hyphen
        "01\u{2060}0203-1234",    // word joiner
        "\u{FEFF}0102031234",     // byte order mark in front
        "010203\u{200E}-1234",    // left-to-right mark
        "Sagen vedrører 150612-4821, som skal udredes",
        "CPR-nr.: 241199-3318.",
        "cpr 2411993318 og mere",
        "https://dagsorden.kommune.dk/punkt?cpr=0102031234",
        "se 310120\u{2010}5678", // hyphen
        "bruger_010203_1234",
        "barn\t010203\t1234",
        "(010203 – 1234)",
        "010203\n1234",
        "\"0102031234\"",
        "a0102031234b",
        "Født 29.02.04-1234", // 29 February 2004
        "31-12-99-1234",
        "311299 1234 er nævnt",
    ];

    /// Ordinary Danish prose with numbers in it.
    const NEGATIVE: &[&str] = &[
        "310299-1234", // there is no 31 February
        "3204991234",  // no 32nd day
        "0113991234",  // no 13th month
        "290201-1234", // 2001 was no leap year
        "kontonummer 123010203123456",
        "01020312345",
        "010203-12345",
        "ring 33 12 34 56 eller +45 33123456",
        "tlf. 7026 1234",
        "Telefon +45 20 30 40 50",
        "mødet 2021-03-09 kl. 10",
        "0 af 430 → 430 af 430",
        "Pr. 31.12.21 2345 underretninger",
        "fra 01.01.2021 til 31.12.2021",
        "perioden 01.02.21-28.02.21",
        "1.-4. kvartal 2024",
        "Journalnr. 27.24.00-G01-1-21",
        "Sag 2021-012345",
        "j.nr. 21/12345",
        "ESDH 2022-1234-5678",
        "KLE 27.12.04",
        "12 af 20 sager (60 %) blev afsluttet inden for 4 måneder",
        "Mål: 90 % senest 2026-12-31",
        "Vi gennemgik 20 sager i 2023 og 19 sager i 2024",
        "§ 50-undersøgelser: 142",
        "Budget 2.500.000 kr.",
        "Budget 12.345.678,90 kr.",
        "Uge 12-14 2025",
        "Kl. 08.30-10.00",
        "Sagsbehandlingstid 123 dage, mål 120",
        "postnummer 4200 Slagelse",
        "CVR 29188505",
        "EAN 5798000123456",
        "serviceloven § 52, stk. 3, nr. 1-9",
        "2019-2023: 1234 underretninger",
        "Version 1.2.3-1234",
        "ISBN 978-87-7546-123-4",
        "13.05.2024 kl. 14:30",
        "I alt 1.234 sager, heraf 567 nye",
        "Anbefaling 3 og 4",
        "1 2 3 4 5 6 7 8 9 10",
        "10 20 30 40 50 60 70",
        "2021/22 og 2022/23",
        "Datoer: 01-02-03 og 1234 andre",
        "01.02.03 1234",
        "99.99.99-1234",
        "000000-0000",
        "123456-7890",
        "Indsats 2.1, 2.2 og 2.3",
        "mellem 010203 og 1234",
        "20 ud af 25 sager = 80,0 %",
        "Faktura 2024-000123",
        "https://www.ast.dk/publikationer/taskforce-rapport-2021",
        "",
    ];

    #[test]
    fn every_way_people_type_a_cpr_number_is_found() {
        assert!(POSITIVE.len() >= 50, "{} positive examples", POSITIVE.len());
        for text in POSITIVE {
            assert!(contains_cpr(text), "missed: {text:?}");
        }
    }

    #[test]
    fn ordinary_danish_prose_with_numbers_passes() {
        assert!(NEGATIVE.len() >= 50, "{} negative examples", NEGATIVE.len());
        for text in NEGATIVE {
            assert!(!contains_cpr(text), "false positive: {text:?}");
        }
    }

    #[test]
    fn redaction_removes_every_cpr_number_and_keeps_the_rest() {
        assert_eq!(
            redact_cpr("invalid type: string \"010203-1234\", expected f64"),
            "invalid type: string \"[CPR?]\", expected f64"
        );
        assert_eq!(
            redact_cpr("/api/v1/plans/0102031234/x/311299 1234"),
            "/api/v1/plans/[CPR?]/x/[CPR?]"
        );
        assert_eq!(redact_cpr("nothing here 2021"), "nothing here 2021");
        for text in POSITIVE {
            assert!(!contains_cpr(&redact_cpr(text)), "{text:?}");
        }
    }
}

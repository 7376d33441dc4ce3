//! Refusing CPR numbers in free text. Plans hold aggregates, never data about
//! a child; a CPR number typed into a note must not be stored.
//!
//! A CPR number is DDMMYY-SSSS, or ten digits in a row whose first six are a
//! valid date. The modulus-11 check is deliberately not used: numbers issued
//! since 2007 may fail it. Digits that are part of a longer run (an account
//! number, say) are not a CPR number, nor are phone numbers or ISO dates.

/// The message for a refused text, in Danish and English. It never repeats the value.
pub const CPR_MESSAGE: &str = "ligner et CPR-nummer; personoplysninger om børn hører ikke hjemme i planspor \
(looks like a CPR number; personal data about children does not belong in planspor)";

fn is_valid_ddmmyy(digits: &[u8]) -> bool {
    let number = |i: usize| u32::from(digits[i] - b'0') * 10 + u32::from(digits[i + 1] - b'0');
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

/// The maximal runs of ASCII digits in `text`, with their byte offsets.
fn digit_runs(text: &str) -> Vec<(usize, &[u8])> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut start = None;
    for (index, byte) in bytes.iter().enumerate() {
        match (byte.is_ascii_digit(), start) {
            (true, None) => start = Some(index),
            (false, Some(from)) => {
                runs.push((from, &bytes[from..index]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        runs.push((from, &bytes[from..]));
    }
    runs
}

/// Whether `text` contains something shaped like a CPR number.
pub fn contains_cpr(text: &str) -> bool {
    let bytes = text.as_bytes();
    let runs = digit_runs(text);
    runs.iter().enumerate().any(|(index, (start, run))| {
        if run.len() == 10 {
            return is_valid_ddmmyy(run);
        }
        // DDMMYY-SSSS: six digits, a hyphen, four digits.
        run.len() == 6
            && bytes.get(start + 6) == Some(&b'-')
            && runs
                .get(index + 1)
                .is_some_and(|(next_start, next)| *next_start == start + 7 && next.len() == 4)
            && is_valid_ddmmyy(run)
    })
}

/// `Err` with [`CPR_MESSAGE`] when `text` contains a CPR number.
pub fn refuse_cpr(text: &str) -> Result<(), String> {
    if contains_cpr(text) {
        Err(CPR_MESSAGE.into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpr_numbers_with_and_without_hyphen_are_found_in_text() {
        assert!(contains_cpr("Barnet (010203-1234) er flyttet"));
        assert!(contains_cpr("0102031234"));
        assert!(contains_cpr("cpr:2902001234")); // 29 February 2000
        assert!(contains_cpr("note 311299-4321 slut"));
    }

    #[test]
    fn numbers_failing_modulus_11_are_still_refused() {
        // 010101-0001 fails the old modulus-11 check; it is still a CPR number.
        assert!(contains_cpr("010101-0001"));
    }

    #[test]
    fn impossible_dates_are_not_cpr_numbers() {
        assert!(!contains_cpr("310299-1234")); // there is no 31 February
        assert!(!contains_cpr("3204991234")); // no 32nd day
        assert!(!contains_cpr("0113991234")); // no 13th month
        assert!(!contains_cpr("290201-1234")); // 2001 was no leap year
    }

    #[test]
    fn digits_inside_longer_runs_phone_numbers_and_iso_dates_pass() {
        assert!(!contains_cpr("kontonummer 123010203123456"));
        assert!(!contains_cpr("01020312345"));
        assert!(!contains_cpr("ring 33 12 34 56 eller +45 33123456"));
        assert!(!contains_cpr("mødet 2021-03-09 kl. 10"));
        assert!(!contains_cpr("0 af 430 → 430 af 430"));
        assert!(!contains_cpr("010203-12345"));
        assert!(!contains_cpr("010203 1234"));
    }
}

//! How an export is delivered: its file name (RFC 6266 `Content-Disposition`
//! with an ASCII fallback and the RFC 8187 `filename*` for æ, ø and å) and
//! the conditional request that lets a repeated download answer 304.

use actix_web::HttpRequest;

use super::{ExportDocument, Format, Lang};
use crate::concurrency::IfNoneMatch;

/// E.g. `Slagelse_udviklingsplan_status_2025-03-31.pdf`, or
/// `Slagelse_udviklingsplan_aktuel_2025-05-02.pdf` for a plan's current state.
pub fn filename(document: &ExportDocument, format: Format) -> String {
    let snapshot = &document.snapshot;
    let kind = match (document.lang, document.published) {
        (Lang::Da, true) => "udviklingsplan_status",
        (Lang::Da, false) => "udviklingsplan_aktuel",
        (Lang::En, true) => "development_plan_status",
        (Lang::En, false) => "development_plan_current",
    };
    format!(
        "{}_{kind}_{}.{}",
        place(&snapshot.organization.name),
        snapshot.report.as_of,
        format.extension()
    )
}

/// The municipality's name as a file name part: "Slagelse Kommune" → "Slagelse",
/// spaces as underscores, nothing a file system or a header would trip on.
fn place(name: &str) -> String {
    let name = name.trim();
    let name = name
        .strip_suffix(" Kommune")
        .or_else(|| name.strip_suffix(" kommune"))
        .unwrap_or(name);
    let words: Vec<String> = name
        .split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| !c.is_control() && !"/\\:*?\"<>|;%".contains(*c))
                .collect()
        })
        .filter(|word: &String| !word.is_empty())
        .collect();
    if words.is_empty() {
        "planspor".into()
    } else {
        words.join("_")
    }
}

/// `attachment` with both the ASCII fallback and the UTF-8 name.
pub fn content_disposition(filename: &str) -> String {
    format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(filename),
        percent_encode(filename)
    )
}

/// For clients that ignore `filename*`: æ → ae, ø → oe, å → aa, anything
/// else outside printable ASCII → `_`.
fn ascii_fallback(filename: &str) -> String {
    filename
        .chars()
        .map(|c| match c {
            'æ' => "ae".into(),
            'ø' => "oe".into(),
            'å' => "aa".into(),
            'Æ' => "Ae".into(),
            'Ø' => "Oe".into(),
            'Å' => "Aa".into(),
            ' '..='~' if c != '"' && c != '\\' => c.to_string(),
            _ => "_".into(),
        })
        .collect()
}

/// RFC 8187 value characters: every byte outside `attr-char` is `%XX`.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// Whether `If-None-Match` names `etag` (or is `*`): the client has these bytes.
pub fn not_modified(req: &HttpRequest, etag: &str) -> bool {
    IfNoneMatch::from_headers(req).has(etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_municipality_is_named_without_kommune_and_without_spaces() {
        assert_eq!(place("Slagelse Kommune"), "Slagelse");
        assert_eq!(place("Lyngby-Taarbæk Kommune"), "Lyngby-Taarbæk");
        assert_eq!(place("Kommune 330"), "Kommune_330");
        assert_eq!(place("Ærø  \"Kommune\""), "Ærø_Kommune");
        assert_eq!(place(" / "), "planspor");
    }

    #[test]
    fn danish_names_have_an_ascii_fallback_and_an_encoded_utf8_name() {
        assert_eq!(
            content_disposition("Ærø_udviklingsplan_status_2025-03-31.pdf"),
            "attachment; filename=\"Aeroe_udviklingsplan_status_2025-03-31.pdf\"; \
             filename*=UTF-8''%C3%86r%C3%B8_udviklingsplan_status_2025-03-31.pdf"
        );
    }
}

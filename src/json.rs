//! `ApiJson<T>`: the JSON body extractor. Unlike actix's own it answers every
//! failure with a problem document that names the offending field:
//! 415 wrong content type, 413 too large, 400 not JSON, 422 JSON of the wrong shape.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldCode, FieldError, Refusal};

/// The configured body limit, stored as app data.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A JSON request body parsed into `T`.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

fn is_json(req: &HttpRequest) -> bool {
    let Some(content_type) = req.headers().get(actix_web::http::header::CONTENT_TYPE) else {
        return false;
    };
    let Ok(content_type) = content_type.to_str() else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// serde tells what kind of shape error it met only in its message, whose
/// openings are serde's own (`serde::de::Error`'s default messages); a message
/// of ours from a `deserialize_with` parser is about the value's form.
fn shape_refusal(message: String) -> Refusal {
    let code = if message.starts_with("missing field") {
        FieldCode::Required
    } else if message.starts_with("unknown field") {
        FieldCode::UnknownField
    } else if message.starts_with("unknown variant") {
        FieldCode::UnknownValue
    } else if message.starts_with("invalid type") {
        FieldCode::WrongType
    } else if message.starts_with("invalid length") || message.starts_with("invalid value") {
        FieldCode::OutOfRange
    } else if message.starts_with("duplicate field") {
        FieldCode::Duplicate
    } else {
        FieldCode::InvalidFormat
    };
    Refusal::new(code, message)
}

/// Parses `bytes` as `T`, telling syntax errors (400) from shape errors (422).
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Every body is an object; serde would otherwise read a struct from an array too.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|&b| b != b'{') {
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                Ok(_) => ApiError::InvalidBody(FieldError::new(
                    "body",
                    Refusal::new(FieldCode::WrongType, "must be a JSON object"),
                )),
                Err(e) => ApiError::BadRequest(format!("The body is not valid JSON: {e}")),
            },
        );
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let field = if path == "." { "body".to_owned() } else { path };
                let message = strip_position(&inner.to_string());
                ApiError::InvalidBody(FieldError::new(field, shape_refusal(message)))
            }
            _ => ApiError::BadRequest(format!("The body is not valid JSON: {inner}")),
        }
    })?;
    deserializer
        .end()
        .map_err(|e| ApiError::BadRequest(format!("The body is not valid JSON: {e}")))?;
    if contains_nul_escape(bytes) {
        return Err(ApiError::invalid(
            "body",
            crate::error::FieldCode::InvalidFormat,
            "text must not contain the NUL character (\\u0000)",
        ));
    }
    Ok(value)
}

/// Whether valid JSON `bytes` hold a `\u0000` escape, the only way a JSON text
/// carries U+0000, which PostgreSQL cannot store in text. `\\u0000` (an
/// escaped backslash, then "u0000") is not one.
fn contains_nul_escape(bytes: &[u8]) -> bool {
    bytes.windows(6).enumerate().any(|(at, window)| {
        window.eq_ignore_ascii_case(b"\\u0000")
            && bytes[..at]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count()
                % 2
                == 0
    })
}

/// serde's messages end in " at line 1 column 42", which means nothing to a form.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let limit = req
            .app_data::<web::Data<BodyLimit>>()
            .map_or(1 << 20, |limit| limit.0);
        let mut payload = payload.take();
        Box::pin(async move {
            if !json {
                return Err(ApiError::UnsupportedMediaType("application/json"));
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| {
                    ApiError::BadRequest(format!("The body could not be read: {e}"))
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge(limit));
                }
                body.extend_from_slice(&chunk);
            }
            parse_body(&body).map(ApiJson)
        })
    }
}

/// Deserializes a field that may be absent (`None`), `null` (`Some(None)`) or a value,
/// so PATCH can tell "leave unchanged" from "clear".
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

/// Deserializes a required integer field as [`optional_integer`] does.
pub fn integer<'de, D>(deserializer: D) -> Result<i32, D::Error>
where
    D: serde::Deserializer<'de>,
{
    whole(<f64 as serde::Deserialize>::deserialize(deserializer)?)
}

/// Deserializes an optional integer field the way JSON Schema counts integers:
/// `78` and `78.0` are the same integer; `78.5` or one out of range is refused.
pub fn optional_integer<'de, D>(deserializer: D) -> Result<Option<i32>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    <Option<f64> as serde::Deserialize>::deserialize(deserializer)?
        .map(whole)
        .transpose()
}

fn whole<E: serde::de::Error>(value: f64) -> Result<i32, E> {
    let in_range = (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&value);
    if value.fract() == 0.0 && in_range {
        // Whole and within i32: the conversion is exact.
        Ok(value as i32)
    } else {
        Err(E::invalid_value(
            serde::de::Unexpected::Float(value),
            &"a whole number",
        ))
    }
}

/// Serializes a measured value as entered: whole numbers without a fraction
/// (`95`, not `95.0`), others in their shortest exact form (`87.5`).
pub fn number<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    // Below 2^53 every whole f64 is an exact i64.
    if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

/// [`number`] for an optional value.
pub fn optional_number<S: serde::Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => number(value, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        #[expect(dead_code, reason = "only deserialized, to see what is refused")]
        unit: crate::domain::Unit,
    }

    #[test]
    fn numbers_are_written_as_entered() {
        #[derive(serde::Serialize)]
        struct Value(#[serde(serialize_with = "number")] f64);
        let written = |v| serde_json::to_string(&Value(v)).unwrap_or_default();
        assert_eq!(written(95.0), "95");
        assert_eq!(written(87.5), "87.5");
        assert_eq!(written(0.1), "0.1");
        assert_eq!(written(33.33), "33.33");
    }

    #[test]
    fn syntax_errors_are_bad_requests() {
        assert!(matches!(
            parse_body::<Sample>(b"{\"unit\": "),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            parse_body::<Sample>(br#"{"unit": "count"} trailing"#),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn wrong_values_name_their_field() {
        let Err(ApiError::InvalidBody(error)) = parse_body::<Sample>(br#"{"unit": "kilos"}"#)
        else {
            panic!("expected a validation error");
        };
        assert_eq!(error.field, "unit");
        assert!(error.message.contains("kilos"), "{}", error.message);
    }

    #[test]
    fn integers_may_be_written_with_a_zero_fraction_but_not_with_another() {
        #[derive(serde::Deserialize)]
        struct Numbered {
            #[serde(default, deserialize_with = "super::optional_integer")]
            position: Option<i32>,
        }
        let position = |body: &[u8]| parse_body::<Numbered>(body).map(|n| n.position);
        assert_eq!(position(br#"{"position": 78}"#).ok(), Some(Some(78)));
        assert_eq!(position(br#"{"position": 78.0}"#).ok(), Some(Some(78)));
        assert_eq!(position(br#"{}"#).ok(), Some(None));
        assert!(position(br#"{"position": 78.5}"#).is_err());
        assert!(position(br#"{"position": 3e10}"#).is_err());
    }

    #[test]
    fn a_nul_character_is_refused_but_an_escaped_backslash_before_u0000_is_text() {
        #[derive(serde::Deserialize)]
        struct Text {
            #[expect(dead_code, reason = "only parsed")]
            title: String,
        }
        let nul = parse_body::<Text>(br#"{"title": "a\u0000b"}"#);
        assert!(matches!(nul, Err(ApiError::Validation(_))));
        assert!(parse_body::<Text>(br#"{"title": "a\\u0000b"}"#).is_ok());
        assert!(parse_body::<Text>(br#"{"title": "a\\\u0000b"}"#).is_err());
    }

    #[test]
    fn a_body_that_is_not_an_object_is_refused_even_where_serde_would_read_it() {
        let array = parse_body::<Sample>(br#"["count"]"#);
        assert!(matches!(array, Err(ApiError::InvalidBody(e)) if e.field == "body"));
        let garbage = parse_body::<Sample>(b"nonsense");
        assert!(matches!(garbage, Err(ApiError::BadRequest(_))));
    }
}

//! Parsing a request body into domain values, collecting every field's error
//! so one 422 names all of them.

use crate::error::{FieldCode, Refusal};

/// Evaluates each `field: parse_expression` (each a `Result<T, Refusal>`) and
/// returns `Ok((value, …))` when all succeed, or one `ApiError::Validation`
/// listing every failure under its field's name.
#[macro_export]
macro_rules! parse_fields {
    ($($field:ident : $parse:expr),+ $(,)?) => {{
        let mut errors: Vec<$crate::error::FieldError> = Vec::new();
        $(
            let $field = match $parse {
                Ok(value) => Some(value),
                Err(message) => {
                    errors.push($crate::error::FieldError::new(stringify!($field), message));
                    None
                }
            };
        )+
        match ($($field,)+) {
            ($(Some($field),)+) => Ok(($($field,)+)),
            _ => Err($crate::error::ApiError::Validation(errors)),
        }
    }};
}

/// `Ok(())` when `later` is absent or not before `earlier`.
pub fn not_before<T: PartialOrd>(
    earlier: Option<T>,
    later: Option<T>,
    earlier_name: &str,
) -> Result<(), Refusal> {
    match (earlier, later) {
        (Some(earlier), Some(later)) if later < earlier => Err(Refusal::new(
            FieldCode::Inconsistent,
            format!("must not be before {earlier_name}"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Title;
    use crate::error::ApiError;

    #[test]
    fn every_failing_field_is_reported() {
        let result: Result<(Title, Title), ApiError> =
            parse_fields! { title: Title::parse(String::new()), name: Title::parse(" ".into()) };
        let Err(ApiError::Validation(errors)) = result else {
            panic!("expected validation errors")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "name"]);
    }

    #[test]
    fn dates_in_order_pass() {
        assert!(super::not_before(Some(1), Some(2), "a").is_ok());
        assert!(super::not_before(Some(2), Some(1), "a").is_err());
        assert!(super::not_before(None, Some(1), "a").is_ok());
    }
}

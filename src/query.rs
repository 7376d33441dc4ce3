//! `ApiQuery<T>`: the query-string extractor. A bad parameter answers 400 with
//! a problem that names the parameter.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Query parameters parsed into `T`.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T> std::ops::Deref for ApiQuery<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Parses a query string, naming the offending parameter on failure.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    // PostgreSQL text cannot hold a NUL, so a value with one could never match
    // anything and would fail as a database error: refuse it here, by name.
    if let Some((parameter, _)) = url_pairs(query).find(|(_, value)| value.contains('\0')) {
        return Err(ApiError::BadRequest(format!(
            "Query parameter `{parameter}`: must not contain a NUL character"
        )));
    }
    let deserializer = serde_urlencoded::Deserializer::new(url_pairs(query));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let parameter = error.path().to_string();
        let message = error.into_inner().to_string();
        if parameter == "." {
            ApiError::BadRequest(format!("Invalid query string: {message}"))
        } else {
            ApiError::BadRequest(format!("Query parameter `{parameter}`: {message}"))
        }
    })
}

fn url_pairs(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

impl<T: DeserializeOwned> FromRequest for ApiQuery<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_query(req.query_string()).map(ApiQuery))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pagination::PageParams;

    #[test]
    fn a_bad_parameter_is_named() {
        let Err(ApiError::BadRequest(detail)) = parse_query::<PageParams>("limit=ten") else {
            panic!("expected a bad request");
        };
        assert!(detail.contains("`limit`"), "{detail}");
        assert!(parse_query::<PageParams>("limit=10&cursor=abc").is_ok());
        let Err(ApiError::BadRequest(detail)) = parse_query::<PageParams>("cursor=a%00b") else {
            panic!("expected a bad request");
        };
        assert!(
            detail.contains("`cursor`") && detail.contains("NUL"),
            "{detail}"
        );
    }
}

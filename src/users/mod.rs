//! Users: people who sign in, keyed by their token's issuer and subject.
//! Administered by administrators (HTTP) or `planspor admin` (command line).

mod handlers;
pub mod queries;

pub use handlers::{create, routes};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::users;
use crate::domain::{Language, Title, UserId, refuse_cpr};
use crate::error::{ApiError, FieldCode, Refusal};
use crate::parse_fields;

/// A user.
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    /// Id.
    pub id: UserId,
    /// The token issuer that vouches for the user.
    #[schema(example = "planspor")]
    pub issuer: String,
    /// The user's subject (`sub`) at that issuer.
    pub subject: String,
    /// Name shown as author and in the audit trail.
    #[schema(example = "Mette Hansen")]
    pub display_name: String,
    /// E-mail address.
    #[schema(example = "mette@slagelse.dk")]
    pub email: Option<String>,
    /// System-wide administrator.
    pub is_admin: bool,
    /// The language of the e-mails planspor sends the user.
    pub language: Language,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl crate::concurrency::Versioned for User {
    fn version(&self) -> i32 {
        self.version
    }
}

/// The body that registers a user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    /// Name, 1–200 characters.
    #[schema(example = "Mette Hansen", min_length = 1, max_length = 200)]
    pub display_name: String,
    /// E-mail address, unique.
    #[schema(example = "mette@slagelse.dk")]
    pub email: Option<String>,
    /// System-wide administrator; `false` when absent.
    pub is_admin: Option<bool>,
    /// The language of the e-mails planspor sends the user; `da` when absent.
    pub language: Option<Language>,
    /// For users of an external identity provider: their `sub`. Absent for
    /// users of planspor's own tokens (the subject is then the user's id).
    pub subject: Option<String>,
}

/// Validated user fields.
#[derive(Debug, diesel::prelude::Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    id: UserId,
    issuer: String,
    subject: String,
    display_name: String,
    email: Option<String>,
    is_admin: bool,
    language: Language,
}

fn parse_email(email: Option<String>) -> Result<Option<String>, Refusal> {
    let Some(email) = email.map(|e| e.trim().to_owned()) else {
        return Ok(None);
    };
    let valid = email.len() <= 320
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !email.chars().any(char::is_whitespace)
        });
    if valid {
        refuse_cpr(&email)?;
        Ok(Some(email))
    } else {
        Err(Refusal::new(
            FieldCode::InvalidFormat,
            "must be an e-mail address",
        ))
    }
}

fn parse_subject(subject: Option<String>, id: UserId) -> Result<String, Refusal> {
    match subject {
        None => Ok(id.to_string()),
        Some(subject) if !subject.trim().is_empty() && subject.len() <= 500 => Ok(subject),
        Some(_) => Err(Refusal::new(FieldCode::TooLong, "must be 1–500 characters")),
    }
}

impl UserInput {
    /// Parses the body; users are vouched for by `issuer`.
    pub fn parse(self, issuer: &str) -> Result<NewUser, ApiError> {
        let id = UserId::new();
        let (display_name, email, subject) = parse_fields! {
            display_name: Title::parse(self.display_name),
            email: parse_email(self.email),
            subject: parse_subject(self.subject, id),
        }?;
        Ok(NewUser {
            id,
            issuer: issuer.to_owned(),
            subject,
            display_name: display_name.into_inner(),
            email,
            is_admin: self.is_admin.unwrap_or(false),
            language: self.language.unwrap_or(Language::Da),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_checked_loosely_but_surely() {
        assert!(parse_email(Some("mette@slagelse.dk".into())).is_ok());
        assert!(parse_email(Some("mette".into())).is_err());
        assert!(parse_email(Some("a b@x.dk".into())).is_err());
        assert_eq!(parse_email(None), Ok(None));
    }
}

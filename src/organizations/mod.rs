//! Organizations: the municipalities that own plans and the Task Force.

mod handlers;
mod queries;

pub use handlers::{create, routes};
pub use queries::{find, find_by_code, find_scoped};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::concurrency::Versioned;
use crate::db::schema::organizations;
use crate::domain::{OrganizationId, OrganizationKind, Title};
use crate::error::{ApiError, FieldCode, Refusal};
use crate::parse_fields;
use crate::resource::{Entity, Resource};

/// A municipality or the Task Force.
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = organizations, check_for_backend(diesel::pg::Pg))]
pub struct Organization {
    /// Id.
    pub id: OrganizationId,
    /// Name, e.g. "Slagelse Kommune".
    #[schema(example = "Slagelse Kommune")]
    pub name: String,
    /// Municipality or Task Force.
    pub kind: OrganizationKind,
    /// The three-digit Danish municipality code; `null` for the Task Force.
    #[schema(example = "330", pattern = "^[0-9]{3}$")]
    pub municipality_code: Option<String>,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Resource for Organization {
    const ENTITY: Entity = Entity::ORGANIZATION;

    fn audit_id(&self) -> Uuid {
        self.id.0
    }
}

impl Versioned for Organization {
    fn version(&self) -> i32 {
        self.version
    }
}

/// The body that creates an organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Lolland Kommune", "kind": "municipality", "municipality_code": "360"}))]
pub struct OrganizationInput {
    /// Name, 1–200 characters.
    #[schema(example = "Slagelse Kommune", min_length = 1, max_length = 200)]
    pub name: String,
    /// Municipality or Task Force.
    #[schema(example = "municipality")]
    pub kind: OrganizationKind,
    /// Required for a municipality, absent for the Task Force.
    #[schema(example = "330", pattern = "^[0-9]{3}$")]
    pub municipality_code: Option<String>,
}

/// Changes to an organization; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationPatch {
    /// New name.
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// New kind.
    pub kind: Option<OrganizationKind>,
    /// New municipality code; `null` clears it.
    #[serde(default, deserialize_with = "crate::json::double_option")]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{3}$")]
    pub municipality_code: Option<Option<String>>,
}

/// Validated organization fields, ready to store.
#[derive(Debug, diesel::prelude::Insertable, diesel::prelude::AsChangeset)]
#[diesel(table_name = organizations, treat_none_as_null = true)]
pub struct OrganizationFields {
    name: String,
    kind: OrganizationKind,
    municipality_code: Option<String>,
}

fn parse_code(kind: OrganizationKind, code: Option<String>) -> Result<Option<String>, Refusal> {
    match (kind, code) {
        (OrganizationKind::Municipality, None) => Err(Refusal::new(
            FieldCode::Required,
            "is required for a municipality",
        )),
        (OrganizationKind::TaskForce, Some(_)) => Err(Refusal::new(
            FieldCode::NotAllowed,
            "must be absent for the Task Force",
        )),
        (_, Some(code)) if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) => {
            Err(Refusal::new(
                FieldCode::InvalidFormat,
                "must be three digits, e.g. \"330\"",
            ))
        }
        (_, code) => Ok(code),
    }
}

impl OrganizationInput {
    /// Parses the body into storable fields.
    pub fn parse(self) -> Result<OrganizationFields, ApiError> {
        let (name, municipality_code) = parse_fields! {
            name: Title::parse(self.name),
            municipality_code: parse_code(self.kind, self.municipality_code),
        }?;
        Ok(OrganizationFields {
            name: name.into_inner(),
            kind: self.kind,
            municipality_code,
        })
    }
}

impl OrganizationPatch {
    /// The full input after applying this patch to `current`.
    pub fn apply_to(self, current: &Organization) -> OrganizationInput {
        OrganizationInput {
            name: self.name.unwrap_or_else(|| current.name.clone()),
            kind: self.kind.unwrap_or(current.kind),
            municipality_code: self
                .municipality_code
                .unwrap_or_else(|| current.municipality_code.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn municipality_code_is_three_digits_and_only_for_municipalities() {
        let code = |kind, code: Option<&str>| parse_code(kind, code.map(str::to_owned));
        assert_eq!(
            code(OrganizationKind::Municipality, Some("330")),
            Ok(Some("330".into()))
        );
        assert!(code(OrganizationKind::Municipality, None).is_err());
        assert!(code(OrganizationKind::Municipality, Some("33")).is_err());
        assert!(code(OrganizationKind::Municipality, Some("３３０")).is_err());
        assert!(code(OrganizationKind::TaskForce, Some("330")).is_err());
        assert_eq!(code(OrganizationKind::TaskForce, None), Ok(None));
    }
}

//! Progress notes: the Task Force consultants' log on an initiative.

mod handlers;
mod queries;

pub use handlers::routes;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Principal;
use crate::concurrency::Versioned;
use crate::db::schema::progress_notes;
use crate::domain::{InitiativeId, LongText, ProgressNoteId, UserId};
use crate::error::ApiError;
use crate::resource::{Entity, Resource};

/// A note on an initiative's progress.
#[derive(
    Debug, Clone, Serialize, ToSchema, diesel::prelude::Queryable, diesel::prelude::Selectable,
)]
#[diesel(table_name = progress_notes, check_for_backend(diesel::pg::Pg))]
pub struct ProgressNote {
    /// Id.
    pub id: ProgressNoteId,
    /// The initiative it is about.
    pub initiative_id: InitiativeId,
    /// The note.
    #[schema(example = "Børnesamtaler dokumenteres nu i 18 af 20 gennemgåede sager.")]
    pub body: String,
    /// The display name of who wrote it, taken from their sign-in.
    #[schema(example = "Task Force-konsulent")]
    pub author: String,
    /// Increases on every change; the ETag.
    pub version: i32,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The user who wrote it.
    pub author_id: Option<UserId>,
}

impl Resource for ProgressNote {
    const ENTITY: Entity = Entity::PROGRESS_NOTE;

    fn audit_id(&self) -> Uuid {
        self.id.0
    }
}

impl Versioned for ProgressNote {
    fn version(&self) -> i32 {
        self.version
    }
}

/// The body that writes a note. The author is the signed-in user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressNoteInput {
    /// The note, 1–20,000 characters.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
}

/// Changes to a note; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressNotePatch {
    /// New text.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: Option<String>,
}

/// Validated note fields, ready to store.
#[derive(Debug, diesel::prelude::Insertable, diesel::prelude::AsChangeset)]
#[diesel(table_name = progress_notes)]
pub struct ProgressNoteFields {
    body: String,
}

impl ProgressNoteInput {
    /// Parses the body into storable fields.
    pub fn parse(self) -> Result<ProgressNoteFields, ApiError> {
        let body = LongText::parse_required(self.body)
            .map_err(|refusal| ApiError::refused("body", refusal))?;
        Ok(ProgressNoteFields {
            body: body.into_inner(),
        })
    }
}

impl ProgressNotePatch {
    /// The full input after applying this patch to `current`.
    pub fn apply_to(self, current: &ProgressNote) -> ProgressNoteInput {
        ProgressNoteInput {
            body: self.body.unwrap_or_else(|| current.body.clone()),
        }
    }
}

impl ProgressNote {
    /// 403 unless `principal` wrote the note (or administers the service): a log
    /// entry is its author's words.
    pub fn ensure_author(&self, principal: &Principal) -> Result<(), ApiError> {
        if principal.is_admin || self.author_id == Some(principal.user_id) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "Only the note's author may change or delete it.".into(),
            ))
        }
    }
}

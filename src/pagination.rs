//! Keyset pagination shared by every list: `limit` (1–500, default 50) and an
//! opaque `cursor`. Pages follow the time-ordered ids, so inserts between two
//! page requests never shift or repeat items.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::ApiError;

/// Default number of items per page.
pub const DEFAULT_LIMIT: u32 = 50;
/// Largest number of items per page.
pub const MAX_LIMIT: u32 = 500;

/// Paging parameters as they arrive in the query string.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page, 1–500.
    #[param(minimum = 1, maximum = 500, default = 50)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(
        pattern = "^c1[0-9a-f]{32}$",
        example = "c101936f4e1c2a7b3d8e9f0a1b2c3d4e5f"
    )]
    pub cursor: Option<String>,
    /// Only items created or changed at or after this instant (RFC 3339), to
    /// refresh a list a UI already holds; in the audit trail, the events that
    /// occurred since. A change is dated when its transaction began, so ask
    /// with a margin; the event feed (`GET /api/v1/events`) is the way never
    /// to miss one. A recommendation's computed status is not a change of it.
    #[param(value_type = Option<String>, format = DateTime, example = "2025-04-01T00:00:00Z")]
    pub updated_since: Option<DateTime<Utc>>,
}

/// Paging parameters after parsing: a limit in range and the id to continue after.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Items per page.
    pub limit: i64,
    /// Continue after this id.
    pub after: Option<Uuid>,
    /// Only rows changed at or after this instant.
    pub updated_since: Option<DateTime<Utc>>,
}

impl PageParams {
    /// Parses the raw parameters; a bad limit or cursor is a 400 naming the parameter.
    pub fn parse(&self) -> Result<Page, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::BadRequest(format!(
                "Query parameter `limit` must be between 1 and {MAX_LIMIT}."
            )));
        }
        let after = self
            .cursor
            .as_deref()
            .map(decode_cursor)
            .transpose()
            .map_err(|_| {
                ApiError::BadRequest(
                    "Query parameter `cursor` is not a cursor this service issued.".into(),
                )
            })?;
        Ok(Page {
            limit: i64::from(limit),
            after,
            updated_since: self.updated_since,
        })
    }
}

fn encode_cursor(id: Uuid) -> String {
    format!("c1{}", id.simple())
}

fn decode_cursor(cursor: &str) -> Result<Uuid, ()> {
    let hex = cursor.strip_prefix("c1").ok_or(())?;
    if hex.len() != 32 {
        return Err(());
    }
    Uuid::try_parse(hex).map_err(|_| ())
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paginated<T: ToSchema> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> Paginated<T> {
    /// One page that holds every item: for the short lists (a plan's
    /// transitions, a record's history, the templates) that are not paged
    /// yet, answered in the same shape, so a client that follows
    /// `next_cursor` keeps working when they are.
    pub fn complete(items: Vec<T>) -> Self {
        Self {
            items,
            next_cursor: None,
        }
    }

    /// Builds a page from up to `limit + 1` rows fetched in id order: the extra
    /// row only tells that another page exists.
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        page: Page,
        id_of: impl Fn(&R) -> Uuid,
        into: impl Fn(R) -> T,
    ) -> Self {
        let has_more = rows.len() as i64 > page.limit;
        rows.truncate(page.limit as usize);
        let next_cursor = if has_more {
            rows.last().map(|row| encode_cursor(id_of(row)))
        } else {
            None
        };
        Self {
            items: rows.into_iter().map(into).collect(),
            next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let id = Uuid::now_v7();
        assert_eq!(decode_cursor(&encode_cursor(id)), Ok(id));
        assert!(decode_cursor("abc").is_err());
        assert!(decode_cursor(&id.to_string()).is_err());
    }

    #[test]
    fn limit_outside_range_is_refused() {
        let params = |limit| PageParams {
            limit: Some(limit),
            cursor: None,
            updated_since: None,
        };
        assert!(params(0).parse().is_err());
        assert!(params(501).parse().is_err());
        assert_eq!(params(500).parse().map(|page| page.limit).ok(), Some(500));
    }
}

//! One way to reach a resource: load it with the organization that owns it
//! ([`Scoped`]), pass the access check to get at the row, and change it in a
//! transaction that records its audit event and, for a structural change of
//! the plan, the plan's revision ([`in_transaction`]).
//!
//! A handler cannot read a row without the check, because a [`Scoped`] gives
//! its row only to [`Scoped::readable_by`] and the `…_by` methods below; it
//! cannot commit a change without its audit event, because
//! [`in_transaction`] records the [`Recorded::change`] in the same transaction.

use std::fmt::Display;

use diesel_async::AsyncConnection;
use futures_util::future::BoxFuture;
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, Actor, Change};
use crate::auth::Principal;
use crate::concurrency::{IfMatch, Versioned};
use crate::db::PgConn;
use crate::domain::{OrganizationId, PlanId};
use crate::error::ApiError;
use crate::revisions;

/// A kind of resource: its name in the audit trail and history, its word in
/// problem details, and the collection its `Location` is under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entity {
    name: &'static str,
    label: &'static str,
    collection: &'static str,
}

impl Entity {
    /// A municipality or the Task Force.
    pub const ORGANIZATION: Self = Self::new("organization", "organization", "organizations");
    /// A person who signs in.
    pub const USER: Self = Self::new("user", "user", "users");
    /// A user's role in an organization.
    pub const MEMBERSHIP: Self = Self::new("membership", "membership", "memberships");
    /// A recommendation of the Task Force's analysis.
    pub const RECOMMENDATION: Self =
        Self::new("recommendation", "recommendation", "recommendations");
    /// A case-review round of a plan.
    pub const CASE_REVIEW: Self = Self::new("case_review", "case review", "case-reviews");
    /// A development plan.
    pub const PLAN: Self = Self::new("plan", "plan", "plans");
    /// A focus area of a plan.
    pub const FOCUS_AREA: Self = Self::new("focus_area", "focus area", "focus-areas");
    /// An initiative under a focus area.
    pub const INITIATIVE: Self = Self::new("initiative", "initiative", "initiatives");
    /// An indicator of a plan.
    pub const INDICATOR: Self = Self::new("indicator", "indicator", "indicators");
    /// One measured value of an indicator.
    pub const MEASUREMENT: Self = Self::new("measurement", "measurement", "measurements");
    /// A consultant's note on an initiative.
    pub const PROGRESS_NOTE: Self = Self::new("progress_note", "progress note", "progress-notes");
    /// A status report to the political committee.
    pub const STATUS_REPORT: Self = Self::new("status_report", "status report", "status-reports");
    /// A committed import of measurements from a spreadsheet.
    pub const IMPORT: Self = Self::new("measurement_import", "import", "imports");
    /// An organization's subscription to its events.
    pub const WEBHOOK: Self = Self::new("webhook", "webhook", "webhooks");

    const fn new(name: &'static str, label: &'static str, collection: &'static str) -> Self {
        Self {
            name,
            label,
            collection,
        }
    }

    /// The entity type recorded in audit events (`focus_area`).
    pub const fn name(self) -> &'static str {
        self.name
    }

    /// How a problem detail names it (`focus area`).
    pub const fn label(self) -> &'static str {
        self.label
    }

    /// The `Location` of the resource with `id`.
    pub fn location(self, id: impl Display) -> String {
        format!("/api/v1/{}/{id}", self.collection)
    }
}

/// A row as loaded, with the organization that owns it. The row is reached
/// only through an access check.
#[must_use = "a loaded row is reached through an access check"]
#[derive(Debug)]
pub struct Scoped<T> {
    entity: Entity,
    row: T,
    organization: OrganizationId,
}

/// A row the caller may change, with its organization (for the audit event).
#[derive(Debug)]
pub struct Owned<T> {
    /// The row as it is now.
    pub row: T,
    /// The organization that owns it.
    pub organization: OrganizationId,
}

impl<T> Scoped<T> {
    /// Wraps a row of `entity` loaded together with its `organization`.
    pub fn new(entity: Entity, row: T, organization: OrganizationId) -> Self {
        Self {
            entity,
            row,
            organization,
        }
    }

    /// The same access check for what `f` makes of the row (a stored form
    /// completed into the answer).
    pub fn try_map<U, E>(self, f: impl FnOnce(T) -> Result<U, E>) -> Result<Scoped<U>, E> {
        Ok(Scoped {
            entity: self.entity,
            row: f(self.row)?,
            organization: self.organization,
        })
    }

    /// The row, for a caller who may read the organization's resources; 404
    /// (exactly as for a missing id) otherwise.
    pub fn readable_by(self, principal: &Principal) -> Result<T, ApiError> {
        principal.ensure_read(self.organization, self.entity.label)?;
        Ok(self.row)
    }

    /// The row with its organization, for a caller who may read it (404 otherwise).
    pub fn readable_owned_by(self, principal: &Principal) -> Result<Owned<T>, ApiError> {
        principal.ensure_read(self.organization, self.entity.label)?;
        Ok(Owned {
            row: self.row,
            organization: self.organization,
        })
    }

    /// The row to administer (organizations, users), for an administrator
    /// (404 unreadable, 403 otherwise) who read its current version (412).
    pub fn administrable_by(
        self,
        principal: &Principal,
        if_match: IfMatch,
    ) -> Result<Owned<T>, ApiError>
    where
        T: Versioned,
    {
        principal.ensure_read(self.organization, self.entity.label)?;
        principal.ensure_admin()?;
        if_match.check(self.row.version())?;
        Ok(Owned {
            row: self.row,
            organization: self.organization,
        })
    }

    /// The row as a parent of the Task Force's own words (recommendations),
    /// for a consultant assigned to its organization or an administrator.
    pub fn writable_by_task_force(self, principal: &Principal) -> Result<Owned<T>, ApiError> {
        principal.ensure_task_force(self.organization, self.entity.label)?;
        Ok(Owned {
            row: self.row,
            organization: self.organization,
        })
    }

    /// The row as a parent to add to, for a caller who may change the
    /// organization's resources (404 unreadable, 403 read-only).
    pub fn writable_by(self, principal: &Principal) -> Result<Owned<T>, ApiError> {
        principal.ensure_write(self.organization, self.entity.label)?;
        Ok(Owned {
            row: self.row,
            organization: self.organization,
        })
    }
}

impl<T: Versioned> Scoped<T> {
    /// The row to change or delete: writable by the caller and still at the
    /// version they read (412 otherwise).
    pub fn changeable_by(
        self,
        principal: &Principal,
        if_match: IfMatch,
    ) -> Result<Owned<T>, ApiError> {
        let owned = self.writable_by(principal)?;
        if_match.check(owned.row.version())?;
        Ok(owned)
    }

    /// The row to change or delete, by the Task Force alone where
    /// `task_forces_own` says the row is its own (a legal or social-work
    /// case review), by any writer of the organization otherwise.
    pub fn changeable_by_writer_of(
        self,
        principal: &Principal,
        if_match: IfMatch,
        task_forces_own: impl FnOnce(&T) -> bool,
    ) -> Result<Owned<T>, ApiError> {
        if task_forces_own(&self.row) {
            self.changeable_by_task_force(principal, if_match)
        } else {
            self.changeable_by(principal, if_match)
        }
    }

    /// The Task Force's own words to change or delete: for a consultant
    /// assigned to the organization (or an administrator) who read the
    /// current version (412 otherwise).
    pub fn changeable_by_task_force(
        self,
        principal: &Principal,
        if_match: IfMatch,
    ) -> Result<Owned<T>, ApiError> {
        let owned = self.writable_by_task_force(principal)?;
        if_match.check(owned.row.version())?;
        Ok(owned)
    }
}

/// What a write did: the row it answers with, its audit event, and for a
/// change to the plan's structure the reason a revision records.
#[derive(Debug)]
pub struct Recorded<R> {
    row: R,
    changes: Vec<Change>,
    revision: Option<(PlanId, String)>,
}

impl<R> Recorded<R> {
    /// The same write answering with what `f` makes of its row.
    pub fn map<S>(self, f: impl FnOnce(R) -> S) -> Recorded<S> {
        Recorded {
            row: f(self.row),
            changes: self.changes,
            revision: self.revision,
        }
    }

    /// The row it answers with.
    pub fn row(&self) -> &R {
        &self.row
    }

    /// Adds one more change to record with the others.
    pub fn and(mut self, change: Change) -> Self {
        self.changes.push(change);
        self
    }

    /// A write that answers with `row` and is recorded as `change`.
    pub fn new(row: R, change: Change) -> Self {
        Self::many(row, vec![change])
    }

    /// A write of several rows at once, each recorded as its own change.
    pub fn many(row: R, changes: Vec<Change>) -> Self {
        Self {
            row,
            changes,
            revision: None,
        }
    }

    /// The write changed `plan`'s structure (a focus area, an initiative or an
    /// indicator came or went): after approval that is a new revision.
    pub fn revising(self, plan: PlanId, reason: String) -> Self {
        Self {
            revision: Some((plan, reason)),
            ..self
        }
    }
}

/// Runs `write` in a transaction that also records its audit event and, where
/// it says so, the plan's revision; nothing commits without them.
pub async fn in_transaction<R, F>(conn: &mut PgConn, actor: &Actor, write: F) -> Result<R, ApiError>
where
    R: Send,
    F: for<'c> FnOnce(&'c mut PgConn) -> BoxFuture<'c, Result<Recorded<R>, ApiError>> + Send,
{
    conn.transaction::<_, ApiError, _>(async move |conn| {
        let Recorded {
            row,
            changes,
            revision,
        } = write(conn).await?;
        audit::record_all(conn, actor, changes).await?;
        if let Some((plan, reason)) = revision {
            revisions::after_structural_change(conn, plan, actor, reason).await?;
        }
        Ok(row)
    })
    .await
}

/// A row type on the shared path: which [`Entity`] it is, the id its audit
/// events carry, and whether it is part of the plan's structure.
pub trait Resource: Serialize + Send + Sync {
    /// The kind of resource.
    const ENTITY: Entity;

    /// The id recorded in its audit events.
    fn audit_id(&self) -> Uuid;

    /// For a part of the plan's structure (focus areas, initiatives,
    /// indicators): the plan and the name a revision gives it. Adding or
    /// removing such a row after approval is a new revision of the plan.
    fn in_structure(&self) -> Option<(PlanId, &str)> {
        None
    }

    /// Its `Location`.
    fn location(&self) -> String {
        Self::ENTITY.location(self.audit_id())
    }
}

/// The reason a revision records when `row` comes (`added`) or goes (`removed`).
fn structural<T: Resource>(row: &T, what: &str) -> Option<(PlanId, String)> {
    row.in_structure()
        .map(|(plan, name)| (plan, format!("{} {what}: {name}", T::ENTITY.label())))
}

/// Adds the row `insert` writes under `organization`, recording its creation.
pub async fn create<T, F>(
    conn: &mut PgConn,
    principal: &Principal,
    organization: OrganizationId,
    insert: F,
) -> Result<T, ApiError>
where
    T: Resource + 'static,
    F: for<'c> FnOnce(&'c mut PgConn) -> BoxFuture<'c, Result<T, ApiError>> + Send + 'static,
{
    in_transaction(conn, &Actor::from(principal), |conn| {
        Box::pin(async move {
            let row = insert(conn).await?;
            let change =
                Change::created(T::ENTITY.name(), row.audit_id(), Some(organization), &row);
            let revision = structural(&row, "added");
            Ok(Recorded {
                row,
                changes: vec![change],
                revision,
            })
        })
    })
    .await
}

/// Replaces `current` by what `write` makes of it, recording before and after.
pub async fn update<T, F>(
    conn: &mut PgConn,
    principal: &Principal,
    current: Owned<T>,
    write: F,
) -> Result<T, ApiError>
where
    T: Resource + 'static,
    F: for<'c> FnOnce(&'c mut PgConn, &'c T) -> BoxFuture<'c, Result<T, ApiError>> + Send + 'static,
{
    in_transaction(conn, &Actor::from(principal), |conn| {
        Box::pin(async move {
            let Owned {
                row: before,
                organization,
            } = current;
            let row = write(conn, &before).await?;
            let change = Change::updated(
                T::ENTITY.name(),
                row.audit_id(),
                Some(organization),
                &before,
                &row,
            );
            Ok(Recorded::new(row, change))
        })
    })
    .await
}

/// Removes `current` with `remove`, recording the row as it was.
pub async fn delete<T, F>(
    conn: &mut PgConn,
    principal: &Principal,
    current: Owned<T>,
    remove: F,
) -> Result<(), ApiError>
where
    T: Resource + 'static,
    F: for<'c> FnOnce(&'c mut PgConn, &'c T) -> BoxFuture<'c, Result<(), ApiError>>
        + Send
        + 'static,
{
    in_transaction(conn, &Actor::from(principal), |conn| {
        Box::pin(async move {
            let Owned { row, organization } = current;
            remove(conn, &row).await?;
            let change =
                Change::deleted(T::ENTITY.name(), row.audit_id(), Some(organization), &row);
            Ok(Recorded {
                row: (),
                changes: vec![change],
                revision: structural(&row, "removed"),
            })
        })
    })
    .await
}

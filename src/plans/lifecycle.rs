//! Where a plan may go next in the Task Force process, and who may move it:
//! draft → submitted → approved → adopted → active → closed, with submitted →
//! draft as the one step back. The rules are the plan's; `workflow` records
//! the transitions.

use crate::domain::{PlanStatus, Role};
use crate::error::ApiError;

/// Where a plan in `status` may go next.
pub fn allowed_from(status: PlanStatus) -> &'static [PlanStatus] {
    use PlanStatus::*;
    match status {
        Draft => &[Submitted],
        Submitted => &[Approved, Draft],
        Approved => &[Adopted],
        Adopted => &[Active],
        Active => &[Closed],
        Closed => &[],
    }
}

/// Whether a caller with `role` (and `is_admin`) may move a plan to `to`.
/// Only a Task Force consultant approves; administrators operate the service,
/// they do not approve plans.
pub fn may_move_to(to: PlanStatus, role: Option<Role>, is_admin: bool) -> Result<(), ApiError> {
    match to {
        PlanStatus::Approved if role != Some(Role::Consultant) => Err(ApiError::Forbidden(
            "Only a Task Force consultant assigned to the municipality may approve a plan.".into(),
        )),
        _ if is_admin || role.is_some_and(Role::may_write) => Ok(()),
        _ => Err(ApiError::Forbidden(
            "Your role lets you read this plan, not move it.".into(),
        )),
    }
}

/// The statuses a caller with `role` (and `is_admin`) may move a plan in
/// `status` to; closing also needs a published final report, checked when it is asked for.
pub fn allowed_for(status: PlanStatus, role: Option<Role>, is_admin: bool) -> Vec<PlanStatus> {
    allowed_from(status)
        .iter()
        .copied()
        .filter(|to| may_move_to(*to, role, is_admin).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_process_only_moves_forward_except_back_to_draft_from_submitted() {
        assert_eq!(allowed_from(PlanStatus::Draft), [PlanStatus::Submitted]);
        assert_eq!(
            allowed_from(PlanStatus::Submitted),
            [PlanStatus::Approved, PlanStatus::Draft]
        );
        assert!(allowed_from(PlanStatus::Closed).is_empty());
        for status in PlanStatus::ALL {
            assert!(
                !allowed_from(*status).contains(status),
                "{status:?} must not loop"
            );
        }
    }

    #[test]
    fn only_consultants_approve_and_viewers_move_nothing() {
        assert!(may_move_to(PlanStatus::Approved, Some(Role::Consultant), false).is_ok());
        assert!(may_move_to(PlanStatus::Approved, Some(Role::Editor), false).is_err());
        assert!(may_move_to(PlanStatus::Approved, None, true).is_err());
        assert!(may_move_to(PlanStatus::Submitted, Some(Role::Editor), false).is_ok());
        assert!(may_move_to(PlanStatus::Submitted, Some(Role::Viewer), false).is_err());
        assert!(may_move_to(PlanStatus::Adopted, None, true).is_ok());
    }

    #[test]
    fn a_caller_is_offered_only_the_moves_their_role_may_make() {
        let submitted = PlanStatus::Submitted;
        assert_eq!(
            allowed_for(submitted, Some(Role::Consultant), false),
            [PlanStatus::Approved, PlanStatus::Draft]
        );
        assert_eq!(
            allowed_for(submitted, Some(Role::Editor), false),
            [PlanStatus::Draft]
        );
        assert!(allowed_for(submitted, Some(Role::Viewer), false).is_empty());
        assert_eq!(
            allowed_for(PlanStatus::Adopted, None, true),
            [PlanStatus::Active]
        );
    }
}

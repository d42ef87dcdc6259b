//! Every capability is one function here, and handlers ask these rather than check
//! roles themselves. Forbidden actions on things the caller may know exist are 403;
//! a reviewer asking for a claim that is not theirs gets 404, never a hint it exists.

use crate::auth::role::Role;
use crate::auth::session::CurrentUser;
use crate::error::AppError;

fn forbidden(what: &str) -> AppError {
    AppError::Forbidden(format!("Your role may not {what}."))
}

fn require(ok: bool, what: &str) -> Result<(), AppError> {
    if ok { Ok(()) } else { Err(forbidden(what)) }
}

fn editor(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Editor | Role::Admin)
}

/// Invite users, change roles, deactivate.
pub fn may_manage_users(user: &CurrentUser) -> Result<(), AppError> {
    require(user.role == Role::Admin, "manage users")
}

/// Which users a caller may list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserListScope {
    Everyone,
    /// Editors see the active reviewers, to assign them.
    ActiveReviewers,
}

pub fn may_list_users(user: &CurrentUser) -> Result<UserListScope, AppError> {
    match user.role {
        Role::Admin => Ok(UserListScope::Everyone),
        Role::Editor => Ok(UserListScope::ActiveReviewers),
        Role::Reviewer => Err(forbidden("list users")),
    }
}

pub fn may_edit_settings(user: &CurrentUser) -> Result<(), AppError> {
    require(user.role == Role::Admin, "change the newsroom settings")
}

pub fn may_edit_rating_scale(user: &CurrentUser) -> Result<(), AppError> {
    require(user.role == Role::Admin, "change the rating scale")
}

pub fn may_edit_articles(user: &CurrentUser) -> Result<(), AppError> {
    require(editor(user), "create or edit articles")
}

pub fn may_assign(user: &CurrentUser) -> Result<(), AppError> {
    require(editor(user), "assign reviewers")
}

pub fn may_publish(user: &CurrentUser) -> Result<(), AppError> {
    require(editor(user), "publish or correct verdicts")
}

pub fn may_export(user: &CurrentUser) -> Result<(), AppError> {
    require(editor(user), "export reports")
}

pub fn may_message_reviewers(user: &CurrentUser) -> Result<(), AppError> {
    require(editor(user), "email reviewers")
}

pub fn may_see_stats(user: &CurrentUser) -> Result<(), AppError> {
    require(editor(user), "see desk statistics")
}

pub fn may_see_all_claims(user: &CurrentUser) -> bool {
    editor(user)
}

/// Editors see every claim; a reviewer only those assigned to them (404 otherwise).
pub fn may_see_claim(user: &CurrentUser, assigned_to_caller: bool) -> Result<(), AppError> {
    if editor(user) || assigned_to_caller {
        Ok(())
    } else {
        Err(AppError::not_found("claim"))
    }
}

/// Evidence and the draft verdict: editors and the claim's assigned reviewers.
pub fn may_work_on_claim(user: &CurrentUser, assigned_to_caller: bool) -> Result<(), AppError> {
    may_see_claim(user, assigned_to_caller)
}

/// A capability that depends on the role alone. Routes that need one take
/// `Permitted<C>` as their first extractor, so a caller whose role can never use the
/// route gets 403 before anything else is read (a body, a path's resource).
pub trait Capability {
    fn check(user: &CurrentUser) -> Result<(), AppError>;
}

macro_rules! capabilities {
    ($($(#[$doc:meta])* $name:ident => $check:path),+ $(,)?) => {$(
        $(#[$doc])*
        pub struct $name;
        impl Capability for $name {
            fn check(user: &CurrentUser) -> Result<(), AppError> {
                $check(user).map(drop)
            }
        }
    )+};
}

capabilities! {
    /// Invite, change and deactivate users; see the email outbox.
    ManageUsers => may_manage_users,
    /// List users (admins everyone, editors the active reviewers).
    ListUsers => may_list_users,
    EditSettings => may_edit_settings,
    EditRatingScale => may_edit_rating_scale,
    /// Create and edit articles and their claims.
    EditArticles => may_edit_articles,
    Assign => may_assign,
    Publish => may_publish,
    Export => may_export,
    MessageReviewers => may_message_reviewers,
    SeeStats => may_see_stats,
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn user(role: Role) -> CurrentUser {
        CurrentUser {
            id: Uuid::new_v4(),
            session_id: Uuid::new_v4(),
            email: "x@example.org".into(),
            role,
            via_cookie: false,
        }
    }

    #[test]
    fn reviewers_see_only_their_claims_and_get_404_for_others() {
        let reviewer = user(Role::Reviewer);
        assert!(may_see_claim(&reviewer, true).is_ok());
        assert!(matches!(
            may_see_claim(&reviewer, false),
            Err(AppError::NotFound(_))
        ));
        assert!(may_see_claim(&user(Role::Editor), false).is_ok());
        assert!(may_see_claim(&user(Role::Admin), false).is_ok());
    }

    #[test]
    fn only_admins_manage_users() {
        assert!(may_manage_users(&user(Role::Admin)).is_ok());
        assert!(may_manage_users(&user(Role::Editor)).is_err());
        assert_eq!(
            may_list_users(&user(Role::Editor)).unwrap(),
            UserListScope::ActiveReviewers
        );
        assert!(may_list_users(&user(Role::Reviewer)).is_err());
    }
}

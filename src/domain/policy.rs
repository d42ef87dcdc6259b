//! Who may do what: every capability is one function here, over an [`Actor`] (who is
//! calling, whatever the transport). Callers ask these, never compare roles
//! themselves. A forbidden action on something the caller may know exists is
//! [`Refused::Forbidden`]; a reviewer asking for a claim that is not theirs gets
//! [`Refused::Hidden`] (404), never a hint that it exists.

use uuid::Uuid;

use crate::domain::role::Role;

/// The caller: a signed-in user, as the rules see them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub id: Uuid,
    pub role: Role,
}

impl Actor {
    pub fn is_editor(&self) -> bool {
        self.role.is_editor()
    }
}

/// Why the policy says no.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The caller's role may not: "Your role may not manage users."
    Forbidden(String),
    /// The caller may not know the thing exists (a claim, an article).
    Hidden(&'static str),
}

fn forbidden(what: &str) -> Refused {
    Refused::Forbidden(format!("Your role may not {what}."))
}

fn require(ok: bool, what: &str) -> Result<(), Refused> {
    if ok { Ok(()) } else { Err(forbidden(what)) }
}

/// Invite users, change roles, deactivate; see the email outbox.
pub fn may_manage_users(actor: &Actor) -> Result<(), Refused> {
    require(actor.role == Role::Admin, "manage users")
}

/// Register, change and remove webhook endpoints, and see their deliveries: what
/// leaves the desk for other tools is an admin's call.
pub fn may_manage_webhooks(actor: &Actor) -> Result<(), Refused> {
    require(actor.role == Role::Admin, "manage webhooks")
}

/// Which users a caller may list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserListScope {
    Everyone,
    /// Editors see the active reviewers, to assign them.
    ActiveReviewers,
}

pub fn may_list_users(actor: &Actor) -> Result<UserListScope, Refused> {
    match actor.role {
        Role::Admin => Ok(UserListScope::Everyone),
        Role::Editor => Ok(UserListScope::ActiveReviewers),
        Role::Reviewer => Err(forbidden("list users")),
    }
}

pub fn may_edit_settings(actor: &Actor) -> Result<(), Refused> {
    require(actor.role == Role::Admin, "change the newsroom settings")
}

pub fn may_edit_rating_scale(actor: &Actor) -> Result<(), Refused> {
    require(actor.role == Role::Admin, "change the rating scale")
}

pub fn may_edit_articles(actor: &Actor) -> Result<(), Refused> {
    require(actor.is_editor(), "create or edit articles")
}

pub fn may_assign(actor: &Actor) -> Result<(), Refused> {
    require(actor.is_editor(), "assign reviewers")
}

pub fn may_publish(actor: &Actor) -> Result<(), Refused> {
    require(actor.is_editor(), "publish or correct verdicts")
}

/// Readers' error reports: the inbox, its statuses and replies to readers.
pub fn may_handle_error_reports(actor: &Actor) -> Result<(), Refused> {
    require(actor.is_editor(), "handle readers' error reports")
}

pub fn may_export(actor: &Actor) -> Result<(), Refused> {
    require(actor.is_editor(), "export reports")
}

pub fn may_message_reviewers(actor: &Actor) -> Result<(), Refused> {
    require(actor.is_editor(), "email reviewers")
}

pub fn may_see_stats(actor: &Actor) -> Result<(), Refused> {
    require(actor.is_editor(), "see desk statistics")
}

pub fn may_see_all_claims(actor: &Actor) -> bool {
    actor.is_editor()
}

/// Editors see every claim; a reviewer only those assigned to them (404 otherwise).
pub fn may_see_claim(actor: &Actor, assigned_to_caller: bool) -> Result<(), Refused> {
    if actor.is_editor() || assigned_to_caller {
        Ok(())
    } else {
        Err(Refused::Hidden("claim"))
    }
}

/// Editors see every article; a reviewer those with a claim assigned to them.
pub fn may_see_article(actor: &Actor, has_claim_of_caller: bool) -> Result<(), Refused> {
    if actor.is_editor() || has_claim_of_caller {
        Ok(())
    } else {
        Err(Refused::Hidden("article"))
    }
}

/// Evidence and the draft verdict: editors and the claim's assigned reviewers.
pub fn may_work_on_claim(actor: &Actor, assigned_to_caller: bool) -> Result<(), Refused> {
    may_see_claim(actor, assigned_to_caller)
}

/// A capability that depends on the role alone. Routes that need one check it before
/// they read anything else of the request (a body, the resource a path names).
pub trait Capability {
    fn check(actor: &Actor) -> Result<(), Refused>;
}

macro_rules! capabilities {
    ($($(#[$doc:meta])* $name:ident => $check:path),+ $(,)?) => {$(
        $(#[$doc])*
        pub struct $name;
        impl Capability for $name {
            fn check(actor: &Actor) -> Result<(), Refused> {
                $check(actor).map(drop)
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
    ManageWebhooks => may_manage_webhooks,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A caller of `role` with a fresh id (other modules' tests use it too).
    pub(crate) fn actor(role: Role) -> Actor {
        Actor {
            id: Uuid::new_v4(),
            role,
        }
    }

    #[test]
    fn reviewers_see_only_their_claims_and_get_404_for_others() {
        let reviewer = actor(Role::Reviewer);
        assert!(may_see_claim(&reviewer, true).is_ok());
        assert_eq!(
            may_see_claim(&reviewer, false),
            Err(Refused::Hidden("claim"))
        );
        assert!(may_see_claim(&actor(Role::Editor), false).is_ok());
        assert!(may_see_claim(&actor(Role::Admin), false).is_ok());
    }

    #[test]
    fn only_admins_manage_users() {
        assert!(may_manage_users(&actor(Role::Admin)).is_ok());
        assert!(may_manage_users(&actor(Role::Editor)).is_err());
        assert_eq!(
            may_list_users(&actor(Role::Editor)).unwrap(),
            UserListScope::ActiveReviewers
        );
        assert!(may_list_users(&actor(Role::Reviewer)).is_err());
    }

    #[test]
    fn capabilities_ask_the_policy() {
        assert!(EditSettings::check(&actor(Role::Admin)).is_ok());
        assert!(EditSettings::check(&actor(Role::Editor)).is_err());
        assert!(EditArticles::check(&actor(Role::Editor)).is_ok());
        assert_eq!(
            EditArticles::check(&actor(Role::Reviewer)),
            Err(Refused::Forbidden(
                "Your role may not create or edit articles.".into()
            ))
        );
    }
}

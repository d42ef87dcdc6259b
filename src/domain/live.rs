//! The live desk's rules: which recorded changes become live events, who receives
//! each, and how long a presence lasts. An event names what changed (entity, id,
//! action, the claim's or article's new version, the actor) and never the content: a
//! client refetches what it shows, through the routes that check what it may read.

use std::time::Duration;

use uuid::Uuid;

use crate::domain::policy::Actor;
use crate::domain::role::Role;

/// Who receives an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Every signed-in user (the rating scale, the newsroom's settings).
    All,
    /// Editors and admins, and the reviewers the event lists: those assigned to the
    /// claim it is about, or to a claim of the article it is about.
    Desk,
    /// Editors and admins only (readers' reports, emails to reviewers, the outbox).
    Editors,
    /// Admins only (the users list).
    Admins,
    /// One user (their own notifications).
    User,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::All => "all",
            Audience::Desk => "desk",
            Audience::Editors => "editors",
            Audience::Admins => "admins",
            Audience::User => "user",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "all" => Audience::All,
            "desk" => Audience::Desk,
            "editors" => Audience::Editors,
            "admins" => Audience::Admins,
            "user" => Audience::User,
            _ => return None,
        })
    }
}

/// What a live event's audience is computed from when it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Desk, with the reviewers of the event's claim.
    Claim,
    /// Desk, with the reviewers of any claim of the event's article.
    Article,
    /// A fixed audience with no reviewers listed.
    Fixed(Audience),
}

/// Whether an audited change is also a live event, and to whom. Sign-ins, password
/// changes and other account events are not: nobody's screen shows them.
pub fn reach_of(entity: &str, action: &str) -> Option<Reach> {
    match entity {
        "claim" | "assignment" | "verdict" | "source" | "comment" | "reply" | "review"
        | "figure" => Some(Reach::Claim),
        "article" | "publication" => Some(Reach::Article),
        "message" | "error_report" | "email" => Some(Reach::Fixed(Audience::Editors)),
        "rating_scale" | "settings" => Some(Reach::Fixed(Audience::All)),
        "webhook" => Some(Reach::Fixed(Audience::Admins)),
        "user" => matches!(
            action,
            "create"
                | "invite"
                | "reinvite"
                | "invitation_accepted"
                | "update"
                | "change_role"
                | "deactivate"
                | "reactivate"
                | "update_profile"
        )
        .then_some(Reach::Fixed(Audience::Admins)),
        _ => None,
    }
}

/// Whether `actor` may receive an event with this audience.
pub fn may_receive(
    actor: &Actor,
    audience: Audience,
    reviewer_ids: &[Uuid],
    user_id: Option<Uuid>,
) -> bool {
    match audience {
        Audience::All => true,
        Audience::Desk => actor.is_editor() || reviewer_ids.contains(&actor.id),
        Audience::Editors => actor.is_editor(),
        Audience::Admins => actor.role == Role::Admin,
        Audience::User => user_id == Some(actor.id),
    }
}

/// A presence ("Rita is viewing", "Rita is editing the verdict") lasts this long
/// unless renewed; the web app renews it while the page is open.
pub const PRESENCE_TTL: Duration = Duration::from_secs(45);

/// How long events are kept for a client to resume after losing its connection.
pub const RESUME_WINDOW: Duration = Duration::from_secs(10 * 60);

/// The heartbeat comment's period, so proxies keep an idle stream open.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// What a user can be doing on a claim's page.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    Viewing,
    /// Typing in one of the page's forms (which one is `field`).
    Editing,
    /// Left the page: the others' screens drop them at once.
    Left,
}

/// The form someone is editing.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Verdict,
    Sources,
    Comment,
    Claim,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::policy::tests::actor;

    #[test]
    fn reviewers_receive_only_what_lists_them() {
        let reviewer = actor(Role::Reviewer);
        let other = Uuid::new_v4();
        assert!(may_receive(&reviewer, Audience::Desk, &[reviewer.id], None));
        assert!(!may_receive(&reviewer, Audience::Desk, &[other], None));
        assert!(!may_receive(
            &reviewer,
            Audience::Editors,
            &[reviewer.id],
            None
        ));
        assert!(!may_receive(&reviewer, Audience::Admins, &[], None));
        assert!(may_receive(&reviewer, Audience::All, &[], None));
        assert!(may_receive(
            &reviewer,
            Audience::User,
            &[],
            Some(reviewer.id)
        ));
        assert!(!may_receive(&reviewer, Audience::User, &[], Some(other)));
    }

    #[test]
    fn editors_receive_the_desk_and_admins_everything_but_others_notifications() {
        let editor = actor(Role::Editor);
        let admin = actor(Role::Admin);
        assert!(may_receive(&editor, Audience::Desk, &[], None));
        assert!(may_receive(&editor, Audience::Editors, &[], None));
        assert!(!may_receive(&editor, Audience::Admins, &[], None));
        assert!(may_receive(&admin, Audience::Admins, &[], None));
        assert!(!may_receive(&admin, Audience::User, &[], Some(editor.id)));
    }

    #[test]
    fn account_events_never_go_live() {
        assert_eq!(reach_of("user", "login"), None);
        assert_eq!(reach_of("user", "password_changed"), None);
        assert_eq!(
            reach_of("user", "invite"),
            Some(Reach::Fixed(Audience::Admins))
        );
        assert_eq!(reach_of("verdict", "update"), Some(Reach::Claim));
        assert_eq!(reach_of("publication", "correct"), Some(Reach::Article));
        assert_eq!(reach_of("session", "create"), None);
    }

    #[test]
    fn audiences_round_trip() {
        for a in [
            Audience::All,
            Audience::Desk,
            Audience::Editors,
            Audience::Admins,
            Audience::User,
        ] {
            assert_eq!(Audience::parse(a.as_str()), Some(a));
        }
    }
}

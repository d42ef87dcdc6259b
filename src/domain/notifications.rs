//! In-app notifications: their kinds, how each reaches a user (in the app only, by
//! email and in the app, or not at all) and what each user chose. The choice lives in
//! the user's `notify` settings as `channels: {kind: channel}`; a kind not chosen
//! keeps its default, which is what Factdesk did before there was a choice.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::domain::role::Role;

/// What a notification is about.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[schema(as = NotificationKind)]
pub enum Kind {
    /// A claim was assigned to you.
    Assignment,
    /// You were taken off a claim.
    Unassignment,
    /// A reviewer submitted a claim you assigned.
    Submitted,
    /// An editor sent your verdict back.
    ChangesRequested,
    /// An editor approved a claim you reviewed.
    Approved,
    /// A claim of yours is due soon.
    Reminder,
    /// A claim of yours is overdue (editors: one they assigned).
    Overdue,
    /// A reader reported an error on a published page.
    ErrorReport,
    /// Someone named you (`@Your Name`) in a comment.
    Mention,
    /// A webhook's receiver answered 410 Gone and the endpoint was turned off (admins).
    WebhookDisabled,
}

pub const KINDS: [Kind; 10] = [
    Kind::Assignment,
    Kind::Unassignment,
    Kind::Submitted,
    Kind::ChangesRequested,
    Kind::Approved,
    Kind::Reminder,
    Kind::Overdue,
    Kind::ErrorReport,
    Kind::Mention,
    Kind::WebhookDisabled,
];

/// The kinds a role can receive (the account page offers only these).
pub fn kinds_for(role: Role) -> Vec<Kind> {
    KINDS
        .into_iter()
        .filter(|k| match k {
            Kind::Mention | Kind::Overdue => true,
            Kind::Submitted | Kind::ErrorReport => role.is_editor(),
            Kind::WebhookDisabled => role == Role::Admin,
            Kind::Assignment
            | Kind::Unassignment
            | Kind::ChangesRequested
            | Kind::Approved
            | Kind::Reminder => role == Role::Reviewer,
        })
        .collect()
}

/// How a kind reaches the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = NotificationChannel)]
pub enum Channel {
    /// In the app's inbox only.
    InApp,
    /// By email and in the app's inbox.
    Email,
    /// Not at all.
    Off,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Assignment => "assignment",
            Kind::Unassignment => "unassignment",
            Kind::Submitted => "submitted",
            Kind::ChangesRequested => "changes_requested",
            Kind::Approved => "approved",
            Kind::Reminder => "reminder",
            Kind::Overdue => "overdue",
            Kind::ErrorReport => "error_report",
            Kind::Mention => "mention",
            Kind::WebhookDisabled => "webhook_disabled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        KINDS.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether Factdesk has an email for this kind (the others are in the app only).
    pub fn has_email(self) -> bool {
        matches!(
            self,
            Kind::Assignment
                | Kind::Unassignment
                | Kind::ChangesRequested
                | Kind::Reminder
                | Kind::Overdue
                | Kind::ErrorReport
                | Kind::WebhookDisabled
        )
    }

    /// Whether a user may turn it off: what is asked of you (a claim to check, one taken
    /// away, one past its due time) always reaches you.
    pub fn may_be_off(self) -> bool {
        !matches!(self, Kind::Assignment | Kind::Unassignment | Kind::Overdue)
    }

    /// What a user gets who chose nothing: the emails Factdesk sent before, and the rest
    /// in the app.
    pub fn default_channel(self) -> Channel {
        if self.has_email() {
            Channel::Email
        } else {
            Channel::InApp
        }
    }

    /// Whether `channel` may be chosen for this kind.
    pub fn allows(self, channel: Channel) -> bool {
        match channel {
            Channel::InApp => true,
            Channel::Email => self.has_email(),
            Channel::Off => self.may_be_off(),
        }
    }
}

/// The channel a user's `notify` settings give `kind`. A choice the kind does not
/// allow (stored before a rule changed) falls back to the default.
pub fn channel(notify: &Value, kind: Kind) -> Channel {
    // Reminders could be turned off before there were channels (`reminders: false`).
    if kind == Kind::Reminder && notify.get("reminders") == Some(&Value::Bool(false)) {
        return Channel::Off;
    }
    notify
        .get("channels")
        .and_then(|c| c.get(kind.as_str()))
        .and_then(|v| serde_json::from_value::<Channel>(v.clone()).ok())
        .filter(|c| kind.allows(*c))
        .unwrap_or_else(|| kind.default_channel())
}

/// Whether the user gets this kind by email.
pub fn by_email(notify: &Value, kind: Kind) -> bool {
    channel(notify, kind) == Channel::Email
}

/// Whether the user gets this kind in the app.
pub fn in_app(notify: &Value, kind: Kind) -> bool {
    channel(notify, kind) != Channel::Off
}

/// The people a comment names: each candidate whose display name follows an `@`
/// (case-insensitive, and not as the start of a longer word).
pub fn mentioned<'a, T>(body: &str, candidates: &'a [(T, String)]) -> Vec<&'a T> {
    let lower = body.to_lowercase();
    candidates
        .iter()
        .filter(|(_, name)| {
            let at = format!("@{}", name.to_lowercase());
            !name.trim().is_empty()
                && lower.match_indices(&at).any(|(i, m)| {
                    lower[i + m.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
                })
        })
        .map(|(who, _)| who)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_are_the_emails_of_before_and_the_rest_in_the_app() {
        let none = json!({"reminders": true});
        assert_eq!(channel(&none, Kind::Assignment), Channel::Email);
        assert_eq!(channel(&none, Kind::Submitted), Channel::InApp);
        assert_eq!(channel(&none, Kind::Mention), Channel::InApp);
        assert!(by_email(&none, Kind::ChangesRequested));
        assert!(!by_email(&none, Kind::Approved));
    }

    #[test]
    fn a_choice_counts_only_where_the_kind_allows_it() {
        let chosen = json!({"channels": {"reminder": "off", "submitted": "email", "assignment": "off", "overdue": "in_app", "mention": "off"}});
        assert_eq!(channel(&chosen, Kind::Reminder), Channel::Off);
        assert!(!in_app(&chosen, Kind::Reminder));
        // No email exists for a submission, and an assignment cannot be turned off.
        assert_eq!(channel(&chosen, Kind::Submitted), Channel::InApp);
        assert_eq!(channel(&chosen, Kind::Assignment), Channel::Email);
        assert!(!by_email(&chosen, Kind::Overdue));
        assert!(in_app(&chosen, Kind::Overdue));
        assert!(!in_app(&chosen, Kind::Mention));
        // The switch of before still turns reminders off.
        assert_eq!(
            channel(&json!({"reminders": false}), Kind::Reminder),
            Channel::Off
        );
        assert!(!Kind::Overdue.allows(Channel::Off));
    }

    #[test]
    fn each_role_is_offered_what_it_can_receive() {
        let reviewer = kinds_for(Role::Reviewer);
        assert!(reviewer.contains(&Kind::Assignment) && !reviewer.contains(&Kind::Submitted));
        let editor = kinds_for(Role::Editor);
        assert!(editor.contains(&Kind::Submitted) && editor.contains(&Kind::ErrorReport));
        assert!(!editor.contains(&Kind::Reminder));
        let admin = kinds_for(Role::Admin);
        assert!(admin.contains(&Kind::WebhookDisabled) && !editor.contains(&Kind::WebhookDisabled));
        assert_eq!(
            admin
                .into_iter()
                .filter(|k| *k != Kind::WebhookDisabled)
                .collect::<Vec<_>>(),
            editor
        );
    }

    #[test]
    fn kinds_round_trip() {
        for k in KINDS {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), json!(k.as_str()));
        }
    }

    #[test]
    fn mentions_name_whole_display_names_after_an_at() {
        let people = vec![
            (1, "Rita Koval".to_string()),
            (2, "Ana".to_string()),
            (3, "Anatoliy".to_string()),
        ];
        let named = mentioned("Thanks @rita koval, and @Ana: see the poll.", &people);
        assert_eq!(named, vec![&1, &2]);
        assert_eq!(mentioned("@Anatoliy please", &people), vec![&3]);
        assert!(mentioned("email rita@example.org", &people).is_empty());
    }
}

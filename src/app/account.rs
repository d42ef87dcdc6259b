//! The signed-in user's own account: who they are, their name, time zone and
//! notification choices, and their password.

use diesel_async::AsyncConnection;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::auth::sessions::Session;
use crate::app::users::UserView;
use crate::app::{App, AppError, AppResult, check_version};
use crate::db::users::User;
use crate::db::{self, audit::Event};
use crate::domain::notifications::{Channel, Kind};
use crate::domain::validation::{FieldError, check_password_rules, required_line};

pub async fn me(app: &App, user_id: Uuid) -> AppResult<UserView> {
    let mut conn = app.db().await?;
    let me = db::users::find(&mut conn, user_id, false)
        .await?
        .ok_or_else(crate::app::auth::sessions::unauthorized)?;
    Ok(UserView::from(me))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    #[schema(
        max_length = 100,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub display_name: Option<String>,
    /// An IANA time zone name such as `Europe/Kyiv`.
    #[schema(value_type = Option<crate::domain::validation::TimeZoneName>)]
    pub time_zone: Option<String>,
    pub notify: Option<NotifyUpdate>,
    /// The version being changed, if not sent as `If-Match`.
    pub version: Option<i32>,
}

/// Which optional emails to receive, and how each kind of notification reaches you
/// (`channels`: `in_app`, `email` or `off`, where the kind allows it).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotifyUpdate {
    pub reminders: Option<bool>,
    pub digest: Option<bool>,
    /// Kind (`assignment`, `unassignment`, `submitted`, `changes_requested`, `approved`,
    /// `reminder`, `overdue`, `error_report`, `mention`) to channel.
    #[schema(value_type = Option<std::collections::BTreeMap<String, Channel>>)]
    pub channels: Option<std::collections::BTreeMap<Kind, Channel>>,
}

fn profile_audit(u: &User) -> serde_json::Value {
    json!({"display_name": u.display_name, "time_zone": u.time_zone, "notify": u.notify})
}

/// Changes the caller's display name, time zone or notification choices.
pub async fn update_me(
    app: &App,
    user_id: Uuid,
    version: Option<i32>,
    body: UpdateMeRequest,
) -> AppResult<UserView> {
    let mut errors = Vec::new();
    let display_name = body
        .display_name
        .as_deref()
        .map(|n| required_line("display_name", n, 100))
        .transpose()
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        });
    if let Some(tz) = &body.time_zone
        && tz.parse::<chrono_tz::Tz>().is_err()
    {
        errors.push(FieldError::new(
            "time_zone",
            "is not an IANA time zone such as Europe/Kyiv",
        ));
    }
    for (kind, channel) in body
        .notify
        .as_ref()
        .and_then(|n| n.channels.as_ref())
        .into_iter()
        .flatten()
    {
        if !kind.allows(*channel) {
            errors.push(FieldError::new(
                format!("notify.channels.{}", kind.as_str()),
                match channel {
                    Channel::Email => "has no email; choose in_app or off",
                    _ => "cannot be turned off: it is work asked of you",
                },
            ));
        }
    }
    crate::app::error::all_valid(errors)?;
    let version = version.ok_or(AppError::PreconditionRequired)?;
    let mut conn = app.db().await?;
    let updated = conn
        .transaction::<_, AppError, _>(async |conn| {
            let before = db::users::find(conn, user_id, true)
                .await?
                .ok_or_else(crate::app::auth::sessions::unauthorized)?;
            check_version(conn, Some(version), before.version, None, async |_| {
                Ok(UserView::from(before.clone()))
            })
            .await?;
            let mut notify = before.notify.clone();
            if let Some(n) = &body.notify {
                if let Some(r) = n.reminders {
                    notify["reminders"] = json!(r);
                    // Turning reminders back on undoes a reminder channel of `off`.
                    if r && notify["channels"]["reminder"] == json!("off") {
                        notify["channels"]["reminder"] = json!("email");
                    }
                }
                if let Some(d) = n.digest {
                    notify["digest"] = json!(d);
                }
                for (kind, channel) in n.channels.iter().flatten() {
                    if !notify["channels"].is_object() {
                        notify["channels"] = json!({});
                    }
                    notify["channels"][kind.as_str()] = json!(channel);
                    // The reminders switch of before and the reminder channel are one choice.
                    if *kind == Kind::Reminder {
                        notify["reminders"] = json!(*channel != Channel::Off);
                    }
                }
            }
            let after = db::users::update_profile(
                conn,
                user_id,
                display_name.as_deref().unwrap_or(&before.display_name),
                body.time_zone.as_deref().unwrap_or(&before.time_zone),
                &notify,
            )
            .await?;
            db::audit::record(
                conn,
                Event::new("user", user_id, "update_profile")
                    .by(user_id)
                    .before(profile_audit(&before))
                    .after(profile_audit(&after)),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(UserView::from(updated))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[schema(value_type = String, format = Password)]
    pub current_password: SecretString,
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 256)]
    pub new_password: SecretString,
}

/// Changes the caller's password; every other session of theirs is signed out.
pub async fn change_password(
    app: &App,
    session: &Session,
    body: ChangePasswordRequest,
) -> AppResult<()> {
    check_password_rules(
        "new_password",
        body.new_password.expose_secret(),
        &session.email,
    )?;
    let hash = {
        let mut conn = app.db().await?;
        db::users::find(&mut conn, session.user_id, false)
            .await?
            .and_then(|u| u.password_hash)
    };
    if !app.passwords.verify(body.current_password, hash).await? {
        return Err(AppError::validation(
            "current_password",
            "is not your current password",
        ));
    }
    let new_hash = app.passwords.hash(body.new_password).await?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        db::users::set_password(conn, session.user_id, &new_hash).await?;
        let revoked =
            db::users::revoke_sessions(conn, session.user_id, Some(session.session_id)).await?;
        db::audit::record(
            conn,
            Event::new("user", session.user_id, "password_changed")
                .by(session.user_id)
                .after(json!({"other_sessions_revoked": revoked})),
        )
        .await?;
        Ok(())
    })
    .await
}

//! User administration: invite, list, change role, deactivate, invite again.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::auth::{one_time, throttle};
use crate::app::{App, AppError, AppResult, check_version};
use crate::db::users::User;
use crate::db::{self, Conn};
use crate::domain::page::{Cursor, Page, PageRequest};
use crate::domain::policy::{self, Actor, UserListScope};
use crate::domain::role::Role;
use crate::domain::time::format_time;
use crate::domain::validation::{FieldError, required_line, valid_email};
use crate::domain::workflow::Status;
use crate::email::{self, Email};

pub const INVITATION_LIFETIME_DAYS: i64 = 7;

#[derive(Serialize, ToSchema)]
pub struct Notify {
    pub reminders: bool,
    pub digest: bool,
    /// How each kind of notification reaches the user, and what may be chosen.
    pub channels: Vec<crate::app::notifications::ChannelChoice>,
}

/// A user as the API shows it (never the password hash).
#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// Invited, but has not set a password yet.
    pub invitation_pending: bool,
    pub time_zone: String,
    pub notify: Notify,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        let flag = |k: &str| u.notify.get(k).and_then(|v| v.as_bool()).unwrap_or(true);
        Self {
            notify: Notify {
                reminders: flag("reminders"),
                digest: flag("digest"),
                channels: crate::app::notifications::choices(&u.notify, u.role),
            },
            id: u.id,
            role: u.role,
            invitation_pending: u.password_hash.is_none(),
            email: u.email,
            display_name: u.display_name,
            active: u.active,
            time_zone: u.time_zone,
            created_at: u.created_at,
            last_login_at: u.last_login_at,
            version: u.version,
        }
    }
}

/// Which users to list.
pub struct UserQuery<'a> {
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub text: Option<&'a str>,
    pub page: PageRequest<'a>,
}

/// Admins see everyone; editors the active reviewers, to assign them.
pub async fn list(app: &App, actor: &Actor, q: UserQuery<'_>) -> AppResult<Page<UserView>> {
    let scope = policy::may_list_users(actor)?;
    let limit = q.page.limit()?;
    let after = q.page.cursor()?;
    let (role, active) = match scope {
        UserListScope::ActiveReviewers => (Some(Role::Reviewer), Some(true)),
        UserListScope::Everyone => (q.role, q.active),
    };
    let mut conn = app.db().await?;
    let rows = db::users::list(
        &mut conn,
        db::users::UserFilter {
            role,
            active,
            text: q.text.map(str::trim).filter(|t| !t.is_empty()),
            after,
            limit,
        },
    )
    .await?;
    Ok(Page::from_rows(
        rows,
        limit,
        |u| Cursor::new(u.created_at, u.id),
        UserView::from,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    #[schema(
        max_length = 320,
        pattern = "^[A-Za-z0-9._%+-]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$"
    )]
    pub email: String,
    #[schema(
        max_length = 100,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub display_name: String,
    pub role: Role,
}

/// Invites a user: creates the account (not yet able to log in) and emails a one-time
/// link, valid for 7 days, to choose a password.
pub async fn invite(app: &App, admin: &Actor, body: CreateUserRequest) -> AppResult<UserView> {
    policy::may_manage_users(admin)?;
    let mut errors = Vec::new();
    let email = valid_email("email", &body.email)
        .map_err(|e| errors.push(e))
        .ok();
    let name = required_line("display_name", &body.display_name, 100)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(email), Some(name)) = (email, name) else {
        return Err(AppError::Validation(errors));
    };
    let mut conn = app.db().await?;
    let user = conn
        .transaction::<_, AppError, _>(async |conn| {
            if db::users::email_taken(conn, &email).await? {
                return Err(AppError::conflict(format!(
                    "{email} has an account already."
                )));
            }
            let time_zone = db::settings::default_time_zone(conn).await?;
            let user = db::users::insert(
                conn,
                db::users::NewUser {
                    email: &email,
                    display_name: &name,
                    role: body.role,
                    password_hash: None,
                    time_zone: &time_zone,
                },
            )
            .await?;
            db::audit::record(
                conn,
                db::audit::Event::new("user", user.id, "invite")
                    .by(admin.id)
                    .after(user.audit()),
            )
            .await?;
            send_invitation(app, conn, admin, &user).await?;
            Ok(user)
        })
        .await?;
    Ok(UserView::from(user))
}

async fn send_invitation(app: &App, conn: &mut Conn, admin: &Actor, user: &User) -> AppResult<()> {
    let (token, hash) = one_time::generate();
    let expires_at = Utc::now() + chrono::Duration::days(INVITATION_LIFETIME_DAYS);
    db::tokens::insert_invitation(conn, user.id, admin.id, &hash, expires_at).await?;
    let inviter = db::users::display_name(conn, admin.id).await?;
    let newsroom = db::settings::newsroom_name(conn).await?;
    email::enqueue(
        conn,
        Email {
            reply_to: None,
            recipient: &user.email,
            cc: vec![],
            kind: "invitation",
            dedupe_key: None,
        },
        json!({"display_name": user.display_name, "newsroom": newsroom, "invited_by": inviter,
               "role": user.role, "link": app.link(&format!("/accept-invite#token={token}")),
               "expires": format_time(expires_at, &user.time_zone)}),
    )
    .await?;
    Ok(())
}

/// Sends a new invitation link to a user who has not set a password yet (throttled
/// per address).
pub async fn invite_again(app: &App, admin: &Actor, id: Uuid) -> AppResult<()> {
    policy::may_manage_users(admin)?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let user = db::users::find(conn, id, false)
            .await?
            .ok_or_else(|| AppError::not_found("user"))?;
        if user.password_hash.is_some() || !user.active {
            return Err(AppError::conflict(
                "Only an active user who has not set a password yet can be invited again.",
            ));
        }
        if !throttle::email_allowed(conn, &app.settings.limits, &user.email, "invitation").await? {
            return Err(AppError::TooManyRequests {
                retry_after_secs: app.settings.limits.email_window.as_secs(),
            });
        }
        db::audit::record(
            conn,
            db::audit::Event::new("user", user.id, "reinvite").by(admin.id),
        )
        .await?;
        send_invitation(app, conn, admin, &user).await
    })
    .await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    pub role: Option<Role>,
    pub active: Option<bool>,
    #[schema(
        max_length = 100,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub display_name: Option<String>,
    pub version: Option<i32>,
}

/// Serialises changes that could leave the newsroom without an active admin.
const ADMIN_LOCK_KEY: i64 = 0x6661_6374_6164_6d6e;

/// Changes a user's role, display name or active flag. The last active admin can be
/// neither demoted nor deactivated. Deactivation signs the user out everywhere; a
/// deactivated reviewer's open assignments stay, and each assigning editor gets an
/// email listing them.
pub async fn update(
    app: &App,
    admin: &Actor,
    id: Uuid,
    version: Option<i32>,
    body: UpdateUserRequest,
) -> AppResult<UserView> {
    policy::may_manage_users(admin)?;
    let name = body
        .display_name
        .as_deref()
        .map(|n| required_line("display_name", n, 100))
        .transpose()?;
    let version = version.ok_or(AppError::PreconditionRequired)?;
    let mut conn = app.db().await?;
    let after = conn
        .transaction::<_, AppError, _>(async |conn| {
            diesel_async::RunQueryDsl::execute(
                diesel::sql_query(format!("SELECT pg_advisory_xact_lock({ADMIN_LOCK_KEY})")),
                conn,
            )
            .await?;
            let before = db::users::find(conn, id, true)
                .await?
                .ok_or_else(|| AppError::not_found("user"))?;
            check_version(conn, Some(version), before.version, None, async |_| {
                Ok(UserView::from(before.clone()))
            })
            .await?;
            let role = body.role.unwrap_or(before.role);
            let active = body.active.unwrap_or(before.active);
            if before.role == Role::Admin
                && before.active
                && (role != Role::Admin || !active)
                && db::users::other_active_admins(conn, id).await? == 0
            {
                return Err(AppError::conflict(
                    "This is the last active admin: make someone else admin first.",
                ));
            }
            let after = db::users::update_account(
                conn,
                id,
                role,
                active,
                name.as_deref().unwrap_or(&before.display_name),
            )
            .await?;
            let action = match (before.active, after.active) {
                (true, false) => "deactivate",
                (false, true) => "reactivate",
                _ if before.role != after.role => "change_role",
                _ => "update",
            };
            db::audit::record(
                conn,
                db::audit::Event::new("user", id, action)
                    .by(admin.id)
                    .before(before.audit())
                    .after(after.audit()),
            )
            .await?;
            if before.active && !after.active {
                db::users::revoke_sessions(conn, id, None).await?;
                if before.role == Role::Reviewer {
                    notify_assigning_editors(app, conn, &after).await?;
                }
            }
            Ok(after)
        })
        .await?;
    Ok(UserView::from(after))
}

/// (claim id, statement, status, due time) of a claim still being checked.
type OpenClaim = (Uuid, String, Status, DateTime<Utc>);

/// One email per assigning editor listing the deactivated reviewer's open claims.
async fn notify_assigning_editors(app: &App, conn: &mut Conn, reviewer: &User) -> AppResult<()> {
    let mut by_editor: BTreeMap<Uuid, Vec<OpenClaim>> = BTreeMap::new();
    for (claim_id, statement, status, due, editor) in
        db::users::open_claims_of(conn, reviewer.id).await?
    {
        by_editor
            .entry(editor)
            .or_default()
            .push((claim_id, statement, status, due));
    }
    let newsroom = db::settings::newsroom_name(conn).await?;
    for (editor_id, claims) in by_editor {
        let Some(editor) = db::users::find(conn, editor_id, false)
            .await?
            .filter(|e| e.active)
        else {
            continue;
        };
        let items: Vec<_> = claims
            .iter()
            .map(|(id, statement, status, due)| json!({
                "statement": statement, "status": status, "due": format_time(*due, &editor.time_zone),
                "link": app.link(&format!("/claims/{id}")),
            }))
            .collect();
        email::enqueue(
            conn,
            Email { reply_to: None, recipient: &editor.email, cc: vec![], kind: "reviewer_deactivated", dedupe_key: None },
            json!({"display_name": editor.display_name, "newsroom": newsroom, "reviewer": reviewer.display_name, "claims": items}),
        )
        .await?;
    }
    Ok(())
}

/// An active account with a password, audited (the command line's first admin).
pub async fn create_with_password(
    conn: &mut Conn,
    email: &str,
    display_name: &str,
    role: Role,
    password_hash: &str,
) -> AppResult<Uuid> {
    conn.transaction::<_, AppError, _>(async |conn| {
        if db::users::email_taken(conn, email).await? {
            return Err(AppError::conflict(format!(
                "{email} has an account already"
            )));
        }
        let time_zone = db::settings::default_time_zone(conn).await?;
        let user = db::users::insert(
            conn,
            db::users::NewUser {
                email,
                display_name,
                role,
                password_hash: Some(password_hash),
                time_zone: &time_zone,
            },
        )
        .await?;
        db::audit::record(
            conn,
            db::audit::Event::new("user", user.id, "create").after(user.audit()),
        )
        .await?;
        Ok(user.id)
    })
    .await
}

/// The error of a field, as the command line prints it.
pub fn describe(e: &FieldError) -> String {
    format!("{}: {}", e.field, e.message)
}

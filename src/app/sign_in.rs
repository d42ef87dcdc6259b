//! Signing in and out, and the two ways to set a password from an email link: an
//! invitation and a password reset (one redeem flow for both).

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::auth::sessions::{self, Started};
use crate::app::auth::{one_time, throttle};
use crate::app::users::UserView;
use crate::app::{App, AppError, AppResult};
use crate::db::tokens::Purpose;
use crate::db::users::User;
use crate::db::{self, audit::Event};
use crate::domain::validation::{check_password_rules, required_line};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(
        min_length = 1,
        max_length = 320,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub email: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub user: UserView,
    /// For `Authorization: Bearer` clients; browsers use the `factdesk_session` cookie.
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Where a sign-in comes from.
pub struct Client<'a> {
    pub ip: &'a str,
    pub user_agent: Option<&'a str>,
}

fn wrong_credentials() -> AppError {
    AppError::Unauthorized("Wrong email or password.".into())
}

/// Signs in with a password. Throttled (see `auth::throttle`): 429 with
/// `Retry-After`, or a wait that grows while an account is under attack.
pub async fn login(
    app: &App,
    body: LoginRequest,
    client: Client<'_>,
) -> AppResult<(LoginResponse, Started)> {
    let email = required_line("email", &body.email, 320)?;
    let limits = &app.settings.limits;
    let (user, wait) = {
        let mut conn = app.db().await?;
        let wait = throttle::check_login(&mut conn, limits, &email, client.ip)
            .await
            .inspect_err(|e| {
                if matches!(e, AppError::TooManyRequests { .. }) {
                    crate::metrics::METRICS.login_throttled.inc();
                }
            })?;
        (db::users::by_email(&mut conn, &email).await?, wait)
        // The connection goes back to the pool before waiting and hashing: a login
        // flood must not hold connections other requests need.
    };
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    // A deactivated account's password is checked too: only someone who knows it
    // learns that the account exists and is deactivated.
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = app.passwords.verify(body.password, hash).await?;

    let mut conn = app.db().await?;
    let Some(user) = user.filter(|_| ok) else {
        let failures = throttle::record_login(&mut conn, limits, &email, client.ip, false).await?;
        if failures == limits.login_per_account
            && let Some(user) = db::users::by_email(&mut conn, &email).await?
        {
            db::audit::record(
                &mut conn,
                Event::new("user", user.id, "login_failure_streak")
                    .after(json!({"failures": failures, "client_ip": client.ip})),
            )
            .await?;
        }
        return Err(wrong_credentials());
    };
    if !user.active {
        throttle::record_login(&mut conn, limits, &email, client.ip, false).await?;
        return Err(AppError::Forbidden(
            "This account is deactivated. Ask an admin of your desk to reactivate it.".into(),
        ));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        throttle::record_login(conn, limits, &email, client.ip, true).await?;
        let started = sessions::start(app, conn, user.id, client.user_agent).await?;
        let user = db::users::mark_login(conn, user.id).await?;
        db::audit::record(
            conn,
            Event::new("user", user.id, "login")
                .by(user.id)
                .after(json!({"session_id": started.session_id, "client_ip": client.ip})),
        )
        .await?;
        Ok(response(user, started))
    })
    .await
}

fn response(user: User, started: Started) -> (LoginResponse, Started) {
    (
        LoginResponse {
            user: UserView::from(user),
            token: started.token.clone(),
            expires_at: started.expires_at,
        },
        started,
    )
}

/// Ends this session: its token stops working at once.
pub async fn logout(app: &App, user_id: Uuid, session_id: Uuid) -> AppResult<()> {
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        db::sessions::revoke(conn, session_id).await?;
        db::audit::record(
            conn,
            Event::new("user", user_id, "logout")
                .by(user_id)
                .after(json!({"session_id": session_id})),
        )
        .await?;
        Ok(())
    })
    .await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[schema(
        max_length = 320,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub email: String,
}

/// Records a request for a reset email; the worker answers it (`auth::reset`), so the
/// same work is done whether or not the address has an account.
pub async fn request_reset(app: &App, body: PasswordResetRequest) -> AppResult<()> {
    let email = required_line("email", &body.email, 320)?;
    let mut conn = app.db().await?;
    db::tokens::record_reset_request(&mut conn, &email).await?;
    Ok(())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenPasswordRequest {
    /// The token from the email link.
    #[schema(max_length = 100)]
    pub token: String,
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 256)]
    pub password: SecretString,
}

fn invalid_token() -> AppError {
    AppError::validation("token", "is invalid, used or expired; ask for a new link")
}

/// The one way to set a password from an email link: the token must be live and
/// unused (single use even against two concurrent requests), the password follow the
/// rules; then the password is stored, and for a reset every session ends. Returns the
/// user as they are now.
async fn redeem(
    app: &App,
    purpose: Purpose,
    token: &str,
    password: SecretString,
) -> AppResult<User> {
    let hash = one_time::hash(token);
    let (token_id, user) = {
        let mut conn = app.db().await?;
        db::tokens::live(&mut conn, purpose, &hash)
            .await?
            .ok_or_else(invalid_token)?
    };
    check_password_rules("password", password.expose_secret(), &user.email)?;
    let new_hash = app.passwords.hash(password).await?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        if !db::tokens::spend(conn, purpose, token_id).await? {
            return Err(invalid_token());
        }
        let after = db::users::set_password(conn, user.id, &new_hash).await?;
        let event = match purpose {
            Purpose::Reset => {
                let revoked = db::users::revoke_sessions(conn, user.id, None).await?;
                Event::new("user", user.id, "password_reset")
                    .after(json!({"sessions_revoked": revoked}))
            }
            Purpose::Invitation => {
                // Any other open invitation of this user is spent too.
                db::tokens::spend_invitations_of(conn, user.id).await?;
                Event::new("user", user.id, "invitation_accepted").after(after.audit())
            }
        };
        db::audit::record(conn, event.by(user.id)).await?;
        Ok(after)
    })
    .await
}

/// Sets a new password with a reset token; signs the user out everywhere.
pub async fn confirm_reset(app: &App, body: TokenPasswordRequest) -> AppResult<()> {
    redeem(app, Purpose::Reset, &body.token, body.password)
        .await
        .map(drop)
}

/// Accepts an invitation: sets the password and signs in.
pub async fn accept_invite(
    app: &App,
    body: TokenPasswordRequest,
    client: Client<'_>,
) -> AppResult<(LoginResponse, Started)> {
    let user = redeem(app, Purpose::Invitation, &body.token, body.password).await?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let started = sessions::start(app, conn, user.id, client.user_agent).await?;
        let user = db::users::mark_login(conn, user.id).await?;
        Ok(response(user, started))
    })
    .await
}

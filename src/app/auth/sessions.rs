//! Sessions: started at sign-in, checked on every request (one primary-key join, so a
//! logout, a password change, a reset or a deactivation takes effect on the very next
//! request), ended at logout.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::app::{App, AppError, AppResult};
use crate::db::{self, Conn};
use crate::domain::policy::Actor;
use crate::domain::role::Role;

/// `last_seen_at` is refreshed at most this often: idle expiry stays accurate to a
/// minute while most requests cost one read and no write.
const LAST_SEEN_GRANULARITY_SECS: i64 = 60;

/// A signed-in caller, as a checked session says.
#[derive(Clone, Debug)]
pub struct Session {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub email: String,
    pub role: Role,
}

impl Session {
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.user_id,
            role: self.role,
        }
    }
}

pub fn unauthorized() -> AppError {
    AppError::Unauthorized(
        "Sign in to continue: the session is missing, expired or revoked.".into(),
    )
}

/// The session a token names, if it is live and its user active.
pub async fn authenticate(app: &App, token: &str) -> AppResult<Session> {
    check(app, token, true).await
}

/// As [`authenticate`], without counting as activity: an open event stream rechecks
/// its session this way, so a tab left open still lets the session idle out.
pub async fn recheck(app: &App, token: &str) -> AppResult<Session> {
    check(app, token, false).await
}

async fn check(app: &App, token: &str, touch: bool) -> AppResult<Session> {
    let claims = app.tokens.verify(token).ok_or_else(unauthorized)?;
    let idle = chrono::Duration::from_std(app.settings.session_idle)
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut conn = app.db().await?;
    let (user_id, email, role, last_seen) =
        db::sessions::live(&mut conn, claims.sid, claims.sub, Utc::now() - idle)
            .await?
            .ok_or_else(unauthorized)?;
    if touch && (Utc::now() - last_seen).num_seconds() >= LAST_SEEN_GRANULARITY_SECS {
        db::sessions::touch(&mut conn, claims.sid).await?;
    }
    Ok(Session {
        user_id,
        session_id: claims.sid,
        email,
        role,
    })
}

/// A new session and its token.
pub struct Started {
    pub session_id: Uuid,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Starts a session for `user_id` (inside the caller's transaction).
pub async fn start(
    app: &App,
    conn: &mut Conn,
    user_id: Uuid,
    user_agent: Option<&str>,
) -> AppResult<Started> {
    let lifetime = chrono::Duration::from_std(app.settings.session_absolute)
        .map_err(|e| AppError::Internal(e.into()))?;
    let expires_at = Utc::now() + lifetime;
    let session_id = db::sessions::insert(conn, user_id, expires_at, user_agent).await?;
    let token = app
        .tokens
        .issue(user_id, session_id, Utc::now(), expires_at)?;
    Ok(Started {
        session_id,
        token,
        expires_at,
    })
}

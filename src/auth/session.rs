//! The signed-in caller. Every request re-checks its session row and user in one
//! primary-key join, so logout, a password change, a reset or a deactivation takes
//! effect on the very next request.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{Method, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::auth::role::Role;
use crate::auth::token::COOKIE_NAME;
use crate::error::AppError;
use crate::schema::{sessions, users};
use crate::startup::AppState;

/// The CSRF header a cookie-authenticated request must carry to change anything.
pub const CSRF_HEADER: &str = "x-requested-with";
pub const CSRF_VALUE: &str = "factdesk";

/// `last_seen_at` is refreshed at most this often: idle expiry stays accurate to a
/// minute while most requests cost one read and no write.
const LAST_SEEN_GRANULARITY_SECS: i64 = 60;

#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: Uuid,
    pub session_id: Uuid,
    pub email: String,
    pub role: Role,
    pub via_cookie: bool,
}

impl CurrentUser {
    pub fn is_editor(&self) -> bool {
        matches!(self.role, Role::Editor | Role::Admin)
    }
}

/// Where the token came from.
pub fn bearer_or_cookie(req: &HttpRequest) -> Option<(String, bool)> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let value = value.to_str().ok()?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))?;
        return Some((token.trim().to_string(), false));
    }
    req.cookie(COOKIE_NAME)
        .map(|c| (c.value().to_string(), true))
}

/// Actix extracts a handler's arguments concurrently, so a body error could answer
/// before the caller is known. The authenticating extractor leaves this gate in the
/// request; the body and query extractors wait for it and give way when it fails, so
/// 401 and 403 always come before 400 and 422.
#[derive(Clone)]
pub struct AuthGate(tokio::sync::watch::Receiver<Option<bool>>);

impl AuthGate {
    /// Waits until the caller is known; `false` when authentication (or the
    /// permission) failed and that error is the answer.
    pub async fn passed(mut self) -> bool {
        match self.0.wait_for(Option::is_some).await {
            Ok(v) => v.unwrap_or(true),
            // The authenticating future was dropped: nothing to wait for.
            Err(_) => true,
        }
    }

    /// The gate of `req`'s authenticating extractor, if it has one.
    pub fn of(req: &HttpRequest) -> Option<Self> {
        req.extensions().get::<Self>().cloned()
    }
}

fn open_gate(req: &HttpRequest) -> tokio::sync::watch::Sender<Option<bool>> {
    let (tx, rx) = tokio::sync::watch::channel(None);
    req.extensions_mut().insert(AuthGate(rx));
    tx
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let gate = open_gate(req);
        let req = req.clone();
        Box::pin(async move {
            let result = authenticate(&req).await;
            let _ = gate.send(Some(result.is_ok()));
            result
        })
    }
}

/// The caller, when their role has capability `C`: 401 without a session, 403 for a
/// role that can never use the route, both before the rest of the request is read.
pub struct Permitted<C>(pub CurrentUser, pub std::marker::PhantomData<C>);

impl<C: crate::auth::policy::Capability + 'static> FromRequest for Permitted<C> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let gate = open_gate(req);
        let req = req.clone();
        Box::pin(async move {
            let result = match authenticate(&req).await {
                Ok(user) => C::check(&user).map(|()| Self(user, std::marker::PhantomData)),
                Err(e) => Err(e),
            };
            let _ = gate.send(Some(result.is_ok()));
            result
        })
    }
}

/// The caller, or `None` when the request carries no credentials at all.
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if bearer_or_cookie(&req).is_none() {
                return Ok(Self(None));
            }
            authenticate(&req).await.map(|u| Self(Some(u)))
            // (No gate: the routes that take an optional caller take no body.)
        })
    }
}

fn unauthorized() -> AppError {
    AppError::Unauthorized(
        "Sign in to continue: the session is missing, expired or revoked.".into(),
    )
}

async fn authenticate(req: &HttpRequest) -> Result<CurrentUser, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no app state")))?;
    let (token, via_cookie) = bearer_or_cookie(req).ok_or_else(unauthorized)?;
    let claims = state.tokens.verify(&token).ok_or_else(unauthorized)?;
    if via_cookie {
        check_csrf(req, state)?;
    }

    let idle = chrono::Duration::from_std(state.settings.session_idle)
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut conn = state.db().await?;
    let row: Option<(Uuid, String, String, DateTime<Utc>)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(claims.sid))
        .filter(sessions::user_id.eq(claims.sub))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(Utc::now()))
        .filter(sessions::last_seen_at.gt(Utc::now() - idle))
        .filter(users::active.eq(true))
        .select((users::id, users::email, users::role, sessions::last_seen_at))
        .first(&mut conn)
        .await
        .optional()?;
    let (id, email, role, last_seen) = row.ok_or_else(unauthorized)?;
    if (Utc::now() - last_seen).num_seconds() >= LAST_SEEN_GRANULARITY_SECS {
        diesel::update(sessions::table.find(claims.sid))
            .set(sessions::last_seen_at.eq(diesel::dsl::now))
            .execute(&mut conn)
            .await?;
    }
    let role = Role::parse(&role)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown role {role}")))?;
    Ok(CurrentUser {
        id,
        session_id: claims.sid,
        email,
        role,
        via_cookie,
    })
}

/// A cookie is sent by the browser whatever page asked; a state-changing request
/// authenticated by it must prove it came from our own app.
fn check_csrf(req: &HttpRequest, state: &AppState) -> Result<(), AppError> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let header_ok = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case(CSRF_VALUE));
    if !header_ok {
        return Err(AppError::Forbidden(format!(
            "Cookie-authenticated requests that change data must send the header `X-Requested-With: {CSRF_VALUE}`."
        )));
    }
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let expected = state.settings.public_url.origin().ascii_serialization();
        if origin.to_str().ok() != Some(expected.as_str()) {
            return Err(AppError::Forbidden(format!(
                "The request's Origin does not match {expected}."
            )));
        }
    }
    Ok(())
}

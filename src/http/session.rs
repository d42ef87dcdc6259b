//! The signed-in caller, as handlers take it: from a Bearer token or the session
//! cookie (which must also prove, by a header and its origin, that our own app sent a
//! request that changes anything). The session itself is checked by `app::auth`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{Method, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use uuid::Uuid;

use crate::app::App;
use crate::app::auth::sessions::{self, Session};
use crate::app::auth::token::COOKIE_NAME;
use crate::app::error::AppError;
use crate::domain::policy::{Actor, Capability};
use crate::domain::role::Role;

/// The CSRF header a cookie-authenticated request must carry to change anything.
pub const CSRF_HEADER: &str = "x-requested-with";
pub const CSRF_VALUE: &str = "factdesk";

#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: Uuid,
    pub session_id: Uuid,
    pub email: String,
    pub role: Role,
    pub via_cookie: bool,
}

impl CurrentUser {
    /// Who is calling, as the rules see them.
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.id,
            role: self.role,
        }
    }

    pub fn session(&self) -> Session {
        Session {
            user_id: self.id,
            session_id: self.session_id,
            email: self.email.clone(),
            role: self.role,
        }
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

impl<C: Capability + 'static> FromRequest for Permitted<C> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let gate = open_gate(req);
        let req = req.clone();
        Box::pin(async move {
            let result = match authenticate(&req).await {
                Ok(user) => C::check(&user.actor())
                    .map(|()| Self(user, std::marker::PhantomData))
                    .map_err(AppError::from),
                Err(e) => Err(e),
            };
            let _ = gate.send(Some(result.is_ok()));
            result
        })
    }
}

async fn authenticate(req: &HttpRequest) -> Result<CurrentUser, AppError> {
    let app = req
        .app_data::<web::Data<App>>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no app state")))?;
    let (token, via_cookie) = bearer_or_cookie(req).ok_or_else(sessions::unauthorized)?;
    if via_cookie {
        // A forged or foreign token fails the session check below anyway; the CSRF
        // check comes first only for a token that verifies.
        if app.tokens.verify(&token).is_none() {
            return Err(sessions::unauthorized());
        }
        check_csrf(req, app)?;
    }
    let session = sessions::authenticate(app, &token).await?;
    Ok(CurrentUser {
        id: session.user_id,
        session_id: session.session_id,
        email: session.email,
        role: session.role,
        via_cookie,
    })
}

/// A cookie is sent by the browser whatever page asked; a state-changing request
/// authenticated by it must prove it came from our own app.
fn check_csrf(req: &HttpRequest, app: &App) -> Result<(), AppError> {
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
        let expected = app.settings.public_url.origin().ascii_serialization();
        if origin.to_str().ok() != Some(expected.as_str()) {
            return Err(AppError::Forbidden(format!(
                "The request's Origin does not match {expected}."
            )));
        }
    }
    Ok(())
}

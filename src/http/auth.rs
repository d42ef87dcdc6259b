//! Sessions: log in and out, the caller's own account, invitations and password resets.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use crate::app::account::{self, ChangePasswordRequest, UpdateMeRequest};
use crate::app::auth::sessions::Started;
use crate::app::auth::token::COOKIE_NAME;
use crate::app::sign_in::{
    self, Client, LoginRequest, LoginResponse, PasswordResetRequest, TokenPasswordRequest,
};
use crate::app::users::UserView;
use crate::app::{App, AppResult};
use crate::http::common::{client_ip, etag, user_agent, version_hint};
use crate::http::extract::Json;
use crate::http::resource;
use crate::http::session::CurrentUser;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/auth/login", POST => login);
    resource!(cfg, "/auth/logout", POST => logout);
    resource!(cfg, "/auth/me", GET => get_me, PATCH => update_me);
    resource!(cfg, "/auth/password", POST => change_password);
    resource!(cfg, "/auth/password-reset", POST => request_password_reset);
    resource!(cfg, "/auth/password-reset/confirm", POST => confirm_password_reset);
    resource!(cfg, "/auth/accept-invite", POST => accept_invite);
}

fn session_cookie<'a>(app: &App, value: String, max_age: CookieDuration) -> Cookie<'a> {
    Cookie::build(COOKIE_NAME, value)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(app.settings.public_url.scheme() == "https")
        .path("/")
        .max_age(max_age)
        .finish()
}

fn signed_in(app: &App, (body, started): (LoginResponse, Started)) -> HttpResponse {
    let max_age = CookieDuration::seconds((started.expires_at - Utc::now()).num_seconds().max(0));
    HttpResponse::Ok()
        .cookie(session_cookie(app, started.token, max_age))
        .json(body)
}

/// Log in: sets the `factdesk_session` cookie (httpOnly, SameSite=Strict) and returns
/// the token. Failed logins are throttled: per account from one address
/// (FACTDESK_LOGIN_LIMIT_PER_ACCOUNT, default 5) and per address
/// (FACTDESK_LOGIN_LIMIT_PER_CLIENT, default 20) within FACTDESK_LOGIN_WINDOW_SECONDS
/// (default 900) they answer 429; an account failing from many addresses is slowed down,
/// never locked.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse),
              (status = 401, description = "Wrong email or password"),
              (status = 403, description = "The password is right but the account is deactivated"),
              (status = 429, description = "Too many failed logins; see Retry-After")))]
pub async fn login(
    app: web::Data<App>,
    req: HttpRequest,
    Json(body): Json<LoginRequest>,
) -> AppResult<HttpResponse> {
    let ip = client_ip(&req, &app.settings);
    let agent = user_agent(&req);
    let signed = sign_in::login(
        &app,
        body,
        Client {
            ip: &ip,
            user_agent: agent.as_deref(),
        },
    )
    .await?;
    Ok(signed_in(&app, signed))
}

/// Log out: revokes this session (the token stops working at once) and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn logout(app: web::Data<App>, user: CurrentUser) -> AppResult<HttpResponse> {
    sign_in::logout(&app, user.id, user.session_id).await?;
    Ok(HttpResponse::NoContent()
        .cookie(session_cookie(&app, String::new(), CookieDuration::ZERO))
        .finish())
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses((status = 200, body = UserView)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_me(app: web::Data<App>, user: CurrentUser) -> AppResult<HttpResponse> {
    let me = account::me(&app, user.id).await?;
    Ok(HttpResponse::Ok().insert_header(etag(me.version)).json(me))
}

/// Change your display name, time zone or notification choices (`If-Match` required).
#[utoipa::path(patch, path = "/api/v1/auth/me", tag = "auth", request_body = UpdateMeRequest,
    params(("If-Match" = Option<String>, Header, description = "The version being changed, e.g. \"3\"")),
    responses((status = 200, body = UserView),
              (status = 412, description = "Stale version; `current` holds the latest")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_me(
    app: web::Data<App>,
    req: HttpRequest,
    user: CurrentUser,
    Json(body): Json<UpdateMeRequest>,
) -> AppResult<HttpResponse> {
    let version = version_hint(&req, body.version)?;
    let me = account::update_me(&app, user.id, version, body).await?;
    Ok(HttpResponse::Ok().insert_header(etag(me.version)).json(me))
}

/// Change your password; every other session of yours is signed out.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 204)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn change_password(
    app: web::Data<App>,
    user: CurrentUser,
    Json(body): Json<ChangePasswordRequest>,
) -> AppResult<HttpResponse> {
    account::change_password(&app, &user.session(), body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Ask for a password-reset email. Always 202, whether or not the address has an
/// account: the request is only recorded, and the worker sends the email (to an active
/// account, throttled per address), so neither the answer nor its time tells.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = PasswordResetRequest,
    responses((status = 202, description = "Accepted; an email follows if the address has an active account")))]
pub async fn request_password_reset(
    app: web::Data<App>,
    Json(body): Json<PasswordResetRequest>,
) -> AppResult<HttpResponse> {
    sign_in::request_reset(&app, body).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Set a new password with a reset token; signs the user out everywhere.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth", request_body = TokenPasswordRequest,
    responses((status = 204)))]
pub async fn confirm_password_reset(
    app: web::Data<App>,
    Json(body): Json<TokenPasswordRequest>,
) -> AppResult<HttpResponse> {
    sign_in::confirm_reset(&app, body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Accept an invitation: set a password and sign in.
#[utoipa::path(post, path = "/api/v1/auth/accept-invite", tag = "auth", request_body = TokenPasswordRequest,
    responses((status = 200, body = LoginResponse)))]
pub async fn accept_invite(
    app: web::Data<App>,
    req: HttpRequest,
    Json(body): Json<TokenPasswordRequest>,
) -> AppResult<HttpResponse> {
    let ip = client_ip(&req, &app.settings);
    let agent = user_agent(&req);
    let signed = sign_in::accept_invite(
        &app,
        body,
        Client {
            ip: &ip,
            user_agent: agent.as_deref(),
        },
    )
    .await?;
    Ok(signed_in(&app, signed))
}

//! Sessions: log in and out, the caller's own account, invitations and password resets.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::password::check_password_rules;
use crate::auth::session::CurrentUser;
use crate::auth::throttle::{self, lower};
use crate::auth::{one_time, token::COOKIE_NAME};
use crate::error::{AppError, AppResult, FieldError};
use crate::extract::Json;
use crate::models::audit;
use crate::models::user::{self as user_model, User};
use crate::routes::common::{client_ip, etag, expected_version, required_line};
use crate::routes::resource;
use crate::routes::users::UserView;
use crate::schema::{invitations, password_resets, sessions, users};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/auth/login", POST => login);
    resource!(cfg, "/auth/logout", POST => logout);
    resource!(cfg, "/auth/me", GET => get_me, PATCH => update_me);
    resource!(cfg, "/auth/password", POST => change_password);
    resource!(cfg, "/auth/password-reset", POST => request_password_reset);
    resource!(cfg, "/auth/password-reset/confirm", POST => confirm_password_reset);
    resource!(cfg, "/auth/accept-invite", POST => accept_invite);
}

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

fn wrong_credentials() -> AppError {
    AppError::Unauthorized("Wrong email or password.".into())
}

/// Log in: sets the `factdesk_session` cookie (httpOnly, SameSite=Strict) and returns
/// the token. After 5 failures for one account or 20 from one address within 15
/// minutes (configurable), answers 429 with `Retry-After`; a success resets the
/// account's count.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse),
              (status = 401, description = "Wrong email or password"),
              (status = 422),
              (status = 429, description = "Too many failed logins (FACTDESK_LOGIN_LIMIT_PER_ACCOUNT, default 5, and FACTDESK_LOGIN_LIMIT_PER_CLIENT, default 20, per FACTDESK_LOGIN_WINDOW_SECONDS, default 900); see Retry-After")))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    Json(body): Json<LoginRequest>,
) -> AppResult<HttpResponse> {
    let email = crate::routes::common::required_line("email", &body.email, 320)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let ip = client_ip(&req, &state.settings);
    let limits = &state.settings.limits;
    let (user, gate) = {
        let mut conn = state.db().await?;
        let gate = throttle::check_login(&mut conn, limits, &email, &ip)
            .await
            .inspect_err(|e| {
                if matches!(e, AppError::TooManyRequests { .. }) {
                    crate::metrics::METRICS.login_throttled.inc();
                }
            })?;
        (find_by_email(&mut conn, &email).await?, gate)
        // The connection goes back to the pool before waiting and hashing: a login
        // flood must not hold connections other requests need.
    };
    let throttle::LoginGate::Proceed(wait) = gate;
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    let hash = user
        .as_ref()
        .filter(|u| u.active)
        .and_then(|u| u.password_hash.clone());
    let ok = state.passwords.verify(body.password, hash).await?;

    let mut conn = state.db().await?;
    let Some(user) = user.filter(|_| ok) else {
        let failures = throttle::record_login(&mut conn, limits, &email, &ip, false).await?;
        if failures == limits.login_per_account
            && let Some(user) = find_by_email(&mut conn, &email).await?
        {
            audit::record(
                &mut conn,
                None,
                "user",
                user.id,
                "login_failure_streak",
                None,
                Some(json!({"failures": failures, "client_ip": ip})),
            )
            .await?;
        }
        return Err(wrong_credentials());
    };
    let user_agent = user_agent(&req);
    let ip_for_audit = ip.clone();
    let (user, session_id, expires_at) = conn
        .transaction::<_, AppError, _>(async |conn| {
            throttle::record_login(conn, limits, &email, &ip, true).await?;
            let (session_id, expires_at) =
                create_session(conn, &state, user.id, user_agent).await?;
            let user: User = diesel::update(users::table.find(user.id))
                .set(users::last_login_at.eq(diesel::dsl::now))
                .returning(User::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                Some(user.id),
                "user",
                user.id,
                "login",
                None,
                Some(json!({"session_id": session_id, "client_ip": ip_for_audit})),
            )
            .await?;
            Ok((user, session_id, expires_at))
        })
        .await?;
    session_response(&state, user, session_id, expires_at)
}

/// The client's `User-Agent`, shortened, to show a user their sessions.
fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(300).collect())
}

async fn find_by_email(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(lower(users::email).eq(email.trim().to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .await
        .optional()
}

async fn create_session(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    user_id: Uuid,
    user_agent: Option<String>,
) -> AppResult<(Uuid, DateTime<Utc>)> {
    let lifetime = chrono::Duration::from_std(state.settings.session_absolute)
        .map_err(|e| AppError::Internal(e.into()))?;
    let expires_at = Utc::now() + lifetime;
    let id = diesel::insert_into(sessions::table)
        .values((
            sessions::user_id.eq(user_id),
            sessions::expires_at.eq(expires_at),
            sessions::user_agent.eq(user_agent),
        ))
        .returning(sessions::id)
        .get_result(conn)
        .await?;
    Ok((id, expires_at))
}

fn session_cookie<'a>(state: &AppState, value: String, max_age: CookieDuration) -> Cookie<'a> {
    Cookie::build(COOKIE_NAME, value)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.settings.public_url.scheme() == "https")
        .path("/")
        .max_age(max_age)
        .finish()
}

fn session_response(
    state: &AppState,
    user: User,
    session_id: Uuid,
    expires_at: DateTime<Utc>,
) -> AppResult<HttpResponse> {
    let token = state
        .tokens
        .issue(user.id, session_id, Utc::now(), expires_at)?;
    let max_age = CookieDuration::seconds((expires_at - Utc::now()).num_seconds().max(0));
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(state, token.clone(), max_age))
        .json(LoginResponse {
            user: UserView::from(user),
            token,
            expires_at,
        }))
}

/// Log out: revokes this session (the token stops working at once) and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204), (status = 401)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn logout(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        diesel::update(sessions::table.find(user.session_id))
            .set(sessions::revoked_at.eq(diesel::dsl::now))
            .execute(conn)
            .await?;
        audit::record(
            conn,
            Some(user.id),
            "user",
            user.id,
            "logout",
            None,
            Some(json!({"session_id": user.session_id})),
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent()
        .cookie(session_cookie(&state, String::new(), CookieDuration::ZERO))
        .finish())
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses((status = 200, body = UserView), (status = 401)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get_me(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    let me: User = users::table
        .find(user.id)
        .select(User::as_select())
        .first(&mut conn)
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(me.version))
        .json(UserView::from(me)))
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
    #[schema(value_type = Option<crate::routes::common::TimeZoneName>)]
    pub time_zone: Option<String>,
    pub notify: Option<NotifyUpdate>,
    /// The version being changed, if not sent as `If-Match`.
    pub version: Option<i32>,
}

/// Which optional emails to receive; assignment and changes-requested emails always go.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotifyUpdate {
    pub reminders: Option<bool>,
    pub digest: Option<bool>,
}

/// Change your display name, time zone or notification choices (`If-Match` required).
#[utoipa::path(patch, path = "/api/v1/auth/me", tag = "auth", request_body = UpdateMeRequest,
    params(("If-Match" = Option<String>, Header, description = "The version being changed, e.g. \"3\"")),
    responses((status = 200, body = UserView),
              (status = 412, description = "Stale version; `current` holds the latest"),
              (status = 422),
              (status = 428)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_me(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    Json(body): Json<UpdateMeRequest>,
) -> AppResult<HttpResponse> {
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
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let version = expected_version(&req, body.version)?;
    let mut conn = state.db().await?;
    let updated = conn
        .transaction::<_, AppError, _>(async |conn| {
            let before: User = users::table
                .find(user.id)
                .select(User::as_select())
                .for_update()
                .first(conn)
                .await?;
            if before.version != version {
                return Err(AppError::PreconditionFailed {
                    current: serde_json::to_value(UserView::from(before)).unwrap_or_default(),
                    changed_by: None,
                });
            }
            let mut notify = before.notify.clone();
            if let Some(n) = &body.notify {
                if let Some(r) = n.reminders {
                    notify["reminders"] = json!(r);
                }
                if let Some(d) = n.digest {
                    notify["digest"] = json!(d);
                }
            }
            let after: User = diesel::update(users::table.find(user.id))
                .set((
                    users::display_name.eq(display_name.as_deref().unwrap_or(&before.display_name)),
                    users::time_zone.eq(body.time_zone.as_deref().unwrap_or(&before.time_zone)),
                    users::notify.eq(&notify),
                    users::updated_at.eq(diesel::dsl::now),
                    users::version.eq(users::version + 1),
                ))
                .returning(User::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                Some(user.id),
                "user",
                user.id,
                "update_profile",
                Some(profile_audit(&before)),
                Some(profile_audit(&after)),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(updated.version))
        .json(UserView::from(updated)))
}

fn profile_audit(u: &User) -> serde_json::Value {
    json!({"display_name": u.display_name, "time_zone": u.time_zone, "notify": u.notify})
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[schema(value_type = String, format = Password)]
    pub current_password: SecretString,
    #[schema(value_type = String, format = Password)]
    #[schema(min_length = 12, max_length = 256)]
    pub new_password: SecretString,
}

/// Change your password; every other session of yours is signed out.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 204), (status = 401),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn change_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    Json(body): Json<ChangePasswordRequest>,
) -> AppResult<HttpResponse> {
    check_password_rules(
        "new_password",
        body.new_password.expose_secret(),
        &user.email,
    )
    .map_err(|e| AppError::Validation(vec![e]))?;
    let hash = {
        let mut conn = state.db().await?;
        users::table
            .find(user.id)
            .select(users::password_hash)
            .first::<Option<String>>(&mut conn)
            .await?
    };
    if !state.passwords.verify(body.current_password, hash).await? {
        return Err(AppError::validation(
            "current_password",
            "is not your current password",
        ));
    }
    let new_hash = state.passwords.hash(body.new_password).await?;
    let mut conn = state.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        user_model::set_password(conn, user.id, &new_hash).await?;
        let revoked = user_model::revoke_sessions(conn, user.id, Some(user.session_id)).await?;
        audit::record(
            conn,
            Some(user.id),
            "user",
            user.id,
            "password_changed",
            None,
            Some(json!({"other_sessions_revoked": revoked})),
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
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

pub const INVITATION_LIFETIME_DAYS: i64 = 7;

/// Ask for a password-reset email. Always 202, whether or not the address has an
/// account: the request is only recorded, and the worker sends the email (to an active
/// account, throttled per address), so neither the answer nor its time tells.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = PasswordResetRequest,
    responses((status = 202, description = "Accepted; an email follows if the address has an active account")))]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    Json(body): Json<PasswordResetRequest>,
) -> AppResult<HttpResponse> {
    let email = crate::routes::common::required_line("email", &body.email, 320)
        .map_err(|e| AppError::Validation(vec![e]))?;
    {
        let mut conn = state.db().await?;
        diesel::insert_into(crate::schema::password_reset_requests::table)
            .values(crate::schema::password_reset_requests::email.eq(&email))
            .execute(&mut conn)
            .await?;
    }
    Ok(HttpResponse::Accepted().finish())
}

/// A time in the recipient's own time zone, for emails.
pub fn format_time(at: DateTime<Utc>, time_zone: &str) -> String {
    let tz: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::UTC);
    at.with_timezone(&tz)
        .format("%A %-d %B %Y, %H:%M %Z")
        .to_string()
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenPasswordRequest {
    /// The token from the email link.
    #[schema(max_length = 100)]
    pub token: String,
    #[schema(value_type = String, format = Password)]
    #[schema(min_length = 12, max_length = 256)]
    pub password: SecretString,
}

fn invalid_token() -> AppError {
    AppError::validation("token", "is invalid, used or expired; ask for a new link")
}

/// Set a new password with a reset token; signs the user out everywhere.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth", request_body = TokenPasswordRequest,
    responses((status = 204), (status = 422)))]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    Json(body): Json<TokenPasswordRequest>,
) -> AppResult<HttpResponse> {
    let hash = one_time::hash(&body.token);
    let found: Option<(Uuid, User)> = {
        let mut conn = state.db().await?;
        password_resets::table
            .inner_join(users::table)
            .filter(password_resets::token_hash.eq(&hash))
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(diesel::dsl::now))
            .filter(users::active.eq(true))
            .select((password_resets::id, User::as_select()))
            .first(&mut conn)
            .await
            .optional()?
    };
    let (reset_id, user) = found.ok_or_else(invalid_token)?;
    check_password_rules("password", body.password.expose_secret(), &user.email)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let new_hash = state.passwords.hash(body.password).await?;
    let mut conn = state.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        // Single use, even against two concurrent confirmations.
        let claimed = diesel::update(
            password_resets::table
                .find(reset_id)
                .filter(password_resets::used_at.is_null()),
        )
        .set(password_resets::used_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
        if claimed == 0 {
            return Err(invalid_token());
        }
        user_model::set_password(conn, user.id, &new_hash).await?;
        let revoked = user_model::revoke_sessions(conn, user.id, None).await?;
        audit::record(
            conn,
            Some(user.id),
            "user",
            user.id,
            "password_reset",
            None,
            Some(json!({"sessions_revoked": revoked})),
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Accept an invitation: set a password and sign in.
#[utoipa::path(post, path = "/api/v1/auth/accept-invite", tag = "auth", request_body = TokenPasswordRequest,
    responses((status = 200, body = LoginResponse), (status = 422)))]
pub async fn accept_invite(
    state: web::Data<AppState>,
    req: HttpRequest,
    Json(body): Json<TokenPasswordRequest>,
) -> AppResult<HttpResponse> {
    let hash = one_time::hash(&body.token);
    let found: Option<(Uuid, User)> = {
        let mut conn = state.db().await?;
        invitations::table
            .inner_join(users::table)
            .filter(invitations::token_hash.eq(&hash))
            .filter(invitations::used_at.is_null())
            .filter(invitations::expires_at.gt(diesel::dsl::now))
            .filter(users::active.eq(true))
            .select((invitations::id, User::as_select()))
            .first(&mut conn)
            .await
            .optional()?
    };
    let (invitation_id, user) = found.ok_or_else(invalid_token)?;
    check_password_rules("password", body.password.expose_secret(), &user.email)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let new_hash = state.passwords.hash(body.password).await?;
    let user_agent = user_agent(&req);
    let mut conn = state.db().await?;
    let (user, session_id, expires_at) = conn
        .transaction::<_, AppError, _>(async |conn| {
            let claimed = diesel::update(
                invitations::table
                    .find(invitation_id)
                    .filter(invitations::used_at.is_null()),
            )
            .set(invitations::used_at.eq(diesel::dsl::now))
            .execute(conn)
            .await?;
            if claimed == 0 {
                return Err(invalid_token());
            }
            // Any other open invitation of this user is spent too.
            diesel::update(
                invitations::table
                    .filter(invitations::user_id.eq(user.id))
                    .filter(invitations::used_at.is_null()),
            )
            .set(invitations::used_at.eq(diesel::dsl::now))
            .execute(conn)
            .await?;
            let user: User = diesel::update(users::table.find(user.id))
                .set((
                    users::password_hash.eq(&new_hash),
                    users::last_login_at.eq(diesel::dsl::now),
                    users::updated_at.eq(diesel::dsl::now),
                    users::version.eq(users::version + 1),
                ))
                .returning(User::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                Some(user.id),
                "user",
                user.id,
                "invitation_accepted",
                None,
                Some(user.audit()),
            )
            .await?;
            let (session_id, expires_at) =
                create_session(conn, &state, user.id, user_agent).await?;
            Ok((user, session_id, expires_at))
        })
        .await?;
    session_response(&state, user, session_id, expires_at)
}

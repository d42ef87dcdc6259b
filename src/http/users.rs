//! User administration: invite, list, change role, deactivate.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::app::users::{self, CreateUserRequest, UpdateUserRequest, UserQuery, UserView};
use crate::app::{App, AppResult};
use crate::domain::page::{Page, PageRequest};
use crate::domain::policy::{ListUsers, ManageUsers};
use crate::domain::role::Role;
use crate::http::common::{etag, version_hint};
use crate::http::extract::{Json, Query};
use crate::http::resource;
use crate::http::session::Permitted;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/users", GET => list_users, POST => create_user);
    resource!(cfg, "/users/{id}", PATCH => update_user);
    resource!(cfg, "/users/{id}/invitation", POST => resend_invitation);
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// Matches email or display name.
    pub q: Option<String>,
    /// How many items, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// List users: admins see everyone; editors see the active reviewers, to assign them.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(ListUsersQuery),
    responses((status = 200, body = Page<UserView>)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_users(
    app: web::Data<App>,
    Permitted(user, _): Permitted<ListUsers>,
    Query(q): Query<ListUsersQuery>,
) -> AppResult<HttpResponse> {
    let page = users::list(
        &app,
        &user.actor(),
        UserQuery {
            role: q.role,
            active: q.active,
            text: q.q.as_deref(),
            page: PageRequest {
                limit: q.limit,
                cursor: q.cursor.as_deref(),
            },
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Invite a user: creates the account (not yet able to log in) and emails a one-time
/// link, valid for 7 days, to choose a password.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUserRequest,
    responses((status = 201, body = UserView),
              (status = 409, description = "The email has an account already")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_user(
    app: web::Data<App>,
    Permitted(admin, _): Permitted<ManageUsers>,
    Json(body): Json<CreateUserRequest>,
) -> AppResult<HttpResponse> {
    let user = users::invite(&app, &admin.actor(), body).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(user.version))
        .json(user))
}

/// Send a new invitation link to a user who has not set a password yet (throttled per address).
#[utoipa::path(post, path = "/api/v1/users/{id}/invitation", tag = "users",
    params(("id" = Uuid, Path)),
    responses((status = 202),
              (status = 409, description = "The user has a password already"),
              (status = 429, description = "Too many invitations to this address (FACTDESK_EMAIL_LIMIT_PER_ADDRESS per FACTDESK_EMAIL_WINDOW_SECONDS)")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn resend_invitation(
    app: web::Data<App>,
    Permitted(admin, _): Permitted<ManageUsers>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    users::invite_again(&app, &admin.actor(), path.into_inner()).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Change a user's role, display name or active flag (`If-Match` required). The last
/// active admin can be neither demoted nor deactivated. Deactivation signs the user
/// out everywhere; a deactivated reviewer's open assignments stay, and each assigning
/// editor gets an email listing them.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", request_body = UpdateUserRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version being changed")),
    responses((status = 200, body = UserView),
              (status = 409, description = "Would leave no active admin")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_user(
    app: web::Data<App>,
    req: HttpRequest,
    Permitted(admin, _): Permitted<ManageUsers>,
    path: web::Path<Uuid>,
    Json(body): Json<UpdateUserRequest>,
) -> AppResult<HttpResponse> {
    let version = version_hint(&req, body.version)?;
    let user = users::update(&app, &admin.actor(), path.into_inner(), version, body).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(user.version))
        .json(user))
}

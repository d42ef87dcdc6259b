//! User administration: invite, list, change role, deactivate.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::one_time;
use crate::auth::policy::{self, UserListScope};
use crate::auth::policy::{ListUsers, ManageUsers};
use crate::auth::role::Role;
use crate::auth::session::CurrentUser;
use crate::auth::session::Permitted;
use crate::auth::throttle::{self, lower};
use crate::email::{self, Email};
use crate::error::{AppError, AppResult, FieldError};
use crate::extract::{Json, Query};
use crate::models::audit;
use crate::models::user::{self as user_model, NewUser, User};
use crate::routes::auth::{INVITATION_LIFETIME_DAYS, format_time};
use crate::routes::common::{
    Cursor, Page, PageQuery, contains_pattern, etag, expected_version, required_line, valid_email,
};
use crate::routes::resource;
use crate::schema::{assignments, claims, invitations, settings, users};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/users", GET => list_users, POST => create_user);
    resource!(cfg, "/users/{id}", PATCH => update_user);
    resource!(cfg, "/users/{id}/invitation", POST => resend_invitation);
}

#[derive(Serialize, ToSchema)]
pub struct Notify {
    pub reminders: bool,
    pub digest: bool,
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
            },
            id: u.id,
            role: Role::parse(&u.role).unwrap_or(Role::Reviewer),
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

pub async fn newsroom_name(conn: &mut AsyncPgConnection) -> QueryResult<String> {
    settings::table
        .select(settings::newsroom_name)
        .first(conn)
        .await
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// Matches email or display name.
    pub q: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// List users: admins see everyone; editors see the active reviewers, to assign them.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(ListUsersQuery),
    responses((status = 200, body = Page<UserView>), (status = 403)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list_users(
    state: web::Data<AppState>,
    Permitted(user, _): Permitted<ListUsers>,
    Query(query): Query<ListUsersQuery>,
) -> AppResult<HttpResponse> {
    let scope = policy::may_list_users(&user)?;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor.clone(),
    };
    let limit = page.limit()?;
    let cursor = page.cursor()?;
    let mut q = users::table.select(User::as_select()).into_boxed();
    match scope {
        UserListScope::ActiveReviewers => {
            q = q
                .filter(users::role.eq("reviewer"))
                .filter(users::active.eq(true));
        }
        UserListScope::Everyone => {
            if let Some(role) = query.role {
                q = q.filter(users::role.eq(role.as_str()));
            }
            if let Some(active) = query.active {
                q = q.filter(users::active.eq(active));
            }
        }
    }
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = contains_pattern(text);
        q = q.filter(
            users::email
                .ilike(pattern.clone())
                .or(users::display_name.ilike(pattern)),
        );
    }
    if let Some(c) = cursor {
        q = q.filter(
            users::created_at
                .gt(c.at)
                .or(users::created_at.eq(c.at).and(users::id.gt(c.id))),
        );
    }
    let mut conn = state.db().await?;
    let rows: Vec<User> = q
        .order((users::created_at.asc(), users::id.asc()))
        .limit(limit + 1)
        .load(&mut conn)
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |u| Cursor::new(u.created_at, u.id),
        UserView::from,
    )))
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

/// Invite a user: creates the account (not yet able to log in) and emails a one-time
/// link, valid for 7 days, to choose a password.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUserRequest,
    responses((status = 201, body = UserView),
              (status = 403),
              (status = 409, description = "The email has an account already"),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_user(
    state: web::Data<AppState>,
    Permitted(admin, _): Permitted<ManageUsers>,
    Json(body): Json<CreateUserRequest>,
) -> AppResult<HttpResponse> {
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
    let mut conn = state.db().await?;
    let created = conn
        .transaction::<_, AppError, _>(async |conn| {
            let taken: i64 = users::table
                .filter(lower(users::email).eq(email.to_lowercase()))
                .count()
                .get_result(conn)
                .await?;
            if taken > 0 {
                return Err(AppError::Conflict {
                    detail: format!("{email} has an account already."),
                    extensions: Default::default(),
                });
            }
            let user: User = diesel::insert_into(users::table)
                .values(NewUser {
                    email: &email,
                    display_name: &name,
                    role: body.role.as_str(),
                    password_hash: None,
                    active: true,
                    time_zone: &default_time_zone(conn).await?,
                })
                .returning(User::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                Some(admin.id),
                "user",
                user.id,
                "invite",
                None,
                Some(user.audit()),
            )
            .await?;
            send_invitation(conn, &state, &admin, &user).await?;
            Ok(user)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(created.version))
        .json(UserView::from(created)))
}

async fn default_time_zone(conn: &mut AsyncPgConnection) -> QueryResult<String> {
    settings::table
        .select(settings::default_time_zone)
        .first(conn)
        .await
}

async fn send_invitation(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    admin: &CurrentUser,
    user: &User,
) -> AppResult<()> {
    let (token, hash) = one_time::generate();
    let expires_at = Utc::now() + chrono::Duration::days(INVITATION_LIFETIME_DAYS);
    diesel::insert_into(invitations::table)
        .values((
            invitations::user_id.eq(user.id),
            invitations::token_hash.eq(&hash),
            invitations::created_by.eq(admin.id),
            invitations::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    let inviter: String = users::table
        .find(admin.id)
        .select(users::display_name)
        .first(conn)
        .await?;
    let link = format!(
        "{}/accept-invite#token={token}",
        state.settings.public_base()
    );
    let newsroom = newsroom_name(conn).await?;
    email::enqueue(
        conn,
        Email { recipient: &user.email, cc: vec![], kind: "invitation", dedupe_key: None },
        json!({"display_name": user.display_name, "newsroom": newsroom, "invited_by": inviter,
               "role": user.role, "link": link, "expires": format_time(expires_at, &user.time_zone)}),
    )
    .await?;
    Ok(())
}

/// Send a new invitation link to a user who has not set a password yet (throttled per address).
#[utoipa::path(post, path = "/api/v1/users/{id}/invitation", tag = "users",
    params(("id" = Uuid, Path)),
    responses((status = 202), (status = 404),
              (status = 409, description = "The user has a password already"),
              (status = 429, description = "Too many invitations to this address (FACTDESK_EMAIL_LIMIT_PER_ADDRESS per FACTDESK_EMAIL_WINDOW_SECONDS)")),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn resend_invitation(
    state: web::Data<AppState>,
    Permitted(admin, _): Permitted<ManageUsers>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let user: User = users::table
            .find(id)
            .select(User::as_select())
            .first(conn)
            .await
            .optional()?
            .ok_or_else(|| AppError::not_found("user"))?;
        if user.password_hash.is_some() || !user.active {
            return Err(AppError::Conflict {
                detail: "Only an active user who has not set a password yet can be invited again."
                    .into(),
                extensions: Default::default(),
            });
        }
        if !throttle::email_allowed(conn, &state.settings.limits, &user.email, "invitation").await?
        {
            return Err(AppError::TooManyRequests {
                retry_after_secs: state.settings.limits.email_window.as_secs(),
            });
        }
        audit::record(
            conn,
            Some(admin.id),
            "user",
            user.id,
            "reinvite",
            None,
            None,
        )
        .await?;
        send_invitation(conn, &state, &admin, &user).await
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
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

/// Change a user's role, display name or active flag (`If-Match` required). The last
/// active admin can be neither demoted nor deactivated. Deactivation signs the user
/// out everywhere; a deactivated reviewer's open assignments stay, and each assigning
/// editor gets an email listing them.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", request_body = UpdateUserRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version being changed")),
    responses((status = 200, body = UserView),
              (status = 404),
              (status = 409, description = "Would leave no active admin"),
              (status = 412),
              (status = 422),
              (status = 428)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    Permitted(admin, _): Permitted<ManageUsers>,
    path: web::Path<Uuid>,
    Json(body): Json<UpdateUserRequest>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let name = body
        .display_name
        .as_deref()
        .map(|n| required_line("display_name", n, 100))
        .transpose()
        .map_err(|e: FieldError| AppError::Validation(vec![e]))?;
    let version = expected_version(&req, body.version)?;
    let mut conn = state.db().await?;
    let updated = conn
        .transaction::<_, AppError, _>(async |conn| {
            diesel::sql_query(format!("SELECT pg_advisory_xact_lock({ADMIN_LOCK_KEY})"))
                .execute(conn)
                .await?;
            let before: User = users::table
                .find(id)
                .select(User::as_select())
                .for_update()
                .first(conn)
                .await
                .optional()?
                .ok_or_else(|| AppError::not_found("user"))?;
            if before.version != version {
                return Err(AppError::PreconditionFailed {
                    current: serde_json::to_value(UserView::from(before)).unwrap_or_default(),
                    changed_by: None,
                });
            }
            let role = body
                .role
                .map_or(before.role.clone(), |r| r.as_str().to_string());
            let active = body.active.unwrap_or(before.active);
            if before.role == "admin" && before.active && (role != "admin" || !active) {
                let other_admins: i64 = users::table
                    .filter(users::role.eq("admin"))
                    .filter(users::active.eq(true))
                    .filter(users::id.ne(id))
                    .count()
                    .get_result(conn)
                    .await?;
                if other_admins == 0 {
                    return Err(AppError::Conflict {
                        detail: "This is the last active admin: make someone else admin first."
                            .into(),
                        extensions: Default::default(),
                    });
                }
            }
            let after: User = diesel::update(users::table.find(id))
                .set((
                    users::role.eq(&role),
                    users::active.eq(active),
                    users::display_name.eq(name.as_deref().unwrap_or(&before.display_name)),
                    users::updated_at.eq(diesel::dsl::now),
                    users::version.eq(users::version + 1),
                ))
                .returning(User::as_returning())
                .get_result(conn)
                .await?;
            let action = match (before.active, after.active) {
                (true, false) => "deactivate",
                (false, true) => "reactivate",
                _ if before.role != after.role => "change_role",
                _ => "update",
            };
            audit::record(
                conn,
                Some(admin.id),
                "user",
                id,
                action,
                Some(before.audit()),
                Some(after.audit()),
            )
            .await?;
            if before.active && !after.active {
                user_model::revoke_sessions(conn, id, None).await?;
                if before.role == "reviewer" {
                    notify_assigning_editors(conn, &state, &after).await?;
                }
            }
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(updated.version))
        .json(UserView::from(updated)))
}

/// (claim id, statement, status, due time) of a claim still being checked.
type OpenClaim = (Uuid, String, String, DateTime<Utc>);

/// One email per assigning editor listing the deactivated reviewer's open claims.
async fn notify_assigning_editors(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    reviewer: &User,
) -> AppResult<()> {
    let open: Vec<(Uuid, String, String, DateTime<Utc>, Uuid)> = assignments::table
        .inner_join(claims::table)
        .filter(assignments::reviewer_id.eq(reviewer.id))
        .filter(claims::status.ne_all(["approved", "published", "dropped"]))
        .select((
            claims::id,
            claims::statement,
            claims::status,
            assignments::due_at,
            assignments::assigned_by,
        ))
        .order(assignments::due_at.asc())
        .load(conn)
        .await?;
    let mut by_editor: BTreeMap<Uuid, Vec<OpenClaim>> = BTreeMap::new();
    for (claim_id, statement, status, due, editor) in open {
        by_editor
            .entry(editor)
            .or_default()
            .push((claim_id, statement, status, due));
    }
    let newsroom = newsroom_name(conn).await?;
    for (editor_id, claims) in by_editor {
        let editor: User = users::table
            .find(editor_id)
            .select(User::as_select())
            .first(conn)
            .await?;
        if !editor.active {
            continue;
        }
        let items: Vec<_> = claims
            .iter()
            .map(|(id, statement, status, due)| json!({
                "statement": statement, "status": status, "due": format_time(*due, &editor.time_zone),
                "link": format!("{}/claims/{id}", state.settings.public_base()),
            }))
            .collect();
        email::enqueue(
            conn,
            Email { recipient: &editor.email, cc: vec![], kind: "reviewer_deactivated", dedupe_key: None },
            json!({"display_name": editor.display_name, "newsroom": newsroom, "reviewer": reviewer.display_name, "claims": items}),
        )
        .await?;
    }
    Ok(())
}

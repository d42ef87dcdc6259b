//! Users.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use uuid::Uuid;

use crate::db::schema::{assignments, claims, sessions, users};
use crate::db::{Conn, contains_pattern, lower};
use crate::domain::page::Cursor;
use crate::domain::role::Role;
use crate::domain::workflow::Status;

/// A user row. Deliberately not `Serialize`: it carries the password hash.
#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: Option<String>,
    pub active: bool,
    pub time_zone: String,
    pub notify: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub version: i32,
}

/// What the audit log keeps of a user: never the hash.
#[derive(Serialize)]
pub struct AuditUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub active: bool,
}

impl User {
    pub fn audit(&self) -> AuditUser<'_> {
        AuditUser {
            email: &self.email,
            display_name: &self.display_name,
            role: self.role,
            active: self.active,
        }
    }
}

/// Whether the newsroom has any user yet.
pub async fn any(conn: &mut Conn) -> QueryResult<bool> {
    let n: i64 = users::table.count().get_result(conn).await?;
    Ok(n > 0)
}

pub async fn find(conn: &mut Conn, id: Uuid, lock: bool) -> QueryResult<Option<User>> {
    let q = users::table.find(id).select(User::as_select());
    if lock {
        q.for_update().first(conn).await.optional()
    } else {
        q.first(conn).await.optional()
    }
}

/// The user with this email, whatever its case.
pub async fn by_email(conn: &mut Conn, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(lower(users::email).eq(email.trim().to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn email_taken(conn: &mut Conn, email: &str) -> QueryResult<bool> {
    let n: i64 = users::table
        .filter(lower(users::email).eq(email.to_lowercase()))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

pub async fn display_name(conn: &mut Conn, id: Uuid) -> QueryResult<String> {
    users::table
        .find(id)
        .select(users::display_name)
        .first(conn)
        .await
}

/// The names of these users.
pub async fn names_of(conn: &mut Conn, ids: &[Uuid]) -> QueryResult<Vec<(Uuid, String)>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load(conn)
        .await
}

/// A new account: invited (no password yet) or with one.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: Option<&'a str>,
    pub time_zone: &'a str,
}

pub async fn insert(conn: &mut Conn, new: NewUser<'_>) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(new.email),
            users::display_name.eq(new.display_name),
            users::role.eq(new.role.as_str()),
            users::password_hash.eq(new.password_hash),
            users::active.eq(true),
            users::time_zone.eq(new.time_zone),
        ))
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

/// Stores a new password hash (bumping the version).
pub async fn set_password(
    conn: &mut Conn,
    user_id: Uuid,
    password_hash: &str,
) -> QueryResult<User> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(diesel::dsl::now),
            users::version.eq(users::version + 1),
        ))
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

pub async fn mark_login(conn: &mut Conn, user_id: Uuid) -> QueryResult<User> {
    diesel::update(users::table.find(user_id))
        .set(users::last_login_at.eq(diesel::dsl::now))
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

/// What an account holder changes of their own account.
pub async fn update_profile(
    conn: &mut Conn,
    id: Uuid,
    display_name: &str,
    time_zone: &str,
    notify: &serde_json::Value,
) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set((
            users::display_name.eq(display_name),
            users::time_zone.eq(time_zone),
            users::notify.eq(notify),
            users::updated_at.eq(diesel::dsl::now),
            users::version.eq(users::version + 1),
        ))
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

/// What an admin changes of an account.
pub async fn update_account(
    conn: &mut Conn,
    id: Uuid,
    role: Role,
    active: bool,
    display_name: &str,
) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set((
            users::role.eq(role.as_str()),
            users::active.eq(active),
            users::display_name.eq(display_name),
            users::updated_at.eq(diesel::dsl::now),
            users::version.eq(users::version + 1),
        ))
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

/// Active admins other than `except`.
pub async fn other_active_admins(conn: &mut Conn, except: Uuid) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::active.eq(true))
        .filter(users::id.ne(except))
        .count()
        .get_result(conn)
        .await
}

/// Active users among `ids`.
pub async fn active_among(conn: &mut Conn, ids: &[Uuid]) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::id.eq_any(ids))
        .filter(users::active.eq(true))
        .select(User::as_select())
        .load(conn)
        .await
}

/// A page of users, oldest first.
pub struct UserFilter<'a> {
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub text: Option<&'a str>,
    pub after: Option<Cursor>,
    pub limit: i64,
}

pub async fn list(conn: &mut Conn, f: UserFilter<'_>) -> QueryResult<Vec<User>> {
    let mut q = users::table.select(User::as_select()).into_boxed();
    if let Some(role) = f.role {
        q = q.filter(users::role.eq(role.as_str()));
    }
    if let Some(active) = f.active {
        q = q.filter(users::active.eq(active));
    }
    if let Some(text) = f.text {
        let pattern = contains_pattern(text);
        q = q.filter(
            users::email
                .ilike(pattern.clone())
                .or(users::display_name.ilike(pattern)),
        );
    }
    if let Some(c) = f.after {
        q = q.filter(
            users::created_at
                .gt(c.at)
                .or(users::created_at.eq(c.at).and(users::id.gt(c.id))),
        );
    }
    q.order((users::created_at.asc(), users::id.asc()))
        .limit(f.limit + 1)
        .load(conn)
        .await
}

/// Revokes the user's live sessions, but `keep` if given; returns how many.
pub async fn revoke_sessions(
    conn: &mut Conn,
    user_id: Uuid,
    keep: Option<Uuid>,
) -> QueryResult<usize> {
    let mut query = diesel::update(sessions::table)
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .into_boxed();
    if let Some(keep) = keep {
        query = query.filter(sessions::id.ne(keep));
    }
    query
        .set(sessions::revoked_at.eq(diesel::dsl::now))
        .execute(conn)
        .await
}

/// (claim id, statement, status, due time, assigning editor) of a reviewer's claims
/// that are still open.
pub async fn open_claims_of(
    conn: &mut Conn,
    reviewer: Uuid,
) -> QueryResult<Vec<(Uuid, String, Status, DateTime<Utc>, Uuid)>> {
    assignments::table
        .inner_join(claims::table)
        .filter(assignments::reviewer_id.eq(reviewer))
        .filter(claims::status.ne_all([
            Status::Approved.as_str(),
            Status::Published.as_str(),
            Status::Dropped.as_str(),
        ]))
        .select((
            claims::id,
            claims::statement,
            claims::status,
            assignments::due_at,
            assignments::assigned_by,
        ))
        .order(assignments::due_at.asc())
        .load(conn)
        .await
}

//! The notification inbox (see `domain::notifications`), and the people a notification
//! can go to, with what they chose.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::Value;
use uuid::Uuid;

use crate::db::Conn;
use crate::db::schema::{assignments, claims, notifications, users};
use crate::domain::notifications::Kind;
use crate::domain::page::Cursor;
use crate::domain::role::Role;

/// Someone a notification may go to.
#[derive(Queryable, Clone, Debug)]
pub struct Recipient {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub notify: Value,
}

type RecipientColumns = (
    users::id,
    users::email,
    users::display_name,
    users::role,
    users::notify,
);
const RECIPIENT: RecipientColumns = (
    users::id,
    users::email,
    users::display_name,
    users::role,
    users::notify,
);

/// These users, if active.
pub async fn recipients(conn: &mut Conn, ids: &[Uuid]) -> QueryResult<Vec<Recipient>> {
    users::table
        .filter(users::id.eq_any(ids))
        .filter(users::active.eq(true))
        .select(RECIPIENT)
        .load(conn)
        .await
}

/// The active reviewers assigned to a claim.
pub async fn claim_reviewers(conn: &mut Conn, claim_id: Uuid) -> QueryResult<Vec<Recipient>> {
    assignments::table
        .inner_join(users::table.on(users::id.eq(assignments::reviewer_id)))
        .filter(assignments::claim_id.eq(claim_id))
        .filter(users::active.eq(true))
        .select(RECIPIENT)
        .load(conn)
        .await
}

/// The active editors (and admins) who assigned a claim's reviewers.
pub async fn assigning_editors(conn: &mut Conn, claim_id: Uuid) -> QueryResult<Vec<Recipient>> {
    assignments::table
        .inner_join(users::table.on(users::id.eq(assignments::assigned_by)))
        .filter(assignments::claim_id.eq(claim_id))
        .filter(users::active.eq(true))
        .select(RECIPIENT)
        .distinct()
        .load(conn)
        .await
}

/// Every active editor and admin.
pub async fn editors(conn: &mut Conn) -> QueryResult<Vec<Recipient>> {
    users::table
        .filter(users::role.eq_any([Role::Editor.as_str(), Role::Admin.as_str()]))
        .filter(users::active.eq(true))
        .select(RECIPIENT)
        .load(conn)
        .await
}

/// Every active admin.
pub async fn admins(conn: &mut Conn) -> QueryResult<Vec<Recipient>> {
    users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::active.eq(true))
        .select(RECIPIENT)
        .load(conn)
        .await
}

/// The people who may see a claim: the active editors and admins, and its reviewers.
pub async fn who_may_see(conn: &mut Conn, claim_id: Uuid) -> QueryResult<Vec<Recipient>> {
    let mut people = editors(conn).await?;
    for r in claim_reviewers(conn, claim_id).await? {
        if !people.iter().any(|p| p.id == r.id) {
            people.push(r);
        }
    }
    Ok(people)
}

pub struct NewNotification<'a> {
    pub user_id: Uuid,
    pub kind: Kind,
    pub actor_id: Option<Uuid>,
    pub claim_id: Option<Uuid>,
    pub error_report_id: Option<Uuid>,
    pub subject: &'a str,
    pub link: &'a str,
    pub dedupe_key: Option<&'a str>,
}

/// Writes one notification; `None` when its dedupe key was used already.
pub async fn insert(conn: &mut Conn, n: NewNotification<'_>) -> QueryResult<Option<Uuid>> {
    diesel::insert_into(notifications::table)
        .values((
            notifications::user_id.eq(n.user_id),
            notifications::kind.eq(n.kind),
            notifications::actor_id.eq(n.actor_id),
            notifications::claim_id.eq(n.claim_id),
            notifications::error_report_id.eq(n.error_report_id),
            notifications::subject.eq(n.subject),
            notifications::link.eq(n.link),
            notifications::dedupe_key.eq(n.dedupe_key),
        ))
        .on_conflict_do_nothing()
        .returning(notifications::id)
        .get_result(conn)
        .await
        .optional()
}

#[derive(Queryable, Debug)]
pub struct NotificationRow {
    pub id: Uuid,
    pub kind: Kind,
    pub actor_name: Option<String>,
    pub claim_id: Option<Uuid>,
    pub error_report_id: Option<Uuid>,
    pub subject: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// One page of a user's inbox, newest first (one more than `limit` when more exist).
pub async fn page(
    conn: &mut Conn,
    user_id: Uuid,
    unread_only: bool,
    after: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    let mut query = notifications::table
        .left_join(users::table.on(users::id.nullable().eq(notifications::actor_id)))
        .filter(notifications::user_id.eq(user_id))
        .into_boxed();
    if unread_only {
        query = query.filter(notifications::read_at.is_null());
    }
    if let Some(c) = after {
        query = query.filter(
            notifications::created_at
                .lt(c.at)
                .or(notifications::created_at
                    .eq(c.at)
                    .and(notifications::id.lt(c.id))),
        );
    }
    query
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .limit(limit + 1)
        .select((
            notifications::id,
            notifications::kind,
            users::display_name.nullable(),
            notifications::claim_id,
            notifications::error_report_id,
            notifications::subject,
            notifications::link,
            notifications::created_at,
            notifications::read_at,
        ))
        .load(conn)
        .await
}

pub async fn unread_count(conn: &mut Conn, user_id: Uuid) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
        .await
}

/// Marks a user's notifications read: those named, or all of them.
pub async fn mark_read(conn: &mut Conn, user_id: Uuid, ids: Option<&[Uuid]>) -> QueryResult<usize> {
    let mine = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null());
    match ids {
        Some(ids) => {
            diesel::update(mine.filter(notifications::id.eq_any(ids)))
                .set(notifications::read_at.eq(Utc::now()))
                .execute(conn)
                .await
        }
        None => {
            diesel::update(mine)
                .set(notifications::read_at.eq(Utc::now()))
                .execute(conn)
                .await
        }
    }
}

/// A claim's statement, for a notification's subject.
pub async fn statement(conn: &mut Conn, claim_id: Uuid) -> QueryResult<String> {
    claims::table
        .find(claim_id)
        .select(claims::statement)
        .first(conn)
        .await
}

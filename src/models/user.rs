use chrono::{DateTime, Utc};
use diesel::{
    ExpressionMethods, Identifiable, Insertable, QueryDsl, Queryable, Selectable, SelectableHelper,
};
use serde::Serialize;
use uuid::Uuid;

use crate::schema::users;

/// A user row. Deliberately not `Serialize`: it carries the password hash.
#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub active: bool,
    pub time_zone: String,
    pub notify: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub version: i32,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub password_hash: Option<&'a str>,
    pub active: bool,
    pub time_zone: &'a str,
}

/// What the audit log keeps of a user: never the hash.
#[derive(Serialize)]
pub struct AuditUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub active: bool,
}

impl User {
    pub fn audit(&self) -> serde_json::Value {
        serde_json::to_value(AuditUser {
            email: &self.email,
            display_name: &self.display_name,
            role: &self.role,
            active: self.active,
        })
        .unwrap_or_default()
    }
}

/// An active account with a password, audited; refuses an email in use.
pub async fn create_with_password(
    conn: &mut diesel_async::AsyncPgConnection,
    email: &str,
    display_name: &str,
    role: crate::auth::role::Role,
    password_hash: &str,
) -> anyhow::Result<Uuid> {
    use crate::auth::throttle::lower;
    use diesel_async::{AsyncConnection, RunQueryDsl};
    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        let taken: i64 = users::table
            .filter(lower(users::email).eq(email.to_lowercase()))
            .count()
            .get_result(conn)
            .await?;
        anyhow::ensure!(taken == 0, "{email} has an account already");
        let time_zone: String = crate::schema::settings::table
            .select(crate::schema::settings::default_time_zone)
            .first(conn)
            .await?;
        let user: User = diesel::insert_into(users::table)
            .values(NewUser {
                email,
                display_name,
                role: role.as_str(),
                password_hash: Some(password_hash),
                active: true,
                time_zone: &time_zone,
            })
            .returning(User::as_returning())
            .get_result(conn)
            .await?;
        crate::models::audit::record(
            conn,
            None,
            "user",
            user.id,
            "create",
            None,
            Some(user.audit()),
        )
        .await?;
        Ok(user.id)
    })
    .await
}

/// Stores a new password hash (bumping the version).
pub async fn set_password(
    conn: &mut diesel_async::AsyncPgConnection,
    user_id: Uuid,
    password_hash: &str,
) -> diesel::QueryResult<()> {
    use diesel_async::RunQueryDsl;
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(diesel::dsl::now),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Revokes the user's live sessions, but `keep` if given; returns how many.
pub async fn revoke_sessions(
    conn: &mut diesel_async::AsyncPgConnection,
    user_id: Uuid,
    keep: Option<Uuid>,
) -> diesel::QueryResult<usize> {
    use crate::schema::sessions;
    use diesel_async::RunQueryDsl;
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

//! What the scheduler reads: assignments coming due or past due, and the reviewers
//! whose daily digest may be due, with their open claims.

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{Bool, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::db::Conn;
use crate::domain::workflow::{AWAITING_REVIEWER, OPEN_STATUSES, sql_list};

/// An assignment with what its email needs.
#[derive(QueryableByName)]
pub struct Due {
    #[diesel(sql_type = SqlUuid)]
    pub assignment_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub reviewer_id: Uuid,
    /// The assigning editor, while still active.
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub editor_id: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    pub due_at: DateTime<Utc>,
    #[diesel(sql_type = SqlUuid)]
    pub claim_id: Uuid,
    #[diesel(sql_type = Text)]
    pub statement: String,
    #[diesel(sql_type = Text)]
    pub article: String,
    #[diesel(sql_type = Text)]
    pub email: String,
    #[diesel(sql_type = Text)]
    pub display_name: String,
    #[diesel(sql_type = Text)]
    pub time_zone: String,
    /// The assigning editor, while still active.
    #[diesel(sql_type = Nullable<Text>)]
    pub editor_email: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub editor_name: Option<String>,
}

fn due_select() -> String {
    format!(
        "SELECT a.id AS assignment_id, a.reviewer_id, CASE WHEN e.active THEN e.id END AS editor_id, \
         a.due_at, c.id AS claim_id, c.statement, ar.title AS article, \
         u.email, u.display_name, u.time_zone, \
         CASE WHEN e.active THEN e.email END AS editor_email, e.display_name AS editor_name \
         FROM assignments a JOIN claims c ON c.id = a.claim_id JOIN articles ar ON ar.id = c.article_id \
         JOIN users u ON u.id = a.reviewer_id JOIN users e ON e.id = a.assigned_by \
         WHERE c.status IN ({}) AND u.active",
        sql_list(&AWAITING_REVIEWER)
    )
}

/// Assignments due within `window_secs` whose reviewer wants reminders and has been
/// told of none for this due time (`kind:assignment:epoch` is the outbox's dedupe key,
/// and with `:user` the in-app notification's). An
/// assignment made inside the window gets none: its own email told the due time.
pub async fn coming_due(
    conn: &mut Conn,
    kind: &str,
    window_secs: u64,
    limit: i64,
) -> diesel::QueryResult<Vec<Due>> {
    diesel::sql_query(format!(
        "{} AND coalesce((u.notify->>'reminders')::boolean, true) \
         AND a.due_at > now() AND a.due_at <= now() + $1::interval \
         AND a.assigned_at < a.due_at - $1::interval \
         AND NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.dedupe_key = $2 || ':' || a.id || ':' || extract(epoch FROM a.due_at)::bigint) \
         AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = $2 || ':' || a.id || ':' || extract(epoch FROM a.due_at)::bigint || ':' || u.id) \
         LIMIT $3",
        due_select()
    ))
    .bind::<Text, _>(format!("{window_secs} seconds"))
    .bind::<Text, _>(kind)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)
    .await
}

/// Assignments past their due time with no notice queued for it.
pub async fn past_due(conn: &mut Conn, kind: &str, limit: i64) -> diesel::QueryResult<Vec<Due>> {
    diesel::sql_query(format!(
        "{} AND a.due_at <= now() \
         AND NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.dedupe_key = $1 || ':' || a.id || ':' || extract(epoch FROM a.due_at)::bigint) \
         AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = $1 || ':' || a.id || ':' || extract(epoch FROM a.due_at)::bigint || ':' || u.id) \
         LIMIT $2",
        due_select()
    ))
    .bind::<Text, _>(kind)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)
    .await
}

#[derive(QueryableByName)]
pub struct Reader {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub email: String,
    #[diesel(sql_type = Text)]
    pub display_name: String,
    #[diesel(sql_type = Text)]
    pub time_zone: String,
}

/// Active reviewers who want the digest and have an open claim.
pub async fn digest_readers(conn: &mut Conn) -> diesel::QueryResult<Vec<Reader>> {
    diesel::sql_query(format!(
        "SELECT u.id, u.email, u.display_name, u.time_zone FROM users u \
         WHERE u.role = 'reviewer' AND u.active AND coalesce((u.notify->>'digest')::boolean, true) \
         AND EXISTS (SELECT 1 FROM assignments a JOIN claims c ON c.id = a.claim_id \
                     WHERE a.reviewer_id = u.id AND c.status IN ({}))",
        sql_list(&OPEN_STATUSES)
    ))
    .load(conn)
    .await
}

#[derive(QueryableByName)]
pub struct OpenClaim {
    #[diesel(sql_type = SqlUuid)]
    pub claim_id: Uuid,
    #[diesel(sql_type = Text)]
    pub statement: String,
    #[diesel(sql_type = Text)]
    pub status: crate::domain::workflow::Status,
    #[diesel(sql_type = Timestamptz)]
    pub due_at: DateTime<Utc>,
    #[diesel(sql_type = Bool)]
    pub overdue: bool,
}

/// A reviewer's open claims, soonest due first.
pub async fn open_claims_of(
    conn: &mut Conn,
    reviewer: Uuid,
    limit: i64,
) -> diesel::QueryResult<Vec<OpenClaim>> {
    diesel::sql_query(format!(
        "SELECT c.id AS claim_id, c.statement, c.status, a.due_at, a.due_at < now() AS overdue \
         FROM assignments a JOIN claims c ON c.id = a.claim_id \
         WHERE a.reviewer_id = $1 AND c.status IN ({}) ORDER BY a.due_at LIMIT $2",
        sql_list(&OPEN_STATUSES)
    ))
    .bind::<SqlUuid, _>(reviewer)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)
    .await
}

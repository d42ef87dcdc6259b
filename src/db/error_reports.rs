//! Readers' error reports as the editors' inbox: the report with its page, article and
//! claim, its status, the correction it led to, and the replies sent to the reader.

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::db::Conn;

/// One report with what the inbox shows around it.
#[derive(Clone, Debug, QueryableByName)]
pub struct ReportRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Text)]
    pub message: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub contact: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub handled_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Integer)]
    pub version: i32,
    #[diesel(sql_type = SqlUuid)]
    pub publication_id: Uuid,
    #[diesel(sql_type = Text)]
    pub slug: String,
    #[diesel(sql_type = Text)]
    pub headline: String,
    #[diesel(sql_type = SqlUuid)]
    pub article_id: Uuid,
    #[diesel(sql_type = Text)]
    pub article_title: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub claim_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub claim_statement: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub correction_id: Option<Uuid>,
}

const SELECT: &str =
    "SELECT r.id, r.status, r.message, r.contact, r.created_at, r.handled_at, r.version,
        p.id AS publication_id, p.slug, p.headline, a.id AS article_id, a.title AS article_title,
        r.claim_id, c.statement AS claim_statement, r.correction_id
    FROM error_reports r
    JOIN publications p ON p.id = r.publication_id
    JOIN articles a ON a.id = p.article_id
    LEFT JOIN claims c ON c.id = r.claim_id";

/// Newest first, of one status or all, after the cursor `(created_at, id)`.
pub async fn list(
    conn: &mut Conn,
    status: Option<&str>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> diesel::QueryResult<Vec<ReportRow>> {
    diesel::sql_query(format!(
        "{SELECT}
         WHERE ($1::text IS NULL OR r.status = $1)
           AND ($2::timestamptz IS NULL OR (r.created_at, r.id) < ($2, $3))
         ORDER BY r.created_at DESC, r.id DESC
         LIMIT $4"
    ))
    .bind::<Nullable<Text>, _>(status)
    .bind::<Nullable<Timestamptz>, _>(after.map(|a| a.0))
    .bind::<Nullable<SqlUuid>, _>(after.map(|a| a.1))
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

pub async fn find(conn: &mut Conn, id: Uuid, lock: bool) -> diesel::QueryResult<Option<ReportRow>> {
    use diesel::OptionalExtension;
    diesel::sql_query(format!(
        "{SELECT} WHERE r.id = $1{}",
        if lock { " FOR UPDATE OF r" } else { "" }
    ))
    .bind::<SqlUuid, _>(id)
    .get_result(conn)
    .await
    .optional()
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// How many reports wait for an editor (status `new`).
pub async fn count_new(conn: &mut Conn) -> diesel::QueryResult<i64> {
    let c: Count =
        diesel::sql_query("SELECT count(*) AS n FROM error_reports WHERE status = 'new'")
            .get_result(conn)
            .await?;
    Ok(c.n)
}

/// Sets the status and the correction; `handled_at` is when it first left `new`.
pub async fn update(
    conn: &mut Conn,
    id: Uuid,
    status: &str,
    correction_id: Option<Uuid>,
) -> diesel::QueryResult<()> {
    diesel::sql_query(
        "UPDATE error_reports SET status = $2, correction_id = $3, version = version + 1,
            handled_at = CASE WHEN $2 = 'new' THEN NULL ELSE coalesce(handled_at, now()) END
         WHERE id = $1",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(status)
    .bind::<Nullable<SqlUuid>, _>(correction_id)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, QueryableByName)]
pub struct ReplyRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub report_id: Uuid,
    #[diesel(sql_type = Text)]
    pub author_name: String,
    #[diesel(sql_type = Text)]
    pub body: String,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
}

/// The replies to these reports, oldest first.
pub async fn replies(conn: &mut Conn, report_ids: &[Uuid]) -> diesel::QueryResult<Vec<ReplyRow>> {
    diesel::sql_query(
        "SELECT x.id, x.report_id, u.display_name AS author_name, x.body, x.created_at
         FROM error_report_replies x JOIN users u ON u.id = x.author_id
         WHERE x.report_id = ANY($1) ORDER BY x.created_at, x.id",
    )
    .bind::<diesel::sql_types::Array<SqlUuid>, _>(report_ids)
    .load(conn)
    .await
}

pub async fn insert_reply(
    conn: &mut Conn,
    report_id: Uuid,
    author_id: Uuid,
    body: &str,
) -> diesel::QueryResult<Uuid> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    let row: Id = diesel::sql_query(
        "INSERT INTO error_report_replies (report_id, author_id, body) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind::<SqlUuid, _>(report_id)
    .bind::<SqlUuid, _>(author_id)
    .bind::<Text, _>(body)
    .get_result(conn)
    .await?;
    Ok(row.id)
}

#[derive(Clone, Debug, QueryableByName)]
pub struct CorrectionRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub publication_id: Uuid,
    #[diesel(sql_type = Text)]
    pub note: String,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
}

/// The corrections of these publications, newest first (a report may be linked to one).
pub async fn corrections(
    conn: &mut Conn,
    publication_ids: &[Uuid],
) -> diesel::QueryResult<Vec<CorrectionRow>> {
    diesel::sql_query(
        "SELECT id, publication_id, note, created_at FROM corrections
         WHERE publication_id = ANY($1) ORDER BY created_at DESC, id",
    )
    .bind::<diesel::sql_types::Array<SqlUuid>, _>(publication_ids)
    .load(conn)
    .await
}

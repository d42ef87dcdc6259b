//! Similar earlier claims: trigram similarity of statements among candidates that share
//! three words with the text (a GIN-indexed sketch), or for short texts full-text search.

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Double, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::{Conn, sketch};
use crate::domain::workflow::Status;

/// How alike two statements must be (pg_trgm similarity, 0 to 1) to be shown.
pub const THRESHOLD: f64 = 0.3;
pub const LIMIT: i64 = 10;
/// How many candidates from the index are ranked by trigram similarity.
pub const CANDIDATES: i64 = 200;

#[derive(Debug, Serialize, QueryableByName, ToSchema)]
pub struct SimilarClaim {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub statement: String,
    #[diesel(sql_type = Text)]
    pub status: Status,
    /// 0 to 1.
    #[diesel(sql_type = Double)]
    pub similarity: f64,
    #[diesel(sql_type = SqlUuid)]
    pub article_id: Uuid,
    #[diesel(sql_type = Text)]
    pub article_title: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub rating: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub rating_label: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub summary: Option<String>,
    /// When its verdict was approved.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub checked_at: Option<DateTime<Utc>>,
    /// The public page, when it was published.
    #[diesel(sql_type = Nullable<Text>)]
    pub public_url: Option<String>,
}

/// Claims like `text`, best first, excluding `exclude`; for a reviewer only published
/// claims and their own.
/// `everyone`: the caller sees every claim (an editor); otherwise only published ones
/// and those assigned to `caller`.
pub async fn find(
    conn: &mut Conn,
    everyone: bool,
    caller: Uuid,
    text: &str,
    exclude: Option<Uuid>,
    public_base: &str,
) -> diesel::QueryResult<Vec<SimilarClaim>> {
    let sketch = sketch::search_sketch(text);
    // Candidates: claims sharing three words with the text (the sketch's GIN index), or
    // for a text too short to sketch, claims with all its words (full-text search).
    let candidates = if sketch.is_empty() {
        "c.search @@ plainto_tsquery('english', $1)"
    } else {
        "c.statement_sketch && $8"
    };
    // At most CANDIDATES are ranked: they all share three rare words with the text, so
    // the best of them are the claims an editor means, and the cost stays bounded when
    // the desk has checked many claims worded alike.
    diesel::sql_query(format!(
        "WITH candidates AS MATERIALIZED ( \
           SELECT c.id, c.statement, c.status, c.article_id, c.ever_published, c.created_at \
           FROM claims c \
           WHERE {candidates} AND c.id IS DISTINCT FROM $4 \
             AND ($5 OR c.ever_published OR EXISTS (SELECT 1 FROM assignments s WHERE s.claim_id = c.id AND s.reviewer_id = $6)) \
           LIMIT $9), \
         ranked AS MATERIALIZED ( \
           SELECT k.*, similarity(k.statement, $1)::float8 AS similarity FROM candidates k) \
         SELECT c.id, c.statement, c.status, c.similarity, \
                c.article_id, a.title AS article_title, v.rating, r.label AS rating_label, v.summary, \
                v.approved_at AS checked_at, \
                CASE WHEN c.ever_published AND p.slug IS NOT NULL THEN $2 || '/p/' || p.slug || '#claim-' || c.id END AS public_url \
         FROM ranked c JOIN articles a ON a.id = c.article_id \
         LEFT JOIN LATERAL (SELECT * FROM verdicts vv WHERE vv.claim_id = c.id AND vv.state = 'approved' LIMIT 1) v ON true \
         LEFT JOIN rating_scale r ON r.key = v.rating \
         LEFT JOIN publications p ON p.article_id = c.article_id AND p.unpublished_at IS NULL \
         WHERE c.similarity >= $3 \
         ORDER BY c.similarity DESC, c.created_at DESC LIMIT $7"
    ))
    .bind::<Text, _>(text)
    .bind::<Text, _>(public_base)
    .bind::<Double, _>(THRESHOLD)
    .bind::<Nullable<SqlUuid>, _>(exclude)
    .bind::<diesel::sql_types::Bool, _>(everyone)
    .bind::<SqlUuid, _>(caller)
    .bind::<BigInt, _>(LIMIT)
    .bind::<diesel::sql_types::Array<BigInt>, _>(sketch)
    .bind::<BigInt, _>(CANDIDATES)
    .load(conn)
    .await
}

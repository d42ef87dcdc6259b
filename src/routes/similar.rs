//! Similar earlier claims: what the desk already checked that reads like this one.
//! Trigram similarity of statements (pg_trgm, GIN index); a reviewer sees only claims
//! already published and their own.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Double, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::session::CurrentUser;
use crate::error::AppResult;
use crate::models::{claim, sketch};
use crate::routes::resource;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/claims/{id}/similar", GET => similar_claims);
}

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
    pub status: String,
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
pub async fn find(
    conn: &mut AsyncPgConnection,
    caller: &CurrentUser,
    text: &str,
    exclude: Option<Uuid>,
    public_base: &str,
) -> diesel::QueryResult<Vec<SimilarClaim>> {
    let everyone = policy::may_see_all_claims(caller);
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
    .bind::<SqlUuid, _>(caller.id)
    .bind::<BigInt, _>(LIMIT)
    .bind::<diesel::sql_types::Array<BigInt>, _>(sketch)
    .bind::<BigInt, _>(CANDIDATES)
    .load(conn)
    .await
}

/// Earlier claims whose statements read like this one's, with their verdicts and
/// publication links.
#[utoipa::path(get, path = "/api/v1/claims/{id}/similar", tag = "claims", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<SimilarClaim>), (status = 404)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn similar_claims(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut conn = state.db().await?;
    let (c, _) = claim::find_visible(&mut conn, &user, id, false).await?;
    let found = find(
        &mut conn,
        &user,
        &c.statement,
        Some(c.id),
        &state.settings.public_base(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(found))
}

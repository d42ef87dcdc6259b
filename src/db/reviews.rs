//! Independent reviews: each reviewer's proposals for a claim, every one kept.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use uuid::Uuid;

use crate::db::Conn;
use crate::db::schema::{assignments, reviews, users};

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = reviews)]
pub struct Review {
    pub id: Uuid,
    pub claim_id: Uuid,
    pub reviewer_id: Uuid,
    pub rating: Option<String>,
    pub summary: String,
    pub explanation: String,
    /// draft, submitted, returned, chosen or passed.
    pub state: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// Every proposal on these claims, oldest first, with its reviewer's name.
pub async fn of_claims(conn: &mut Conn, claim_ids: &[Uuid]) -> QueryResult<Vec<(Review, String)>> {
    reviews::table
        .inner_join(users::table.on(users::id.eq(reviews::reviewer_id)))
        .filter(reviews::claim_id.eq_any(claim_ids))
        .order((reviews::created_at.asc(), reviews::id.asc()))
        .select((Review::as_select(), users::display_name))
        .load(conn)
        .await
}

/// The reviewer's open proposal (draft or submitted), locked for update.
pub async fn open_of(
    conn: &mut Conn,
    claim_id: Uuid,
    reviewer_id: Uuid,
) -> QueryResult<Option<Review>> {
    reviews::table
        .filter(reviews::claim_id.eq(claim_id))
        .filter(reviews::reviewer_id.eq(reviewer_id))
        .filter(reviews::state.eq_any(["draft", "submitted"]))
        .select(Review::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// The reviewer's latest proposal of any state (what a new draft starts from).
pub async fn latest_of(
    conn: &mut Conn,
    claim_id: Uuid,
    reviewer_id: Uuid,
) -> QueryResult<Option<Review>> {
    reviews::table
        .filter(reviews::claim_id.eq(claim_id))
        .filter(reviews::reviewer_id.eq(reviewer_id))
        .order((reviews::created_at.desc(), reviews::id.desc()))
        .select(Review::as_select())
        .first(conn)
        .await
        .optional()
}

/// Which of the claim's reviewers have a submitted proposal on it now.
pub async fn submitted_by(conn: &mut Conn, claim_id: Uuid) -> QueryResult<Vec<Uuid>> {
    let assigned = assignments::table
        .filter(assignments::claim_id.eq(claim_id))
        .select(assignments::reviewer_id);
    reviews::table
        .filter(reviews::claim_id.eq(claim_id))
        .filter(reviews::state.eq("submitted"))
        .filter(reviews::reviewer_id.eq_any(assigned))
        .select(reviews::reviewer_id)
        .load(conn)
        .await
}

pub async fn find(conn: &mut Conn, claim_id: Uuid, id: Uuid) -> QueryResult<Option<Review>> {
    reviews::table
        .filter(reviews::claim_id.eq(claim_id))
        .filter(reviews::id.eq(id))
        .select(Review::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

pub async fn insert_draft(
    conn: &mut Conn,
    claim_id: Uuid,
    reviewer_id: Uuid,
    rating: Option<&str>,
    summary: &str,
    explanation: &str,
) -> QueryResult<Review> {
    diesel::insert_into(reviews::table)
        .values((
            reviews::claim_id.eq(claim_id),
            reviews::reviewer_id.eq(reviewer_id),
            reviews::rating.eq(rating),
            reviews::summary.eq(summary),
            reviews::explanation.eq(explanation),
        ))
        .returning(Review::as_returning())
        .get_result(conn)
        .await
}

pub async fn update_draft(
    conn: &mut Conn,
    id: Uuid,
    rating: Option<&str>,
    summary: &str,
    explanation: &str,
) -> QueryResult<Review> {
    diesel::update(reviews::table.find(id))
        .set((
            reviews::rating.eq(rating),
            reviews::summary.eq(summary),
            reviews::explanation.eq(explanation),
            reviews::updated_at.eq(diesel::dsl::now),
            reviews::version.eq(reviews::version + 1),
        ))
        .returning(Review::as_returning())
        .get_result(conn)
        .await
}

/// Moves a proposal to `state`: submitting stamps `submitted_at`, a return to draft
/// (withdrawing it) clears it, other moves keep it.
pub async fn set_state(conn: &mut Conn, id: Uuid, state: &str) -> QueryResult<Review> {
    use diesel::dsl::now;
    let row = reviews::table.find(id);
    let common = (
        reviews::state.eq(state),
        reviews::updated_at.eq(now),
        reviews::version.eq(reviews::version + 1),
    );
    match state {
        "submitted" => {
            diesel::update(row)
                .set((common, reviews::submitted_at.eq(Some(Utc::now()))))
                .returning(Review::as_returning())
                .get_result(conn)
                .await
        }
        "draft" => {
            diesel::update(row)
                .set((common, reviews::submitted_at.eq(None::<DateTime<Utc>>)))
                .returning(Review::as_returning())
                .get_result(conn)
                .await
        }
        _ => {
            diesel::update(row)
                .set(common)
                .returning(Review::as_returning())
                .get_result(conn)
                .await
        }
    }
}

/// Moves every proposal of the claim in `from` to `to` (of `reviewers` only, when given).
pub async fn move_all(
    conn: &mut Conn,
    claim_id: Uuid,
    from: &str,
    to: &str,
    reviewers: Option<&[Uuid]>,
) -> QueryResult<Vec<Review>> {
    let mut q = diesel::update(reviews::table)
        .filter(reviews::claim_id.eq(claim_id))
        .filter(reviews::state.eq(from))
        .into_boxed();
    if let Some(ids) = reviewers {
        q = q.filter(reviews::reviewer_id.eq_any(ids));
    }
    q.set((
        reviews::state.eq(to),
        reviews::updated_at.eq(diesel::dsl::now),
        reviews::version.eq(reviews::version + 1),
    ))
    .returning(Review::as_returning())
    .get_results(conn)
    .await
}

/// For the agreement statistics: each reviewer's first submitted proposal per claim,
/// on claims with at least two, whose last such proposal falls in [from, to).
#[derive(QueryableByName)]
pub struct FirstRating {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub claim_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub reviewer_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub rating: String,
}

pub async fn first_ratings(
    conn: &mut Conn,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> QueryResult<Vec<FirstRating>> {
    diesel::sql_query(
        "WITH firsts AS ( \
           SELECT DISTINCT ON (claim_id, reviewer_id) claim_id, reviewer_id, rating, submitted_at \
           FROM reviews WHERE submitted_at IS NOT NULL AND rating IS NOT NULL \
           ORDER BY claim_id, reviewer_id, submitted_at, id), \
         doubly AS ( \
           SELECT claim_id FROM firsts GROUP BY claim_id \
           HAVING count(*) >= 2 AND ($1::timestamptz IS NULL OR max(submitted_at) >= $1) \
              AND ($2::timestamptz IS NULL OR max(submitted_at) < $2)) \
         SELECT f.claim_id, f.reviewer_id, f.rating FROM firsts f JOIN doubly d USING (claim_id) \
         ORDER BY f.claim_id, f.reviewer_id",
    )
    .bind::<diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>, _>(from)
    .bind::<diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>, _>(to)
    .load(conn)
    .await
}

//! The verdict scale.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::Conn;
use crate::db::schema::{rating_scale, reviews, verdicts};

#[derive(Clone, Debug, Serialize, Deserialize, Queryable, Selectable, Insertable, ToSchema)]
#[diesel(table_name = rating_scale)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// Lower-case letters, digits and underscores, such as `mostly_false`.
    #[schema(pattern = "^[a-z][a-z0-9_]{0,39}$")]
    pub key: String,
    #[schema(
        max_length = 60,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub label: String,
    /// Sort order.
    pub ordinal: i32,
    /// 1 (false) to 5 (true) for ClaimReview; null for off-scale labels such as "Misleading".
    #[schema(minimum = 1, maximum = 5)]
    pub claim_review_value: Option<i16>,
    /// `#rrggbb`.
    #[schema(pattern = "^#[0-9a-fA-F]{6}$")]
    pub color: String,
    #[serde(default)]
    #[schema(
        max_length = 5000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub description: String,
}

pub async fn load(conn: &mut Conn) -> QueryResult<Vec<Rating>> {
    rating_scale::table
        .order(rating_scale::ordinal.asc())
        .select(Rating::as_select())
        .load(conn)
        .await
}

pub async fn key_exists(conn: &mut Conn, key: &str) -> QueryResult<bool> {
    let n: i64 = rating_scale::table
        .filter(rating_scale::key.eq(key))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

/// Locks the scale for a replacement.
pub async fn lock(conn: &mut Conn) -> QueryResult<()> {
    diesel::sql_query("LOCK TABLE rating_scale IN EXCLUSIVE MODE")
        .execute(conn)
        .await
        .map(drop)
}

/// Which of `keys` some verdict or independent review uses.
pub async fn in_use(conn: &mut Conn, keys: &[String]) -> QueryResult<Vec<String>> {
    let mut used: Vec<String> = verdicts::table
        .filter(verdicts::rating.eq_any(keys))
        .select(verdicts::rating.assume_not_null())
        .distinct()
        .load(conn)
        .await?;
    let by_reviews: Vec<String> = reviews::table
        .filter(reviews::rating.eq_any(keys))
        .select(reviews::rating.assume_not_null())
        .distinct()
        .load(conn)
        .await?;
    used.extend(by_reviews);
    used.sort();
    used.dedup();
    Ok(used)
}

/// Removes `removed` and writes every rating of `scale` (inserted or updated).
pub async fn replace(conn: &mut Conn, removed: &[String], scale: &[Rating]) -> QueryResult<()> {
    diesel::delete(rating_scale::table.filter(rating_scale::key.eq_any(removed)))
        .execute(conn)
        .await?;
    for r in scale {
        diesel::insert_into(rating_scale::table)
            .values(r)
            .on_conflict(rating_scale::key)
            .do_update()
            .set((
                rating_scale::label.eq(&r.label),
                rating_scale::ordinal.eq(r.ordinal),
                rating_scale::claim_review_value.eq(r.claim_review_value),
                rating_scale::color.eq(&r.color),
                rating_scale::description.eq(&r.description),
            ))
            .execute(conn)
            .await?;
    }
    Ok(())
}

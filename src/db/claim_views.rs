//! The rows a claim's view is read from: the claim with its article's title, its
//! reviewers and its draft and current verdicts, as arrays of rows in PostgreSQL's
//! binary format, so a whole list is one statement (see `app::claim_view`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::pg::sql_types::Record;
use diesel::sql_types::{Array, Bool, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use diesel::sql_types::BigInt;

use crate::db::Conn;
use crate::db::cached::Cached;
use crate::db::claims::{CLAIM_COLUMNS, Claim, PRIORITY_RANK_SQL};
use crate::domain::page::{Cursor, MAX_LIMIT};
use crate::domain::workflow::{OPEN_STATUSES, Status, VerdictState, sql_list};

/// The select-list columns of [`ClaimExtras`] for the row `claims`: the article's
/// title, the claim's reviewers and its draft and current verdicts, as arrays of rows
/// that [`assemble`] reads in PostgreSQL's binary format. Put into a claim query, they
/// make the whole list one statement; `$explanation` is the verdicts' explanation
/// (left out of lists).
macro_rules! extras_columns {
    ($explanation:literal) => {
        concat!(
            "coalesce((SELECT ar.title FROM articles ar WHERE ar.id = claims.article_id), '') AS view_article_title, ",
            "(SELECT array_agg(ROW(x.id, x.reviewer_id, u.display_name, u.active, x.assigned_by, x.assigned_at, ",
            "x.due_at, x.note, x.version)) ",
            "FROM assignments x JOIN users u ON u.id = x.reviewer_id WHERE x.claim_id = claims.id) AS view_assignments, ",
            "(SELECT array_agg(ROW(v.id, v.rating, v.summary, ",
            $explanation,
            ", v.author_id, v.state, v.submitted_at, v.approved_by, v.approved_at, v.updated_at, v.version)) ",
            "FROM verdicts v WHERE v.claim_id = claims.id AND v.state IN ('draft', 'submitted', 'approved')) AS view_verdicts, ",
            "ARRAY(SELECT r.reviewer_id FROM reviews r WHERE r.claim_id = claims.id AND r.state = 'submitted') AS view_reviews_submitted"
        )
    };
}

/// [`ClaimExtras`]'s columns for lists (no verdict explanations).
pub const LIST_EXTRAS_COLUMNS: &str = extras_columns!("NULL::text");
pub const DETAIL_EXTRAS_COLUMNS: &str = extras_columns!("v.explanation");

type AssignmentRecord = Record<(
    SqlUuid,
    SqlUuid,
    Text,
    Bool,
    SqlUuid,
    Timestamptz,
    Timestamptz,
    Text,
    Integer,
)>;
type VerdictRecord = Record<(
    SqlUuid,
    Nullable<Text>,
    Text,
    Nullable<Text>,
    SqlUuid,
    Text,
    Nullable<Timestamptz>,
    Nullable<SqlUuid>,
    Nullable<Timestamptz>,
    Timestamptz,
    Integer,
)>;

/// id, reviewer, reviewer's name, reviewer active, assigned by, assigned at, due, note, version.
pub type AssignmentRow = (
    Uuid,
    Uuid,
    String,
    bool,
    Uuid,
    DateTime<Utc>,
    DateTime<Utc>,
    String,
    i32,
);
/// id, rating, summary, explanation, author, state, submitted at, approved by,
/// approved at, updated at, version.
pub type VerdictRow = (
    Uuid,
    Option<String>,
    String,
    Option<String>,
    Uuid,
    VerdictState,
    Option<DateTime<Utc>>,
    Option<Uuid>,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
    i32,
);

/// What a claim's view needs besides the claim's own row, read by the columns of
/// [`LIST_EXTRAS_COLUMNS`].
#[derive(QueryableByName)]
pub struct ClaimExtras {
    #[diesel(sql_type = Text)]
    pub view_article_title: String,
    #[diesel(sql_type = Nullable<Array<AssignmentRecord>>)]
    pub view_assignments: Option<Vec<AssignmentRow>>,
    #[diesel(sql_type = Nullable<Array<VerdictRecord>>)]
    pub view_verdicts: Option<Vec<VerdictRow>>,
    /// Who has a submitted independent proposal on the claim.
    #[diesel(sql_type = Array<SqlUuid>)]
    pub view_reviews_submitted: Vec<Uuid>,
}

/// A claim with its extras, as a list query that selects `CLAIM_COLUMNS` and
/// [`LIST_EXTRAS_COLUMNS`] reads it.
#[derive(QueryableByName)]
pub struct ViewRow {
    #[diesel(embed)]
    pub claim: Claim,
    #[diesel(embed)]
    pub extras: ClaimExtras,
}

#[derive(QueryableByName)]
struct ExtrasById {
    #[diesel(sql_type = SqlUuid)]
    view_claim_id: Uuid,
    #[diesel(embed)]
    extras: ClaimExtras,
}

/// The extras of `ids` (with the verdicts' explanations when `detail`).
pub async fn extras_of(
    conn: &mut Conn,
    ids: &[Uuid],
    detail: bool,
) -> diesel::QueryResult<HashMap<Uuid, ClaimExtras>> {
    let columns = if detail {
        DETAIL_EXTRAS_COLUMNS
    } else {
        LIST_EXTRAS_COLUMNS
    };
    Ok(Cached(
        diesel::sql_query(format!(
            "SELECT claims.id AS view_claim_id, {columns} FROM claims WHERE claims.id = ANY($1)"
        ))
        .bind::<Array<SqlUuid>, _>(ids),
    )
    .load::<ExtrasById>(conn)
    .await?
    .into_iter()
    .map(|row| (row.view_claim_id, row.extras))
    .collect())
}

#[derive(QueryableByName)]
pub struct QueueRow {
    #[diesel(embed)]
    pub view: ViewRow,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub queue_due_at: Option<DateTime<Utc>>,
}

/// How many rows a queue page of `limit` claims fetches: `limit + 1` (one more tells
/// whether there is a next page), rounded up to a few fixed sizes so the statement
/// text, which carries it, stays in a small set.
pub fn queue_fetch_size(limit: i64) -> i64 {
    const SIZES: [i64; 5] = [11, 26, 51, 101, MAX_LIMIT + 1];
    SIZES
        .into_iter()
        .find(|&size| size > limit)
        .unwrap_or(limit + 1)
}

/// Which claims a list shows.
pub struct ListFilter {
    /// A reviewer's queue (by due time then priority); otherwise newest first.
    pub assignee: Option<Uuid>,
    pub statuses: Vec<Status>,
    pub article_id: Option<Uuid>,
    pub rating: Option<String>,
    pub q: Option<String>,
    pub overdue: Option<bool>,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

/// A page of claims (at least `limit + 1` rows when more exist) in one statement.
pub async fn list(conn: &mut Conn, f: ListFilter) -> diesel::QueryResult<Vec<QueueRow>> {
    let ListFilter {
        assignee,
        statuses,
        article_id,
        rating,
        q,
        overdue,
        cursor,
        limit,
    } = f;
    // One statement: the page of claims with everything their views show
    // (LIST_EXTRAS_COLUMNS), which PostgreSQL computes only for the rows the LIMIT keeps.
    let mut sql = match assignee {
        Some(reviewer) => diesel::sql_query(format!(
            "SELECT {CLAIM_COLUMNS}, {LIST_EXTRAS_COLUMNS}, a.due_at AS queue_due_at FROM claims \
             JOIN assignments a ON a.claim_id = claims.id AND a.reviewer_id = $1 WHERE true"
        ))
        .into_boxed()
        .bind::<SqlUuid, _>(reviewer),
        None => diesel::sql_query(format!(
            "SELECT {CLAIM_COLUMNS}, {LIST_EXTRAS_COLUMNS}, NULL::timestamptz AS queue_due_at FROM claims WHERE true"
        ))
        .into_boxed(),
    };
    let mut n = i32::from(assignee.is_some());
    let mut next = || {
        n += 1;
        n
    };
    if !statuses.is_empty() {
        sql = if assignee.is_some() {
            // A queue filters on the assignment's copy of the status (triggers keep it
            // equal to the claim's), so it reads one index range (reviewer, status, due
            // time), already in due order when there is one status, and stops at the
            // page's end. Repeating the condition on `claims.status` would make the
            // planner expect few rows and fetch and sort the reviewer's every claim.
            match statuses.as_slice() {
                [one] => sql
                    .sql(format!(" AND a.claim_status = ${}", next()))
                    .bind::<Text, _>(one.as_str()),
                _ => sql
                    .sql(format!(" AND a.claim_status = ANY(${})", next()))
                    .bind::<Array<Text>, _>(
                        statuses
                            .iter()
                            .map(|s| s.as_str().to_string())
                            .collect::<Vec<_>>(),
                    ),
            }
        } else {
            sql.sql(format!(" AND claims.status = ANY(${})", next()))
                .bind::<Array<Text>, _>(
                    statuses
                        .iter()
                        .map(|s| s.as_str().to_string())
                        .collect::<Vec<_>>(),
                )
        };
    }
    if let Some(article) = article_id {
        sql = sql
            .sql(format!(" AND claims.article_id = ${}", next()))
            .bind::<SqlUuid, _>(article);
    }
    if let Some(rating) = rating.as_deref().filter(|r| !r.is_empty()) {
        sql = sql
            .sql(format!(" AND EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = claims.id AND v.state <> 'superseded' AND v.rating = ${})", next()))
            .bind::<Text, _>(rating.to_string());
    }
    if let Some(q) = q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        sql = sql
            .sql(format!(
                " AND claims.search @@ websearch_to_tsquery('english', ${})",
                next()
            ))
            .bind::<Text, _>(q.to_string());
    }
    if let Some(overdue) = overdue {
        let open = format!("claims.status IN ({})", sql_list(&OPEN_STATUSES));
        let late = if assignee.is_some() {
            format!("({open} AND a.due_at < now())")
        } else {
            format!(
                "({open} AND EXISTS (SELECT 1 FROM assignments o WHERE o.claim_id = claims.id AND o.due_at < now()))"
            )
        };
        sql = sql.sql(if overdue {
            format!(" AND {late}")
        } else {
            format!(" AND NOT {late}")
        });
    }
    if assignee.is_some() {
        if let Some(c) = cursor {
            let (p1, p2, p3) = (next(), next(), next());
            sql = sql
                .sql(format!(
                    " AND (a.due_at, -{PRIORITY_RANK_SQL}, claims.id) > (${p1}, -${p2}, ${p3})"
                ))
                .bind::<Timestamptz, _>(c.at)
                .bind::<Integer, _>(c.rank)
                .bind::<SqlUuid, _>(c.id);
        }
        sql = sql.sql(format!(
            " ORDER BY a.due_at ASC, {PRIORITY_RANK_SQL} DESC, claims.id ASC"
        ));
    } else {
        if let Some(c) = cursor {
            let (p1, p2) = (next(), next());
            sql = sql
                .sql(format!(
                    " AND (claims.created_at, claims.id) < (${p1}, ${p2})"
                ))
                .bind::<Timestamptz, _>(c.at)
                .bind::<SqlUuid, _>(c.id);
        }
        sql = sql.sql(" ORDER BY claims.created_at DESC, claims.id DESC");
    }
    sql = match assignee {
        // A queue's LIMIT is written into the statement, from a few fixed sizes, so
        // PostgreSQL settles on one generic plan per connection for the prepared
        // statement instead of planning it again on every call (planning cost about
        // as much as running it). With `LIMIT $n` the generic plan is costed for an
        // unknown row count and loses to the custom plan every time; with a literal
        // limit both cost the same, and the plan (the reviewer's index range in due
        // order) is the right one for any reviewer and status. Editors' lists keep
        // the bound limit: their best plan depends on how common the status asked
        // for is, which only a custom plan sees.
        Some(_) => sql.sql(format!(" LIMIT {}", queue_fetch_size(limit))),
        None => sql
            .sql(format!(" LIMIT ${}", next()))
            .bind::<BigInt, _>(limit + 1),
    };

    Cached(sql).load(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_fetches_one_more_than_the_page_from_a_fixed_set_of_sizes() {
        let mut sizes = std::collections::BTreeSet::new();
        for limit in 1..=MAX_LIMIT {
            let fetch = queue_fetch_size(limit);
            assert!(fetch > limit, "limit {limit} fetches {fetch}");
            sizes.insert(fetch);
        }
        assert_eq!(
            sizes.into_iter().collect::<Vec<_>>(),
            [11, 26, 51, 101, 201]
        );
        // The common page sizes fetch exactly one extra row.
        for limit in [10, 25, 50, 100, 200] {
            assert_eq!(queue_fetch_size(limit), limit + 1);
        }
    }
}

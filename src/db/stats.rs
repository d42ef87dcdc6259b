//! The desk at a glance: claims by status and rating, each reviewer's workload, and how
//! long checking takes.

use std::collections::BTreeMap;

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Double, Nullable, Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Conn;
use crate::domain::workflow::{ALL_STATUSES, OPEN_STATUSES, sql_list};

#[derive(QueryableByName)]
struct KeyCount {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(Serialize, ToSchema)]
pub struct RatingCount {
    pub rating: String,
    pub label: String,
    pub color: String,
    pub count: i64,
}

#[derive(QueryableByName)]
struct RatingRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    label: String,
    #[diesel(sql_type = Text)]
    color: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(Serialize, ToSchema, QueryableByName)]
pub struct ReviewerLoad {
    #[diesel(sql_type = SqlUuid)]
    pub reviewer_id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Bool)]
    pub active: bool,
    /// Claims assigned and still being checked.
    #[diesel(sql_type = BigInt)]
    pub open: i64,
    #[diesel(sql_type = BigInt)]
    pub overdue: i64,
}

#[derive(QueryableByName)]
struct Medians {
    #[diesel(sql_type = Nullable<Double>)]
    to_submission: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    to_approval: Option<f64>,
    #[diesel(sql_type = BigInt)]
    overdue: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Stats {
    /// Every status, with 0 for none.
    pub claims_by_status: BTreeMap<String, i64>,
    /// Approved verdicts by rating, in scale order.
    pub verdicts_by_rating: Vec<RatingCount>,
    pub reviewers: Vec<ReviewerLoad>,
    /// Claims past a due time and still being checked.
    pub overdue_claims: i64,
    /// Median hours from a claim's first assignment to its submission.
    pub median_hours_to_submission: Option<f64>,
    /// Median hours from submission to approval.
    pub median_hours_to_approval: Option<f64>,
}

pub async fn load(conn: &mut Conn) -> diesel::QueryResult<Stats> {
    let mut claims_by_status: BTreeMap<String, i64> = ALL_STATUSES
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    for row in diesel::sql_query("SELECT status AS key, count(*) AS n FROM claims GROUP BY status")
        .load::<KeyCount>(conn)
        .await?
    {
        claims_by_status.insert(row.key, row.n);
    }
    let verdicts_by_rating = diesel::sql_query(
        "SELECT r.key, r.label, r.color, count(v.id) AS n FROM rating_scale r \
         LEFT JOIN verdicts v ON v.rating = r.key AND v.state = 'approved' \
         GROUP BY r.key, r.label, r.color, r.ordinal ORDER BY r.ordinal",
    )
    .load::<RatingRow>(conn)
    .await?
    .into_iter()
    .map(|r| RatingCount {
        rating: r.key,
        label: r.label,
        color: r.color,
        count: r.n,
    })
    .collect();
    let open = sql_list(&OPEN_STATUSES);
    let reviewers = diesel::sql_query(format!(
        "SELECT u.id AS reviewer_id, u.display_name AS name, u.active, \
                count(c.id) FILTER (WHERE c.status IN ({open})) AS open, \
                count(c.id) FILTER (WHERE c.status IN ({open}) AND a.due_at < now()) AS overdue \
         FROM users u LEFT JOIN assignments a ON a.reviewer_id = u.id LEFT JOIN claims c ON c.id = a.claim_id \
         WHERE u.role = 'reviewer' AND (u.active OR a.id IS NOT NULL) \
         GROUP BY u.id, u.display_name, u.active ORDER BY overdue DESC, open DESC, u.display_name"
    ))
    .load::<ReviewerLoad>(conn)
    .await?;
    let medians: Medians = diesel::sql_query(format!(
        "SELECT \
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM v.submitted_at - f.first) / 3600) \
              FROM verdicts v JOIN (SELECT claim_id, min(assigned_at) AS first FROM assignments GROUP BY claim_id) f USING (claim_id) \
             WHERE v.submitted_at IS NOT NULL) AS to_submission, \
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM approved_at - submitted_at) / 3600) \
              FROM verdicts WHERE approved_at IS NOT NULL AND submitted_at IS NOT NULL) AS to_approval, \
           (SELECT count(*) FROM claims c WHERE c.status IN ({open}) \
              AND EXISTS (SELECT 1 FROM assignments a WHERE a.claim_id = c.id AND a.due_at < now())) AS overdue"
    ))
    .get_result(conn)
    .await?;
    Ok(Stats {
        claims_by_status,
        verdicts_by_rating,
        reviewers,
        overdue_claims: medians.overdue,
        median_hours_to_submission: medians.to_submission,
        median_hours_to_approval: medians.to_approval,
    })
}

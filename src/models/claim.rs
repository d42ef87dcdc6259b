//! Claims and what hangs off them: assignments, sources, verdicts, comments.

use chrono::{DateTime, Utc};
use diesel::{
    ExpressionMethods, OptionalExtension, QueryDsl, Queryable, QueryableByName, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::schema::{assignments, claims, comments, sources, verdicts};

#[derive(Clone, Debug, Queryable, QueryableByName, Selectable, Serialize)]
#[diesel(table_name = claims)]
pub struct Claim {
    pub id: Uuid,
    pub article_id: Uuid,
    pub quote: String,
    pub span_start: i32,
    pub span_end: i32,
    pub anchored_revision: i32,
    pub anchor_lost: bool,
    pub statement: String,
    pub claimant: Option<String>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub status: String,
    pub priority: String,
    pub ever_published: bool,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = assignments)]
pub struct Assignment {
    pub id: Uuid,
    pub claim_id: Uuid,
    pub reviewer_id: Uuid,
    pub assigned_by: Uuid,
    pub assigned_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub note: String,
    pub version: i32,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = sources)]
pub struct Source {
    pub id: Uuid,
    pub claim_id: Uuid,
    pub url: String,
    pub title: String,
    pub publisher: String,
    pub kind: String,
    pub stance: String,
    pub excerpt: String,
    pub archive_url: Option<String>,
    pub accessed_at: Option<DateTime<Utc>>,
    pub added_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = verdicts)]
pub struct Verdict {
    pub id: Uuid,
    pub claim_id: Uuid,
    pub rating: Option<String>,
    pub summary: String,
    pub explanation: String,
    pub author_id: Uuid,
    pub state: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_by: Option<Uuid>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = comments)]
pub struct Comment {
    pub id: Uuid,
    pub claim_id: Uuid,
    pub author_id: Uuid,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// The columns of [`Claim`], for hand-written SQL (`claims.search` is left out).
pub const CLAIM_COLUMNS: &str = "claims.id, claims.article_id, claims.quote, claims.span_start, claims.span_end, \
    claims.anchored_revision, claims.anchor_lost, claims.statement, claims.claimant, claims.claimed_at, claims.status, \
    claims.priority, claims.ever_published, claims.created_by, claims.created_at, claims.updated_at, claims.version";

/// Sorting weight of a priority: urgent first.
pub fn priority_rank(priority: &str) -> i32 {
    match priority {
        "urgent" => 3,
        "high" => 2,
        "normal" => 1,
        _ => 0,
    }
}

pub const PRIORITY_RANK_SQL: &str = "(CASE claims.priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END)";

/// Whether `user` is one of the claim's reviewers.
pub async fn is_assigned(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
    user_id: Uuid,
) -> diesel::QueryResult<bool> {
    let n: i64 = assignments::table
        .filter(assignments::claim_id.eq(claim_id))
        .filter(assignments::reviewer_id.eq(user_id))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

/// The claim if the caller may see it; 404 otherwise (also for a reviewer asking for a
/// claim that exists but is not theirs). With `lock`, the row is locked for update.
pub async fn find_visible(
    conn: &mut AsyncPgConnection,
    caller: &CurrentUser,
    id: Uuid,
    lock: bool,
) -> Result<(Claim, bool), AppError> {
    let query = claims::table.find(id).select(Claim::as_select());
    let claim = if lock {
        query.for_update().first(conn).await.optional()?
    } else {
        query.first(conn).await.optional()?
    };
    let claim = claim.ok_or_else(|| AppError::not_found("claim"))?;
    let assigned = is_assigned(conn, id, caller.id).await?;
    policy::may_see_claim(caller, assigned)?;
    Ok((claim, assigned))
}

pub async fn reviewer_count(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
) -> diesel::QueryResult<usize> {
    let n: i64 = assignments::table
        .filter(assignments::claim_id.eq(claim_id))
        .count()
        .get_result(conn)
        .await?;
    Ok(n as usize)
}

/// The claim's one draft verdict, if it has one.
pub async fn draft_verdict(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
    lock: bool,
) -> diesel::QueryResult<Option<Verdict>> {
    let q = verdicts::table
        .filter(verdicts::claim_id.eq(claim_id))
        .filter(verdicts::state.eq("draft"))
        .select(Verdict::as_select());
    if lock {
        q.for_update().first(conn).await.optional()
    } else {
        q.first(conn).await.optional()
    }
}

/// Reopening starts the reviewers from the approved verdict: a new draft with its
/// rating, summary and explanation (the approved one stays on record).
pub async fn draft_from_approved(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
    author: Uuid,
) -> diesel::QueryResult<()> {
    let approved: Option<Verdict> = verdicts::table
        .filter(verdicts::claim_id.eq(claim_id))
        .filter(verdicts::state.eq("approved"))
        .select(Verdict::as_select())
        .first(conn)
        .await
        .optional()?;
    if let Some(approved) = approved {
        diesel::insert_into(verdicts::table)
            .values((
                verdicts::claim_id.eq(claim_id),
                verdicts::rating.eq(&approved.rating),
                verdicts::summary.eq(&approved.summary),
                verdicts::explanation.eq(&approved.explanation),
                verdicts::author_id.eq(author),
            ))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// A URL the public can open: http(s), a real host name or public address, not
/// localhost, a private network or an internal name.
pub fn is_public_http_url(raw: &str) -> bool {
    let Ok(url) = url::Url::parse(raw) else {
        return false;
    };
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d.contains('.')
                && ![
                    "localhost",
                    ".local",
                    ".internal",
                    ".lan",
                    ".home",
                    ".corp",
                    ".test",
                    ".invalid",
                    ".example",
                ]
                .iter()
                .any(|bad| d == bad.trim_start_matches('.') || d.ends_with(bad))
        }
        Some(url::Host::Ipv4(ip)) => {
            !(ip.is_private()
                || ip.is_loopback()
                || ip.is_link_local()
                || ip.is_unspecified()
                || ip.is_broadcast()
                || ip.is_documentation())
        }
        Some(url::Host::Ipv6(ip)) => {
            !(ip.is_loopback()
                || ip.is_unspecified()
                || (ip.segments()[0] & 0xfe00) == 0xfc00
                || (ip.segments()[0] & 0xffc0) == 0xfe80)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_public_http_url;

    #[test]
    fn public_urls() {
        for ok in [
            "https://www.kyivindependent.com/a",
            "http://kiis.com.ua/?lang=eng&cat=reports",
            "https://93.184.216.34/x",
        ] {
            assert!(is_public_http_url(ok), "{ok}");
        }
        for bad in [
            "ftp://x.org/a",
            "http://localhost/a",
            "http://intranet/a",
            "http://10.0.0.4/a",
            "http://192.168.1.1",
            "https://wiki.corp/a",
            "http://[::1]/",
            "javascript:alert(1)",
            "not a url",
            "http://printer.local/",
        ] {
            assert!(!is_public_http_url(bad), "{bad}");
        }
    }
}

//! Publications, what each revision made public, corrections, and readers' reports.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::db::Conn;
use crate::db::schema::{corrections, error_reports, publication_verdicts, publications, verdicts};

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = publications)]
pub struct Publication {
    pub id: Uuid,
    pub article_id: Uuid,
    pub slug: String,
    pub headline: String,
    pub summary: String,
    pub revision: i32,
    pub published_by: Uuid,
    pub published_at: DateTime<Utc>,
    pub unpublished_at: Option<DateTime<Utc>>,
    pub unpublish_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

pub async fn of_article(
    conn: &mut Conn,
    article_id: Uuid,
    lock: bool,
) -> QueryResult<Option<Publication>> {
    let q = publications::table
        .filter(publications::article_id.eq(article_id))
        .select(Publication::as_select());
    if lock {
        q.for_update().first(conn).await.optional()
    } else {
        q.first(conn).await.optional()
    }
}

pub async fn by_slug(conn: &mut Conn, slug: &str) -> QueryResult<Option<Publication>> {
    publications::table
        .filter(publications::slug.eq(slug))
        .select(Publication::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn slug_taken(conn: &mut Conn, slug: &str) -> QueryResult<bool> {
    let n: i64 = publications::table
        .filter(publications::slug.eq(slug))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

pub async fn insert(
    conn: &mut Conn,
    article_id: Uuid,
    slug: &str,
    headline: &str,
    summary: &str,
    by: Uuid,
) -> QueryResult<Publication> {
    diesel::insert_into(publications::table)
        .values((
            publications::article_id.eq(article_id),
            publications::slug.eq(slug),
            publications::headline.eq(headline),
            publications::summary.eq(summary),
            publications::published_by.eq(by),
        ))
        .returning(Publication::as_returning())
        .get_result(conn)
        .await
}

/// A new revision of the page (live again if it was taken down).
pub async fn republish(
    conn: &mut Conn,
    id: Uuid,
    headline: &str,
    summary: &str,
    by: Uuid,
) -> QueryResult<Publication> {
    diesel::update(publications::table.find(id))
        .set((
            publications::headline.eq(headline),
            publications::summary.eq(summary),
            publications::revision.eq(publications::revision + 1),
            publications::published_by.eq(by),
            publications::published_at.eq(diesel::dsl::now),
            publications::unpublished_at.eq(None::<DateTime<Utc>>),
            publications::unpublish_reason.eq(None::<String>),
            publications::updated_at.eq(diesel::dsl::now),
            publications::version.eq(publications::version + 1),
        ))
        .returning(Publication::as_returning())
        .get_result(conn)
        .await
}

pub async fn unpublish(conn: &mut Conn, id: Uuid, reason: &str) -> QueryResult<Publication> {
    diesel::update(publications::table.find(id))
        .set((
            publications::unpublished_at.eq(diesel::dsl::now),
            publications::unpublish_reason.eq(reason),
            publications::updated_at.eq(diesel::dsl::now),
            publications::version.eq(publications::version + 1),
        ))
        .returning(Publication::as_returning())
        .get_result(conn)
        .await
}

/// (claim, verdict, snapshot) made public by a revision.
pub async fn revision_verdicts(
    conn: &mut Conn,
    publication_id: Uuid,
    revision: i32,
) -> QueryResult<Vec<(Uuid, Uuid, Value)>> {
    publication_verdicts::table
        .filter(publication_verdicts::publication_id.eq(publication_id))
        .filter(publication_verdicts::revision.eq(revision))
        .select((
            publication_verdicts::claim_id,
            publication_verdicts::verdict_id,
            publication_verdicts::snapshot,
        ))
        .load(conn)
        .await
}

pub async fn record_verdict(
    conn: &mut Conn,
    publication_id: Uuid,
    revision: i32,
    claim_id: Uuid,
    verdict_id: Uuid,
    snapshot: &Value,
) -> QueryResult<()> {
    diesel::insert_into(publication_verdicts::table)
        .values((
            publication_verdicts::publication_id.eq(publication_id),
            publication_verdicts::revision.eq(revision),
            publication_verdicts::claim_id.eq(claim_id),
            publication_verdicts::verdict_id.eq(verdict_id),
            publication_verdicts::snapshot.eq(snapshot),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// What the public page of a revision shows of each claim: (claim, snapshot, the
/// verdict's summary and explanation).
pub async fn public_records(
    conn: &mut Conn,
    publication_id: Uuid,
    revision: i32,
) -> QueryResult<Vec<(Uuid, Value, String, String)>> {
    publication_verdicts::table
        .inner_join(verdicts::table)
        .filter(publication_verdicts::publication_id.eq(publication_id))
        .filter(publication_verdicts::revision.eq(revision))
        .select((
            publication_verdicts::claim_id,
            publication_verdicts::snapshot,
            verdicts::summary,
            verdicts::explanation,
        ))
        .load(conn)
        .await
}

pub async fn insert_correction(
    conn: &mut Conn,
    publication_id: Uuid,
    note: &str,
    claim_ids: &[Uuid],
    by: Uuid,
) -> QueryResult<(Uuid, DateTime<Utc>)> {
    diesel::insert_into(corrections::table)
        .values((
            corrections::publication_id.eq(publication_id),
            corrections::note.eq(note),
            corrections::claim_ids.eq(claim_ids),
            corrections::created_by.eq(by),
        ))
        .returning((corrections::id, corrections::created_at))
        .get_result(conn)
        .await
}

/// (when, note, claims) of a publication's corrections, newest first.
pub async fn corrections_of(
    conn: &mut Conn,
    publication_id: Uuid,
) -> QueryResult<Vec<(DateTime<Utc>, String, Vec<Uuid>)>> {
    corrections::table
        .filter(corrections::publication_id.eq(publication_id))
        .order(corrections::created_at.desc())
        .select((
            corrections::created_at,
            corrections::note,
            corrections::claim_ids,
        ))
        .load(conn)
        .await
}

/// (id, revision, headline) of the live page at `slug`.
pub async fn live_by_slug(conn: &mut Conn, slug: &str) -> QueryResult<Option<(Uuid, i32, String)>> {
    publications::table
        .filter(publications::slug.eq(slug))
        .filter(publications::unpublished_at.is_null())
        .select((
            publications::id,
            publications::revision,
            publications::headline,
        ))
        .first(conn)
        .await
        .optional()
}

/// Whether the claim is on the revision's page.
pub async fn claim_on_page(
    conn: &mut Conn,
    publication_id: Uuid,
    revision: i32,
    claim_id: Uuid,
) -> QueryResult<bool> {
    let n: i64 = publication_verdicts::table
        .filter(publication_verdicts::publication_id.eq(publication_id))
        .filter(publication_verdicts::revision.eq(revision))
        .filter(publication_verdicts::claim_id.eq(claim_id))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

pub async fn reports_from_since(
    conn: &mut Conn,
    client_ip: &str,
    since: DateTime<Utc>,
) -> QueryResult<i64> {
    error_reports::table
        .filter(error_reports::client_ip.eq(client_ip))
        .filter(error_reports::created_at.gt(since))
        .count()
        .get_result(conn)
        .await
}

pub async fn insert_report(
    conn: &mut Conn,
    publication_id: Uuid,
    claim_id: Option<Uuid>,
    message: &str,
    contact: Option<&str>,
    client_ip: &str,
) -> QueryResult<Uuid> {
    diesel::insert_into(error_reports::table)
        .values((
            error_reports::publication_id.eq(publication_id),
            error_reports::claim_id.eq(claim_id),
            error_reports::message.eq(message),
            error_reports::contact.eq(contact),
            error_reports::client_ip.eq(client_ip),
        ))
        .returning(error_reports::id)
        .get_result(conn)
        .await
}

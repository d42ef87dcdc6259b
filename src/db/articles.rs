//! Articles.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use uuid::Uuid;

use crate::db::schema::{articles, assignments, claims};
use crate::db::{Conn, contains_pattern};
use crate::domain::page::Cursor;
use crate::domain::workflow::Status;

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = articles)]
pub struct Article {
    pub id: Uuid,
    pub title: String,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub language: Option<String>,
    pub body: String,
    pub body_revision: i32,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// How an article is locked while it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lock {
    None,
    /// Its text cannot change meanwhile (a claim is placed in it).
    Share,
    Update,
}

pub async fn find(conn: &mut Conn, id: Uuid, lock: Lock) -> QueryResult<Option<Article>> {
    let q = articles::table.find(id).select(Article::as_select());
    match lock {
        Lock::None => q.first(conn).await.optional(),
        Lock::Share => q.for_share().first(conn).await.optional(),
        Lock::Update => q.for_update().first(conn).await.optional(),
    }
}

pub async fn exists(conn: &mut Conn, id: Uuid, lock: bool) -> QueryResult<bool> {
    let q = articles::table.find(id).select(articles::id);
    let found = if lock {
        q.for_update().first::<Uuid>(conn).await.optional()?
    } else {
        q.first::<Uuid>(conn).await.optional()?
    };
    Ok(found.is_some())
}

/// (title, outlet) of an article.
pub async fn title_and_outlet(conn: &mut Conn, id: Uuid) -> QueryResult<(String, Option<String>)> {
    articles::table
        .find(id)
        .select((articles::title, articles::outlet))
        .first(conn)
        .await
}

pub async fn body(conn: &mut Conn, id: Uuid) -> QueryResult<Option<String>> {
    articles::table
        .find(id)
        .select(articles::body)
        .first(conn)
        .await
        .optional()
}

/// Whether `reviewer` has a claim of the article.
pub async fn has_claim_of(conn: &mut Conn, article_id: Uuid, reviewer: Uuid) -> QueryResult<bool> {
    let n: i64 = claims::table
        .inner_join(assignments::table)
        .filter(claims::article_id.eq(article_id))
        .filter(assignments::reviewer_id.eq(reviewer))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

/// What an article holds.
pub struct ArticleFields<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub url: Option<&'a str>,
    pub outlet: Option<&'a str>,
    pub author: Option<&'a str>,
    pub published_at: Option<DateTime<Utc>>,
    pub language: Option<&'a str>,
}

pub async fn insert(
    conn: &mut Conn,
    f: ArticleFields<'_>,
    created_by: Uuid,
) -> QueryResult<Article> {
    diesel::insert_into(articles::table)
        .values((
            articles::title.eq(f.title),
            articles::body.eq(f.body),
            articles::url.eq(f.url),
            articles::outlet.eq(f.outlet),
            articles::author.eq(f.author),
            articles::published_at.eq(f.published_at),
            articles::language.eq(f.language),
            articles::created_by.eq(created_by),
        ))
        .returning(Article::as_returning())
        .get_result(conn)
        .await
}

/// Writes an edit; `revision` is the body's (bumped by the caller when it changed).
pub async fn update(
    conn: &mut Conn,
    id: Uuid,
    f: ArticleFields<'_>,
    revision: i32,
) -> QueryResult<Article> {
    diesel::update(articles::table.find(id))
        .set((
            articles::title.eq(f.title),
            articles::body.eq(f.body),
            articles::body_revision.eq(revision),
            articles::url.eq(f.url),
            articles::outlet.eq(f.outlet),
            articles::author.eq(f.author),
            articles::published_at.eq(f.published_at),
            articles::language.eq(f.language),
            articles::updated_at.eq(diesel::dsl::now),
            articles::version.eq(articles::version + 1),
        ))
        .returning(Article::as_returning())
        .get_result(conn)
        .await
}

/// A page of articles, newest first; for a reviewer only those with a claim of theirs.
pub async fn list(
    conn: &mut Conn,
    only_assigned_to: Option<Uuid>,
    text: Option<&str>,
    before: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Article>> {
    let mut q = articles::table.select(Article::as_select()).into_boxed();
    if let Some(reviewer) = only_assigned_to {
        let mine = claims::table
            .inner_join(assignments::table)
            .filter(assignments::reviewer_id.eq(reviewer))
            .select(claims::article_id);
        q = q.filter(articles::id.eq_any(mine));
    }
    if let Some(text) = text {
        let pattern = contains_pattern(text);
        q = q.filter(
            articles::title
                .ilike(pattern.clone())
                .or(articles::outlet.ilike(pattern)),
        );
    }
    if let Some(c) = before {
        q = q.filter(
            articles::created_at
                .lt(c.at)
                .or(articles::created_at.eq(c.at).and(articles::id.lt(c.id))),
        );
    }
    q.order((articles::created_at.desc(), articles::id.desc()))
        .limit(limit + 1)
        .load(conn)
        .await
}

/// (article, claim, status) of every claim of `ids`.
pub async fn claim_statuses(
    conn: &mut Conn,
    ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, Uuid, Status)>> {
    claims::table
        .filter(claims::article_id.eq_any(ids))
        .select((claims::article_id, claims::id, claims::status))
        .load(conn)
        .await
}

/// Which of `ids` ever had a claim assigned.
pub async fn ever_assigned(conn: &mut Conn, ids: &[Uuid]) -> QueryResult<HashSet<Uuid>> {
    Ok(assignments::table
        .inner_join(claims::table)
        .filter(claims::article_id.eq_any(ids))
        .select(claims::article_id)
        .distinct()
        .load::<Uuid>(conn)
        .await?
        .into_iter()
        .collect())
}

/// The claims of `ids` assigned to `reviewer`.
pub async fn claims_assigned_to(
    conn: &mut Conn,
    ids: &[Uuid],
    reviewer: Uuid,
) -> QueryResult<HashSet<Uuid>> {
    Ok(assignments::table
        .inner_join(claims::table)
        .filter(claims::article_id.eq_any(ids))
        .filter(assignments::reviewer_id.eq(reviewer))
        .select(assignments::claim_id)
        .load::<Uuid>(conn)
        .await?
        .into_iter()
        .collect())
}

/// An article that is this one pasted again: the same address, or the same title and
/// text. (id, title, outlet, created_at) of the newest such.
pub async fn same_as(
    conn: &mut Conn,
    url: Option<&str>,
    title: &str,
    body: &str,
) -> QueryResult<Option<(Uuid, String, Option<String>, DateTime<Utc>)>> {
    let same_text = articles::title.eq(title).and(articles::body.eq(body));
    let mut q = articles::table.into_boxed().filter(same_text);
    if let Some(u) = url {
        q = articles::table.into_boxed().filter(
            articles::url
                .eq(u)
                .or(articles::title.eq(title).and(articles::body.eq(body))),
        );
    }
    q.order(articles::created_at.desc())
        .select((
            articles::id,
            articles::title,
            articles::outlet,
            articles::created_at,
        ))
        .first(conn)
        .await
        .optional()
}

//! The newsroom's one row of settings.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::Conn;
use crate::db::schema::settings;

#[derive(Clone, Debug, Serialize, Queryable, Selectable, ToSchema)]
#[diesel(table_name = settings)]
pub struct NewsroomSettings {
    pub newsroom_name: String,
    /// The newsroom's own site (the ClaimReview author's URL).
    pub public_url: Option<String>,
    pub logo_url: Option<String>,
    /// Markdown, shown at /methodology.
    pub methodology: String,
    pub corrections_policy_url: Option<String>,
    pub default_time_zone: String,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    /// Claims are approved only after a logged attempt to reach the claimant.
    pub require_reply_attempt: bool,
    /// New high and urgent claims ask for independent reviews by default.
    pub independent_review_for_high_priority: bool,
}

pub async fn load(conn: &mut Conn) -> QueryResult<NewsroomSettings> {
    settings::table
        .select(NewsroomSettings::as_select())
        .first(conn)
        .await
}

pub async fn load_for_update(conn: &mut Conn) -> QueryResult<NewsroomSettings> {
    settings::table
        .select(NewsroomSettings::as_select())
        .for_update()
        .first(conn)
        .await
}

pub async fn newsroom_name(conn: &mut Conn) -> QueryResult<String> {
    settings::table
        .select(settings::newsroom_name)
        .first(conn)
        .await
}

pub async fn default_time_zone(conn: &mut Conn) -> QueryResult<String> {
    settings::table
        .select(settings::default_time_zone)
        .first(conn)
        .await
}

/// What `PUT /settings` sets.
pub struct SettingsFields<'a> {
    pub newsroom_name: &'a str,
    pub public_url: Option<&'a str>,
    pub logo_url: Option<&'a str>,
    pub methodology: &'a str,
    pub corrections_policy_url: Option<&'a str>,
    pub default_time_zone: &'a str,
    pub require_reply_attempt: bool,
    pub independent_review_for_high_priority: bool,
}

pub async fn update(conn: &mut Conn, f: SettingsFields<'_>) -> QueryResult<NewsroomSettings> {
    diesel::update(settings::table)
        .set((
            settings::newsroom_name.eq(f.newsroom_name),
            settings::public_url.eq(f.public_url),
            settings::logo_url.eq(f.logo_url),
            settings::methodology.eq(f.methodology),
            settings::corrections_policy_url.eq(f.corrections_policy_url),
            settings::default_time_zone.eq(f.default_time_zone),
            settings::require_reply_attempt.eq(f.require_reply_attempt),
            settings::independent_review_for_high_priority
                .eq(f.independent_review_for_high_priority),
            settings::updated_at.eq(diesel::dsl::now),
            settings::version.eq(settings::version + 1),
        ))
        .returning(NewsroomSettings::as_returning())
        .get_result(conn)
        .await
}

/// Names the newsroom and its time zone (the demo's first start).
pub async fn rename(conn: &mut Conn, name: &str, time_zone: &str) -> QueryResult<()> {
    diesel::update(settings::table)
        .set((
            settings::newsroom_name.eq(name),
            settings::default_time_zone.eq(time_zone),
            settings::version.eq(settings::version + 1),
        ))
        .execute(conn)
        .await
        .map(drop)
}

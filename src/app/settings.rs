//! The newsroom's settings: its name and URL (the ClaimReview author), logo,
//! methodology and corrections policy.

use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::app::{App, AppError, AppResult, check_version};
use crate::db::settings::{NewsroomSettings, SettingsFields};
use crate::db::{self, audit::Event};
use crate::domain::policy::{self, Actor};
use crate::domain::validation::{
    FieldError, Lines, check_characters, optional_http_url, required_line,
};

pub async fn get(app: &App) -> AppResult<NewsroomSettings> {
    let mut conn = app.db().await?;
    Ok(db::settings::load(&mut conn).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsRequest {
    #[schema(
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*[^\\s\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$"
    )]
    pub newsroom_name: String,
    #[schema(
        max_length = 2000,
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?)$"
    )]
    pub public_url: Option<String>,
    #[schema(
        max_length = 2000,
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?)$"
    )]
    pub logo_url: Option<String>,
    #[schema(
        max_length = 50000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub methodology: String,
    #[schema(
        max_length = 2000,
        pattern = "^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?)$"
    )]
    pub corrections_policy_url: Option<String>,
    #[schema(value_type = crate::domain::validation::TimeZoneName)]
    pub default_time_zone: String,
    /// A claim is approved only after a logged attempt to reach its claimant for
    /// comment (Right of reply). Left out, it stays as it is.
    pub require_reply_attempt: Option<bool>,
    /// New high and urgent claims ask for independent reviews unless their editor says
    /// otherwise. Left out, it stays as it is.
    pub independent_review_for_high_priority: Option<bool>,
    pub version: Option<i32>,
    /// Read-only: accepted so that what `GET /settings` answers can be sent back, and
    /// ignored.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime, read_only)]
    pub updated_at: Option<serde::de::IgnoredAny>,
}

/// Replaces the newsroom settings (admins).
pub async fn put(
    app: &App,
    actor: &Actor,
    version: Option<i32>,
    body: SettingsRequest,
) -> AppResult<NewsroomSettings> {
    policy::may_edit_settings(actor)?;
    let mut errors = Vec::new();
    let name = required_line("newsroom_name", &body.newsroom_name, 200)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let mut url = |field: &str, value: &Option<String>| {
        optional_http_url(field, value.as_deref())
            .map_err(|e| errors.push(e))
            .ok()
            .flatten()
    };
    let public_url = url("public_url", &body.public_url);
    let logo_url = url("logo_url", &body.logo_url);
    let policy_url = url("corrections_policy_url", &body.corrections_policy_url);
    if let Err(e) = check_characters("methodology", &body.methodology, Lines::Many) {
        errors.push(e);
    }
    if body.methodology.chars().count() > 50_000 {
        errors.push(FieldError::new(
            "methodology",
            "must be at most 50000 characters",
        ));
    }
    if body.default_time_zone.parse::<chrono_tz::Tz>().is_err() {
        errors.push(FieldError::new(
            "default_time_zone",
            "is not an IANA time zone such as Europe/Kyiv",
        ));
    }
    crate::app::error::all_valid(errors)?;
    let version = version.ok_or(AppError::PreconditionRequired)?;
    let mut conn = app.db().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let before = db::settings::load_for_update(conn).await?;
        check_version(conn, Some(version), before.version, None, async |_| {
            Ok(before.clone())
        })
        .await?;
        let after = db::settings::update(
            conn,
            SettingsFields {
                newsroom_name: &name,
                public_url: public_url.as_deref(),
                logo_url: logo_url.as_deref(),
                methodology: &body.methodology,
                corrections_policy_url: policy_url.as_deref(),
                default_time_zone: &body.default_time_zone,
                require_reply_attempt: body
                    .require_reply_attempt
                    .unwrap_or(before.require_reply_attempt),
                independent_review_for_high_priority: body
                    .independent_review_for_high_priority
                    .unwrap_or(before.independent_review_for_high_priority),
            },
        )
        .await?;
        db::audit::record(
            conn,
            Event::new("settings", uuid::Uuid::nil(), "update")
                .by(actor.id)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(after)
    })
    .await
}

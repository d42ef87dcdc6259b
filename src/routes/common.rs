//! Small pieces every resource uses: versions for optimistic concurrency, list
//! pagination, the client's address.

use actix_web::HttpRequest;
use actix_web::http::header;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::config::Settings;
use crate::error::AppError;

/// The version a change is based on: `If-Match: "<version>"`, or `version` in the body.
/// Without either, 428: nobody overwrites a colleague's work without knowing it.
pub fn expected_version(req: &HttpRequest, body_version: Option<i32>) -> Result<i32, AppError> {
    if let Some(value) = req
        .headers()
        .get(header::IF_MATCH)
        .filter(|v| !v.as_bytes().iter().all(u8::is_ascii_whitespace))
    {
        let raw = value.to_str().unwrap_or("").trim();
        let raw = raw.strip_prefix("W/").unwrap_or(raw).trim_matches('"');
        return raw
            .parse::<i32>()
            .map_err(|_| AppError::bad_request("If-Match", "must be a version such as \"3\""));
    }
    body_version.ok_or(AppError::PreconditionRequired)
}

/// The version a change names, read before a transaction (the request cannot enter
/// it): `If-Match` or the body's `version`, if either is there.
pub fn version_hint(req: &HttpRequest, body_version: Option<i32>) -> Result<Option<i32>, AppError> {
    if req
        .headers()
        .get(header::IF_MATCH)
        .is_some_and(|v| !v.as_bytes().iter().all(u8::is_ascii_whitespace))
    {
        return expected_version(req, body_version).map(Some);
    }
    Ok(body_version)
}

/// `ETag` for a version.
pub fn etag(version: i32) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}

/// `?limit=` (default 50, at most 200) and an opaque `?cursor=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// How many items, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

impl PageQuery {
    pub fn limit(&self) -> Result<i64, AppError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(AppError::validation(
                "limit",
                format!("must be from 1 to {MAX_LIMIT}"),
            )),
        }
    }

    pub fn cursor(&self) -> Result<Option<Cursor>, AppError> {
        self.cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(Cursor::decode)
            .transpose()
    }
}

/// A keyset position: the sort time, a secondary rank and the id of the last item seen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub rank: i32,
    pub id: Uuid,
}

impl Cursor {
    pub fn new(at: DateTime<Utc>, id: Uuid) -> Self {
        Self { at, rank: 0, id }
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!(
            "{}|{}|{}",
            self.at.timestamp_micros(),
            self.rank,
            self.id
        ))
    }

    pub fn decode(raw: &str) -> Result<Self, AppError> {
        let invalid = || AppError::validation("cursor", "is not a cursor this server issued");
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let mut parts = text.split('|');
        let (Some(micros), Some(rank), Some(id), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let at = micros
            .parse::<i64>()
            .ok()
            .and_then(DateTime::from_timestamp_micros)
            .and_then(|at| crate::domain::time::Timestamp::new(at).ok())
            .ok_or_else(invalid)?
            .get();
        Ok(Self {
            at,
            rank: rank.parse().map_err(|_| invalid())?,
            id: id.parse().map_err(|_| invalid())?,
        })
    }
}

/// A page of a list.
#[derive(Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> Page<T> {
    /// Builds a page from `limit + 1` fetched rows: the extra row only says more exist.
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        limit: i64,
        key: impl Fn(&R) -> Cursor,
        view: impl FnMut(R) -> T,
    ) -> Self {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if more {
            rows.last().map(|r| key(r).encode())
        } else {
            None
        };
        Self {
            items: rows.into_iter().map(view).collect(),
            next_cursor,
        }
    }
}

/// The client's address for throttling: the peer, or the `X-Forwarded-For` client when
/// Factdesk runs behind a trusted proxy.
pub fn client_ip(req: &HttpRequest, settings: &Settings) -> String {
    let info = req.connection_info();
    let addr = if settings.trust_proxy_headers {
        info.realip_remote_addr().map(str::to_string)
    } else {
        req.peer_addr().map(|a| a.ip().to_string())
    };
    let addr = addr.unwrap_or_else(|| "unknown".into());
    // `realip_remote_addr` may carry a port.
    match addr.parse::<std::net::SocketAddr>() {
        Ok(sa) => sa.ip().to_string(),
        Err(_) => addr,
    }
}

/// A `%…%` ILIKE pattern matching `text` literally (its `%`, `_` and `\` escaped).
pub fn contains_pattern(text: &str) -> String {
    format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// Whether a text field is one line (names, titles, subjects) or may hold several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Refuses control characters: all of them in a single-line field (CR and LF
/// included), all but line breaks and tabs in a multi-line one.
pub fn check_characters(
    field: &str,
    value: &str,
    lines: Lines,
) -> Result<(), crate::error::FieldError> {
    let bad = value.chars().find(|c| match lines {
        Lines::One => c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'),
        Lines::Many => c.is_control() && !matches!(c, '\n' | '\r' | '\t'),
    });
    match bad {
        None => Ok(()),
        Some('\n' | '\r' | '\u{2028}' | '\u{2029}') => Err(crate::error::FieldError::new(
            field,
            "must be a single line",
        )),
        Some(c) => Err(crate::error::FieldError::new(
            field,
            format!("must not contain the control character U+{:04X}", c as u32),
        )),
    }
}

fn checked_text(
    field: &str,
    value: &str,
    max_chars: usize,
    lines: Lines,
) -> Result<String, crate::error::FieldError> {
    check_characters(field, value, lines)?;
    // Counted before trimming, as the schema's maxLength counts.
    if value.chars().count() > max_chars {
        return Err(crate::error::FieldError::new(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(value.trim().to_string())
}

/// Trims a required text field that may hold several lines and checks its length in
/// characters.
pub fn required_text(
    field: &str,
    value: &str,
    max_chars: usize,
) -> Result<String, crate::error::FieldError> {
    let value = checked_text(field, value, max_chars, Lines::Many)?;
    if value.is_empty() {
        return Err(crate::error::FieldError::new(field, "must not be empty"));
    }
    Ok(value)
}

/// A required single-line field: a name, a title, a subject.
pub fn required_line(
    field: &str,
    value: &str,
    max_chars: usize,
) -> Result<String, crate::error::FieldError> {
    let value = checked_text(field, value, max_chars, Lines::One)?;
    if value.is_empty() {
        return Err(crate::error::FieldError::new(field, "must not be empty"));
    }
    Ok(value)
}

/// An optional text field, trimmed; `None` when absent or blank.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max_chars: usize,
    lines: Lines,
) -> Result<Option<String>, crate::error::FieldError> {
    match value {
        None => Ok(None),
        Some(v) => {
            checked_text(field, v, max_chars, lines).map(|v| Some(v).filter(|v| !v.is_empty()))
        }
    }
}

/// The patterns the OpenAPI document gives for structured strings. The server checks
/// the same regular expressions (no trimming), so a value the schema allows is
/// accepted and one it refuses is refused (a test compares them with the document).
pub mod patterns {
    pub const EMAIL: &str = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$";
    pub const URL: &str = r"^https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,4})?(/[!-~]*)?$";
    pub const URL_OR_EMPTY: &str = r"^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,4})?(/[!-~]*)?)$";
    pub const LANGUAGE_OR_EMPTY: &str = r"^(|[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8})*)$";
    pub const RATING_KEY: &str = r"^[a-z][a-z0-9_]{0,39}$";
}

fn matches(pattern: &'static str, value: &str) -> bool {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    static COMPILED: LazyLock<Mutex<HashMap<&'static str, regex::Regex>>> =
        LazyLock::new(Default::default);
    let mut compiled = COMPILED.lock().unwrap_or_else(|e| e.into_inner());
    compiled
        .entry(pattern)
        .or_insert_with(|| regex::Regex::new(pattern).expect("a valid pattern"))
        .is_match(value)
}

/// An email address of the shape the schema gives (whether it exists is for the mail
/// server to say).
pub fn valid_email(field: &str, value: &str) -> Result<String, crate::error::FieldError> {
    if value.len() <= 320 && matches(patterns::EMAIL, value) {
        Ok(value.to_string())
    } else {
        Err(crate::error::FieldError::new(
            field,
            "is not an email address",
        ))
    }
}

/// An http(s) URL of at most 2,000 characters.
pub fn http_url(field: &str, value: &str) -> Result<String, crate::error::FieldError> {
    if value.chars().count() <= 2000
        && matches(patterns::URL, value)
        && url::Url::parse(value).is_ok()
    {
        Ok(value.to_string())
    } else {
        Err(crate::error::FieldError::new(
            field,
            "must be an http(s) URL",
        ))
    }
}

/// An optional http(s) URL: an empty string clears it (`None`).
pub fn optional_http_url(
    field: &str,
    value: Option<&str>,
) -> Result<Option<String>, crate::error::FieldError> {
    match value {
        None | Some("") => Ok(None),
        Some(v) => http_url(field, v).map(Some),
    }
}

/// A language tag such as `en` or `uk-UA`; an empty string clears it.
pub fn optional_language(
    field: &str,
    value: Option<&str>,
) -> Result<Option<String>, crate::error::FieldError> {
    match value {
        None | Some("") => Ok(None),
        Some(v) if v.len() <= 35 && matches(patterns::LANGUAGE_OR_EMPTY, v) => {
            Ok(Some(v.to_string()))
        }
        Some(_) => Err(crate::error::FieldError::new(
            field,
            "must be a language tag such as en or uk",
        )),
    }
}

/// An IANA time zone name, in the schema as the list chrono-tz knows.
pub struct TimeZoneName;

impl utoipa::PartialSchema for TimeZoneName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("An IANA time zone name such as Europe/Kyiv."))
            .enum_values(Some(chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())))
            .into()
    }
}

impl utoipa::ToSchema for TimeZoneName {}

/// A date (`2025-02-20`, the whole day) or an RFC 3339 time, in a query.
pub struct DateOrTime;

impl utoipa::PartialSchema for DateOrTime {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{
            KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type,
        };
        let string = |format| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(format)))
        };
        OneOfBuilder::new()
            .item(string(KnownFormat::Date))
            .item(string(KnownFormat::DateTime))
            .description(Some("A date (2025-02-20) or an RFC 3339 time."))
            .into()
    }
}

impl utoipa::ToSchema for DateOrTime {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let c = Cursor {
            at: DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
            rank: 3,
            id: Uuid::new_v4(),
        };
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        assert!(Cursor::decode("not-a-cursor").is_err());
    }

    #[test]
    fn single_lines_refuse_line_breaks_and_every_text_refuses_control_characters() {
        assert_eq!(required_line("t", "  A title ", 10).unwrap(), "A title");
        assert_eq!(
            required_line("t", "two\nlines", 100).unwrap_err().message,
            "must be a single line"
        );
        assert!(required_line("t", "a\rb", 100).is_err());
        assert!(required_line("t", "tab\there", 100).is_err());
        assert!(required_text("t", "two\nlines\tand a tab", 100).is_ok());
        assert_eq!(
            required_text("t", "bell\u{7}", 100).unwrap_err().message,
            "must not contain the control character U+0007"
        );
        assert_eq!(optional_text("t", Some("  "), 5, Lines::One).unwrap(), None);
        assert!(optional_text("t", Some("a\u{1b}[31m"), 50, Lines::Many).is_err());
    }

    #[test]
    fn emails() {
        assert!(valid_email("e", "ann@example.org").is_ok());
        for bad in [
            "",
            "ann",
            "ann@",
            "@x.org",
            "a b@x.org",
            "a@x",
            "a@@x.org",
            " ann@example.org",
        ] {
            assert!(valid_email("e", bad).is_err(), "{bad}");
        }
    }
}

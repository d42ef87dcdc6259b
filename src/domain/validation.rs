//! Checks of what people type, as pure functions: text that is one line or several,
//! without control characters; structured strings (emails, URLs, language tags,
//! rating keys) by the very patterns the OpenAPI document gives; passwords by NIST
//! SP 800-63B. Each failure names its field.

use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field: where it is (a JSON path such as `claims[2].span_end`, or a
/// query or path parameter name) and why it is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Whether a text field is one line (names, titles, subjects) or may hold several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Refuses control characters: all of them in a single-line field (CR and LF
/// included), all but line breaks and tabs in a multi-line one.
pub fn check_characters(field: &str, value: &str, lines: Lines) -> Result<(), FieldError> {
    let bad = value.chars().find(|c| match lines {
        Lines::One => c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'),
        Lines::Many => c.is_control() && !matches!(c, '\n' | '\r' | '\t'),
    });
    match bad {
        None => Ok(()),
        Some('\n' | '\r' | '\u{2028}' | '\u{2029}') => {
            Err(FieldError::new(field, "must be a single line"))
        }
        Some(c) => Err(FieldError::new(
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
) -> Result<String, FieldError> {
    check_characters(field, value, lines)?;
    // Counted before trimming, as the schema's maxLength counts.
    if value.chars().count() > max_chars {
        return Err(FieldError::new(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(value.trim().to_string())
}

/// Trims a required text field that may hold several lines and checks its length in
/// characters.
pub fn required_text(field: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    let value = checked_text(field, value, max_chars, Lines::Many)?;
    if value.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    Ok(value)
}

/// A required single-line field: a name, a title, a subject.
pub fn required_line(field: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    let value = checked_text(field, value, max_chars, Lines::One)?;
    if value.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    Ok(value)
}

/// An optional text field, trimmed; `None` when absent or blank.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max_chars: usize,
    lines: Lines,
) -> Result<Option<String>, FieldError> {
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
    pub const URL: &str = r"^https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?$";
    pub const URL_OR_EMPTY: &str = r"^(|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!-~]*)?)$";
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
pub fn valid_email(field: &str, value: &str) -> Result<String, FieldError> {
    if value.len() <= 320 && matches(patterns::EMAIL, value) {
        Ok(value.to_string())
    } else {
        Err(FieldError::new(field, "is not an email address"))
    }
}

/// An http(s) URL of at most 2,000 characters.
pub fn http_url(field: &str, value: &str) -> Result<String, FieldError> {
    if value.chars().count() <= 2000
        && matches(patterns::URL, value)
        && url::Url::parse(value).is_ok()
    {
        Ok(value.to_string())
    } else {
        Err(FieldError::new(field, "must be an http(s) URL"))
    }
}

/// An optional http(s) URL: an empty string clears it (`None`).
pub fn optional_http_url(field: &str, value: Option<&str>) -> Result<Option<String>, FieldError> {
    match value {
        None | Some("") => Ok(None),
        Some(v) => http_url(field, v).map(Some),
    }
}

/// A language tag such as `en` or `uk-UA`; an empty string clears it.
pub fn optional_language(field: &str, value: Option<&str>) -> Result<Option<String>, FieldError> {
    match value {
        None | Some("") => Ok(None),
        Some(v) if v.len() <= 35 && matches(patterns::LANGUAGE_OR_EMPTY, v) => {
            Ok(Some(v.to_string()))
        }
        Some(_) => Err(FieldError::new(
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

/// NIST SP 800-63B: length limits and not the email; no composition rules.
pub fn check_password_rules(field: &str, password: &str, email: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(FieldError::new(
            field,
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(FieldError::new(
            field,
            format!("must be at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(FieldError::new(field, "must not be your email address"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn urls_take_any_valid_port() {
        for ok in [
            "http://127.0.0.1:65535/x",
            "https://hooks.example.org:8443",
            "http://a.org:40123/",
        ] {
            assert!(http_url("u", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://a.org:65536/",
            "http://a.org:99999/",
            "http://a.org:123456/",
        ] {
            assert!(http_url("u", bad).is_err(), "{bad}");
        }
    }

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

    #[test]
    fn rules_follow_nist() {
        assert!(check_password_rules("p", "short", "a@b.c").is_err());
        assert!(check_password_rules("p", "a@example.org", "A@example.org").is_err());
        assert!(check_password_rules("p", "correct horse battery", "a@b.c").is_ok());
        // Characters, not bytes: twelve Cyrillic letters are enough.
        assert!(check_password_rules("p", "пароль-доступ", "a@b.c").is_ok());
        assert!(check_password_rules("p", &"x".repeat(257), "a@b.c").is_err());
    }
}

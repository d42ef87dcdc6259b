//! Times as requests give them: RFC 3339, whose years have four digits (0000 to 9999).
//! PostgreSQL stores 4713 BC to 294276 AD and chrono parses more; anything outside
//! RFC 3339's years is a typo, never a claim's date, and is refused where it is read.

use std::fmt;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Deserializer, Serialize};

pub const MIN_YEAR: i32 = 0;
pub const MAX_YEAR: i32 = 9999;

/// A time a client sent: a `DateTime<Utc>` whose year is from 1 to 9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    pub fn new(at: DateTime<Utc>) -> Result<Self, OutOfRange> {
        if (MIN_YEAR..=MAX_YEAR).contains(&at.year()) {
            Ok(Self(at))
        } else {
            Err(OutOfRange)
        }
    }

    pub fn get(self) -> DateTime<Utc> {
        self.0
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(t: Timestamp) -> Self {
        t.0
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct OutOfRange;

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "must be a time between the years {MIN_YEAR:04} and {MAX_YEAR}"
        )
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let at = DateTime::<Utc>::deserialize(deserializer)?;
        Self::new(at).map_err(serde::de::Error::custom)
    }
}

/// A time in a reader's own time zone, for emails: "Tuesday 1 December 2026, 14:00 EET".
pub fn format_time(at: DateTime<Utc>, time_zone: &str) -> String {
    let tz: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::UTC);
    at.with_timezone(&tz)
        .format("%A %-d %B %Y, %H:%M %Z")
        .to_string()
}

/// A day in a zone, for public pages: "2 December 2026" (a correction at 01:33 in Kyiv
/// on 2 December is on the 2nd there, whatever the day in UTC).
pub fn format_day(at: DateTime<Utc>, time_zone: &str) -> String {
    let tz: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::UTC);
    at.with_timezone(&tz).format("%-d %B %Y").to_string()
}

/// A day and time in a zone, the zone named: "2 December 2026, 01:33 EET".
pub fn format_day_time(at: DateTime<Utc>, time_zone: &str) -> String {
    let tz: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::UTC);
    at.with_timezone(&tz)
        .format("%-d %B %Y, %H:%M %Z")
        .to_string()
}

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some(
                "An RFC 3339 time, such as 2025-02-19T14:00:00Z (years 0000 to 9999).",
            ))
            .into()
    }
}

impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_days_are_the_newsrooms() {
        let at = DateTime::parse_from_rfc3339("2026-12-01T23:33:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(format_day(at, "Europe/Kyiv"), "2 December 2026");
        assert_eq!(format_day(at, "UTC"), "1 December 2026");
        assert_eq!(
            format_day_time(at, "Europe/Kyiv"),
            "2 December 2026, 01:33 EET"
        );
    }

    #[test]
    fn years_outside_0_to_9999_are_refused() {
        let parse = |s: &str| serde_json::from_str::<Timestamp>(&format!("\"{s}\""));
        assert!(parse("2025-02-19T14:00:00Z").is_ok());
        assert!(parse("0000-01-01T00:00:00Z").is_ok());
        let err = parse("-4714-01-01T00:00:00Z").unwrap_err().to_string();
        assert!(err.contains("between the years 0000 and 9999"), "{err}");
        assert!(parse("+10000-01-01T00:00:00Z").is_err());
        assert!(parse("not a time").is_err());
    }
}

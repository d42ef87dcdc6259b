//! Lists come in pages: `limit` items (default 50, at most 200) after an opaque
//! keyset cursor, and a `next_cursor` while more exist.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::validation::FieldError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// A requested page: `limit` and `cursor` as a list's query gives them.
#[derive(Clone, Copy, Debug)]
pub struct PageRequest<'a> {
    pub limit: Option<i64>,
    pub cursor: Option<&'a str>,
}

impl PageRequest<'_> {
    pub fn limit(&self) -> Result<i64, FieldError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(FieldError::new(
                "limit",
                format!("must be from 1 to {MAX_LIMIT}"),
            )),
        }
    }

    /// The cursor, `None` when absent or empty.
    pub fn cursor(&self) -> Result<Option<Cursor>, FieldError> {
        self.cursor
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

    pub fn decode(raw: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new("cursor", "is not a cursor this server issued");
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let mut parts = text.split('|');
        let (Some(micros), Some(rank), Some(id), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        // Within the years PostgreSQL compares (a forged cursor must not reach it).
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
        // A time PostgreSQL could not compare.
        let far = URL_SAFE_NO_PAD.encode(format!("{}|0|{}", i64::MAX / 2, Uuid::nil()));
        assert!(Cursor::decode(&far).is_err());
    }

    #[test]
    fn limits_are_1_to_200() {
        let page = |limit| PageRequest {
            limit,
            cursor: None,
        };
        assert_eq!(page(None).limit().unwrap(), 50);
        assert_eq!(page(Some(200)).limit().unwrap(), 200);
        assert!(page(Some(0)).limit().is_err());
        assert!(page(Some(201)).limit().is_err());
        assert_eq!(
            PageRequest {
                limit: None,
                cursor: Some("")
            }
            .cursor()
            .unwrap(),
            None
        );
    }
}

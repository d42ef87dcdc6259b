//! Verdict reports: CSV, JSON, NDJSON, ClaimReview and Markdown, streamed from a
//! server-side cursor in batches, so memory stays flat whatever the size.

pub mod writers;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{Array, Jsonb, Nullable, SmallInt, Text, Timestamptz, Uuid as SqlUuid};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::claim_figure::{ClaimFigure, FigureSummary};
use crate::domain::validation::FieldError;
use crate::domain::workflow::Status;

/// One claim with its current verdict (approved, else submitted, else the draft).
#[derive(Debug, Serialize, QueryableByName, ToSchema)]
pub struct ExportRow {
    #[diesel(sql_type = SqlUuid)]
    pub claim_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub article_id: Uuid,
    #[diesel(sql_type = Text)]
    pub article_title: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub article_url: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub outlet: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub article_published_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Text)]
    pub statement: String,
    #[diesel(sql_type = Text)]
    pub quote: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub claimant: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub claimed_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Text)]
    pub priority: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub rating: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub rating_label: Option<String>,
    #[diesel(sql_type = Nullable<SmallInt>)]
    pub claim_review_value: Option<i16>,
    #[diesel(sql_type = Nullable<Text>)]
    pub summary: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub explanation: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub verdict_state: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub approved_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub approved_by: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub reviewers: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub sources: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub public_url: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    /// A numeric claim's figures, with how they read and how far apart they are.
    #[diesel(sql_type = Nullable<Jsonb>)]
    #[serde(serialize_with = "figure_summary")]
    #[schema(value_type = Option<crate::domain::claim_figure::FigureSummary>)]
    pub figure: Option<serde_json::Value>,
    /// The attempts to reach the claimant: `contacted_at`, `channel`, `contacted_by`
    /// (a name), `contact`, `asked`, `reply`, `replied_at`, `no_reply_by`, `publish`.
    #[diesel(sql_type = Nullable<Jsonb>)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub replies: Option<serde_json::Value>,
}

impl ExportRow {
    pub fn figure(&self) -> Option<FigureSummary> {
        serde_json::from_value::<ClaimFigure>(self.figure.clone()?)
            .ok()
            .map(ClaimFigure::summarise)
    }
}

fn figure_summary<S: serde::Serializer>(
    figure: &Option<serde_json::Value>,
    s: S,
) -> Result<S::Ok, S::Error> {
    figure
        .clone()
        .and_then(|f| serde_json::from_value::<ClaimFigure>(f).ok())
        .map(ClaimFigure::summarise)
        .serialize(s)
}

/// The report's query: one row per claim. `$1` is the public URL base; filters follow.
/// The same SELECT (without the filters) is what `bench/export.sh` hands to psql.
pub const SELECT: &str = "SELECT c.id AS claim_id, a.id AS article_id, a.title AS article_title, a.url AS article_url, a.outlet, a.published_at AS article_published_at, \
 c.statement, c.quote, c.claimant, c.claimed_at, c.status, c.priority, \
 v.rating, r.label AS rating_label, r.claim_review_value, v.summary, v.explanation, v.state AS verdict_state, \
 v.approved_at, ap.display_name AS approved_by, \
 (SELECT string_agg(u.display_name, '; ' ORDER BY u.display_name) FROM assignments s JOIN users u ON u.id = s.reviewer_id WHERE s.claim_id = c.id) AS reviewers, \
 (SELECT string_agg(so.url, ' ' ORDER BY so.created_at) FROM sources so WHERE so.claim_id = c.id) AS sources, \
 CASE WHEN p.slug IS NOT NULL AND c.ever_published THEN $1 || '/p/' || p.slug || '#claim-' || c.id END AS public_url, \
 c.created_at, c.figure, \
 (SELECT jsonb_agg(jsonb_build_object('contacted_at', rr.contacted_at, 'channel', rr.channel, 'contacted_by', ru.display_name, \
   'contact', rr.contact, 'asked', rr.asked, 'reply', rr.reply, 'replied_at', rr.replied_at, 'no_reply_by', rr.no_reply_by, 'publish', rr.publish) \
   ORDER BY rr.contacted_at, rr.id) FROM claim_replies rr JOIN users ru ON ru.id = rr.contacted_by WHERE rr.claim_id = c.id) AS replies \
 FROM claims c JOIN articles a ON a.id = c.article_id \
 LEFT JOIN LATERAL (SELECT * FROM verdicts vv WHERE vv.claim_id = c.id AND vv.state <> 'superseded' \
   ORDER BY CASE vv.state WHEN 'approved' THEN 0 WHEN 'submitted' THEN 1 ELSE 2 END LIMIT 1) v ON true \
 LEFT JOIN rating_scale r ON r.key = v.rating \
 LEFT JOIN users ap ON ap.id = v.approved_by \
 LEFT JOIN publications p ON p.article_id = c.article_id AND p.unpublished_at IS NULL";

pub const ORDER: &str = " ORDER BY c.article_id, c.span_start, c.id";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Ndjson,
    ClaimReview,
    Markdown,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "csv" => Self::Csv,
            "json" => Self::Json,
            "ndjson" => Self::Ndjson,
            "claimreview" => Self::ClaimReview,
            "md" => Self::Markdown,
            _ => return None,
        })
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Json | Self::ClaimReview => "application/json",
            Self::Ndjson => "application/x-ndjson",
            Self::Markdown => "text/markdown; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Ndjson => "ndjson",
            Self::ClaimReview => "claimreview.json",
            Self::Markdown => "md",
        }
    }
}

/// Validated filters.
#[derive(Debug, Default)]
pub struct Filters {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub article_id: Option<Uuid>,
    pub reviewer: Option<Uuid>,
    pub rating: Option<String>,
    pub statuses: Vec<String>,
}

/// A date (`2025-02-20`, the whole day) or an RFC 3339 time.
pub fn parse_time(
    field: &str,
    raw: &str,
    end_of_day: bool,
    errors: &mut Vec<FieldError>,
) -> Option<DateTime<Utc>> {
    let parsed = if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        Some(t.with_timezone(&Utc))
    } else if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let d = if end_of_day {
            d.succ_opt().unwrap_or(d)
        } else {
            d
        };
        Some(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
    } else {
        None
    };
    match parsed.map(crate::domain::time::Timestamp::new) {
        Some(Ok(t)) => Some(t.get()),
        Some(Err(e)) => {
            errors.push(FieldError::new(field, e.to_string()));
            None
        }
        None => {
            errors.push(FieldError::new(
                field,
                "must be a date (2025-02-20) or an RFC 3339 time",
            ));
            None
        }
    }
}

impl Filters {
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        article_id: Option<&str>,
        reviewer: Option<&str>,
        rating: Option<&str>,
        status: Option<&str>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let nonempty =
            |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(String::from);
        let mut uuid = |field: &str, v: Option<&str>| {
            v.and_then(|v| {
                Uuid::try_parse(v)
                    .ok()
                    .filter(|_| v.len() == 36)
                    .or_else(|| {
                        errors.push(FieldError::new(field, "must be an id"));
                        None
                    })
            })
        };
        let article_id = uuid("article_id", article_id);
        let reviewer = uuid("reviewer", reviewer);
        let from = from.and_then(|v| parse_time("from", v, false, &mut errors));
        let to = to.and_then(|v| parse_time("to", v, true, &mut errors));
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            errors.push(FieldError::new("to", "must not be before from"));
        }
        let statuses: Vec<String> = nonempty(status)
            .map(|list| {
                list.split(',')
                    .filter_map(|s| match Status::parse(s) {
                        Some(st) => Some(st.as_str().to_string()),
                        None => {
                            errors.push(FieldError::new(
                                "status",
                                format!("`{s}` is not a claim status"),
                            ));
                            None
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let rating = nonempty(rating);
        if rating.as_ref().is_some_and(|r| r.chars().count() > 40) {
            errors.push(FieldError::new("rating", "is not a rating key"));
        }
        if errors.is_empty() {
            Ok(Self {
                from,
                to,
                article_id,
                reviewer,
                rating,
                statuses,
            })
        } else {
            Err(errors)
        }
    }

    /// The WHERE clause, with parameters from `$2` on (`$1` is the URL base).
    pub fn apply(
        &self,
        mut q: diesel::query_builder::BoxedSqlQuery<
            'static,
            diesel::pg::Pg,
            diesel::query_builder::SqlQuery,
        >,
    ) -> diesel::query_builder::BoxedSqlQuery<
        'static,
        diesel::pg::Pg,
        diesel::query_builder::SqlQuery,
    > {
        let mut n = 1;
        let mut next = || {
            n += 1;
            n
        };
        q = q.sql(" WHERE true");
        if let Some(t) = self.from {
            q = q
                .sql(format!(
                    " AND coalesce(v.approved_at, c.created_at) >= ${}",
                    next()
                ))
                .bind::<Timestamptz, _>(t);
        }
        if let Some(t) = self.to {
            q = q
                .sql(format!(
                    " AND coalesce(v.approved_at, c.created_at) < ${}",
                    next()
                ))
                .bind::<Timestamptz, _>(t);
        }
        if let Some(a) = self.article_id {
            q = q
                .sql(format!(" AND c.article_id = ${}", next()))
                .bind::<SqlUuid, _>(a);
        }
        if let Some(r) = self.reviewer {
            q = q.sql(format!(" AND EXISTS (SELECT 1 FROM assignments fa WHERE fa.claim_id = c.id AND fa.reviewer_id = ${})", next())).bind::<SqlUuid, _>(r);
        }
        if let Some(r) = &self.rating {
            q = q
                .sql(format!(" AND v.rating = ${}", next()))
                .bind::<Text, _>(r.clone());
        }
        if !self.statuses.is_empty() {
            q = q
                .sql(format!(" AND c.status = ANY(${})", next()))
                .bind::<Array<Text>, _>(self.statuses.clone());
        }
        q
    }
}

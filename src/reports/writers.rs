//! One writer per format; each turns batches of rows into bytes as they come.

use serde_json::json;

use crate::reports::{ExportRow, Format};

pub struct Writer {
    format: Format,
    rows: usize,
    csv_header_written: bool,
    /// A CSV starts with a UTF-8 byte-order mark (Excel reads UTF-8 only with one).
    pub bom: bool,
    last_article: Option<uuid::Uuid>,
    newsroom: String,
    newsroom_url: Option<String>,
    /// The newsroom's zone: the report's own times are in it, named.
    pub time_zone: String,
}

const CSV_HEADER: [&str; 29] = [
    "claim_id",
    "article_id",
    "article_title",
    "article_url",
    "outlet",
    "statement",
    "quote",
    "claimant",
    "claimed_at",
    "status",
    "priority",
    "rating",
    "rating_label",
    "summary",
    "explanation",
    "verdict_state",
    "approved_at",
    "approved_by",
    "reviewers",
    "sources",
    "public_url",
    "created_at",
    "claimed_figure",
    "claimed_value",
    "checked_figure",
    "checked_value",
    "figure_difference",
    "figure_ratio",
    "replies",
];

/// A spreadsheet would run a cell that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return as a formula: prefix it with `'` so it stays text.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.to_rfc3339()).unwrap_or_default()
}

impl Writer {
    pub fn new(format: Format, newsroom: String, newsroom_url: Option<String>) -> Self {
        Self {
            format,
            rows: 0,
            csv_header_written: false,
            bom: false,
            last_article: None,
            newsroom,
            newsroom_url,
            time_zone: "UTC".into(),
        }
    }

    pub fn begin(&mut self) -> Vec<u8> {
        match self.format {
            Format::Json | Format::ClaimReview => b"[".to_vec(),
            Format::Markdown => format!(
                "# Verdict report\n\n{} · generated {}\n",
                self.newsroom,
                crate::domain::time::format_day_time(chrono::Utc::now(), &self.time_zone)
            )
            .into_bytes(),
            _ => Vec::new(),
        }
    }

    pub fn batch(&mut self, rows: &[ExportRow]) -> anyhow::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(rows.len() * 400);
        match self.format {
            Format::Csv => {
                if !self.csv_header_written && self.bom {
                    out.extend_from_slice("\u{FEFF}".as_bytes());
                }
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(&mut out);
                if !self.csv_header_written {
                    w.write_record(CSV_HEADER)?;
                    self.csv_header_written = true;
                }
                for r in rows {
                    let figure = r.figure();
                    let range = |value: &str, max: Option<&str>| match max {
                        Some(max) => format!("{value}-{max}"),
                        None => value.to_string(),
                    };
                    let fields = [
                        r.claim_id.to_string(),
                        r.article_id.to_string(),
                        r.article_title.clone(),
                        r.article_url.clone().unwrap_or_default(),
                        r.outlet.clone().unwrap_or_default(),
                        r.statement.clone(),
                        r.quote.clone(),
                        r.claimant.clone().unwrap_or_default(),
                        time(r.claimed_at),
                        r.status.clone(),
                        r.priority.clone(),
                        r.rating.clone().unwrap_or_default(),
                        r.rating_label.clone().unwrap_or_default(),
                        r.summary.clone().unwrap_or_default(),
                        r.explanation.clone().unwrap_or_default(),
                        r.verdict_state.clone().unwrap_or_default(),
                        time(r.approved_at),
                        r.approved_by.clone().unwrap_or_default(),
                        r.reviewers.clone().unwrap_or_default(),
                        r.sources.clone().unwrap_or_default(),
                        r.public_url.clone().unwrap_or_default(),
                        time(Some(r.created_at)),
                        figure
                            .as_ref()
                            .map(|f| f.claimed_display.clone())
                            .unwrap_or_default(),
                        figure
                            .as_ref()
                            .map(|f| range(&f.claimed.value, f.claimed.value_max.as_deref()))
                            .unwrap_or_default(),
                        figure
                            .as_ref()
                            .and_then(|f| f.checked_display.clone())
                            .unwrap_or_default(),
                        figure
                            .as_ref()
                            .and_then(|f| f.checked.as_ref())
                            .map(|c| range(&c.value, c.value_max.as_deref()))
                            .unwrap_or_default(),
                        figure
                            .as_ref()
                            .and_then(|f| f.comparison.as_ref())
                            .map(|c| c.difference.clone())
                            .unwrap_or_default(),
                        figure
                            .as_ref()
                            .and_then(|f| f.comparison.as_ref())
                            .and_then(|c| c.ratio.clone())
                            .unwrap_or_default(),
                        replies_text(r.replies.as_ref()),
                    ];
                    w.write_record(fields.iter().map(|f| neutralise(f).into_owned()))?;
                }
                w.flush()?;
                drop(w);
            }
            Format::Json => {
                for r in rows {
                    if self.rows > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut out, r)?;
                    self.rows += 1;
                }
            }
            Format::Ndjson => {
                for r in rows {
                    serde_json::to_writer(&mut out, r)?;
                    out.push(b'\n');
                }
            }
            Format::ClaimReview => {
                for r in rows
                    .iter()
                    .filter(|r| r.verdict_state.as_deref() == Some("approved"))
                {
                    if self.rows > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut out, &self.claim_review(r))?;
                    self.rows += 1;
                }
            }
            Format::Markdown => {
                use std::fmt::Write;
                let mut s = String::new();
                for r in rows {
                    if self.last_article != Some(r.article_id) {
                        self.last_article = Some(r.article_id);
                        let _ = write!(s, "\n## {}\n\n", md_escape(&r.article_title));
                        let mut meta = Vec::new();
                        // Outlet and date tell apart articles with the same title.
                        if let Some(o) = &r.outlet {
                            meta.push(md_escape(o));
                        }
                        if let Some(d) = r.article_published_at {
                            meta.push(crate::domain::time::format_day(d, &self.time_zone));
                        }
                        if let Some(u) = &r.article_url {
                            meta.push(format!("<{u}>"));
                        }
                        if !meta.is_empty() {
                            let _ = write!(s, "{}\n\n", meta.join(" · "));
                        }
                    }
                    let _ = write!(s, "- **{}**", md_escape(&r.statement));
                    if let Some(c) = &r.claimant {
                        let _ = write!(s, " — {}", md_escape(c));
                    }
                    let _ = write!(
                        s,
                        "\n  - Verdict: **{}**",
                        r.rating_label
                            .as_deref()
                            .map(md_escape)
                            .unwrap_or_else(|| "not rated yet".into())
                    );
                    if let Some(summary) = r.summary.as_deref().filter(|s| !s.is_empty()) {
                        let _ = write!(s, ". {}", md_escape(summary));
                    }
                    let _ = writeln!(s, " ({})", r.status.replace('_', " "));
                    if let Some(f) = r.figure() {
                        let _ = writeln!(s, "  - Figure: {}", md_escape(&f.public_line(None)));
                    }
                    let replies = replies_text(r.replies.as_ref());
                    if !replies.is_empty() {
                        let _ = writeln!(s, "  - Right of reply: {}", md_escape(&replies));
                    }
                    if let Some(src) = r.sources.as_deref().filter(|s| !s.is_empty()) {
                        let links: Vec<String> = src.split(' ').map(|u| format!("<{u}>")).collect();
                        let _ = writeln!(s, "  - Sources: {}", links.join(", "));
                    }
                    if let Some(u) = &r.public_url {
                        let _ = writeln!(s, "  - Published: <{u}>");
                    }
                }
                out.extend_from_slice(s.as_bytes());
            }
        }
        Ok(out)
    }

    pub fn end(&mut self) -> Vec<u8> {
        match self.format {
            Format::Json | Format::ClaimReview => b"]\n".to_vec(),
            Format::Markdown if self.last_article.is_none() => b"\nNo claims match.\n".to_vec(),
            _ => Vec::new(),
        }
    }

    fn claim_review(&self, r: &ExportRow) -> serde_json::Value {
        let mut rating = json!({"@type": "Rating", "alternateName": r.rating_label, "ratingExplanation": r.summary});
        if let Some(v) = r.claim_review_value {
            rating["ratingValue"] = json!(v);
            rating["bestRating"] = json!(5);
            rating["worstRating"] = json!(1);
        }
        let mut author = json!({"@type": "Organization", "name": self.newsroom});
        if let Some(u) = &self.newsroom_url {
            author["url"] = json!(u);
        }
        let mut item = json!({"@type": "Claim"});
        if let Some(c) = &r.claimant {
            item["author"] = json!({"@type": "Person", "name": c});
        }
        if let Some(d) = r.claimed_at {
            item["datePublished"] = json!(d.format("%Y-%m-%d").to_string());
        }
        if let Some(u) = &r.article_url {
            item["appearance"] = json!({"@type": "CreativeWork", "url": u});
        }
        json!({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": r.public_url,
            "claimReviewed": r.statement,
            "datePublished": r.approved_at.map(|d| d.format("%Y-%m-%d").to_string()),
            "author": author,
            "itemReviewed": item,
            "reviewRating": rating,
            "citation": r.sources.as_deref().unwrap_or("").split(' ').filter(|u| !u.is_empty())
                .map(|u| json!({"@type": "CreativeWork", "url": u})).collect::<Vec<_>>(),
        })
    }
}

/// The attempts to reach the claimant in one cell: "2026-12-01 email by Rita Koval:
/// asked “…”; replied 2026-12-02: “…”", attempts separated by " | ".
fn replies_text(replies: Option<&serde_json::Value>) -> String {
    let Some(list) = replies.and_then(|r| r.as_array()) else {
        return String::new();
    };
    let field = |r: &serde_json::Value, k: &str| r[k].as_str().unwrap_or("").to_string();
    let day = |r: &serde_json::Value, k: &str| {
        r[k].as_str()
            .unwrap_or("")
            .chars()
            .take(10)
            .collect::<String>()
    };
    list.iter()
        .map(|r| {
            let mut text = format!(
                "{} {} by {}: asked “{}”",
                day(r, "contacted_at"),
                field(r, "channel").replace('_', " "),
                field(r, "contacted_by"),
                field(r, "asked")
            );
            if !field(r, "contact").is_empty() {
                text.push_str(&format!(" (of {})", field(r, "contact")));
            }
            if r["reply"].is_string() {
                text.push_str(&format!(
                    "; replied {}: “{}”",
                    day(r, "replied_at"),
                    field(r, "reply")
                ));
            } else if r["no_reply_by"].is_string() {
                text.push_str(&format!("; no reply by {}", day(r, "no_reply_by")));
            } else {
                text.push_str("; no reply yet");
            }
            text
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Markdown special characters in user text are escaped so a statement cannot add
/// links, images or HTML to the report.
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for (cell, want) in [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@x", "'@x"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("ok", "ok"),
        ] {
            assert_eq!(neutralise(cell), want);
        }
    }

    #[test]
    fn markdown_escapes_user_text() {
        assert_eq!(
            md_escape("[click](javascript:x) <b>*"),
            "\\[click\\](javascript:x) \\<b\\>\\*"
        );
    }
}

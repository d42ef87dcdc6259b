//! `seed-demo`: a demo newsroom (one admin, two editors, three reviewers, the seed
//! article with two anchored claims), so a new user has something to click through.

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use diesel_async::AsyncConnection;
use secrecy::SecretString;
use serde_json::json;

use crate::app::auth::password::{PasswordPool, generate_password};
use crate::db::{self, Conn, articles::ArticleFields, audit::Event};
use crate::domain::role::Role;
use crate::domain::text;
use crate::domain::workflow::Priority;

/// The project's own copy of the seed article: title, byline, body.
pub const SEED_ARTICLE: &str = include_str!("../../demo/seed-article.txt");
pub const SEED_OUTLET: &str = "The Kyiv Independent";

/// The two claims the demo article starts with: (quote, statement, claimant).
pub const SEED_CLAIMS: [(&str, &str, &str); 2] = [
    (
        "Ukraine was the one who started Russia's war",
        "Ukraine started Russia's war",
        "Donald Trump",
    ),
    (
        "Ukrainian President Volodymyr Zelensky has a 4% approval rating",
        "Zelensky has a 4% approval rating",
        "Donald Trump",
    ),
];

const DEMO_USERS: [(&str, &str, &str); 6] = [
    ("admin@demo.factdesk.test", "Dana Admin", "admin"),
    ("editor1@demo.factdesk.test", "Erin Editor", "editor"),
    ("editor2@demo.factdesk.test", "Emil Editor", "editor"),
    ("reviewer1@demo.factdesk.test", "Rosa Reviewer", "reviewer"),
    ("reviewer2@demo.factdesk.test", "Roman Reviewer", "reviewer"),
    ("reviewer3@demo.factdesk.test", "Rhea Reviewer", "reviewer"),
];

/// An article parsed from the seed file's layout.
#[derive(Debug)]
pub struct ParsedArticle {
    pub title: String,
    pub author: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub body: String,
}

/// First line: the title; the line starting with "by": the byline ("by NAME Month D,
/// YYYY H:MM PM …", Kyiv time); everything after it: the body.
pub fn parse_article(raw: &str) -> anyhow::Result<ParsedArticle> {
    let mut lines = raw.lines();
    let title = lines
        .next()
        .context("the article is empty")?
        .trim()
        .to_string();
    let rest: Vec<&str> = lines.collect();
    let byline_at = rest
        .iter()
        .position(|l| l.trim_start().starts_with("by "))
        .context("no byline (a line starting with \"by \")")?;
    let byline = rest[byline_at].trim_start()["by ".len()..].trim();
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let words: Vec<&str> = byline.split_whitespace().collect();
    let (author, published_at) = match words.iter().position(|w| MONTHS.contains(w)) {
        Some(i) => {
            let date = words[i..]
                .iter()
                .take(5)
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            let naive = NaiveDateTime::parse_from_str(&date, "%B %d, %Y %I:%M %p").ok();
            let at = naive.and_then(|n| {
                chrono_tz::Europe::Kyiv
                    .from_local_datetime(&n)
                    .single()
                    .map(|t| t.with_timezone(&Utc))
            });
            (Some(words[..i].join(" ")), at)
        }
        None => (Some(byline.to_string()), None),
    };
    let body = rest[byline_at + 1..].join("\n").trim().to_string();
    if body.is_empty() {
        bail!("the article has no body after its byline");
    }
    Ok(ParsedArticle {
        title,
        author: author.filter(|a| !a.is_empty()),
        published_at,
        body,
    })
}

/// Seeds an empty database. Returns the logins (email, role, password), or `None`
/// when the database already has users.
pub async fn seed_demo(
    conn: &mut Conn,
    passwords: &PasswordPool,
) -> anyhow::Result<Option<Vec<(String, String, String)>>> {
    if db::users::any(conn).await? {
        return Ok(None);
    }
    let mut logins = Vec::new();
    let mut hashed = Vec::new();
    for (email, name, role) in DEMO_USERS {
        let password = generate_password();
        let hash = passwords.hash(SecretString::from(password.clone())).await?;
        logins.push((email.to_string(), role.to_string(), password));
        hashed.push((email, name, Role::parse(role).context("a demo role")?, hash));
    }
    let article = parse_article(SEED_ARTICLE)?;

    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        let mut ids = Vec::new();
        for (email, name, role, hash) in &hashed {
            let user = db::users::insert(
                conn,
                db::users::NewUser {
                    email,
                    display_name: name,
                    role: *role,
                    password_hash: Some(hash),
                    time_zone: "Europe/Kyiv",
                },
            )
            .await?;
            db::audit::record(conn, Event::new("user", user.id, "seed").after(user.audit())).await?;
            ids.push(user.id);
        }
        let editor = ids[1];
        db::settings::rename(conn, "Factdesk Demo Newsroom", "Europe/Kyiv").await?;
        let created = db::articles::insert(
            conn,
            ArticleFields {
                title: &article.title,
                body: &article.body,
                url: None,
                outlet: Some(SEED_OUTLET),
                author: article.author.as_deref(),
                published_at: article.published_at,
                language: Some("en"),
            },
            editor,
        )
        .await?;
        db::audit::record(
            conn,
            Event::new("article", created.id, "create")
                .by(editor)
                .after(json!({"title": article.title, "outlet": SEED_OUTLET})),
        )
        .await?;
        for (quote, statement, claimant) in SEED_CLAIMS {
            let [(start, end)] = text::find_all(&article.body, quote)[..] else {
                bail!("the seed claim {quote:?} must occur exactly once in the article");
            };
            let claim = db::claims::insert(
                conn,
                db::claims::NewClaim {
                    article_id: created.id,
                    quote,
                    span_start: start as i32,
                    span_end: end as i32,
                    anchored_revision: created.body_revision,
                    statement,
                    claimant: Some(claimant),
                    claimed_at: None,
                    priority: Priority::High,
                    created_by: editor,
                    figure: crate::domain::claim_figure::propose(quote).as_ref(),
                    independent_review: false,
                },
            )
            .await?;
            db::audit::record(
                conn,
                Event::of_claim(claim.id, "claim", claim.id, "create").by(editor).after(json!({
                    "quote": quote, "span_start": start, "span_end": end, "statement": statement, "status": "draft"
                })),
            )
            .await?;
        }
        Ok(())
    })
    .await?;
    Ok(Some(logins))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_seed_article() {
        let a = parse_article(SEED_ARTICLE).unwrap();
        assert_eq!(
            a.title,
            "Senior US diplomat visits Belarus, three political prisoners released, NYT reports"
        );
        assert_eq!(a.author.as_deref(), Some("Volodymyr Ivanyshyn"));
        assert_eq!(
            a.published_at.unwrap().to_rfc3339(),
            "2025-02-15T21:25:00+00:00"
        );
        assert!(a.body.starts_with("Belarusian dictator"));
        for (quote, _, _) in SEED_CLAIMS {
            let spans = text::find_all(&a.body, quote);
            assert_eq!(spans.len(), 1, "{quote}");
            let (s, e) = spans[0];
            assert_eq!(text::slice_chars(&a.body, s, e), Some(quote));
            // Curly quotes and dashes earlier in the text: bytes and characters differ.
            assert_ne!(a.body.find(quote).unwrap(), s);
        }
    }
}

//! Rows written straight into the database, for tests about something else.

use diesel::QueryableByName;
use diesel::sql_types::Uuid as SqlUuid;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::helpers::TestApp;

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

impl TestApp {
    pub async fn insert(&self, sql: &str) -> Uuid {
        let mut conn = self.pool.get().await.unwrap();
        diesel::sql_query(sql)
            .get_result::<Id>(&mut conn)
            .await
            .unwrap()
            .id
    }
}

/// An article with a submitted claim, an in-review claim (with a source) and a draft
/// claim; the first two assigned to a reviewer of their own.
pub struct Fixture {
    pub reviewer: Uuid,
    pub article: Uuid,
    pub submitted_claim: Uuid,
    pub open_claim: Uuid,
    pub draft_claim: Uuid,
    pub source: Uuid,
    /// An attempt to reach the open claim's claimant.
    pub reply: Uuid,
}

pub const BODY: &str =
    "Officials said 4% of voters agree. The unique phrase sits here. Turnout was 61.5 percent.";

impl Fixture {
    pub async fn create(app: &TestApp) -> Self {
        let editor = app.user_without_session("editor").await.id;
        let reviewer = app.user_without_session("reviewer").await.id;
        let article = app
            .insert(&format!("INSERT INTO articles (title, body, created_by) VALUES ('Fixture', '{BODY}', '{editor}') RETURNING id"))
            .await;
        let claim = |status: &str, start: i32, end: i32, quote: &str| {
            let sketch = factdesk::db::sketch::statement_sketch(quote)
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            format!(
                "INSERT INTO claims (article_id, quote, span_start, span_end, statement, statement_sketch, status, created_by) \
                 VALUES ('{article}', '{quote}', {start}, {end}, '{quote}', '{{{sketch}}}', '{status}', '{editor}') RETURNING id"
            )
        };
        let submitted_claim = app
            .insert(&claim("submitted", 15, 33, "4% of voters agree"))
            .await;
        let open_claim = app
            .insert(&claim("in_review", 76, 88, "61.5 percent"))
            .await;
        let draft_claim = app.insert(&claim("draft", 0, 9, "Officials")).await;
        for c in [submitted_claim, open_claim] {
            app.insert(&format!(
                "INSERT INTO assignments (claim_id, reviewer_id, assigned_by, due_at) VALUES ('{c}', '{reviewer}', '{editor}', now() + interval '2 days') RETURNING id"
            ))
            .await;
        }
        let source = app
            .insert(&format!(
                "INSERT INTO sources (claim_id, url, added_by) VALUES ('{open_claim}', 'https://stats.example.org/turnout', '{reviewer}') RETURNING id"
            ))
            .await;
        app.insert(&format!(
            "INSERT INTO sources (claim_id, url, added_by) VALUES ('{submitted_claim}', 'https://polls.example.org/x', '{reviewer}') RETURNING id"
        ))
        .await;
        app.insert(&format!(
            "INSERT INTO verdicts (claim_id, rating, summary, author_id, state, submitted_at) \
             VALUES ('{submitted_claim}', 'false', 'No poll shows this.', '{reviewer}', 'submitted', now()) RETURNING id"
        ))
        .await;
        // The open claim states a figure.
        app.sql(&format!(
            "UPDATE claims SET figure = '{{\"claimed\": {{\"value\": \"61.5\", \"value_max\": null, \"unit\": \"percent\", \"measure\": \"turnout\", \"place\": null, \"period\": null, \"as_stated\": \"61.5 percent\"}}, \"checked\": null}}' WHERE id = '{open_claim}'"
        ))
        .await;
        let reply = app
            .insert(&format!(
                "INSERT INTO claim_replies (claim_id, contacted_at, channel, contacted_by, asked, created_by) \
                 VALUES ('{open_claim}', now() - interval '1 day', 'email', '{editor}', 'Where is 61.5 from?', '{editor}') RETURNING id"
            ))
            .await;
        Self {
            reviewer,
            article,
            submitted_claim,
            open_claim,
            draft_claim,
            source,
            reply,
        }
    }
}

//! Public verdict summaries: built only from what was published (a publication, the
//! verdicts recorded for its revision and their snapshots), rendered as HTML, JSON and
//! schema.org ClaimReview.

pub mod claim_review;
pub mod markdown;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::articles::{Article, Lock};
use crate::db::publications::Publication;
use crate::db::settings::NewsroomSettings;
use crate::db::{self, Conn};
use crate::domain::claim_figure::FigureSummary;

/// What is kept of a claim when its verdict is published, so the page never changes
/// unless the article is published again.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Snapshot {
    pub statement: String,
    pub claimant: Option<String>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub rating: String,
    pub rating_label: String,
    pub rating_color: String,
    pub claim_review_value: Option<i16>,
    pub sources: Vec<PublicSource>,
    /// When this verdict first went public.
    pub published_at: DateTime<Utc>,
    /// A numeric claim's figures, claimed and checked.
    #[serde(default)]
    pub figure: Option<PublicFigure>,
    /// The attempts to reach the claimant the editor chose to publish.
    #[serde(default)]
    pub replies: Vec<PublicReply>,
}

/// A numeric claim on the public page: the figure said and the figure found.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicFigure {
    #[serde(flatten)]
    pub figure: FigureSummary,
    /// Where the checked figure comes from (its source's publisher or title).
    pub source: Option<String>,
    /// Its source and period: "KIIS poll, February 2025".
    pub about: Option<String>,
    /// "Claimed: 4% · Actual: 57% (KIIS poll, February 2025)".
    pub line: String,
}

/// One attempt to reach the claimant, as published.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicReply {
    pub contacted_at: DateTime<Utc>,
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    /// "We asked … for comment on …; they replied: …".
    pub line: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicSource {
    pub url: String,
    pub title: String,
    pub publisher: String,
    pub archive_url: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PublicNewsroom {
    pub name: String,
    pub url: Option<String>,
    pub logo_url: Option<String>,
    pub corrections_policy_url: Option<String>,
    /// The newsroom's time zone (IANA): the page's days and times are in it.
    pub time_zone: String,
}

#[derive(Serialize, ToSchema)]
pub struct PublicArticleRef {
    pub title: String,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct PublicClaim {
    pub id: Uuid,
    /// The fragment of this claim on the page: `claim-<id>`.
    pub anchor: String,
    pub statement: String,
    pub claimant: Option<String>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub rating: String,
    pub rating_label: String,
    pub rating_color: String,
    pub claim_review_value: Option<i16>,
    pub summary: String,
    /// The explanation's Markdown.
    pub explanation: String,
    /// The explanation as sanitised HTML.
    pub explanation_html: String,
    pub sources: Vec<PublicSource>,
    pub published_at: DateTime<Utc>,
    /// A correction touched this claim.
    pub corrected: bool,
    pub figure: Option<PublicFigure>,
    pub replies: Vec<PublicReply>,
}

#[derive(Serialize, ToSchema)]
pub struct PublicCorrection {
    pub date: DateTime<Utc>,
    pub note: String,
    pub claim_ids: Vec<Uuid>,
}

/// A published verdict summary, as the public sees it.
#[derive(Serialize, ToSchema)]
pub struct PublicArticle {
    pub slug: String,
    /// The page's address.
    pub url: String,
    pub headline: String,
    pub summary: String,
    pub revision: i32,
    pub published_at: DateTime<Utc>,
    /// The latest correction, if any: the page says "Updated".
    pub updated_at: Option<DateTime<Utc>>,
    pub newsroom: PublicNewsroom,
    pub article: PublicArticleRef,
    pub claims: Vec<PublicClaim>,
    /// Newest first.
    pub corrections: Vec<PublicCorrection>,
    /// Ready-made ClaimReview objects, one per claim.
    #[schema(value_type = Vec<Object>)]
    pub claim_reviews: Vec<serde_json::Value>,
}

pub enum Found {
    Live(Box<PublicArticle>),
    /// Taken down: the notice and when.
    Gone {
        headline: String,
        at: DateTime<Utc>,
    },
    Missing,
}

/// The public view of the publication at `slug`, from its record alone.
pub async fn load_public(
    conn: &mut Conn,
    slug: &str,
    public_base: &str,
) -> diesel::QueryResult<Found> {
    let Some(publication) = db::publications::by_slug(conn, slug).await? else {
        return Ok(Found::Missing);
    };
    if let Some(at) = publication.unpublished_at {
        return Ok(Found::Gone {
            headline: publication.headline,
            at,
        });
    }
    let newsroom = db::settings::load(conn).await?;
    let Some(article) = db::articles::find(conn, publication.article_id, Lock::None).await? else {
        return Ok(Found::Missing);
    };
    let records =
        db::publications::public_records(conn, publication.id, publication.revision).await?;
    let corrections = db::publications::corrections_of(conn, publication.id).await?;
    Ok(Found::Live(Box::new(assemble(
        publication,
        article,
        newsroom,
        records,
        corrections,
        public_base,
    ))))
}

fn assemble(
    publication: Publication,
    article: Article,
    newsroom: NewsroomSettings,
    records: Vec<(Uuid, serde_json::Value, String, String)>,
    corrections: Vec<(DateTime<Utc>, String, Vec<Uuid>)>,
    public_base: &str,
) -> PublicArticle {
    let url = format!("{public_base}/p/{}", publication.slug);
    let mut claims: Vec<PublicClaim> = records
        .into_iter()
        .filter_map(|(claim_id, snapshot, summary, explanation)| {
            let s: Snapshot = serde_json::from_value(snapshot).ok()?;
            Some(PublicClaim {
                id: claim_id,
                anchor: format!("claim-{claim_id}"),
                corrected: corrections
                    .iter()
                    .any(|(_, _, ids)| ids.contains(&claim_id)),
                explanation_html: markdown::to_safe_html(&explanation),
                statement: s.statement,
                claimant: s.claimant,
                claimed_at: s.claimed_at,
                rating: s.rating,
                rating_label: s.rating_label,
                rating_color: s.rating_color,
                claim_review_value: s.claim_review_value,
                summary,
                explanation,
                sources: s.sources,
                published_at: s.published_at,
                figure: s.figure,
                replies: s.replies,
            })
        })
        .collect();
    claims.sort_by(|a, b| {
        a.published_at
            .cmp(&b.published_at)
            .then(a.statement.cmp(&b.statement))
    });
    let newsroom = PublicNewsroom {
        name: newsroom.newsroom_name,
        url: newsroom.public_url,
        logo_url: newsroom.logo_url,
        corrections_policy_url: newsroom.corrections_policy_url,
        time_zone: newsroom.default_time_zone,
    };
    let corrections: Vec<PublicCorrection> = corrections
        .into_iter()
        .map(|(date, note, claim_ids)| PublicCorrection {
            date,
            note,
            claim_ids,
        })
        .collect();
    let article = PublicArticleRef {
        title: article.title,
        url: article.url,
        outlet: article.outlet,
        author: article.author,
        published_at: article.published_at,
    };
    let mut page = PublicArticle {
        slug: publication.slug,
        headline: publication.headline,
        summary: publication.summary,
        revision: publication.revision,
        published_at: publication.published_at,
        updated_at: <[PublicCorrection]>::first(&corrections).map(|c| c.date),
        url,
        newsroom,
        article,
        claims,
        corrections,
        claim_reviews: Vec::new(),
    };
    page.claim_reviews = page
        .claims
        .iter()
        .map(|c| claim_review::build(&page, c))
        .collect();
    page
}

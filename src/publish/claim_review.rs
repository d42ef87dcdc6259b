//! schema.org ClaimReview, one per published claim, as Google's fact-check markup
//! documentation describes it.

use serde_json::{Value, json};

use crate::publish::{PublicArticle, PublicClaim};

pub fn build(page: &PublicArticle, claim: &PublicClaim) -> Value {
    let mut rating = json!({
        "@type": "Rating",
        "alternateName": claim.rating_label,
        "ratingExplanation": claim.summary,
    });
    if let Some(value) = claim.claim_review_value {
        rating["ratingValue"] = json!(value);
        rating["bestRating"] = json!(5);
        rating["worstRating"] = json!(1);
    }
    let mut author = json!({"@type": "Organization", "name": page.newsroom.name});
    if let Some(url) = &page.newsroom.url {
        author["url"] = json!(url);
    }
    let mut item = json!({"@type": "Claim"});
    if let Some(claimant) = &claim.claimant {
        item["author"] = json!({"@type": "Person", "name": claimant});
    }
    if let Some(date) = claim.claimed_at.or(page.article.published_at) {
        item["datePublished"] = json!(date.format("%Y-%m-%d").to_string());
    }
    if let Some(url) = &page.article.url {
        item["appearance"] =
            json!({"@type": "CreativeWork", "url": url, "headline": page.article.title});
    }
    let mut review = json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": format!("{}#{}", page.url, claim.anchor),
        "claimReviewed": claim.statement,
        "datePublished": claim.published_at.format("%Y-%m-%d").to_string(),
        "author": author,
        "itemReviewed": item,
        "reviewRating": rating,
        "citation": claim.sources.iter().map(|s| {
            let mut c = json!({"@type": "CreativeWork", "url": s.url});
            if !s.title.is_empty() {
                c["name"] = json!(s.title);
            }
            c
        }).collect::<Vec<_>>(),
    });
    let corrections: Vec<&crate::publish::PublicCorrection> = page
        .corrections
        .iter()
        .filter(|c| c.claim_ids.is_empty() || c.claim_ids.contains(&claim.id))
        .collect();
    if !corrections.is_empty() {
        review["correction"] = json!(
            corrections
                .iter()
                .map(|c| json!({
                    "@type": "CorrectionComment",
                    "text": c.note,
                    "datePublished": c.date.format("%Y-%m-%d").to_string(),
                }))
                .collect::<Vec<_>>()
        );
        review["dateModified"] = json!(corrections[0].date.format("%Y-%m-%d").to_string());
    }
    review
}

/// JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` escaped so
/// that no user text can close the element.
pub fn to_script_json(value: &Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

//! The desk at a glance, and how far its independent reviewers agree.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::{App, AppResult};
use crate::db;
use crate::domain::agreement::{self, Metric};
use crate::domain::policy::{self, Actor};
use crate::domain::validation::FieldError;

pub use crate::db::stats::Stats;

pub async fn get(app: &App, actor: &Actor) -> AppResult<Stats> {
    policy::may_see_stats(actor)?;
    let mut conn = app.db().await?;
    Ok(db::stats::load(&mut conn).await?)
}

/// How far independent reviewers agree, over the claims two or more of them rated.
#[derive(Serialize, ToSchema)]
pub struct Agreement {
    pub desk: DeskAgreement,
    /// Per pair of reviewers who rated the same claims.
    pub pairs: Vec<PairAgreement>,
}

#[derive(Serialize, ToSchema)]
pub struct DeskAgreement {
    /// Claims with at least two independent ratings.
    pub claims: usize,
    /// The share of reviewer pairs on a claim who gave the same rating (0 to 1).
    pub percent_agreement: Option<f64>,
    /// Krippendorff's alpha, ordinal, over the ratings on the 1–5 scale (ratings off
    /// the scale, such as "misleading", count as missing).
    pub krippendorff_alpha: Option<f64>,
    /// Krippendorff's alpha, nominal, over every rating label.
    pub krippendorff_alpha_nominal: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct PairAgreement {
    pub reviewer_ids: [Uuid; 2],
    pub reviewer_names: [String; 2],
    /// Claims both rated.
    pub claims: usize,
    pub percent_agreement: Option<f64>,
    pub cohen_kappa: Option<f64>,
}

/// Agreement statistics over the claims whose last independent rating came in within
/// [`from`, `to`] (dates or times), from each reviewer's first submitted proposal (the
/// rating they gave before seeing anyone else's).
pub async fn agreement(
    app: &App,
    actor: &Actor,
    from: Option<&str>,
    to: Option<&str>,
) -> AppResult<Agreement> {
    policy::may_see_stats(actor)?;
    let mut errors = Vec::new();
    let from = from.and_then(|v| crate::reports::parse_time("from", v, false, &mut errors));
    let to = to.and_then(|v| crate::reports::parse_time("to", v, true, &mut errors));
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        errors.push(FieldError::new("to", "must not be before from"));
    }
    crate::app::error::all_valid(errors)?;
    let mut conn = app.db().await?;
    let ratings = db::reviews::first_ratings(&mut conn, from, to).await?;
    let scale: HashMap<String, Option<i16>> = db::rating_scale::load(&mut conn)
        .await?
        .into_iter()
        .map(|r| (r.key, r.claim_review_value))
        .collect();
    let names: HashMap<Uuid, String> = db::users::names_of(
        &mut conn,
        &ratings.iter().map(|r| r.reviewer_id).collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .collect();
    Ok(compute(&ratings, &scale, &names))
}

/// The statistics of `ratings` (claim, reviewer, rating key), in order of claim.
fn compute(
    ratings: &[db::reviews::FirstRating],
    scale: &HashMap<String, Option<i16>>,
    names: &HashMap<Uuid, String>,
) -> Agreement {
    let mut by_claim: BTreeMap<Uuid, Vec<(Uuid, &str)>> = BTreeMap::new();
    for r in ratings {
        by_claim
            .entry(r.claim_id)
            .or_default()
            .push((r.reviewer_id, r.rating.as_str()));
    }
    let codes = agreement::label_codes(ratings.iter().map(|r| r.rating.as_str()));
    let mut desk_pairs: Vec<(&str, &str)> = Vec::new();
    let mut per_pair: BTreeMap<(Uuid, Uuid), Vec<(&str, &str)>> = BTreeMap::new();
    let mut ordinal_units = Vec::new();
    let mut nominal_units = Vec::new();
    for rated in by_claim.values() {
        for (i, (a, ra)) in rated.iter().enumerate() {
            for (b, rb) in &rated[i + 1..] {
                desk_pairs.push((ra, rb));
                let (key, pair) = if a < b {
                    ((*a, *b), (*ra, *rb))
                } else {
                    ((*b, *a), (*rb, *ra))
                };
                per_pair.entry(key).or_default().push(pair);
            }
        }
        ordinal_units.push(
            rated
                .iter()
                .map(|(_, r)| scale.get(*r).copied().flatten().map(i64::from))
                .collect::<Vec<_>>(),
        );
        nominal_units.push(rated.iter().map(|(_, r)| codes.get(r).copied()).collect());
    }
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    Agreement {
        desk: DeskAgreement {
            claims: by_claim.len(),
            percent_agreement: agreement::percent_agreement(&desk_pairs),
            krippendorff_alpha: agreement::krippendorff_alpha(&ordinal_units, Metric::Ordinal),
            krippendorff_alpha_nominal: agreement::krippendorff_alpha(
                &nominal_units,
                Metric::Nominal,
            ),
        },
        pairs: per_pair
            .into_iter()
            .map(|((a, b), pairs)| PairAgreement {
                reviewer_ids: [a, b],
                reviewer_names: [name(&a), name(&b)],
                claims: pairs.len(),
                percent_agreement: agreement::percent_agreement(&pairs),
                cohen_kappa: agreement::cohen_kappa(&pairs),
            })
            .collect(),
    }
}

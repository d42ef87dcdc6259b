//! What publishing an article would do, and what stops it. At least one claim must be
//! approved with its approved verdict and a source the public can open (or already be
//! published); claims still being checked are left out and go public when approved and
//! the article is republished. A republication needs a claim that is new since the last
//! one, unless the page is being restored after a takedown or its text changes.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::workflow::Status;

/// What the plan needs to know of each claim of the article.
#[derive(Clone, Debug)]
pub struct ClaimToPublish {
    pub id: Uuid,
    pub statement: String,
    pub status: Status,
    pub has_approved_verdict: bool,
    /// Its sources include one with a public http(s) URL.
    pub has_public_source: bool,
}

/// A claim that publishing now leaves out, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct LeftOut {
    pub claim_id: Uuid,
    pub statement: String,
    pub status: Status,
    /// "it is in review; it goes public when approved and the article is republished".
    pub reason: String,
}

/// Why publishing now would be refused, whatever the headline and summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = PublishRefusal)]
pub enum Refusal {
    /// No claim is approved with a public source, and none is public already.
    NothingApproved,
    /// Everything included is public already with the same verdicts: a republication
    /// needs a newly approved claim, a new headline or summary, or a page to restore.
    NothingNew,
}

/// What publishing now would do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct PublishPlan {
    /// Approved claims that go public with their approved verdict.
    pub to_publish: Vec<Uuid>,
    /// Claims published before, which keep the verdict they were published with.
    pub kept: Vec<Uuid>,
    /// Claims not on the page this time (still being checked, or approved without a
    /// public source), with the reason.
    pub left_out: Vec<LeftOut>,
    pub dropped: Vec<Uuid>,
    /// Why publishing with the headline and summary as they are would be refused; none
    /// when it may go ahead. `nothing_new` goes away with a new headline or summary.
    pub refusal: Option<Refusal>,
}

impl PublishPlan {
    pub fn with_refusal(mut self, republication: Republication) -> Self {
        self.refusal = check(&self, republication).err();
        self
    }
}

pub fn plan(claims: &[ClaimToPublish]) -> PublishPlan {
    let mut plan = PublishPlan::default();
    for c in claims {
        let reason = match c.status {
            Status::Dropped => {
                plan.dropped.push(c.id);
                continue;
            }
            Status::Published => {
                plan.kept.push(c.id);
                continue;
            }
            Status::Approved if !c.has_public_source => {
                "its verdict cites no source with a public http(s) URL".to_string()
            }
            Status::Approved if !c.has_approved_verdict => "it has no approved verdict".to_string(),
            Status::Approved => {
                plan.to_publish.push(c.id);
                continue;
            }
            Status::Draft => "it is a draft, not yet assigned".to_string(),
            other => format!(
                "it is {}; it goes public when approved and the article is republished",
                other.words()
            ),
        };
        plan.left_out.push(LeftOut {
            claim_id: c.id,
            statement: c.statement.clone(),
            status: c.status,
            reason,
        });
    }
    plan
}

/// Why a republication may go ahead without a newly approved claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Republication {
    /// Nothing published yet, or the same page again: something new is needed.
    Plain,
    /// The page was taken down: publishing restores it as it was.
    Restoring,
    /// The headline or summary changes: a new revision of the same verdicts.
    NewText,
}

/// Whether `plan` may be published: something must be on the page, and a
/// republication needs a newly approved claim unless it restores a page that was
/// taken down or changes its headline or summary.
pub fn check(plan: &PublishPlan, republication: Republication) -> Result<(), Refusal> {
    if plan.to_publish.is_empty() {
        if plan.kept.is_empty() {
            return Err(Refusal::NothingApproved);
        }
        if republication == Republication::Plain {
            return Err(Refusal::NothingNew);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(status: Status, verdict: bool, source: bool) -> ClaimToPublish {
        ClaimToPublish {
            id: Uuid::new_v4(),
            statement: "S".into(),
            status,
            has_approved_verdict: verdict,
            has_public_source: source,
        }
    }

    #[test]
    fn approved_claims_with_a_public_source_go_public_and_the_rest_waits() {
        let ok = claim(Status::Approved, true, true);
        let kept = claim(Status::Published, true, true);
        let gone = claim(Status::Dropped, false, false);
        let open = claim(Status::InReview, false, true);
        let draft = claim(Status::Draft, false, false);
        let unsourced = claim(Status::Approved, true, false);
        let p = plan(&[
            ok.clone(),
            kept.clone(),
            gone.clone(),
            open.clone(),
            draft.clone(),
            unsourced.clone(),
        ]);
        assert_eq!(
            (&p.to_publish, &p.kept, &p.dropped),
            (&vec![ok.id], &vec![kept.id], &vec![gone.id])
        );
        let left: Vec<(Uuid, &str)> = p
            .left_out
            .iter()
            .map(|l| (l.claim_id, l.reason.as_str()))
            .collect();
        assert_eq!(
            left,
            vec![
                (
                    open.id,
                    "it is in review; it goes public when approved and the article is republished"
                ),
                (draft.id, "it is a draft, not yet assigned"),
                (
                    unsourced.id,
                    "its verdict cites no source with a public http(s) URL"
                ),
            ]
        );
        // Claims still being checked do not stop the approved one.
        assert_eq!(check(&p, Republication::Plain), Ok(()));
        assert_eq!(p.with_refusal(Republication::Plain).refusal, None);
    }

    #[test]
    fn one_approved_claim_with_a_public_source_is_needed() {
        use Republication::*;
        assert_eq!(check(&plan(&[]), Plain), Err(Refusal::NothingApproved));
        let waiting = plan(&[
            claim(Status::InReview, false, true),
            claim(Status::Approved, true, false),
        ]);
        assert_eq!(check(&waiting, Plain), Err(Refusal::NothingApproved));
        assert_eq!(check(&waiting, NewText), Err(Refusal::NothingApproved));
        assert_eq!(
            waiting.with_refusal(Restoring).refusal,
            Some(Refusal::NothingApproved)
        );
    }

    #[test]
    fn something_new_is_needed_unless_restoring_or_new_text() {
        use Republication::*;
        let kept = claim(Status::Published, true, true);
        let open = claim(Status::Submitted, true, true);
        let p = plan(&[kept, open]);
        assert_eq!(check(&p, Plain), Err(Refusal::NothingNew));
        assert!(check(&p, Restoring).is_ok());
        assert!(check(&p, NewText).is_ok());
        assert_eq!(p.with_refusal(Plain).refusal, Some(Refusal::NothingNew));
    }
}

//! What publishing an article would do, and what stops it: every claim that is not
//! dropped must be approved (with its approved verdict and a source the public can
//! open) or already published, and at least one claim must be new since the last
//! publication (unless the page is being restored after a takedown).

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

/// A claim that stops publication, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Blocker {
    pub claim_id: Uuid,
    pub statement: String,
    pub status: Status,
    pub reason: String,
}

/// What publishing now would do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct PublishPlan {
    /// Approved claims that go public with their approved verdict.
    pub to_publish: Vec<Uuid>,
    /// Claims published before, which keep the verdict they were published with.
    pub kept: Vec<Uuid>,
    /// Claims that must be approved (or dropped) first.
    pub blocking: Vec<Blocker>,
    pub dropped: Vec<Uuid>,
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
                Some("its verdict cites no source with a public http(s) URL".to_string())
            }
            Status::Approved if !c.has_approved_verdict => {
                Some("it has no approved verdict".to_string())
            }
            Status::Approved => {
                plan.to_publish.push(c.id);
                None
            }
            Status::Draft => Some("it is a draft; assign, approve or drop it first".to_string()),
            other => Some(format!("it is {}; approve or drop it first", other.words())),
        };
        if let Some(reason) = reason {
            plan.blocking.push(Blocker {
                claim_id: c.id,
                statement: c.statement.clone(),
                status: c.status,
                reason,
            });
        }
    }
    plan
}

/// Why publishing is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    NoClaims,
    NothingNew,
    Blocked(Vec<Blocker>),
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

/// Whether `plan` may be published. A republication needs a newly approved claim,
/// unless it restores a page that was taken down or changes its headline or summary.
pub fn check(plan: &PublishPlan, republication: Republication) -> Result<(), Refusal> {
    if !plan.blocking.is_empty() {
        return Err(Refusal::Blocked(plan.blocking.clone()));
    }
    if plan.to_publish.is_empty() {
        if plan.kept.is_empty() {
            return Err(Refusal::NoClaims);
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
    fn every_live_claim_must_be_approved_with_a_public_source_or_published() {
        let ok = claim(Status::Approved, true, true);
        let kept = claim(Status::Published, true, true);
        let gone = claim(Status::Dropped, false, false);
        let p = plan(&[ok.clone(), kept.clone(), gone.clone()]);
        assert_eq!(
            (p.to_publish, p.kept, p.dropped),
            (vec![ok.id], vec![kept.id], vec![gone.id])
        );
        assert!(check(&plan(&[ok.clone(), gone]), Republication::Plain).is_ok());

        let open = claim(Status::InReview, false, true);
        let Err(Refusal::Blocked(b)) =
            check(&plan(&[ok.clone(), open.clone()]), Republication::Plain)
        else {
            panic!("blocked")
        };
        assert_eq!(b[0].claim_id, open.id);
        assert_eq!(b[0].reason, "it is in review; approve or drop it first");
        let draft = claim(Status::Draft, false, false);
        assert_eq!(
            plan(&[draft]).blocking[0].reason,
            "it is a draft; assign, approve or drop it first"
        );
        let unsourced = claim(Status::Approved, true, false);
        assert!(matches!(
            check(&plan(&[unsourced]), Republication::Plain),
            Err(Refusal::Blocked(_))
        ));
    }

    #[test]
    fn something_new_is_needed_unless_restoring_or_new_text() {
        use Republication::*;
        assert_eq!(check(&plan(&[]), Plain), Err(Refusal::NoClaims));
        let kept = claim(Status::Published, true, true);
        assert_eq!(
            check(&plan(std::slice::from_ref(&kept)), Plain),
            Err(Refusal::NothingNew)
        );
        assert!(check(&plan(std::slice::from_ref(&kept)), Restoring).is_ok());
        assert!(check(&plan(&[kept]), NewText).is_ok());
        // New text never makes an empty page.
        assert_eq!(check(&plan(&[]), NewText), Err(Refusal::NoClaims));
    }
}

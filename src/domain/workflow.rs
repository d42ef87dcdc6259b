//! The claim state machine (docs/workflow.md): pure, no I/O. Every caller (HTTP, the
//! command line, jobs) asks it what an action does and which actions a caller may
//! take; the tests walk every (state, action, role) triple. The verdict's own states
//! are here too.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::role::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Assigned,
    InReview,
    Submitted,
    Approved,
    Published,
    Dropped,
}

pub const ALL_STATUSES: [Status; 7] = [
    Status::Draft,
    Status::Assigned,
    Status::InReview,
    Status::Submitted,
    Status::Approved,
    Status::Published,
    Status::Dropped,
];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Assigned => "assigned",
            Self::InReview => "in_review",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Published => "published",
            Self::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ALL_STATUSES.into_iter().find(|st| st.as_str() == s)
    }

    /// "in review".
    pub fn words(self) -> String {
        self.as_str().replace('_', " ")
    }

    /// Sources and the verdict are frozen while an editor reviews or after approval.
    pub fn evidence_locked(self) -> bool {
        matches!(
            self,
            Self::Submitted | Self::Approved | Self::Published | Self::Dropped
        )
    }

    /// Still being checked: counts towards workload and can be overdue.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Assigned | Self::InReview | Self::Submitted)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Assign,
    Unassign,
    Start,
    Submit,
    Withdraw,
    RequestChanges,
    Approve,
    Publish,
    Reopen,
    Drop,
    Restore,
}

pub const ALL_ACTIONS: [Action; 11] = [
    Action::Assign,
    Action::Unassign,
    Action::Start,
    Action::Submit,
    Action::Withdraw,
    Action::RequestChanges,
    Action::Approve,
    Action::Publish,
    Action::Reopen,
    Action::Drop,
    Action::Restore,
];

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Assign => "assign",
            Self::Unassign => "unassign",
            Self::Start => "start",
            Self::Submit => "submit",
            Self::Withdraw => "withdraw",
            Self::RequestChanges => "request_changes",
            Self::Approve => "approve",
            Self::Publish => "publish",
            Self::Reopen => "reopen",
            Self::Drop => "drop",
            Self::Restore => "restore",
        }
    }

    /// Actions whose reason is recorded as a comment, and which need one.
    pub fn needs_comment(self) -> bool {
        matches!(self, Self::RequestChanges | Self::Reopen | Self::Drop)
    }
}

/// The statuses of a claim still being checked (see [`Status::is_open`]), for queries.
pub const OPEN_STATUSES: [Status; 3] = [Status::Assigned, Status::InReview, Status::Submitted];

/// The statuses in which a reviewer owes work by the due time: reminders and overdue
/// notices go out only for these (a submitted claim waits on the editor).
pub const AWAITING_REVIEWER: [Status; 2] = [Status::Assigned, Status::InReview];

/// `statuses` as an SQL list of literals, `'assigned', 'in_review', 'submitted'`: for
/// the hand-written statements that filter on them (the names are fixed identifiers,
/// never input).
pub fn sql_list(statuses: &[Status]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How urgent a claim is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

pub const ALL_PRIORITIES: [Priority; 4] = [
    Priority::Low,
    Priority::Normal,
    Priority::High,
    Priority::Urgent,
];

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ALL_PRIORITIES.into_iter().find(|p| p.as_str() == s)
    }

    /// Sorting weight: urgent first.
    pub fn rank(self) -> i32 {
        match self {
            Self::Urgent => 3,
            Self::High => 2,
            Self::Normal => 1,
            Self::Low => 0,
        }
    }
}

/// The verdict's own states. A claim has at most one draft, shared by its reviewers;
/// submitting freezes it, approving keeps it as the approved verdict (the one before
/// is superseded), and withdrawing or sending back makes it a draft again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerdictState {
    Draft,
    Submitted,
    Approved,
    Superseded,
}

pub const ALL_VERDICT_STATES: [VerdictState; 4] = [
    VerdictState::Draft,
    VerdictState::Submitted,
    VerdictState::Approved,
    VerdictState::Superseded,
];

impl VerdictState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ALL_VERDICT_STATES.into_iter().find(|v| v.as_str() == s)
    }
}

/// What a claim transition does to its verdicts: which verdict moves from which state
/// to which (applied in order).
pub fn verdict_moves(action: Action) -> &'static [(VerdictState, VerdictState)] {
    use VerdictState as V;
    match action {
        Action::Submit => &[(V::Draft, V::Submitted)],
        Action::Withdraw | Action::RequestChanges => &[(V::Submitted, V::Draft)],
        Action::Approve => &[(V::Approved, V::Superseded), (V::Submitted, V::Approved)],
        _ => &[],
    }
}

/// The past tense of an action, for messages: "cannot be approved".
pub fn past(action: Action) -> &'static str {
    match action {
        Action::Assign => "assigned",
        Action::Unassign => "unassigned",
        Action::Start => "started",
        Action::Submit => "submitted",
        Action::Withdraw => "withdrawn",
        Action::RequestChanges => "sent back",
        Action::Approve => "approved",
        Action::Publish => "published",
        Action::Reopen => "reopened",
        Action::Drop => "dropped",
        Action::Restore => "restored",
    }
}

/// How the comment an action needs is recorded: "Changes requested: …".
pub fn comment_label(action: Action) -> &'static str {
    match action {
        Action::RequestChanges => "Changes requested",
        Action::Reopen => "Reopened",
        Action::Drop => "Dropped",
        _ => "Note",
    }
}

/// What the machine needs to know about the claim and the caller.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    pub role: Role,
    /// The caller is one of the claim's reviewers.
    pub is_assigned: bool,
    /// How many reviewers the claim has (after the change, for `unassign`: before it).
    pub reviewers: usize,
    pub ever_published: bool,
    /// The claim asks for independent reviews: each reviewer submits their own.
    pub review: Option<Independent>,
}

/// Where a claim's independent reviews stand, for the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Independent {
    /// How many of the other reviewers have submitted their proposal.
    pub others_submitted: usize,
    /// The caller's own proposal is submitted.
    pub mine_submitted: bool,
}

/// Fewer reviewers than this and an independent review cannot be submitted.
pub const INDEPENDENT_REVIEWERS: usize = 2;

/// Whether a new claim asks for independent reviews when its editor does not say: the
/// newsroom's setting makes it the default for high and urgent claims.
pub fn independent_by_default(for_high_priority: bool, priority: Priority) -> bool {
    for_high_priority && matches!(priority, Priority::High | Priority::Urgent)
}

#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The caller's role may never do this.
    NotPermitted,
    /// Not from this state.
    WrongState,
}

fn is_editor(role: Role) -> bool {
    matches!(role, Role::Editor | Role::Admin)
}

/// The status after `action`, or why it is refused.
pub fn next(status: Status, action: Action, ctx: Context) -> Result<Status, Refusal> {
    use Action as A;
    use Status as S;
    let editor = is_editor(ctx.role);
    let reviewer = ctx.role == Role::Reviewer && ctx.is_assigned;
    let who_ok = match action {
        A::Start | A::Submit | A::Withdraw => reviewer,
        _ => editor,
    };
    if !who_ok {
        return Err(Refusal::NotPermitted);
    }
    let to = match (action, status) {
        (A::Assign, S::Draft) => S::Assigned,
        (A::Assign, S::Assigned | S::InReview | S::Submitted) => status,
        (A::Unassign, S::Assigned | S::InReview) if ctx.reviewers <= 1 => S::Draft,
        (A::Unassign, S::Draft | S::Assigned | S::InReview | S::Submitted) => status,
        (A::Start, S::Assigned) => S::InReview,
        // An independent review: the caller submits their own proposal; the claim is
        // submitted with the last one, and needs two reviewers for that.
        (A::Submit, S::InReview) if ctx.review.is_some() => match ctx.review {
            Some(r) if ctx.reviewers < INDEPENDENT_REVIEWERS || r.mine_submitted => {
                return Err(Refusal::WrongState);
            }
            Some(r) if r.others_submitted + 1 >= ctx.reviewers => S::Submitted,
            _ => S::InReview,
        },
        (A::Submit, S::InReview) => S::Submitted,
        // Taking back one's own proposal before the others are in.
        (A::Withdraw, S::InReview) if ctx.review.is_some_and(|r| r.mine_submitted) => S::InReview,
        (A::Withdraw, S::Submitted) => S::InReview,
        (A::RequestChanges, S::Submitted) => S::InReview,
        (A::Approve, S::Submitted) => S::Approved,
        (A::Publish, S::Approved) => S::Published,
        (A::Reopen, S::Approved | S::Published) => S::InReview,
        (A::Drop, S::Draft | S::Assigned | S::InReview | S::Submitted | S::Approved)
            if !ctx.ever_published =>
        {
            S::Dropped
        }
        (A::Restore, S::Dropped) if ctx.reviewers > 0 => S::Assigned,
        (A::Restore, S::Dropped) => S::Draft,
        _ => return Err(Refusal::WrongState),
    };
    Ok(to)
}

/// Every action the caller may take now. `unassign` needs a reviewer to remove.
pub fn allowed_actions(status: Status, ctx: Context) -> Vec<Action> {
    ALL_ACTIONS
        .into_iter()
        .filter(|a| !(*a == Action::Unassign && ctx.reviewers == 0))
        .filter(|a| next(status, *a, ctx).is_ok())
        .collect()
}

/// An article's derived status (DESIGN.md section 2), from its claims' statuses and
/// whether any claim was ever assigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    Checking,
    Ready,
    Published,
}

pub fn article_status(claims: &[Status], ever_assigned: bool) -> ArticleStatus {
    let live: Vec<Status> = claims
        .iter()
        .copied()
        .filter(|s| *s != Status::Dropped)
        .collect();
    if !ever_assigned || live.is_empty() {
        return ArticleStatus::Draft;
    }
    if live.iter().all(|s| *s == Status::Published) {
        return ArticleStatus::Published;
    }
    let done = live
        .iter()
        .all(|s| matches!(s, Status::Approved | Status::Published));
    if done && live.contains(&Status::Approved) {
        ArticleStatus::Ready
    } else {
        ArticleStatus::Checking
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use Status as S;

    const ROLES: [Role; 3] = [Role::Admin, Role::Editor, Role::Reviewer];

    /// The whole table of DESIGN.md section 2, written out once more by hand: for each
    /// (state, action) the result for an editor and for an assigned reviewer, with one
    /// reviewer on the claim and never published.
    fn expected(status: S, action: A, role: Role, assigned: bool) -> Option<S> {
        let editor = matches!(role, Role::Admin | Role::Editor);
        let reviewer = role == Role::Reviewer && assigned;
        match (action, status) {
            (A::Assign, S::Draft) if editor => Some(S::Assigned),
            (A::Assign, S::Assigned | S::InReview | S::Submitted) if editor => Some(status),
            (A::Unassign, S::Assigned | S::InReview) if editor => Some(S::Draft),
            (A::Unassign, S::Draft | S::Submitted) if editor => Some(status),
            (A::Start, S::Assigned) if reviewer => Some(S::InReview),
            (A::Submit, S::InReview) if reviewer => Some(S::Submitted),
            (A::Withdraw, S::Submitted) if reviewer => Some(S::InReview),
            (A::RequestChanges, S::Submitted) if editor => Some(S::InReview),
            (A::Approve, S::Submitted) if editor => Some(S::Approved),
            (A::Publish, S::Approved) if editor => Some(S::Published),
            (A::Reopen, S::Approved | S::Published) if editor => Some(S::InReview),
            (A::Drop, S::Draft | S::Assigned | S::InReview | S::Submitted | S::Approved)
                if editor =>
            {
                Some(S::Dropped)
            }
            (A::Restore, S::Dropped) if editor => Some(S::Assigned),
            _ => None,
        }
    }

    #[test]
    fn every_state_action_and_role() {
        let mut checked = 0;
        for status in ALL_STATUSES {
            for action in ALL_ACTIONS {
                for role in ROLES {
                    for assigned in [false, true] {
                        let ctx = Context {
                            role,
                            is_assigned: assigned,
                            reviewers: 1,
                            ever_published: false,
                            review: None,
                        };
                        let got = next(status, action, ctx).ok();
                        assert_eq!(
                            got,
                            expected(status, action, role, assigned),
                            "{status:?} {action:?} {role:?} assigned={assigned}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 7 * 11 * 3 * 2);
    }

    #[test]
    fn refusals_say_whether_the_role_or_the_state_is_wrong() {
        let reviewer = Context {
            role: Role::Reviewer,
            is_assigned: true,
            reviewers: 1,
            ever_published: false,
            review: None,
        };
        assert_eq!(
            next(S::Submitted, A::Approve, reviewer),
            Err(Refusal::NotPermitted)
        );
        assert_eq!(
            next(S::Draft, A::Submit, reviewer),
            Err(Refusal::WrongState)
        );
        let stranger = Context {
            is_assigned: false,
            ..reviewer
        };
        assert_eq!(
            next(S::InReview, A::Submit, stranger),
            Err(Refusal::NotPermitted)
        );
    }

    #[test]
    fn unassigning_the_last_reviewer_returns_to_draft_but_not_from_submitted() {
        let editor = |reviewers| Context {
            role: Role::Editor,
            is_assigned: false,
            reviewers,
            ever_published: false,
            review: None,
        };
        assert_eq!(next(S::InReview, A::Unassign, editor(2)), Ok(S::InReview));
        assert_eq!(next(S::InReview, A::Unassign, editor(1)), Ok(S::Draft));
        assert_eq!(next(S::Assigned, A::Unassign, editor(1)), Ok(S::Draft));
        assert_eq!(next(S::Submitted, A::Unassign, editor(1)), Ok(S::Submitted));
        assert_eq!(
            next(S::Approved, A::Unassign, editor(1)),
            Err(Refusal::WrongState)
        );
        assert!(!allowed_actions(S::Draft, editor(0)).contains(&A::Unassign));
    }

    #[test]
    fn a_claim_ever_published_cannot_be_dropped() {
        let editor = Context {
            role: Role::Editor,
            is_assigned: false,
            reviewers: 1,
            ever_published: true,
            review: None,
        };
        // Reopened after publication: in review again, but never droppable.
        assert_eq!(next(S::InReview, A::Drop, editor), Err(Refusal::WrongState));
        assert_eq!(next(S::Approved, A::Drop, editor), Err(Refusal::WrongState));
        assert_eq!(next(S::Published, A::Reopen, editor), Ok(S::InReview));
    }

    #[test]
    fn restore_goes_back_to_assigned_only_with_reviewers() {
        let editor = |reviewers| Context {
            role: Role::Editor,
            is_assigned: false,
            reviewers,
            ever_published: false,
            review: None,
        };
        assert_eq!(next(S::Dropped, A::Restore, editor(0)), Ok(S::Draft));
        assert_eq!(next(S::Dropped, A::Restore, editor(2)), Ok(S::Assigned));
    }

    #[test]
    fn allowed_actions_follow_the_table() {
        let reviewer = Context {
            role: Role::Reviewer,
            is_assigned: true,
            reviewers: 1,
            ever_published: false,
            review: None,
        };
        assert_eq!(allowed_actions(S::Assigned, reviewer), vec![A::Start]);
        assert_eq!(allowed_actions(S::InReview, reviewer), vec![A::Submit]);
        assert_eq!(allowed_actions(S::Submitted, reviewer), vec![A::Withdraw]);
        assert!(allowed_actions(S::Published, reviewer).is_empty());
        let editor = Context {
            role: Role::Editor,
            ..reviewer
        };
        assert_eq!(
            allowed_actions(S::Submitted, editor),
            vec![
                A::Assign,
                A::Unassign,
                A::RequestChanges,
                A::Approve,
                A::Drop
            ]
        );
        assert_eq!(
            allowed_actions(S::Approved, editor),
            vec![A::Publish, A::Reopen, A::Drop]
        );
    }

    #[test]
    fn verdicts_move_with_their_claim() {
        use VerdictState as V;
        assert_eq!(verdict_moves(A::Submit), &[(V::Draft, V::Submitted)]);
        assert_eq!(
            verdict_moves(A::RequestChanges),
            &[(V::Submitted, V::Draft)]
        );
        assert_eq!(verdict_moves(A::Withdraw), &[(V::Submitted, V::Draft)]);
        // The approved verdict before is kept, as superseded.
        assert_eq!(
            verdict_moves(A::Approve),
            &[(V::Approved, V::Superseded), (V::Submitted, V::Approved)]
        );
        for a in [A::Start, A::Reopen, A::Drop, A::Restore, A::Assign] {
            assert!(verdict_moves(a).is_empty(), "{a:?}");
        }
        for v in ALL_VERDICT_STATES {
            assert_eq!(VerdictState::parse(v.as_str()), Some(v));
        }
        assert_eq!(VerdictState::parse("final"), None);
    }

    #[test]
    fn open_statuses_are_the_open_ones() {
        assert_eq!(
            OPEN_STATUSES.to_vec(),
            ALL_STATUSES
                .into_iter()
                .filter(|s| s.is_open())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            sql_list(&OPEN_STATUSES),
            "'assigned', 'in_review', 'submitted'"
        );
        assert!(Priority::Urgent.rank() > Priority::High.rank());
        assert_eq!(Priority::parse("high"), Some(Priority::High));
        assert_eq!(Priority::parse("critical"), None);
    }

    #[test]
    fn article_status_is_derived() {
        use ArticleStatus as AS;
        assert_eq!(article_status(&[S::Draft, S::Draft], false), AS::Draft);
        assert_eq!(article_status(&[S::Assigned, S::Draft], true), AS::Checking);
        assert_eq!(article_status(&[S::Approved, S::Dropped], true), AS::Ready);
        assert_eq!(
            article_status(&[S::Approved, S::Published], true),
            AS::Ready
        );
        assert_eq!(
            article_status(&[S::Published, S::Dropped], true),
            AS::Published
        );
        assert_eq!(
            article_status(&[S::Published, S::InReview], true),
            AS::Checking
        );
        assert_eq!(article_status(&[], false), AS::Draft);
    }

    /// The independent-review rules, against a hand-written expectation for every
    /// state, action and role, with one to three reviewers and every count of others'
    /// proposals in: only submitting and withdrawing a proposal differ.
    #[test]
    fn independent_reviews_wait_for_every_reviewer() {
        let mut checked = 0;
        for status in ALL_STATUSES {
            for action in ALL_ACTIONS {
                for role in ROLES {
                    for reviewers in 1..=3usize {
                        for others in 0..reviewers {
                            for mine in [false, true] {
                                let ctx = Context {
                                    role,
                                    is_assigned: true,
                                    reviewers,
                                    ever_published: false,
                                    review: Some(Independent {
                                        others_submitted: others,
                                        mine_submitted: mine,
                                    }),
                                };
                                let reviewer = role == Role::Reviewer;
                                let want = match (action, status) {
                                    (A::Submit, S::InReview) if reviewer => {
                                        if reviewers < 2 || mine {
                                            None
                                        } else if others + 1 >= reviewers {
                                            Some(S::Submitted)
                                        } else {
                                            Some(S::InReview)
                                        }
                                    }
                                    (A::Withdraw, S::InReview) if reviewer && mine => {
                                        Some(S::InReview)
                                    }
                                    (A::Unassign, S::Assigned | S::InReview)
                                        if reviewers > 1 && !reviewer =>
                                    {
                                        Some(status)
                                    }
                                    (A::Restore, S::Dropped) if !reviewer => Some(S::Assigned),
                                    _ => expected(status, action, role, true),
                                };
                                assert_eq!(
                                    next(status, action, ctx).ok(),
                                    want,
                                    "{status:?} {action:?} {role:?} reviewers={reviewers} others={others} mine={mine}"
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 7 * 11 * 3 * 12);
    }

    #[test]
    fn high_and_urgent_claims_get_independent_reviews_where_the_newsroom_asks() {
        assert!(independent_by_default(true, Priority::Urgent));
        assert!(independent_by_default(true, Priority::High));
        assert!(!independent_by_default(true, Priority::Normal));
        assert!(!independent_by_default(false, Priority::Urgent));
    }
}

//! Bulk work on the claims list: assign several claims to one reviewer with one due
//! time, change their priority, or drop them. One transaction per request; each claim
//! in its own savepoint, so a claim that is refused (not found, wrong state, stale)
//! leaves the others done and is reported with its reason. Every claim gets its own
//! audit event, exactly as the single-claim action writes it.

use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::assignments::{AssignRequest, assign_in, checked_note};
use crate::app::claim_view::{self, ClaimView};
use crate::app::transitions::{find_visible, transition_in};
use crate::app::{App, AppError, AppResult};
use crate::db::{self, Conn, audit::Event};
use crate::domain::policy::{self, Actor};
use crate::domain::time::Timestamp;
use crate::domain::validation::{FieldError, Lines, check_characters};
use crate::domain::workflow::{Action, Priority};

/// At most this many claims per request.
pub const MAX_CLAIMS: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    Assign,
    Priority,
    Drop,
}

// The documented shape (a `oneOf` by `action`, each member closed). Requests are read
// as [`BulkRequest`], whose errors name the field (serde loses the path inside an
// internally tagged enum), and `checked` refuses the fields an action does not take,
// so the two accept the same bodies.
/// One action on several claims; each action takes its own fields, and only those.
#[derive(ToSchema)]
#[schema(as = BulkRequest)]
#[serde(tag = "action", rename_all = "snake_case")]
#[allow(dead_code)]
pub enum BulkRequestSchema {
    /// Assign every claim to one reviewer with one due time (and an optional note).
    Assign {
        /// The claims, at most 200, each once.
        #[schema(min_items = 1, max_items = 200)]
        claim_ids: Vec<Uuid>,
        /// Required; checked with the others, so a 422 names every missing field.
        #[schema(required = true, nullable = false)]
        reviewer_id: Option<Uuid>,
        #[schema(required = true, nullable = false)]
        due_at: Option<Timestamp>,
        #[schema(
            max_length = 2000,
            pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
        )]
        note: Option<String>,
    },
    /// Give every claim a new priority.
    Priority {
        /// The claims, at most 200, each once.
        #[schema(min_items = 1, max_items = 200)]
        claim_ids: Vec<Uuid>,
        #[schema(required = true, nullable = false)]
        priority: Option<Priority>,
    },
    /// Drop every claim, saying why (as for one claim).
    Drop {
        /// The claims, at most 200, each once.
        #[schema(min_items = 1, max_items = 200)]
        claim_ids: Vec<Uuid>,
        #[schema(
            required = true,
            nullable = false,
            min_length = 1,
            max_length = 10000,
            pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
        )]
        comment: Option<String>,
    },
}

/// A bulk request as read (see [`BulkRequestSchema`] for what each action takes).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    pub action: BulkAction,
    /// The claims, at most 200, each once.
    pub claim_ids: Vec<Uuid>,
    /// `assign`: the reviewer and the due time (and an optional note).
    pub reviewer_id: Option<Uuid>,
    pub due_at: Option<Timestamp>,
    pub note: Option<String>,
    /// `priority`: the new priority.
    pub priority: Option<Priority>,
    /// `drop`: why (required, as for one claim).
    pub comment: Option<String>,
}

/// What was asked, checked once for every claim.
enum Checked {
    Assign(AssignRequest, String),
    Priority(Priority),
    Drop(String),
}

fn checked(body: &BulkRequest) -> AppResult<Checked> {
    let mut errors = Vec::new();
    if body.claim_ids.is_empty() {
        errors.push(FieldError::new("claim_ids", "must name at least one claim"));
    }
    if body.claim_ids.len() > MAX_CLAIMS {
        errors.push(FieldError::new(
            "claim_ids",
            format!("must name at most {MAX_CLAIMS} claims"),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(twice) = body.claim_ids.iter().find(|id| !seen.insert(**id)) {
        errors.push(FieldError::new(
            "claim_ids",
            format!("names {twice} more than once"),
        ));
    }
    // Each action takes its own fields only (the documented `oneOf` says so too).
    let given = [
        ("reviewer_id", body.reviewer_id.is_some()),
        ("due_at", body.due_at.is_some()),
        ("note", body.note.is_some()),
        ("priority", body.priority.is_some()),
        ("comment", body.comment.is_some()),
    ];
    let takes: &[&str] = match body.action {
        BulkAction::Assign => &["reviewer_id", "due_at", "note"],
        BulkAction::Priority => &["priority"],
        BulkAction::Drop => &["comment"],
    };
    for (field, present) in given {
        if present && !takes.contains(&field) {
            errors.push(FieldError::new(
                field,
                format!("is not taken when you {}", action_words(body.action)),
            ));
        }
    }
    let missing = |field: &str| {
        FieldError::new(
            field,
            format!("is required to {}", action_words(body.action)),
        )
    };
    let checked = match body.action {
        BulkAction::Assign => match (body.reviewer_id, body.due_at) {
            (Some(reviewer_id), Some(due_at)) => match checked_note(body.note.as_deref()) {
                Ok(note) => Some(Checked::Assign(
                    AssignRequest {
                        reviewer_id,
                        due_at,
                        note: Some(note.clone()),
                    },
                    note,
                )),
                Err(AppError::Validation(mut e)) => {
                    errors.append(&mut e);
                    None
                }
                Err(e) => return Err(e),
            },
            (r, d) => {
                if r.is_none() {
                    errors.push(missing("reviewer_id"));
                }
                if d.is_none() {
                    errors.push(missing("due_at"));
                }
                None
            }
        },
        BulkAction::Priority => match body.priority {
            Some(p) => Some(Checked::Priority(p)),
            None => {
                errors.push(missing("priority"));
                None
            }
        },
        BulkAction::Drop => {
            let comment = body.comment.as_deref().unwrap_or("");
            if let Err(e) = check_characters("comment", comment, Lines::Many) {
                errors.push(e);
            }
            if comment.trim().is_empty() {
                errors.push(missing("comment"));
            } else if comment.chars().count() > 10_000 {
                errors.push(FieldError::new(
                    "comment",
                    "must be at most 10000 characters",
                ));
            }
            Some(Checked::Drop(comment.trim().to_string()))
        }
    };
    crate::app::error::all_valid(errors)?;
    Ok(checked.expect("a valid request is checked"))
}

fn action_words(action: BulkAction) -> &'static str {
    match action {
        BulkAction::Assign => "assign claims",
        BulkAction::Priority => "change their priority",
        BulkAction::Drop => "drop claims",
    }
}

/// Runs `body.action` on each claim; answers each claim's outcome in the order asked.
/// A failure that is not the claim's (the database went away) fails the whole request,
/// and nothing is kept.
pub async fn run(
    app: &App,
    actor: &Actor,
    body: BulkRequest,
) -> AppResult<Vec<(Uuid, AppResult<ClaimView>)>> {
    match body.action {
        BulkAction::Assign => policy::may_assign(actor)?,
        BulkAction::Priority | BulkAction::Drop => policy::may_edit_articles(actor)?,
    }
    let what = checked(&body)?;
    let mut conn = app.db().await?;
    let outcomes = conn
        .transaction::<_, AppError, _>(async |conn| {
            let mut outcomes = Vec::with_capacity(body.claim_ids.len());
            for &id in &body.claim_ids {
                // A nested transaction is a savepoint: a refused claim leaves no trace.
                let one = conn
                    .transaction::<_, AppError, _>(async |conn| {
                        one(app, conn, actor, id, &what).await
                    })
                    .await;
                match one {
                    Err(e @ (AppError::Internal(_) | AppError::Unavailable(_))) => return Err(e),
                    other => outcomes.push((id, other)),
                }
            }
            Ok(outcomes)
        })
        .await?;
    let mut answered = Vec::with_capacity(outcomes.len());
    for (id, outcome) in outcomes {
        answered.push((
            id,
            match outcome {
                Ok(claim) => Ok(claim_view::build_one(&mut conn, actor, claim).await?),
                Err(e) => Err(e),
            },
        ));
    }
    Ok(answered)
}

async fn one(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    id: Uuid,
    what: &Checked,
) -> AppResult<db::claims::Claim> {
    match what {
        Checked::Assign(request, note) => {
            Ok(assign_in(app, conn, actor, id, request, note).await?.0)
        }
        Checked::Drop(comment) => {
            transition_in(app, conn, actor, id, Action::Drop, Some(comment.as_str())).await
        }
        Checked::Priority(priority) => {
            let (before, _) = find_visible(conn, actor, id, true).await?;
            if before.priority == *priority {
                return Ok(before);
            }
            let figure = before.figure();
            let after = db::claims::update(
                conn,
                id,
                db::claims::ClaimEdit {
                    statement: &before.statement,
                    claimant: before.claimant.as_deref(),
                    claimed_at: before.claimed_at,
                    priority: *priority,
                    figure: figure.as_ref(),
                    independent_review: before.independent_review,
                    anchor: None,
                },
            )
            .await?;
            db::audit::record(
                conn,
                Event::of_claim(id, "claim", id, "update")
                    .by(actor.id)
                    .before(&before)
                    .after(&after),
            )
            .await?;
            Ok(after)
        }
    }
}

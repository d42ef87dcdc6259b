//! Assigning reviewers to a claim, with a due time; each newly assigned reviewer gets an
//! email (an outbox row in the same transaction).

use actix_web::{HttpResponse, web};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::policy::Assign;
use crate::auth::session::CurrentUser;
use crate::auth::session::Permitted;
use crate::domain::time::Timestamp;
use crate::email::{self, Email};
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::models::audit;
use crate::models::claim::{self, Assignment, Claim};
use crate::models::user::User;
use crate::routes::auth::format_time;
use crate::routes::claim_view::{self, ClaimView};
use crate::routes::claims::{check, context, set_status, status_of};
use crate::routes::resource;
use crate::routes::users::newsroom_name;
use crate::schema::{articles, assignments, users};
use crate::startup::AppState;
use crate::workflow::Action;

pub fn configure(cfg: &mut web::ServiceConfig) {
    resource!(cfg, "/claims/{id}/assignments", POST => assign_reviewer);
    resource!(cfg, "/claims/{id}/assignments/{user_id}", DELETE => unassign_reviewer);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub reviewer_id: Uuid,
    pub due_at: Timestamp,
    /// What the editor wants the reviewer to look at.
    #[schema(
        max_length = 2000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub note: Option<String>,
}

/// Assign a reviewer (201), or change an assigned reviewer's due time and note (200).
/// Only active reviewers can be assigned.
#[utoipa::path(post, path = "/api/v1/claims/{id}/assignments", tag = "claims", request_body = AssignRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = ClaimView), (status = 200, body = ClaimView, description = "Due time or note changed"),
              (status = 403),
              (status = 404),
              (status = 409),
              (status = 422)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn assign_reviewer(
    state: web::Data<AppState>,
    Permitted(user, _): Permitted<Assign>,
    path: web::Path<Uuid>,
    Json(body): Json<AssignRequest>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let note = body
        .note
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .to_string();
    crate::routes::common::check_characters("note", &note, crate::routes::common::Lines::Many)
        .map_err(|e| AppError::Validation(vec![e]))?;
    if note.chars().count() > 2000 {
        return Err(AppError::validation(
            "note",
            "must be at most 2000 characters",
        ));
    }
    let mut conn = state.db().await?;
    let (claim, created) = conn
        .transaction::<_, AppError, _>(async |conn| {
            let (claim, assigned) = claim::find_visible(conn, &user, id, true).await?;
            let reviewer: Option<User> = users::table
                .find(body.reviewer_id)
                .select(User::as_select())
                .first(conn)
                .await
                .optional()?;
            let Some(reviewer) = reviewer.filter(|r| r.active && r.role == "reviewer") else {
                return Err(AppError::validation(
                    "reviewer_id",
                    "is not an active reviewer",
                ));
            };
            if body.due_at.get() < Utc::now() - chrono::Duration::minutes(1) {
                return Err(AppError::validation("due_at", "must be in the future"));
            }
            let ctx = context(conn, &user, &claim, assigned).await?;
            let to = check(&claim, Action::Assign, ctx)?;
            let existing: Option<Assignment> = assignments::table
                .filter(assignments::claim_id.eq(id))
                .filter(assignments::reviewer_id.eq(reviewer.id))
                .select(Assignment::as_select())
                .first(conn)
                .await
                .optional()?;
            if let Some(before) = existing {
                let after: Assignment = diesel::update(assignments::table.find(before.id))
                    .set((
                        assignments::due_at.eq(body.due_at.get()),
                        assignments::note.eq(&note),
                        assignments::version.eq(assignments::version + 1),
                    ))
                    .returning(Assignment::as_returning())
                    .get_result(conn)
                    .await?;
                audit::record_for_claim(
                    conn,
                    Some(user.id),
                    id,
                    "assignment",
                    after.id,
                    "update",
                    Some(json!(before)),
                    Some(json!(after)),
                )
                .await?;
                return Ok((claim, false));
            }
            let assignment: Assignment = diesel::insert_into(assignments::table)
                .values((
                    assignments::claim_id.eq(id),
                    assignments::reviewer_id.eq(reviewer.id),
                    assignments::assigned_by.eq(user.id),
                    assignments::due_at.eq(body.due_at.get()),
                    assignments::note.eq(&note),
                ))
                .returning(Assignment::as_returning())
                .get_result(conn)
                .await?;
            audit::record_for_claim(
                conn,
                Some(user.id),
                id,
                "assignment",
                assignment.id,
                "create",
                None,
                Some(json!(assignment)),
            )
            .await?;
            let claim = if to != status_of(&claim) {
                set_status(conn, user.id, &claim, Action::Assign, to, None).await?
            } else {
                claim
            };
            email_reviewer(
                conn,
                &state,
                &user,
                &claim,
                &reviewer,
                "assignment",
                Some(&assignment),
            )
            .await?;
            Ok((claim, true))
        })
        .await?;
    let view = claim_view::build_one(&mut conn, &user, claim).await?;
    Ok(if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(view))
}

/// Remove a reviewer from a claim. The draft verdict and the sources stay; when the last
/// reviewer of an assigned or in-review claim leaves, it is a draft again.
#[utoipa::path(delete, path = "/api/v1/claims/{id}/assignments/{user_id}", tag = "claims",
    params(("id" = Uuid, Path), ("user_id" = Uuid, Path)),
    responses((status = 200, body = ClaimView), (status = 403),
              (status = 404),
              (status = 409)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn unassign_reviewer(
    state: web::Data<AppState>,
    Permitted(user, _): Permitted<Assign>,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (id, reviewer_id) = path.into_inner();
    let mut conn = state.db().await?;
    let claim = conn
        .transaction::<_, AppError, _>(async |conn| {
            let (claim, assigned) = claim::find_visible(conn, &user, id, true).await?;
            let assignment: Assignment = assignments::table
                .filter(assignments::claim_id.eq(id))
                .filter(assignments::reviewer_id.eq(reviewer_id))
                .select(Assignment::as_select())
                .first(conn)
                .await
                .optional()?
                .ok_or_else(|| {
                    AppError::NotFound("That user is not assigned to this claim.".into())
                })?;
            let ctx = context(conn, &user, &claim, assigned).await?;
            let to = check(&claim, Action::Unassign, ctx)?;
            diesel::delete(assignments::table.find(assignment.id))
                .execute(conn)
                .await?;
            audit::record_for_claim(
                conn,
                Some(user.id),
                id,
                "assignment",
                assignment.id,
                "delete",
                Some(json!(assignment)),
                None,
            )
            .await?;
            let claim = if to != status_of(&claim) {
                set_status(conn, user.id, &claim, Action::Unassign, to, None).await?
            } else {
                claim
            };
            let reviewer: User = users::table
                .find(reviewer_id)
                .select(User::as_select())
                .first(conn)
                .await?;
            if reviewer.active {
                email_reviewer(conn, &state, &user, &claim, &reviewer, "unassignment", None)
                    .await?;
            }
            Ok(claim)
        })
        .await?;
    let view = claim_view::build_one(&mut conn, &user, claim).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// An assignment or unassignment email: the claim, its article, the due time in the
/// reviewer's time zone and the link.
async fn email_reviewer(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    editor: &CurrentUser,
    claim: &Claim,
    reviewer: &User,
    kind: &str,
    assignment: Option<&Assignment>,
) -> AppResult<()> {
    let (title, outlet): (String, Option<String>) = articles::table
        .find(claim.article_id)
        .select((articles::title, articles::outlet))
        .first(conn)
        .await?;
    let editor_name: String = users::table
        .find(editor.id)
        .select(users::display_name)
        .first(conn)
        .await?;
    let newsroom = newsroom_name(conn).await?;
    email::enqueue(
        conn,
        Email {
            recipient: &reviewer.email,
            cc: vec![],
            kind,
            dedupe_key: None,
        },
        json!({
            "display_name": reviewer.display_name, "newsroom": newsroom, "editor": editor_name,
            "statement": claim.statement, "quote": claim.quote, "claimant": claim.claimant,
            "priority": claim.priority, "article": title, "outlet": outlet,
            "due": assignment.map(|a| format_time(a.due_at, &reviewer.time_zone)),
            "note": assignment.map(|a| a.note.clone()).filter(|n| !n.is_empty()),
            "link": format!("{}/claims/{}", state.settings.public_base(), claim.id),
        }),
    )
    .await?;
    Ok(())
}

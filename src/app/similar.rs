//! Similar earlier claims: what the desk already checked that reads like this one. A
//! reviewer sees only claims already published and their own.

use uuid::Uuid;

use crate::app::transitions::find_visible;
use crate::app::{App, AppResult};
use crate::db::{self, Conn};
use crate::domain::policy::{self, Actor};

pub use crate::db::similar::SimilarClaim;

/// Claims like `text`, best first, excluding `exclude`, as `actor` may see them.
pub async fn find(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    text: &str,
    exclude: Option<Uuid>,
) -> AppResult<Vec<SimilarClaim>> {
    Ok(db::similar::find(
        conn,
        policy::may_see_all_claims(actor),
        actor.id,
        text,
        exclude,
        &app.settings.public_base(),
    )
    .await?)
}

/// The earlier claims whose statements read like this claim's.
pub async fn of_claim(app: &App, actor: &Actor, id: Uuid) -> AppResult<Vec<SimilarClaim>> {
    let mut conn = app.db().await?;
    let (claim, _) = find_visible(&mut conn, actor, id, false).await?;
    find(app, &mut conn, actor, &claim.statement, Some(claim.id)).await
}

/// The earlier claims that read like `text`: the same search the claim page runs on a
/// claim's statement, so the new-claim form and the claim page agree.
pub async fn like_text(app: &App, actor: &Actor, text: &str) -> AppResult<Vec<SimilarClaim>> {
    // The limit is on what was sent, as the OpenAPI document says, before trimming.
    if text.chars().count() > 1000 {
        return Err(crate::app::AppError::validation(
            "text",
            "must be at most 1000 characters",
        ));
    }
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut conn = app.db().await?;
    find(app, &mut conn, actor, text, None).await
}

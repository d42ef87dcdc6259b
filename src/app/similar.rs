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

//! Discussion on a claim, between its editors and reviewers.

use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::claim_view::CommentView;
use crate::app::notifications;
use crate::app::transitions::{add_comment, find_visible};
use crate::app::{App, AppError, AppResult};
use crate::db;
use crate::domain::policy::Actor;
use crate::domain::validation::required_text;

/// The claim's comments, oldest first.
pub async fn list(app: &App, actor: &Actor, claim_id: Uuid) -> AppResult<Vec<CommentView>> {
    let mut conn = app.db().await?;
    find_visible(&mut conn, actor, claim_id, false).await?;
    Ok(db::claims::comments_of(&mut conn, &[claim_id])
        .await?
        .into_iter()
        .map(|(c, name)| CommentView::new(c, name))
        .collect())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    #[schema(
        max_length = 10000,
        pattern = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$"
    )]
    pub body: String,
}

/// Comments on a claim (editors and its reviewers).
pub async fn create(
    app: &App,
    actor: &Actor,
    claim_id: Uuid,
    body: CommentRequest,
) -> AppResult<CommentView> {
    let text = required_text("body", &body.body, 10_000)?;
    let mut conn = app.db().await?;
    let (comment, name) = conn
        .transaction::<_, AppError, _>(async |conn| {
            find_visible(conn, actor, claim_id, false).await?;
            let id = add_comment(conn, actor.id, claim_id, &text).await?;
            // `@Rita Koval` tells Rita, if she may see the claim.
            let link = format!("/claims/{claim_id}#comment-{id}");
            notifications::tell_mentions(conn, actor.id, claim_id, &text, &link).await?;
            Ok(db::claims::comment(conn, id).await?)
        })
        .await?;
    Ok(CommentView::new(comment, name))
}

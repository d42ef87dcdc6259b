//! The desk at a glance.

use crate::app::{App, AppResult};
use crate::db;
use crate::domain::policy::{self, Actor};

pub use crate::db::stats::Stats;

pub async fn get(app: &App, actor: &Actor) -> AppResult<Stats> {
    policy::may_see_stats(actor)?;
    let mut conn = app.db().await?;
    Ok(db::stats::load(&mut conn).await?)
}

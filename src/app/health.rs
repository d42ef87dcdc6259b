//! Readiness: whether the database answers.

use diesel_async::RunQueryDsl;

use crate::app::{App, AppError, AppResult};
use crate::db::CONNECT_TIMEOUT;

/// The database answers within 2 seconds (503 otherwise, never a hang).
pub async fn ready(app: &App) -> AppResult<()> {
    let check = async {
        let mut conn = app.db().await?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await?;
        Ok::<_, AppError>(())
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, check).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            Err(AppError::Unavailable(
                "The database does not answer.".into(),
            ))
        }
        Err(_) => Err(AppError::Unavailable(
            "The database did not answer within 2 seconds.".into(),
        )),
    }
}

//! Migrations are compiled into the binary and run under a PostgreSQL advisory lock,
//! so several instances starting at once take turns instead of racing.

use diesel::RunQueryDsl;
use diesel::pg::Pg;
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Arbitrary but fixed: "factdesk" in ASCII, the advisory-lock key for migrations.
const MIGRATION_LOCK_KEY: i64 = 0x6661_6374_6465_736b;

type SyncConnection = AsyncConnectionWrapper<AsyncPgConnection>;

/// Applies every pending migration; returns the versions applied.
pub async fn run_pending(database_url: &str) -> anyhow::Result<Vec<String>> {
    with_lock(database_url, |conn| {
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("running migrations: {e}"))?;
        Ok(applied.iter().map(|v| v.to_string()).collect())
    })
    .await
}

/// Reverts every applied migration (each `down.sql`), newest first.
pub async fn revert_all(database_url: &str) -> anyhow::Result<Vec<String>> {
    with_lock(database_url, |conn| {
        let reverted = conn
            .revert_all_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("reverting migrations: {e}"))?;
        Ok(reverted.iter().map(|v| v.to_string()).collect())
    })
    .await
}

/// The migration harness is synchronous; it runs on a blocking thread (diesel-async's
/// own async harness panics under a current-thread runtime).
async fn with_lock<T: Send + 'static>(
    database_url: &str,
    work: impl FnOnce(&mut SyncConnection) -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    use diesel::Connection;
    let url = database_url.to_string();
    tokio::task::spawn_blocking(move || {
        let mut conn = SyncConnection::establish(&url)?;
        diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
            .execute(&mut conn)?;
        let result = work(&mut conn);
        diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
            .execute(&mut conn)?;
        result
    })
    .await?
}

/// Whether migrations are pending, for `/readyz` and for tests.
pub async fn pending_count(database_url: &str) -> anyhow::Result<usize> {
    use diesel::Connection;
    let url = database_url.to_string();
    tokio::task::spawn_blocking(move || {
        let mut conn = SyncConnection::establish(&url)?;
        let pending = MigrationHarness::<Pg>::pending_migrations(&mut conn, MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("listing migrations: {e}"))?;
        Ok(pending.len())
    })
    .await?
}

//! The connection pool, the embedded migrations and the embedded PostgreSQL default.

pub mod cached;
pub mod embedded;
pub mod migrations;

use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = Object<AsyncPgConnection>;

/// How long a request waits for a connection, and a connection for the server,
/// before the answer is a 503 rather than a hang.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

pub fn build_pool(database_url: &str, size: usize) -> anyhow::Result<DbPool> {
    // Checking out a connection costs no round trip (no `SELECT 1`): a connection the
    // server closed fails its first query and is then dropped from the pool.
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::Fast;
    let manager =
        AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(database_url, config);
    Ok(Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(CONNECT_TIMEOUT))
        .create_timeout(Some(CONNECT_TIMEOUT))
        .recycle_timeout(Some(CONNECT_TIMEOUT))
        .runtime(deadpool_runtime())
        .build()?)
}

fn deadpool_runtime() -> deadpool::Runtime {
    deadpool::Runtime::Tokio1
}

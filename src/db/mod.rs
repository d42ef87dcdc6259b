//! Rows and queries, one module per table or aggregate; the connection pool, the
//! embedded migrations, the embedded PostgreSQL default and backups. Queries return
//! diesel's `QueryResult`; a missing row is `Option`, for the use case to name.

pub mod articles;
pub mod audit;
pub mod cached;
pub mod claim_views;
pub mod claims;
pub mod dump;
pub mod embedded;
pub mod enums;
pub mod error_reports;
pub mod live;
pub mod migrations;
pub mod notifications;
pub mod outbox;
pub mod publications;
pub mod rating_scale;
pub mod replies;
pub mod reviews;
pub mod schedule;
pub mod schema;
pub mod sessions;
pub mod settings;
pub mod similar;
pub mod sketch;
pub mod stats;
pub mod throttle;
pub mod tokens;
pub mod users;
pub mod webhooks;

use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = Object<AsyncPgConnection>;
pub type Conn = AsyncPgConnection;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// How long a request waits for a connection, and a connection for the server,
/// before the answer is a 503 rather than a hang.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// PostgreSQL's own limit on one statement of a pooled connection, unless the caller
/// says otherwise (`build_pool_with`).
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(5);

pub fn build_pool(database_url: &str, size: usize) -> anyhow::Result<DbPool> {
    build_pool_with(database_url, size, DEFAULT_STATEMENT_TIMEOUT)
}

/// A pool whose connections cancel statements running past `statement_timeout` and end
/// transactions left idle (a request cancelled by its deadline leaves none open: its
/// connection is dropped, see `is_broken`).
pub fn build_pool_with(
    database_url: &str,
    size: usize,
    statement_timeout: Duration,
) -> anyhow::Result<DbPool> {
    // Checking out a connection costs no round trip (no `SELECT 1`): a connection the
    // server closed fails its first query and is then dropped from the pool, and one
    // abandoned inside a transaction (a request past its deadline) is dropped when it
    // comes back.
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::Fast;
    let setup = format!(
        "SET statement_timeout = {}; SET lock_timeout = {}; SET idle_in_transaction_session_timeout = {}",
        statement_timeout.as_millis(),
        statement_timeout.as_millis(),
        (statement_timeout * 4).as_millis(),
    );
    config.custom_setup = Box::new(move |url| {
        let setup = setup.clone();
        Box::pin(async move {
            use diesel_async::{AsyncConnection, SimpleAsyncConnection};
            let mut conn = AsyncPgConnection::establish(url).await?;
            conn.batch_execute(&setup)
                .await
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        })
    });
    let manager =
        AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(database_url, config);
    Ok(Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(CONNECT_TIMEOUT))
        .create_timeout(Some(CONNECT_TIMEOUT))
        .recycle_timeout(Some(CONNECT_TIMEOUT))
        .runtime(deadpool::Runtime::Tokio1)
        .build()?)
}

/// A `%…%` ILIKE pattern matching `text` literally (its `%`, `_` and `\` escaped).
pub fn contains_pattern(text: &str) -> String {
    format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

//! What the subcommands do; `main.rs` only parses the command line.

use std::fmt::Write as _;
use std::net::TcpListener;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use base64::Engine;
use secrecy::{ExposeSecret, SecretString};

use crate::app::App;
use crate::app::auth::password::PasswordPool;
use crate::app::auth::token::TokenKeys;
use crate::app::demo;
use crate::config::{DatabaseSource, Settings};
use crate::db::embedded::EmbeddedPostgres;
use crate::db::{self, migrations};
use crate::email::transport::Transport;
use crate::jobs::email as worker;
use crate::startup::Application;

/// The database the command works on, and the embedded cluster if we run one.
pub struct Database {
    pub url: String,
    pub embedded: Option<EmbeddedPostgres>,
}

impl Database {
    pub async fn open(settings: &Settings) -> anyhow::Result<Self> {
        match &settings.database {
            DatabaseSource::External(url) => Ok(Self {
                url: url.expose_secret().to_string(),
                embedded: None,
            }),
            DatabaseSource::Embedded => {
                let mut pg = EmbeddedPostgres::new(&settings.data_dir)?;
                let url = pg
                    .start()
                    .await
                    .context("starting the embedded PostgreSQL")?;
                if let Some(data_dir) = pg.relocated_from() {
                    eprintln!(
                        "The embedded PostgreSQL cluster is in {} (linked from {}/postgres): it runs as `postgres`, which cannot enter {}.",
                        pg.root().display(),
                        data_dir.display(),
                        data_dir.display()
                    );
                }
                tracing::info!(cluster = %pg.root().display(), socket = %pg.socket_dir().display(), started = pg.started_here(), "embedded PostgreSQL is running");
                Ok(Self {
                    url,
                    embedded: Some(pg),
                })
            }
        }
    }

    pub async fn close(self) {
        if let Some(pg) = self.embedded
            && let Err(e) = pg.stop().await
        {
            tracing::error!(error = %e, "stopping the embedded PostgreSQL");
        }
    }
}

pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let started = Instant::now();
    let database = Database::open(&settings).await?;
    let result = serve_on(&settings, &database.url, started).await;
    database.close().await;
    result
}

async fn serve_on(settings: &Settings, database_url: &str, started: Instant) -> anyhow::Result<()> {
    let applied = migrations::run_pending(database_url).await?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "applied migrations");
    }
    let pool = db::build_pool_with(
        database_url,
        settings.db_pool_size,
        settings.statement_timeout,
    )?;
    sketch_existing_claims(database_url, &applied).await?;
    let passwords = PasswordPool::new()?;
    if settings.is_embedded() {
        seed_embedded(settings, &pool, &passwords).await?;
    }
    let jwt_secret = jwt_secret(settings)?;
    let worker = if settings.email.worker_in_serve {
        let transport = Transport::from_settings(settings)?;
        eprintln!("Emails go to {}.", transport.describe());
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let handle = tokio::spawn(worker::run(
            pool.clone(),
            transport,
            settings.clone(),
            stopped.clone(),
        ));
        let hooks = tokio::spawn(crate::jobs::webhooks::run(
            pool.clone(),
            settings.clone(),
            stopped,
        ));
        Some((stop, handle, hooks))
    } else {
        None
    };
    let listener = TcpListener::bind(settings.listen)
        .with_context(|| format!("binding {} (FACTDESK_LISTEN)", settings.listen))?;
    let live = crate::app::live::LiveHub::start(database_url, pool.clone());
    let app = Application::build(
        App {
            pool,
            settings: settings.clone(),
            passwords,
            tokens: TokenKeys::new(&jwt_secret),
            live,
        },
        listener,
    )?;
    tracing::info!(
        listen = %settings.listen,
        public_url = %settings.public_url,
        startup_ms = started.elapsed().as_millis() as u64,
        "Factdesk is ready"
    );
    eprintln!("Factdesk is running at {}", settings.public_url);
    if let Some(addr) = settings.metrics_listen {
        eprintln!("Prometheus metrics: http://{addr}/metrics (FACTDESK_METRICS_LISTEN)");
    }
    app.run_until_stopped().await?;
    if let Some((stop, handle, hooks)) = worker {
        let _ = stop.send(true);
        let _ = handle.await;
        let _ = hooks.await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// `worker`: the email sender and scheduler alone, for a deployment that runs them
/// apart from the web servers (which then set FACTDESK_WORKER=false).
pub async fn worker(settings: Settings) -> anyhow::Result<()> {
    let database = Database::open(&settings).await?;
    let result = async {
        migrations::run_pending(&database.url).await?;
        let pool = db::build_pool_with(&database.url, 4, settings.statement_timeout)?;
        let transport = Transport::from_settings(&settings)?;
        eprintln!(
            "Factdesk email worker: emails go to {}.",
            transport.describe()
        );
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let handle = tokio::spawn(worker::run(
            pool.clone(),
            transport,
            settings.clone(),
            stopped.clone(),
        ));
        let hooks = tokio::spawn(crate::jobs::webhooks::run(pool, settings.clone(), stopped));
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        let _ = stop.send(true);
        handle.await?;
        hooks.await?;
        Ok(())
    }
    .await;
    database.close().await;
    result
}

/// On the embedded default's first start, seed the demo newsroom and print its logins.
async fn seed_embedded(
    settings: &Settings,
    pool: &db::DbPool,
    passwords: &PasswordPool,
) -> anyhow::Result<()> {
    let mut conn = pool.get().await?;
    let logins_file = settings.data_dir.join("demo-logins.txt");
    match demo::seed_demo(&mut conn, passwords).await? {
        Some(logins) => print_logins(settings, &logins)?,
        None if logins_file.exists() => eprintln!(
            "Demo logins (from the first start) are in {}",
            logins_file.display()
        ),
        None => {}
    }
    Ok(())
}

fn print_logins(settings: &Settings, logins: &[(String, String, String)]) -> anyhow::Result<()> {
    let path = write_logins(&settings.data_dir, logins, settings.public_url.as_str())?;
    eprintln!(
        "\nSeeded the demo newsroom. These passwords are shown once; they are also in {}:",
        path.display()
    );
    for (email, role, password) in logins {
        eprintln!("  {role:<9} {email:<30} {password}");
    }
    eprintln!();
    Ok(())
}

/// `FACTDESK_JWT_SECRET`, or on the embedded default one generated once and kept in the
/// data folder (owner-only), so sessions survive restarts.
pub fn jwt_secret(settings: &Settings) -> anyhow::Result<SecretString> {
    if let Some(secret) = &settings.jwt_secret {
        return Ok(secret.clone());
    }
    load_or_create_secret(&settings.data_dir.join("jwt-secret"))
}

fn load_or_create_secret(path: &Path) -> anyhow::Result<SecretString> {
    use rand::RngCore;
    use std::os::unix::fs::OpenOptionsExt;
    if let Ok(existing) = std::fs::read_to_string(path)
        && existing.trim().len() >= crate::config::MIN_JWT_SECRET_BYTES
    {
        return Ok(SecretString::from(existing.trim().to_string()));
    }
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    std::io::Write::write_all(&mut file, secret.as_bytes())?;
    Ok(SecretString::from(secret))
}

/// Claims written before the statement sketch existed get theirs, once: right after the
/// migration that adds the column.
async fn sketch_existing_claims(database_url: &str, applied: &[String]) -> anyhow::Result<()> {
    use diesel_async::AsyncConnection;
    if !applied.iter().any(|v| v == crate::db::sketch::MIGRATION) {
        return Ok(());
    }
    let mut conn = diesel_async::AsyncPgConnection::establish(database_url).await?;
    let n = crate::db::sketch::backfill(&mut conn).await?;
    tracing::info!(claims = n, "sketched the statements of existing claims");
    Ok(())
}

pub async fn migrate(settings: Settings, revert_all: bool) -> anyhow::Result<()> {
    let database = Database::open(&settings).await?;
    let result = async {
        if revert_all {
            let reverted = migrations::revert_all(&database.url).await?;
            eprintln!("Reverted {} migrations.", reverted.len());
        }
        let applied = migrations::run_pending(&database.url).await?;
        sketch_existing_claims(&database.url, &applied).await?;
        if applied.is_empty() {
            eprintln!("The database is up to date.");
        } else {
            for version in &applied {
                eprintln!("applied {version}");
            }
        }
        Ok(())
    }
    .await;
    database.close().await;
    result
}

pub async fn seed_demo(settings: Settings) -> anyhow::Result<()> {
    let database = Database::open(&settings).await?;
    let result = async {
        migrations::run_pending(&database.url).await?;
        let pool = db::build_pool(&database.url, 2)?;
        let mut conn = pool.get().await?;
        match demo::seed_demo(&mut conn, &PasswordPool::new()?).await? {
            Some(logins) => print_logins(&settings, &logins),
            None => {
                eprintln!("The database already has users; seed-demo seeds only an empty newsroom. Nothing changed.");
                Ok(())
            }
        }
    }
    .await;
    database.close().await;
    result
}

/// `create-user`: an active account with a password, without email (the first admin).
pub async fn create_user(
    settings: Settings,
    email: &str,
    role: &str,
    display_name: &str,
    password_stdin: bool,
) -> anyhow::Result<()> {
    use crate::app::users::describe;
    use crate::domain::role::Role;
    use crate::domain::validation::{check_password_rules, required_line, valid_email};

    let role = Role::parse(role).context("--role must be admin, editor or reviewer")?;
    let email = valid_email("--email", email).map_err(|e| anyhow::anyhow!(describe(&e)))?;
    let name = required_line("--display-name", display_name, 100)
        .map_err(|e| anyhow::anyhow!(describe(&e)))?;
    let password = if password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        let first = rpassword::prompt_password(format!("Password for {email}: "))?;
        let again = rpassword::prompt_password("Again: ")?;
        anyhow::ensure!(first == again, "the two passwords differ");
        first
    };
    check_password_rules("password", &password, &email)
        .map_err(|e| anyhow::anyhow!(describe(&e)))?;

    let database = Database::open(&settings).await?;
    let result = async {
        migrations::run_pending(&database.url).await?;
        let pool = db::build_pool(&database.url, 2)?;
        let hash = PasswordPool::new()?
            .hash(SecretString::from(password))
            .await?;
        let mut conn = pool.get().await?;
        let id = crate::app::users::create_with_password(&mut conn, &email, &name, role, &hash)
            .await
            .map_err(|e| anyhow::anyhow!(e.to_string()))?;
        eprintln!("Created {} {email} ({id}).", role.as_str());
        Ok(())
    }
    .await;
    database.close().await;
    result
}

/// `backup FILE`: the whole database, embedded or `DATABASE_URL`, in pg_dump's custom format.
pub async fn backup(settings: Settings, file: &Path) -> anyhow::Result<()> {
    let database = Database::open(&settings).await?;
    let result = db::dump::backup(&database.url, file).await;
    database.close().await;
    result?;
    eprintln!("Wrote {} (readable only by you).", file.display());
    Ok(())
}

/// `restore FILE [--force]`: loads a backup, then applies migrations newer than it.
pub async fn restore(settings: Settings, file: &Path, force: bool) -> anyhow::Result<()> {
    let database = Database::open(&settings).await?;
    let result = async {
        db::dump::restore(&database.url, file, force).await?;
        let applied = migrations::run_pending(&database.url).await?;
        eprintln!(
            "Restored {}{}.",
            file.display(),
            if applied.is_empty() {
                String::new()
            } else {
                format!(", then applied {} newer migrations", applied.len())
            }
        );
        Ok(())
    }
    .await;
    database.close().await;
    result
}

/// Writes the demo logins to `demo-logins.txt` in the data folder, readable by the
/// owner only.
pub fn write_logins(
    data_dir: &Path,
    logins: &[(String, String, String)],
    url: &str,
) -> anyhow::Result<std::path::PathBuf> {
    use std::os::unix::fs::OpenOptionsExt;
    let path = data_dir.join("demo-logins.txt");
    let mut text = format!("Factdesk demo logins for {url}\n\n");
    for (email, role, password) in logins {
        let _ = writeln!(text, "{role:<9} {email:<30} {password}");
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)?;
    std::io::Write::write_all(&mut file, text.as_bytes())?;
    Ok(path)
}

//! Backups with PostgreSQL's own tools: `pg_dump` in its custom format, `pg_restore`
//! to load it. The tools come from the same PostgreSQL major version as the server
//! (`/usr/lib/postgresql/<major>/bin`, then the embedded default's binaries, then
//! `PATH`), since an older pg_dump refuses a newer server.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Integer};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Integer)]
    major: i32,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn server_major(url: &str) -> anyhow::Result<i32> {
    let mut conn = AsyncPgConnection::establish(url).await?;
    Ok(
        diesel::sql_query("SELECT (current_setting('server_version_num')::int / 10000) AS major")
            .get_result::<Version>(&mut conn)
            .await?
            .major,
    )
}

/// The tool `name` of PostgreSQL `major`.
fn tool(name: &str, major: i32) -> anyhow::Result<PathBuf> {
    let versioned = PathBuf::from(format!("/usr/lib/postgresql/{major}/bin/{name}"));
    if versioned.is_file() {
        return Ok(versioned);
    }
    if let Ok(dir) = crate::db::embedded::find_bin_dir()
        && dir.join(name).is_file()
    {
        return Ok(dir.join(name));
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join(name).is_file() {
                return Ok(dir.join(name));
            }
        }
    }
    bail!(
        "{name} of PostgreSQL {major} is not installed: `sudo apt-get install postgresql-client-{major}`"
    )
}

/// The URL without its password, and the password apart (for `PGPASSWORD`), so it
/// never shows in the process list.
fn split_password(url: &str) -> anyhow::Result<(String, Option<String>)> {
    let mut parsed = url::Url::parse(url).context("the database URL")?;
    let password = parsed.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    let _ = parsed.set_password(None);
    Ok((parsed.to_string(), password))
}

fn run(program: &Path, args: &[&std::ffi::OsStr], url: &str, stdout: Stdio) -> anyhow::Result<()> {
    let (url, password) = split_password(url)?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .arg("--dbname")
        .arg(&url)
        .stdout(stdout)
        .stderr(Stdio::piped());
    if let Some(password) = password {
        cmd.env("PGPASSWORD", password);
    }
    let out = cmd
        .output()
        .with_context(|| format!("running {}", program.display()))?;
    if !out.status.success() {
        bail!(
            "{} failed: {}",
            program.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// Writes the database at `url` to `file` (mode 0600: it holds every account).
pub async fn backup(url: &str, file: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let pg_dump = tool("pg_dump", server_major(url).await?)?;
    let out = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(file)
        .with_context(|| format!("writing {}", file.display()))?;
    let url = url.to_string();
    tokio::task::spawn_blocking(move || {
        run(
            &pg_dump,
            &["--format=custom".as_ref(), "--no-owner".as_ref()],
            &url,
            Stdio::from(out),
        )
    })
    .await?
}

/// How many tables the database's public schema holds.
pub async fn table_count(url: &str) -> anyhow::Result<i64> {
    let mut conn = AsyncPgConnection::establish(url).await?;
    Ok(
        diesel::sql_query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")
            .get_result::<Count>(&mut conn)
            .await?
            .n,
    )
}

/// Loads `file` into the database at `url`. A database holding tables is refused
/// unless `force`, which first empties its public schema.
pub async fn restore(url: &str, file: &Path, force: bool) -> anyhow::Result<()> {
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    let tables = table_count(url).await?;
    if tables > 0 {
        if !force {
            bail!(
                "the database is not empty ({tables} tables); restore refuses to mix a backup into it: pass --force to replace everything it holds"
            );
        }
        let mut conn = AsyncPgConnection::establish(url).await?;
        conn.batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            .await?;
    }
    let pg_restore = tool("pg_restore", server_major(url).await?)?;
    let (url, file) = (url.to_string(), file.to_path_buf());
    tokio::task::spawn_blocking(move || {
        run(
            &pg_restore,
            &[
                "--no-owner".as_ref(),
                "--exit-on-error".as_ref(),
                file.as_os_str(),
            ],
            &url,
            Stdio::null(),
        )
    })
    .await?
}

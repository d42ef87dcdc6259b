//! The embedded default: a private PostgreSQL cluster in the data folder, run from the
//! server binaries installed on the machine, reachable only through a Unix socket in
//! that folder (no TCP port to clash with).
//!
//! A small module around `initdb` and `pg_ctl` rather than the `postgresql_embedded`
//! crate: that crate downloads PostgreSQL unless pointed at a local install, and pulls
//! in reqwest and sqlx besides; all we need is three commands.
//!
//! Run as root, the cluster runs as the `postgres` system user (PostgreSQL refuses
//! root), which must be able to enter the folder that holds it. A data folder under a
//! home only its owner may enter (`/root` is 0700) is out of its reach, and loosening
//! the owner's folders is not ours to do: the cluster then lives under
//! [`RELOCATED_ROOT`], in a folder named after the data folder, and
//! `<data folder>/postgres` is a symbolic link to it.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, bail};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

/// The superuser of the private cluster, and the database Factdesk uses in it.
pub const SUPERUSER: &str = "factdesk";
pub const DATABASE: &str = "factdesk";

/// Unix socket paths are limited to 107 bytes; the socket is `<dir>/.s.PGSQL.5432`.
const MAX_SOCKET_DIR_LEN: usize = 107 - ".s.PGSQL.5432".len() - 1;

/// Where clusters live whose data folder the `postgres` user cannot enter (root only).
pub const RELOCATED_ROOT: &str = "/var/lib/factdesk/clusters";

#[derive(Debug)]
pub struct EmbeddedPostgres {
    root: PathBuf,
    pgdata: PathBuf,
    socket_dir: PathBuf,
    bin_dir: PathBuf,
    /// Set when we run as root: PostgreSQL refuses to, so the cluster runs as this user.
    owner: Option<nix::unistd::User>,
    /// The data folder, when the cluster had to move out of it (see the module docs).
    relocated_from: Option<PathBuf>,
    started_here: bool,
}

impl EmbeddedPostgres {
    /// Prepares (without starting) a cluster under `data_dir/postgres`, or, when the
    /// cluster's user cannot enter `data_dir`, under [`RELOCATED_ROOT`].
    pub fn new(data_dir: &Path) -> anyhow::Result<Self> {
        let bin_dir = find_bin_dir()?;
        fs::create_dir_all(data_dir)
            .with_context(|| format!("creating the data folder {}", data_dir.display()))?;
        let data_dir = fs::canonicalize(data_dir)?;
        let owner = if nix::unistd::geteuid().is_root() {
            Some(nix::unistd::User::from_name("postgres")?.context(
                "running as root, and PostgreSQL refuses to run as root: create a `postgres` system user (installing the postgresql package does) or run Factdesk as a normal user",
            )?)
        } else {
            None
        };
        let link = data_dir.join("postgres");
        let (root, relocated_from) = match &owner {
            Some(user) if !may_enter(user, &data_dir) => {
                (relocated_root(&data_dir), Some(data_dir.clone()))
            }
            _ => (link.clone(), None),
        };
        let socket_dir = root.join("run");
        if socket_dir.as_os_str().len() > MAX_SOCKET_DIR_LEN {
            bail!(
                "the data folder path {} is too long for a PostgreSQL Unix socket; set FACTDESK_DATA_DIR to a shorter path",
                data_dir.display()
            );
        }
        let this = Self {
            pgdata: root.join("data"),
            socket_dir,
            root,
            bin_dir,
            owner,
            relocated_from,
            started_here: false,
        };
        if this.relocated_from.is_some() {
            this.link_from(&link)?;
        }
        Ok(this)
    }

    /// Where the cluster lives (`<data folder>/postgres`, or its relocated folder).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The data folder the cluster moved out of, if it did.
    pub fn relocated_from(&self) -> Option<&Path> {
        self.relocated_from.as_deref()
    }

    /// Creates the relocated folder and `<data folder>/postgres` pointing at it, so the
    /// cluster is found from the data folder as before.
    fn link_from(&self, link: &Path) -> anyhow::Result<()> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        // A data folder without its link is new: a cluster already at the relocated path
        // was left by an earlier data folder at the same path, since deleted (its demo
        // logins and secrets with it). This one starts afresh rather than inherit it.
        if fs::symlink_metadata(link).is_err() && self.root.exists() {
            if self.orphan_is_running() {
                bail!(
                    "a PostgreSQL cluster for a data folder at {} is running from {}, but the data folder is new; stop that server first",
                    link.parent().unwrap_or(link).display(),
                    self.root.display()
                );
            }
            tracing::warn!(cluster = %self.root.display(), "removed the cluster an earlier data folder at this path left behind");
            fs::remove_dir_all(&self.root).with_context(|| {
                format!("removing the left-behind cluster {}", self.root.display())
            })?;
        }
        if let Some(parent) = self.root.parent() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o755)
                .create(parent)
                .with_context(|| {
                    self.unreachable_hint(&format!("creating {}", parent.display()))
                })?;
        }
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.root)
            .with_context(|| self.unreachable_hint(&format!("creating {}", self.root.display())))?;
        fs::set_permissions(&self.root, fs::Permissions::from_mode(0o700))?;
        match fs::read_link(link) {
            Ok(target) if target == self.root => {}
            Ok(_) => {
                fs::remove_file(link)?;
                std::os::unix::fs::symlink(&self.root, link)?;
            }
            Err(_) if link.exists() => tracing::warn!(
                folder = %link.display(),
                "an earlier cluster folder is in the way of the link to the relocated cluster; it was left as it is"
            ),
            Err(_) => std::os::unix::fs::symlink(&self.root, link).with_context(|| {
                format!("linking {} to {}", link.display(), self.root.display())
            })?,
        }
        Ok(())
    }

    /// Whether a server still runs from the cluster (its pid file names a live process).
    fn orphan_is_running(&self) -> bool {
        fs::read_to_string(self.pgdata.join("postmaster.pid"))
            .ok()
            .and_then(|s| s.lines().next()?.trim().parse::<i32>().ok())
            .is_some_and(|pid| {
                nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok()
            })
    }

    /// One line: which folder, which user, and what to do about it.
    fn unreachable_hint(&self, what: &str) -> String {
        let user = self.owner.as_ref().map_or("you", |u| u.name.as_str());
        format!(
            "{what}: the embedded PostgreSQL runs as `{user}`, which cannot use {}; run Factdesk as an ordinary user, set FACTDESK_DATA_DIR to a folder `{user}` may enter, or set DATABASE_URL to an existing PostgreSQL",
            self.root.display()
        )
    }

    /// Initialises the cluster on first use, starts it unless it already runs, and
    /// creates the Factdesk database. Returns its URL.
    pub async fn start(&mut self) -> anyhow::Result<String> {
        let this = Self {
            ..self.clone_paths()
        };
        let started = tokio::task::spawn_blocking(move || this.start_blocking()).await??;
        self.started_here = started;
        self.ensure_database(DATABASE).await?;
        Ok(self.database_url(DATABASE))
    }

    fn clone_paths(&self) -> Self {
        Self {
            root: self.root.clone(),
            pgdata: self.pgdata.clone(),
            socket_dir: self.socket_dir.clone(),
            bin_dir: self.bin_dir.clone(),
            owner: self.owner.clone(),
            relocated_from: self.relocated_from.clone(),
            started_here: self.started_here,
        }
    }

    /// Returns whether this call started the server.
    fn start_blocking(&self) -> anyhow::Result<bool> {
        fs::create_dir_all(&self.root)?;
        // One process at a time initialises or starts the cluster.
        let lock = File::create(self.root.join("start.lock"))?;
        lock.lock()?;
        self.make_owned(&self.root)?;
        if !self.pgdata.join("PG_VERSION").exists() {
            self.init()?;
        }
        if self.is_running()? {
            return Ok(false);
        }
        fs::create_dir_all(&self.socket_dir)?;
        self.make_owned(&self.socket_dir)?;
        // Rewritten on every start so that a moved data folder still works.
        let conf = format!(
            "listen_addresses = ''\nunix_socket_directories = '{}'\nunix_socket_permissions = 0700\nmax_connections = 200\n",
            self.socket_dir.display().to_string().replace('\'', "''")
        );
        fs::write(self.pgdata.join("factdesk.conf"), conf)?;
        self.make_owned(&self.pgdata.join("factdesk.conf"))?;
        let log = self.root.join("postgres.log");
        let out = self.run(
            "pg_ctl",
            &[
                "start".as_ref(),
                "-w".as_ref(),
                "-t".as_ref(),
                "60".as_ref(),
                "-D".as_ref(),
                self.pgdata.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
            ],
        )?;
        if !out.status.success() {
            let tail = fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(10).collect();
            bail!(
                "pg_ctl start failed: {}{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        Ok(true)
    }

    fn init(&self) -> anyhow::Result<()> {
        tracing::info!(path = %self.pgdata.display(), "initialising the embedded PostgreSQL cluster");
        let out = self.run(
            "initdb",
            &[
                "-D".as_ref(),
                self.pgdata.as_os_str(),
                "-U".as_ref(),
                SUPERUSER.as_ref(),
                "-A".as_ref(),
                "trust".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C.UTF-8".as_ref(),
                "--no-sync".as_ref(),
            ],
        )?;
        if !out.status.success() {
            // A failed initdb leaves a partial folder behind; the next start retries.
            let _ = fs::remove_dir_all(&self.pgdata);
            let stderr = String::from_utf8_lossy(&out.stderr);
            if stderr.contains("Permission denied") {
                bail!("{}", self.unreachable_hint("initdb failed"));
            }
            bail!(
                "initdb failed:\n{}{stderr}",
                String::from_utf8_lossy(&out.stdout),
            );
        }
        let mut conf = fs::OpenOptions::new()
            .append(true)
            .open(self.pgdata.join("postgresql.conf"))?;
        writeln!(
            conf,
            "\n# Written by Factdesk: socket and listen settings.\ninclude_if_exists = 'factdesk.conf'"
        )?;
        Ok(())
    }

    fn is_running(&self) -> anyhow::Result<bool> {
        let out = self.run(
            "pg_ctl",
            &["status".as_ref(), "-D".as_ref(), self.pgdata.as_os_str()],
        )?;
        Ok(out.status.success())
    }

    /// Stops the cluster if this process started it; a cluster another process
    /// started (a second `factdesk` on the same folder) keeps running for it.
    pub async fn stop(&self) -> anyhow::Result<()> {
        if !self.started_here {
            return Ok(());
        }
        self.stop_now().await
    }

    /// Stops the cluster whoever started it.
    pub async fn stop_now(&self) -> anyhow::Result<()> {
        let this = self.clone_paths();
        tokio::task::spawn_blocking(move || {
            let out = this.run(
                "pg_ctl",
                &[
                    "stop".as_ref(),
                    "-w".as_ref(),
                    "-m".as_ref(),
                    "fast".as_ref(),
                    "-D".as_ref(),
                    this.pgdata.as_os_str(),
                ],
            )?;
            if !out.status.success() && this.is_running()? {
                bail!(
                    "pg_ctl stop failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            Ok(())
        })
        .await?
    }

    /// A URL that reaches `database` through the private socket.
    pub fn database_url(&self, database: &str) -> String {
        let host: String =
            url::form_urlencoded::byte_serialize(self.socket_dir.to_string_lossy().as_bytes())
                .collect();
        format!("postgres://{SUPERUSER}@localhost/{database}?host={host}")
    }

    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    pub fn started_here(&self) -> bool {
        self.started_here
    }

    async fn ensure_database(&self, name: &str) -> anyhow::Result<()> {
        let mut conn = AsyncPgConnection::establish(&self.database_url("postgres")).await?;
        let exists: i64 = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM pg_database WHERE datname = '{name}'"
        ))
        .get_result::<Count>(&mut conn)
        .await?
        .n;
        if exists == 0 {
            diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                .execute(&mut conn)
                .await?;
        }
        Ok(())
    }

    fn make_owned(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(user) = &self.owner {
            std::os::unix::fs::chown(path, Some(user.uid.as_raw()), Some(user.gid.as_raw()))
                .with_context(|| format!("handing {} to the postgres user", path.display()))?;
        }
        Ok(())
    }

    fn run(&self, program: &str, args: &[&std::ffi::OsStr]) -> anyhow::Result<Output> {
        use std::os::unix::process::CommandExt;
        let mut cmd = Command::new(self.bin_dir.join(program));
        cmd.args(args)
            .current_dir(&self.root)
            .env("LC_ALL", "C.UTF-8");
        if let Some(user) = &self.owner {
            cmd.uid(user.uid.as_raw()).gid(user.gid.as_raw());
            cmd.env("HOME", &self.root);
        }
        match cmd.output() {
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                bail!("{}", self.unreachable_hint(&format!("running {program}")))
            }
            other => {
                other.with_context(|| format!("running {}", self.bin_dir.join(program).display()))
            }
        }
    }
}

/// The relocated home of the cluster for `data_dir`: named after its path, so each
/// data folder keeps its own cluster.
fn relocated_root(data_dir: &Path) -> PathBuf {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(data_dir.as_os_str().as_encoded_bytes());
    let name: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    Path::new(RELOCATED_ROOT).join(name)
}

/// Whether `user` may enter `dir`: search permission on it and on every folder above it.
pub fn may_enter(user: &nix::unistd::User, dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let groups: Vec<u32> = std::ffi::CString::new(user.name.as_str())
        .ok()
        .and_then(|name| nix::unistd::getgrouplist(&name, user.gid).ok())
        .map(|gs| gs.into_iter().map(|g| g.as_raw()).collect())
        .unwrap_or_else(|| vec![user.gid.as_raw()]);
    dir.ancestors().all(|folder| match fs::metadata(folder) {
        Ok(meta) => may_search(
            meta.mode(),
            meta.uid(),
            meta.gid(),
            user.uid.as_raw(),
            &groups,
        ),
        Err(_) => false,
    })
}

/// The search bit that applies to `uid` (in `groups`) on a folder with `mode`.
fn may_search(mode: u32, owner: u32, group: u32, uid: u32, groups: &[u32]) -> bool {
    if uid == 0 {
        return true;
    }
    if owner == uid {
        mode & 0o100 != 0
    } else if groups.contains(&group) {
        mode & 0o010 != 0
    } else {
        mode & 0o001 != 0
    }
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Finds the PostgreSQL server binaries: `$FACTDESK_PG_BINDIR`, then `pg_config
/// --bindir`, then the newest `/usr/lib/postgresql/*/bin`, then `$PATH`.
pub fn find_bin_dir() -> anyhow::Result<PathBuf> {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(dir) = std::env::var("FACTDESK_PG_BINDIR") {
        let dir = PathBuf::from(dir);
        if has_server(&dir) {
            return Ok(dir);
        }
        bail!(
            "FACTDESK_PG_BINDIR={} has no initdb and pg_ctl",
            dir.display()
        );
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_server(&dir) {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has_server(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, dir)) = versions.pop() {
        return Ok(dir);
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if has_server(&dir) {
                return Ok(dir);
            }
        }
    }
    bail!(
        "no PostgreSQL server binaries found (looked at FACTDESK_PG_BINDIR, `pg_config --bindir`, /usr/lib/postgresql/*/bin and PATH).\n\
         Install them: `sudo apt-get install postgresql` (Debian, Ubuntu), `sudo dnf install postgresql-server` (Fedora), `brew install postgresql@16` (macOS);\n\
         or point DATABASE_URL at an existing PostgreSQL server."
    )
}

#[cfg(test)]
mod tests {
    use super::may_search;

    #[test]
    fn the_search_bit_of_owner_group_or_others_decides() {
        // /root, 0700 root:root, seen by postgres (uid 100, group 101).
        assert!(!may_search(0o700, 0, 0, 100, &[101]));
        // A 0755 folder: others may search.
        assert!(may_search(0o755, 0, 0, 100, &[101]));
        // 0750 with the group postgres is in.
        assert!(may_search(0o750, 0, 101, 100, &[101]));
        // 0705: the owner has no search bit even though others do.
        assert!(!may_search(0o605, 100, 0, 100, &[101]));
        assert!(may_search(0o700, 100, 0, 100, &[101]));
    }
}

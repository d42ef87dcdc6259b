//! The binary itself: its help, its configuration errors, and a first start on the
//! embedded default through to graceful shutdown.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn factdesk() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factdesk"));
    for var in [
        "DATABASE_URL",
        "FACTDESK_LISTEN",
        "FACTDESK_PUBLIC_URL",
        "FACTDESK_JWT_SECRET",
        "SMTP_URL",
        "FACTDESK_DATA_DIR",
        "FACTDESK_LOG_FORMAT",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

#[test]
fn every_subcommand_has_help() {
    for sub in ["serve", "migrate", "seed-demo"] {
        let out = factdesk().args([sub, "--help"]).output().unwrap();
        assert!(out.status.success(), "{sub} --help");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
    }
}

#[test]
fn configuration_mistakes_are_one_line_each_and_exit_non_zero() {
    let out = factdesk()
        .arg("serve")
        .env("DATABASE_URL", "mysql://db/factdesk")
        .env("FACTDESK_LISTEN", "localhost")
        .env("FACTDESK_PUBLIC_URL", "ftp://x")
        .env("FACTDESK_JWT_SECRET", "too-short")
        .env("SMTP_URL", "http://mail")
        .env("FACTDESK_LOG_FORMAT", "yaml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 6, "{stderr}");
    for var in [
        "DATABASE_URL",
        "FACTDESK_LISTEN",
        "FACTDESK_PUBLIC_URL",
        "FACTDESK_JWT_SECRET",
        "SMTP_URL",
        "FACTDESK_LOG_FORMAT",
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("configuration error: {var}:"))),
            "no line for {var}: {stderr}"
        );
    }
}

#[test]
fn an_external_database_without_a_jwt_secret_is_refused() {
    let out = factdesk()
        .arg("serve")
        .env("DATABASE_URL", "postgres://u@127.0.0.1:9/db")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("FACTDESK_JWT_SECRET"));
}

/// First start on the embedded default: a private cluster, migrations, the demo
/// newsroom and its logins; SIGTERM stops the server and the cluster.
#[test]
fn first_embedded_start_seeds_the_demo_and_stops_cleanly() {
    let data = tempdir("embedded");
    let port = free_port();
    let mut child = factdesk()
        .arg("serve")
        .env("FACTDESK_DATA_DIR", &data)
        .env("FACTDESK_LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let ready = wait_ready(port, Duration::from_secs(60));
    let elapsed = started.elapsed();
    if !ready {
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        panic!("not ready: {}", String::from_utf8_lossy(&out.stderr));
    }
    eprintln!("first embedded start: ready after {elapsed:?}");
    assert!(data.join("postgres/data/PG_VERSION").exists());
    let logins = std::fs::read_to_string(data.join("demo-logins.txt")).unwrap();
    assert_eq!(logins.matches("@demo.factdesk.test").count(), 6, "{logins}");
    assert!(data.join("jwt-secret").exists());

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("admin@demo.factdesk.test"),
        "logins are printed once: {stderr}"
    );
    // The cluster is stopped with the server.
    assert!(!data.join("postgres/data/postmaster.pid").exists());

    // The second start reuses the cluster and does not seed again.
    let child = factdesk()
        .arg("serve")
        .env("FACTDESK_DATA_DIR", &data)
        .env("FACTDESK_LISTEN", format!("127.0.0.1:{port}"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    assert!(wait_ready(port, Duration::from_secs(30)));
    eprintln!("second embedded start: ready after {:?}", started.elapsed());
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("Seeded the demo newsroom"), "{stderr}");
    assert!(stderr.contains("demo-logins.txt"));
    // A cluster that had to live outside the data folder goes with it.
    if let Ok(cluster) = std::fs::read_link(data.join("postgres")) {
        let _ = std::fs::remove_dir_all(cluster);
    }
    let _ = std::fs::remove_dir_all(&data);
}

/// A clone inside a folder only its owner may enter (`/root` is 0700): the embedded
/// default still starts, as root too (its cluster then lives where `postgres` may enter,
/// linked from the data folder), and the owner's folder keeps its mode.
#[test]
fn the_embedded_default_starts_inside_a_private_folder() {
    use std::os::unix::fs::PermissionsExt;
    let private = tempdir("private");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    let data = private.join("factdesk/.factdesk");
    let out = factdesk()
        .arg("migrate")
        .env("FACTDESK_DATA_DIR", &data)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("up to date") || stderr.contains("applied"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::metadata(&private).unwrap().permissions().mode() & 0o777,
        0o700,
        "the owner's folder is never loosened"
    );
    assert!(data.join("postgres/data/PG_VERSION").exists());
    if nix::unistd::geteuid().is_root() {
        let cluster = std::fs::read_link(data.join("postgres")).expect("a link to the cluster");
        assert!(
            cluster.starts_with(factdesk::db::embedded::RELOCATED_ROOT),
            "{}",
            cluster.display()
        );
        assert!(
            stderr.contains(&cluster.display().to_string()),
            "says where: {stderr}"
        );
        let _ = std::fs::remove_dir_all(&cluster);
    }
    let _ = std::fs::remove_dir_all(&private);
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{name}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_ready(port: u16, limit: Duration) -> bool {
    use std::io::{Read, Write};
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.write_all(b"GET /readyz HTTP/1.0\r\nHost: localhost\r\n\r\n");
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200") {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// `backup` and `restore` round-trip the demo newsroom with a published page: every
/// table's rows, and the page byte for byte; restore refuses a database that holds
/// tables unless `--force`.
#[tokio::test]
async fn backup_and_restore_round_trip_the_demo_newsroom() {
    use crate::helpers::{JWT_SECRET, empty_database, fresh_database, spawn_app_on, test_settings};
    use std::os::unix::fs::PermissionsExt;
    let source = fresh_database().await;
    let app = spawn_app_on(&source.url, test_settings(&source.url)).await;
    {
        let mut conn = app.pool.get().await.unwrap();
        let passwords = factdesk::app::auth::password::PasswordPool::new().unwrap();
        assert!(
            factdesk::app::demo::seed_demo(&mut conn, &passwords)
                .await
                .unwrap()
                .is_some()
        );
    }
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let (aid, _) = app
        .approved_claim(&editor, &reviewer, "Turnout was 61 percent.", "false")
        .await;
    let slug = crate::publishing::publish(&app, &editor, &aid).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let page = app.get(&format!("/p/{slug}")).await.text().await.unwrap();

    let dir = tempdir("backup");
    let file = dir.join("newsroom.dump");
    let run = |args: &[&str], url: &str| {
        factdesk()
            .args(args)
            .env("DATABASE_URL", url)
            .env("FACTDESK_JWT_SECRET", JWT_SECRET)
            .output()
            .unwrap()
    };
    let out = run(&["backup", file.to_str().unwrap()], &source.url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let target = empty_database().await;
    let out = run(&["restore", file.to_str().unwrap()], &target.url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let counts = |url: String| async move {
        let mut conn = diesel_async::AsyncPgConnection::establish(&url)
            .await
            .unwrap();
        #[derive(diesel::QueryableByName, Debug, PartialEq)]
        struct T {
            #[diesel(sql_type = diesel::sql_types::Text)]
            tablename: String,
        }
        let tables: Vec<T> = diesel::sql_query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        )
        .load(&mut conn)
        .await
        .unwrap();
        let mut out = Vec::new();
        for t in tables {
            #[derive(diesel::QueryableByName)]
            struct N {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let n = diesel::sql_query(format!("SELECT count(*) AS n FROM \"{}\"", t.tablename))
                .get_result::<N>(&mut conn)
                .await
                .unwrap()
                .n;
            out.push((t.tablename, n));
        }
        out
    };
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let before = counts(source.url.clone()).await;
    assert!(
        before.iter().any(|(t, n)| t == "users" && *n >= 8),
        "{before:?}"
    );
    assert_eq!(counts(target.url.clone()).await, before);
    let restored = spawn_app_on(&target.url, test_settings(&target.url)).await;
    assert_eq!(
        restored
            .get(&format!("/p/{slug}"))
            .await
            .text()
            .await
            .unwrap(),
        page
    );

    // A database that holds tables is refused, unless --force.
    let out = run(&["restore", file.to_str().unwrap()], &target.url);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    let out = run(&["restore", "--force", file.to_str().unwrap()], &target.url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(counts(target.url.clone()).await, before);
    let _ = std::fs::remove_dir_all(&dir);
}

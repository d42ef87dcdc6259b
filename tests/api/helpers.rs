//! `spawn_app()`: the real server on a random port, against a fresh database cloned
//! from a migrated template, dropped when the test ends.
//!
//! PostgreSQL comes from `FACTDESK_TEST_DATABASE_URL` (a superuser URL to any
//! database of a server the tests may create databases on) or, without it, from a
//! private cluster the tests start under `target/` with the same embedded-default code
//! the server uses. The test command stops that cluster at the end.

use std::net::TcpListener;
use std::sync::OnceLock;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use factdesk::app::App as AppState;
use factdesk::app::auth::password::PasswordPool;
use factdesk::app::auth::token::TokenKeys;
use factdesk::config::Settings;
use factdesk::db::embedded::EmbeddedPostgres;
use factdesk::db::{self, migrations};
use factdesk::startup::Application;
use reqwest::Method;
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::sync::OnceCell;
use uuid::Uuid;

pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123456789";

pub struct TestApp {
    pub settings: Settings,
    pub address: String,
    /// The metrics listener, when the settings ask for one.
    pub metrics_address: Option<String>,
    pub client: reqwest::Client,
    pub pool: db::DbPool,
}

/// A URL to the server's maintenance database, `postgres`; with `{db}` replaceable.
struct Server {
    url_template: String,
}

impl Server {
    fn url(&self, database: &str) -> String {
        self.url_template.replace("{db}", database)
    }
}

static SERVER: OnceCell<Server> = OnceCell::const_new();
static TEMPLATE: OnceCell<String> = OnceCell::const_new();

async fn server() -> &'static Server {
    SERVER
        .get_or_init(|| async {
            if let Ok(url) = std::env::var("FACTDESK_TEST_DATABASE_URL") {
                let mut parsed =
                    url::Url::parse(&url).expect("FACTDESK_TEST_DATABASE_URL is a URL");
                parsed.set_path("/DBNAME");
                return Server {
                    url_template: parsed.to_string().replace("DBNAME", "{db}"),
                };
            }
            let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("factdesk-test");
            let mut pg =
                EmbeddedPostgres::new(&dir).expect("PostgreSQL server binaries for the tests");
            pg.start().await.expect("starting the test PostgreSQL");
            Server {
                url_template: pg.database_url("{db}"),
            }
        })
        .await
}

/// The migrated template, built once per migration set (its name carries a hash of
/// the migrations), under an advisory lock so parallel test processes agree.
async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let server = server().await;
            let name = format!("factdesk_tpl_{}", migrations_fingerprint());
            let mut admin = AsyncPgConnection::establish(&server.url("postgres"))
                .await
                .unwrap();
            diesel::sql_query("SELECT pg_advisory_lock(4242)")
                .execute(&mut admin)
                .await
                .unwrap();
            if !database_exists(&mut admin, &name).await {
                let building = format!("{name}_building");
                diesel::sql_query(format!(
                    "DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)"
                ))
                .execute(&mut admin)
                .await
                .unwrap();
                diesel::sql_query(format!("CREATE DATABASE \"{building}\""))
                    .execute(&mut admin)
                    .await
                    .unwrap();
                migrations::run_pending(&server.url(&building))
                    .await
                    .expect("migrating the template");
                diesel::sql_query(format!(
                    "ALTER DATABASE \"{building}\" RENAME TO \"{name}\""
                ))
                .execute(&mut admin)
                .await
                .unwrap();
                diesel::sql_query(format!("ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true"))
                    .execute(&mut admin)
                    .await
                    .unwrap();
            }
            diesel::sql_query("SELECT pg_advisory_unlock(4242)")
                .execute(&mut admin)
                .await
                .unwrap();
            name
        })
        .await
}

fn migrations_fingerprint() -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut dirs: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for dir in dirs {
        hasher.update(dir.file_name().unwrap().as_encoded_bytes());
        for file in ["up.sql", "down.sql"] {
            hasher.update(std::fs::read(dir.join(file)).unwrap_or_default());
        }
    }
    hasher
        .finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn database_exists(conn: &mut AsyncPgConnection, name: &str) -> bool {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!(
        "SELECT count(*) AS n FROM pg_database WHERE datname = '{name}'"
    ))
    .get_result::<N>(conn)
    .await
    .unwrap()
    .n > 0
}

/// A fresh, migrated, empty database; dropped when the returned guard drops.
pub async fn fresh_database() -> TestDatabase {
    let server = server().await;
    let template = template().await;
    let name = format!("factdesk_test_{}", Uuid::new_v4().simple());
    let mut admin = AsyncPgConnection::establish(&server.url("postgres"))
        .await
        .unwrap();
    diesel::sql_query(format!(
        "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
    ))
    .execute(&mut admin)
    .await
    .unwrap();
    TestDatabase {
        url: server.url(&name),
        admin_url: server.url("postgres"),
        name,
    }
}

/// An empty database with no migrations applied.
pub async fn empty_database() -> TestDatabase {
    let server = server().await;
    let name = format!("factdesk_test_{}", Uuid::new_v4().simple());
    let mut admin = AsyncPgConnection::establish(&server.url("postgres"))
        .await
        .unwrap();
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .unwrap();
    TestDatabase {
        url: server.url(&name),
        admin_url: server.url("postgres"),
        name,
    }
}

pub struct TestDatabase {
    pub url: String,
    pub admin_url: String,
    pub name: String,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs outside async; drop the database from a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(mut conn) = AsyncPgConnection::establish(&admin_url).await {
                    let _ = diesel::sql_query(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    ))
                    .execute(&mut conn)
                    .await;
                }
            });
        })
        .join();
    }
}

pub fn test_settings(database_url: &str) -> Settings {
    let url = database_url.to_string();
    Settings::from_lookup(move |name| match name {
        "DATABASE_URL" => Some(url.clone()),
        "FACTDESK_JWT_SECRET" => Some(JWT_SECRET.to_string()),
        "FACTDESK_LISTEN" => Some("127.0.0.1:0".to_string()),
        "FACTDESK_PUBLIC_URL" => Some("http://factdesk.test".to_string()),
        _ => None,
    })
    .expect("test settings are valid")
}

static PASSWORDS: OnceLock<PasswordPool> = OnceLock::new();

pub struct App {
    pub app: TestApp,
    _db: TestDatabase,
}

impl std::ops::Deref for App {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.app
    }
}

pub async fn spawn_app() -> App {
    let db = fresh_database().await;
    let app = spawn_app_on(&db.url, test_settings(&db.url)).await;
    App { app, _db: db }
}

/// The server against an existing database with the given settings.
pub async fn spawn_app_on(database_url: &str, settings: Settings) -> TestApp {
    // `TEST_LOG=1 cargo test …` shows the server's logs.
    if std::env::var_os("TEST_LOG").is_some() {
        factdesk::telemetry::init(factdesk::config::LogFormat::Human);
    }
    let pool = db::build_pool(database_url, 8).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let passwords = PASSWORDS
        .get_or_init(|| PasswordPool::new().unwrap())
        .clone();
    let application = Application::build(
        AppState {
            pool: pool.clone(),
            settings: settings.clone(),
            passwords,
            tokens: TokenKeys::new(&SecretString::from(JWT_SECRET)),
            live: factdesk::app::live::LiveHub::start(database_url, pool.clone()),
        },
        listener,
    )
    .unwrap();
    let port = application.port();
    let metrics_address = application
        .metrics_port()
        .map(|p| format!("http://127.0.0.1:{p}"));
    tokio::spawn(application.run_until_stopped());
    TestApp {
        settings,
        address: format!("http://127.0.0.1:{port}"),
        metrics_address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap(),
        pool,
    }
}

impl TestApp {
    /// The database this app runs on.
    pub fn settings_database_url(&self) -> String {
        match &self.settings.database {
            factdesk::config::DatabaseSource::External(url) => {
                secrecy::ExposeSecret::expose_secret(url).to_string()
            }
            factdesk::config::DatabaseSource::Embedded => {
                unreachable!("tests use an explicit database")
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }
}

/// Asserts a problem+json answer with `status`; returns its body.
pub async fn assert_problem(response: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(
        response.status().as_u16(),
        status,
        "status of {}",
        response.url()
    );
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert_eq!(
        content_type,
        "application/problem+json",
        "content type of {}",
        response.url()
    );
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(body["title"].is_string());
    body
}

pub const PASSWORD: &str = "correct horse battery staple";

/// One argon2 hash of [`PASSWORD`], shared by every test user (hashing is slow on purpose).
static PASSWORD_HASH: OnceCell<String> = OnceCell::const_new();

pub async fn password_hash() -> &'static str {
    PASSWORD_HASH
        .get_or_init(|| async {
            factdesk::app::auth::password::hash_blocking(&SecretString::from(PASSWORD)).unwrap()
        })
        .await
}

pub struct TestUser {
    pub id: Uuid,
    pub email: String,
    pub token: String,
}

impl TestApp {
    /// An active user of `role` with [`PASSWORD`], signed in through the API.
    pub async fn user(&self, role: &str) -> TestUser {
        let user = self.user_without_session(role).await;
        let token = self.login_ok(&user.email, PASSWORD).await;
        TestUser { token, ..user }
    }

    /// An active user of `role` with [`PASSWORD`] and no session yet.
    pub async fn user_without_session(&self, role: &str) -> TestUser {
        let email = format!("{role}-{}@example.org", Uuid::new_v4().simple());
        let mut conn = self.pool.get().await.unwrap();
        let role = factdesk::domain::role::Role::parse(role).unwrap();
        let id = factdesk::app::users::create_with_password(
            &mut conn,
            &email,
            &format!("Test {}", role.as_str()),
            role,
            password_hash().await,
        )
        .await
        .unwrap();
        TestUser {
            id,
            email,
            token: String::new(),
        }
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    pub async fn login_ok(&self, email: &str, password: &str) -> String {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), 200, "login of {email}");
        let body: serde_json::Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_string()
    }

    /// A request with a Bearer token and no cookies.
    pub fn bearer(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
    ) -> reqwest::RequestBuilder {
        reqwest::Client::new()
            .request(method, self.url(path))
            .bearer_auth(token)
    }

    pub async fn sql(&self, sql: &str) {
        let mut conn = self.pool.get().await.unwrap();
        diesel::sql_query(sql).execute(&mut conn).await.unwrap();
    }

    pub async fn count(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.pool.get().await.unwrap();
        diesel::sql_query(sql)
            .get_result::<N>(&mut conn)
            .await
            .unwrap()
            .n
    }

    /// What the worker does with recorded password-reset requests.
    pub async fn answer_reset_requests(&self) -> usize {
        factdesk::app::auth::reset::answer_pending(&self.pool, &self.settings, 1000)
            .await
            .unwrap()
    }

    /// The newest outbox email to `recipient`: (subject, text body).
    pub async fn last_email(&self, recipient: &str) -> Option<(String, String, String)> {
        use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
        use factdesk::db::schema::email_outbox;
        let mut conn = self.pool.get().await.unwrap();
        email_outbox::table
            .filter(email_outbox::recipient.eq(recipient))
            .order(email_outbox::created_at.desc())
            .select((
                email_outbox::kind,
                email_outbox::subject,
                email_outbox::text_body,
            ))
            .first::<(String, String, String)>(&mut conn)
            .await
            .optional()
            .unwrap()
    }
}

/// The token in an email's link (`…#token=…`).
pub fn token_from_email(body: &str) -> String {
    let start = body.find("#token=").expect("a token link") + "#token=".len();
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// A TCP proxy in front of the test PostgreSQL that can stop forwarding, as a frozen
/// (SIGSTOPped) server does: connections stay open, bytes are accepted, nothing answers.
pub struct Proxy {
    pub port: u16,
    frozen: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

enum Upstream {
    Unix(std::path::PathBuf),
    Tcp(String),
}

impl Proxy {
    /// Proxies to the server of `database_url` (a Unix socket `?host=` or host:port).
    pub async fn start(database_url: &str) -> Self {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let parsed = url::Url::parse(database_url).unwrap();
        let upstream = match parsed.query_pairs().find(|(k, _)| k == "host") {
            Some((_, dir)) => Upstream::Unix(std::path::Path::new(&*dir).join(".s.PGSQL.5432")),
            None => Upstream::Tcp(format!(
                "{}:{}",
                parsed.host_str().unwrap(),
                parsed.port().unwrap_or(5432)
            )),
        };
        let upstream = Arc::new(upstream);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let frozen = Arc::new(AtomicBool::new(false));
        let flag = frozen.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let flag = flag.clone();
                tokio::spawn(async move {
                    let (cr, cw) = client.into_split();
                    match &*upstream {
                        Upstream::Unix(path) => {
                            let server = tokio::net::UnixStream::connect(path).await.unwrap();
                            let (sr, sw) = server.into_split();
                            tokio::join!(pump(cr, sw, flag.clone()), pump(sr, cw, flag));
                        }
                        Upstream::Tcp(addr) => {
                            let server = tokio::net::TcpStream::connect(addr).await.unwrap();
                            let (sr, sw) = server.into_split();
                            tokio::join!(pump(cr, sw, flag.clone()), pump(sr, cw, flag));
                        }
                    }
                });
            }
        });
        async fn pump(
            mut from: impl tokio::io::AsyncRead + Unpin,
            mut to: impl tokio::io::AsyncWrite + Unpin,
            frozen: Arc<AtomicBool>,
        ) {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match from.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                while AtomicBool::load(&frozen, Ordering::SeqCst) {
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
                if to.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
            let _ = to.shutdown().await;
        }
        Self { port, frozen }
    }

    /// `database_url` through this proxy.
    pub fn url(&self, database_url: &str) -> String {
        let parsed = url::Url::parse(database_url).unwrap();
        let mut through = parsed.clone();
        through.set_query(None);
        through.set_host(Some("127.0.0.1")).unwrap();
        through.set_port(Some(self.port)).unwrap();
        through.to_string()
    }

    pub fn freeze(&self, on: bool) {
        self.frozen.store(on, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A string that is markup in every context a page could show it in.
pub const XSS: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

/// Requests as a signed-in user, and the named steps of the workflow that tests share.
impl TestApp {
    pub async fn call(
        &self,
        user: &TestUser,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut r = self.bearer(method, &format!("/api/v1{path}"), &user.token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        r.send().await.unwrap()
    }

    pub async fn ok(
        &self,
        user: &TestUser,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let response = self.call(user, method.clone(), path, body).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        }
    }

    /// `action` on a claim as `user`, which must succeed; returns the claim.
    pub async fn transition(&self, user: &TestUser, claim: &str, action: &str) -> Value {
        self.ok(
            user,
            Method::POST,
            &format!("/claims/{claim}/transitions"),
            Some(json!({"action": action})),
        )
        .await
    }

    /// Creates an article with one claim taken through to `approved`; returns (article id, claim id).
    pub async fn approved_claim(
        &self,
        editor: &TestUser,
        reviewer: &TestUser,
        text: &str,
        rating: &str,
    ) -> (String, String) {
        let body = format!("Intro. {text} Outro.");
        let article = self
            .ok(editor, Method::POST, "/articles", Some(json!({"title": format!("Speech {XSS}"), "body": body, "url": "https://news.example.org/speech?a=1&b=2", "outlet": format!("Outlet {XSS}"), "author": format!("Author {XSS}"), "published_at": "2025-02-19T10:00:00Z"})))
            .await;
        let aid = article["id"].as_str().unwrap().to_string();
        let claim = self
            .ok(editor, Method::POST, &format!("/articles/{aid}/claims"), Some(json!({"quote": text, "statement": format!("{text} {XSS}"), "claimant": format!("Claimant {XSS}"), "claimed_at": "2025-02-18T00:00:00Z"})))
            .await;
        let cid = claim["id"].as_str().unwrap().to_string();
        self.ok(
            editor,
            Method::POST,
            &format!("/claims/{cid}/assignments"),
            Some(json!({"reviewer_id": reviewer.id, "due_at": "2099-01-01T00:00:00Z"})),
        )
        .await;
        self.ok(reviewer, Method::POST, &format!("/claims/{cid}/sources"), Some(json!({"url": "https://kiis.com.ua/?lang=eng&cat=reports&id=1476", "title": format!("KIIS poll {XSS}"), "publisher": format!("KIIS {XSS}"), "archive_url": "https://web.archive.org/web/2025/https://kiis.com.ua/"}))).await;
        let drafted = self.ok(reviewer, Method::PUT, &format!("/claims/{cid}/verdict"), Some(json!({"rating": rating, "summary": format!("Polls say otherwise {XSS}"), "explanation": format!("**KIIS** measured 57%. {XSS} [link](javascript:alert(3))")}))).await;
        // The web app shows the explanation as the server rendered and sanitised it.
        let html = drafted["draft_verdict"]["explanation_html"]
            .as_str()
            .unwrap();
        assert!(html.contains("<strong>KIIS</strong>"), "{html}");
        assert!(
            !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"),
            "{html}"
        );
        self.transition(reviewer, &cid, "submit").await;
        self.transition(editor, &cid, "approve").await;
        (aid, cid)
    }
}

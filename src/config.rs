//! Settings read once from the environment at start and passed down; every mistake is
//! reported on its own line before the process exits.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

/// Where the database comes from.
#[derive(Clone, Debug)]
pub enum DatabaseSource {
    /// `DATABASE_URL` was set.
    External(SecretString),
    /// No `DATABASE_URL`: a private cluster in the data folder.
    Embedded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub database: DatabaseSource,
    pub listen: SocketAddr,
    /// Where `GET /metrics` is served (Prometheus); never on `listen`.
    pub metrics_listen: Option<SocketAddr>,
    pub public_url: Url,
    /// `None` only on the embedded default, which generates and keeps one.
    pub jwt_secret: Option<SecretString>,
    pub smtp_url: Option<SecretString>,
    pub data_dir: PathBuf,
    pub log_format: LogFormat,
    pub db_pool_size: usize,
    /// HTTP worker threads (0: one per core, actix's default).
    pub http_workers: usize,
    /// A request that has no answer by then gets a 503 (a stalled database must not
    /// hold requests).
    pub request_timeout: Duration,
    /// PostgreSQL cancels a statement of a pooled connection running longer.
    pub statement_timeout: Duration,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub limits: Limits,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy_headers: bool,
    pub email: EmailSettings,
    /// Requests to addresses people typed (webhook endpoints).
    pub outbound: crate::outbound::OutboundSettings,
    pub webhooks: WebhookSettings,
}

/// The webhook sender: how often it looks, and how it retries an endpoint that does
/// not answer 2xx.
#[derive(Clone, Debug)]
pub struct WebhookSettings {
    pub poll_interval: Duration,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// After this many attempts a delivery is `failed`, for an admin to retry.
    pub max_attempts: i32,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(1),
            backoff_base: Duration::from_secs(10),
            backoff_max: Duration::from_secs(3600),
            max_attempts: 15,
        }
    }
}

/// The outbox sender and the scheduler of reminders, overdue notices and digests.
#[derive(Clone, Debug)]
pub struct EmailSettings {
    /// The `From` of every email.
    pub from: String,
    /// Run the sender and scheduler inside `serve` (off when a separate `factdesk
    /// worker` does it).
    pub worker_in_serve: bool,
    pub poll_interval: Duration,
    /// The first retry waits this long; each further one twice as long (with jitter).
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    pub max_attempts: i32,
    pub batch_size: i64,
    /// A reminder goes this long before the due time.
    pub reminder_before: Duration,
    /// The daily digest goes at this hour of the reviewer's own day.
    pub digest_hour: u32,
    pub scheduler_interval: Duration,
    /// Editor messages one editor may send an hour.
    pub messages_per_hour: i64,
}

impl Default for EmailSettings {
    fn default() -> Self {
        Self {
            from: "Factdesk <factdesk@localhost>".into(),
            worker_in_serve: true,
            poll_interval: Duration::from_secs(2),
            backoff_base: Duration::from_secs(30),
            backoff_max: Duration::from_secs(6 * 3600),
            max_attempts: 8,
            batch_size: 20,
            reminder_before: Duration::from_secs(24 * 3600),
            digest_hour: 8,
            scheduler_interval: Duration::from_secs(60),
            messages_per_hour: 20,
        }
    }
}

/// Throttling limits; configurable so that fuzzing and load tests can raise them.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Failed logins to one account from one address before that pair gets 429.
    pub login_per_account: i64,
    /// Failed logins from one address, across accounts, before it gets 429.
    pub login_per_client: i64,
    /// Failed logins to one account from anywhere before its attempts are slowed down.
    pub login_slowdown_after: i64,
    /// The longest wait of a slowed-down login.
    pub login_slowdown_max: Duration,
    pub login_window: Duration,
    pub emails_per_address: i64,
    pub email_window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            login_per_account: 5,
            login_per_client: 20,
            login_slowdown_after: 10,
            login_slowdown_max: Duration::from_millis(1500),
            login_window: Duration::from_secs(15 * 60),
            emails_per_address: 3,
            email_window: Duration::from_secs(60 * 60),
        }
    }
}

pub const MIN_JWT_SECRET_BYTES: usize = 32;

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigErrors> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, collecting every mistake rather than stopping
    /// at the first, so one start tells an operator everything to fix.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigErrors> {
        let mut errors = Vec::new();
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());

        let database = match get("DATABASE_URL") {
            None => DatabaseSource::Embedded,
            Some(raw) => match Url::parse(&raw) {
                Ok(url) if matches!(url.scheme(), "postgres" | "postgresql") => {
                    DatabaseSource::External(SecretString::from(raw))
                }
                Ok(url) => {
                    errors.push(format!(
                        "DATABASE_URL: scheme `{}` is not supported; use postgres://user:password@host:5432/dbname",
                        url.scheme()
                    ));
                    DatabaseSource::Embedded
                }
                Err(e) => {
                    errors.push(format!(
                        "DATABASE_URL: not a URL ({e}); use postgres://user:password@host:5432/dbname"
                    ));
                    DatabaseSource::Embedded
                }
            },
        };

        let listen = match get("FACTDESK_LISTEN") {
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
            Some(raw) => raw.parse().unwrap_or_else(|_| {
                errors.push(format!(
                    "FACTDESK_LISTEN: `{raw}` is not an address and port such as 127.0.0.1:8080 or [::]:8080"
                ));
                SocketAddr::from(([127, 0, 0, 1], 8080))
            }),
        };

        let metrics_listen = get("FACTDESK_METRICS_LISTEN").and_then(|raw| match raw.parse::<SocketAddr>() {
            Ok(addr) if addr == listen => {
                errors.push(format!("FACTDESK_METRICS_LISTEN: `{raw}` must differ from FACTDESK_LISTEN: metrics are not public"));
                None
            }
            Ok(addr) => Some(addr),
            Err(_) => {
                errors.push(format!(
                    "FACTDESK_METRICS_LISTEN: `{raw}` is not an address and port such as 127.0.0.1:9464"
                ));
                None
            }
        });

        let default_public = || {
            let host = if listen.ip().is_unspecified() {
                "localhost".to_string()
            } else {
                listen.ip().to_string()
            };
            Url::parse(&format!("http://{host}:{}/", listen.port())).expect("a valid URL")
        };
        let public_url = match get("FACTDESK_PUBLIC_URL") {
            None => default_public(),
            Some(raw) => match Url::parse(&raw) {
                Ok(url)
                    if matches!(url.scheme(), "http" | "https")
                        && url.host().is_some()
                        && url.query().is_none()
                        && url.fragment().is_none() =>
                {
                    url
                }
                Ok(_) => {
                    errors.push(format!(
                        "FACTDESK_PUBLIC_URL: `{raw}` must be an http(s) URL with a host and no query or fragment, such as https://factcheck.example.org"
                    ));
                    default_public()
                }
                Err(e) => {
                    errors.push(format!("FACTDESK_PUBLIC_URL: `{raw}` is not a URL ({e})"));
                    default_public()
                }
            },
        };

        let jwt_secret = get("FACTDESK_JWT_SECRET").map(SecretString::from);
        match (&jwt_secret, &database) {
            (Some(secret), _) if secret.expose_secret().len() < MIN_JWT_SECRET_BYTES => {
                errors.push(format!(
                    "FACTDESK_JWT_SECRET: must be at least {MIN_JWT_SECRET_BYTES} bytes (it is {}); generate one with `openssl rand -base64 48`",
                    secret.expose_secret().len()
                ));
            }
            (None, DatabaseSource::External(_)) => errors.push(format!(
                "FACTDESK_JWT_SECRET: required when DATABASE_URL is set (at least {MIN_JWT_SECRET_BYTES} bytes; generate one with `openssl rand -base64 48`)"
            )),
            _ => {}
        }

        let smtp_url = get("SMTP_URL").and_then(|raw| match Url::parse(&raw) {
            Ok(url) if matches!(url.scheme(), "smtp" | "smtps") && url.host().is_some() => {
                Some(SecretString::from(raw))
            }
            Ok(_) => {
                errors.push(
                    "SMTP_URL: must look like smtp://user:pass@host:587 (STARTTLS), smtps://host:465 (TLS) or smtp://127.0.0.1:25 (loopback)"
                        .to_string(),
                );
                None
            }
            Err(e) => {
                errors.push(format!("SMTP_URL: not a URL ({e})"));
                None
            }
        });

        let data_dir = get("FACTDESK_DATA_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(".factdesk"));

        let log_format = match get("FACTDESK_LOG_FORMAT").as_deref() {
            None | Some("human") => LogFormat::Human,
            Some("json") => LogFormat::Json,
            Some(other) => {
                errors.push(format!(
                    "FACTDESK_LOG_FORMAT: `{other}` is not one of `human`, `json`"
                ));
                LogFormat::Human
            }
        };

        let mut number = |name: &str, default: u64, min: u64, max: u64| -> u64 {
            match get(name) {
                None => default,
                Some(raw) => match raw.parse::<u64>() {
                    Ok(n) if (min..=max).contains(&n) => n,
                    _ => {
                        errors.push(format!(
                            "{name}: `{raw}` must be a whole number from {min} to {max}"
                        ));
                        default
                    }
                },
            }
        };
        let db_pool_size = number("FACTDESK_DB_POOL_SIZE", 16, 1, 1000) as usize;
        let http_workers = number("FACTDESK_HTTP_WORKERS", 0, 0, 256) as usize;
        let request_timeout =
            Duration::from_millis(number("FACTDESK_REQUEST_TIMEOUT_MS", 2500, 100, 600_000));
        let statement_timeout = Duration::from_millis(number(
            "FACTDESK_DB_STATEMENT_TIMEOUT_MS",
            5000,
            100,
            3_600_000,
        ));
        let session_idle =
            Duration::from_secs(number("FACTDESK_SESSION_IDLE_MINUTES", 8 * 60, 1, 525_600) * 60);
        let session_absolute =
            Duration::from_secs(number("FACTDESK_SESSION_ABSOLUTE_HOURS", 7 * 24, 1, 8760) * 3600);
        let limits = Limits {
            login_per_account: number("FACTDESK_LOGIN_LIMIT_PER_ACCOUNT", 5, 1, 1_000_000) as i64,
            login_per_client: number("FACTDESK_LOGIN_LIMIT_PER_CLIENT", 20, 1, 1_000_000) as i64,
            login_slowdown_after: number("FACTDESK_LOGIN_SLOWDOWN_AFTER", 10, 1, 1_000_000) as i64,
            login_slowdown_max: Duration::from_millis(number(
                "FACTDESK_LOGIN_SLOWDOWN_MAX_MS",
                1500,
                0,
                10_000,
            )),
            login_window: Duration::from_secs(number(
                "FACTDESK_LOGIN_WINDOW_SECONDS",
                15 * 60,
                1,
                86_400,
            )),
            emails_per_address: number("FACTDESK_EMAIL_LIMIT_PER_ADDRESS", 3, 1, 1_000_000) as i64,
            email_window: Duration::from_secs(number(
                "FACTDESK_EMAIL_WINDOW_SECONDS",
                3600,
                1,
                86_400,
            )),
        };
        let defaults = EmailSettings::default();
        let mut email = EmailSettings {
            poll_interval: Duration::from_millis(number(
                "FACTDESK_EMAIL_POLL_MS",
                2000,
                1,
                3_600_000,
            )),
            backoff_base: Duration::from_millis(number(
                "FACTDESK_EMAIL_BACKOFF_MS",
                30_000,
                1,
                86_400_000,
            )),
            backoff_max: Duration::from_millis(number(
                "FACTDESK_EMAIL_BACKOFF_MAX_MS",
                6 * 3_600_000,
                1,
                7 * 86_400_000,
            )),
            max_attempts: number("FACTDESK_EMAIL_MAX_ATTEMPTS", 8, 1, 100) as i32,
            batch_size: number("FACTDESK_EMAIL_BATCH", 20, 1, 1000) as i64,
            reminder_before: Duration::from_secs(
                number("FACTDESK_REMINDER_HOURS", 24, 1, 24 * 30) * 3600,
            ),
            digest_hour: number("FACTDESK_DIGEST_HOUR", 8, 0, 23) as u32,
            scheduler_interval: Duration::from_millis(number(
                "FACTDESK_SCHEDULER_MS",
                60_000,
                1,
                3_600_000,
            )),
            messages_per_hour: number("FACTDESK_MESSAGE_LIMIT_PER_HOUR", 20, 1, 1_000_000) as i64,
            ..defaults
        };
        let webhooks = WebhookSettings {
            poll_interval: Duration::from_millis(number(
                "FACTDESK_WEBHOOK_POLL_MS",
                1000,
                1,
                3_600_000,
            )),
            backoff_base: Duration::from_millis(number(
                "FACTDESK_WEBHOOK_BACKOFF_MS",
                10_000,
                1,
                86_400_000,
            )),
            backoff_max: Duration::from_millis(number(
                "FACTDESK_WEBHOOK_BACKOFF_MAX_MS",
                3_600_000,
                1,
                7 * 86_400_000,
            )),
            max_attempts: number("FACTDESK_WEBHOOK_MAX_ATTEMPTS", 15, 1, 100) as i32,
        };
        let mut outbound = crate::outbound::OutboundSettings {
            allow: crate::outbound::Allow::default(),
            timeout: Duration::from_millis(number(
                "FACTDESK_OUTBOUND_TIMEOUT_MS",
                10_000,
                100,
                120_000,
            )),
            max_answer_bytes: number("FACTDESK_OUTBOUND_MAX_BYTES", 65_536, 1024, 100_000_000)
                as usize,
        };
        match crate::outbound::Allow::parse(&get("FACTDESK_OUTBOUND_ALLOW").unwrap_or_default()) {
            Ok(allow) => outbound.allow = allow,
            Err(e) => errors.push(format!("FACTDESK_OUTBOUND_ALLOW: {e}")),
        }
        if session_absolute < session_idle {
            errors.push(
                "FACTDESK_SESSION_ABSOLUTE_HOURS: must not be shorter than FACTDESK_SESSION_IDLE_MINUTES"
                    .to_string(),
            );
        }

        let trust_proxy_headers = match get("FACTDESK_TRUST_PROXY_HEADERS").as_deref() {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("1") => true,
            Some(other) => {
                errors.push(format!(
                    "FACTDESK_TRUST_PROXY_HEADERS: `{other}` is not `true` or `false`"
                ));
                false
            }
        };

        if let Some(from) = get("FACTDESK_EMAIL_FROM") {
            if from.parse::<lettre::message::Mailbox>().is_err() {
                errors.push(format!("FACTDESK_EMAIL_FROM: `{from}` is not an address such as `Factdesk <desk@example.org>`"));
            }
            email.from = from;
        }
        email.worker_in_serve = match get("FACTDESK_WORKER").as_deref() {
            None | Some("true") | Some("1") => true,
            Some("false") | Some("0") => false,
            Some(other) => {
                errors.push(format!(
                    "FACTDESK_WORKER: `{other}` is not `true` or `false`"
                ));
                true
            }
        };

        if errors.is_empty() {
            Ok(Self {
                email,
                outbound,
                webhooks,
                trust_proxy_headers,
                database,
                listen,
                metrics_listen,
                public_url,
                jwt_secret,
                smtp_url,
                data_dir,
                log_format,
                db_pool_size,
                http_workers,
                request_timeout,
                statement_timeout,
                session_idle,
                session_absolute,
                limits,
            })
        } else {
            Err(ConfigErrors(errors))
        }
    }

    pub fn is_embedded(&self) -> bool {
        matches!(self.database, DatabaseSource::Embedded)
    }

    /// The public URL without a trailing slash, for building links.
    pub fn public_base(&self) -> String {
        self.public_url.as_str().trim_end_matches('/').to_string()
    }
}

/// Every configuration mistake found, one per line.
#[derive(Debug)]
pub struct ConfigErrors(pub Vec<String>);

impl std::fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for line in &self.0 {
            writeln!(f, "configuration error: {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigErrors> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_to_the_embedded_database() {
        let s = settings(&[]).unwrap();
        assert!(s.is_embedded());
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(s.public_url.as_str(), "http://127.0.0.1:8080/");
    }

    #[test]
    fn reports_every_mistake_at_once() {
        let err = settings(&[
            ("DATABASE_URL", "mysql://x"),
            ("FACTDESK_LISTEN", "nowhere"),
            ("FACTDESK_JWT_SECRET", "short"),
            ("FACTDESK_LOG_FORMAT", "xml"),
            ("SMTP_URL", "http://mail"),
        ])
        .unwrap_err();
        assert_eq!(err.0.len(), 5, "{err}");
    }

    #[test]
    fn the_outbound_allow_list_is_checked() {
        let err = settings(&[("FACTDESK_OUTBOUND_ALLOW", "127.0.0.1, not a host")]).unwrap_err();
        assert!(err.0[0].starts_with("FACTDESK_OUTBOUND_ALLOW"), "{err}");
        let ok = settings(&[("FACTDESK_OUTBOUND_ALLOW", "127.0.0.1,10.0.0.0/8")]).unwrap();
        assert!(ok.outbound.allow.allows_ip("10.9.8.7".parse().unwrap()));
    }

    #[test]
    fn an_external_database_needs_a_jwt_secret() {
        let err = settings(&[("DATABASE_URL", "postgres://u@h/db")]).unwrap_err();
        assert!(err.0[0].starts_with("FACTDESK_JWT_SECRET"));
    }
}

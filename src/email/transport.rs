//! Where emails go: an SMTP server (`SMTP_URL`), a folder of `.eml` files (the embedded
//! default without `SMTP_URL`), or memory (tests).
//!
//! The folder's emails carry working invitation and reset links, so the folder is
//! 0700 and every file 0600: no other local user may read them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::Settings;

#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(PathBuf),
    Memory(Arc<Mutex<Vec<Message>>>),
}

impl Transport {
    /// SMTP when `SMTP_URL` is set, else a folder in the data folder.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        match &settings.smtp_url {
            Some(url) => Self::smtp(url.expose_secret()),
            None => Self::folder(&settings.data_dir.join("outbox")),
        }
    }

    /// `smtps://` is implicit TLS; `smtp://` uses STARTTLS, except on a loopback host
    /// where it may be plain (a local relay or a test server).
    pub fn smtp(raw: &str) -> anyhow::Result<Self> {
        let url = url::Url::parse(raw)?;
        let host = url
            .host_str()
            .ok_or_else(|| anyhow::anyhow!("SMTP_URL has no host"))?
            .to_string();
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let mut builder = match (url.scheme(), loopback) {
            ("smtps", _) => AsyncSmtpTransport::<Tokio1Executor>::relay(&host)?,
            ("smtp", true) => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host),
            ("smtp", false) => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host)?,
            (other, _) => anyhow::bail!("SMTP_URL scheme {other} is not smtp or smtps"),
        };
        if let Some(port) = url.port() {
            builder = builder.port(port);
        }
        if !url.username().is_empty() {
            let user = percent_decode(url.username());
            let password = percent_decode(url.password().unwrap_or(""));
            builder = builder.credentials(Credentials::new(user, password));
        }
        Ok(Self::Smtp(
            builder
                .timeout(Some(std::time::Duration::from_secs(20)))
                .build(),
        ))
    }

    /// A folder of `.eml` files, private to the user running Factdesk.
    pub fn folder(dir: &Path) -> anyhow::Result<Self> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        // A folder made by an earlier version may be 0755.
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        Ok(Self::Folder(dir.to_path_buf()))
    }

    pub fn memory() -> (Self, Arc<Mutex<Vec<Message>>>) {
        let store = Arc::new(Mutex::new(Vec::new()));
        (Self::Memory(store.clone()), store)
    }

    pub async fn send(&self, message: Message) -> anyhow::Result<()> {
        match self {
            Self::Smtp(t) => t
                .send(message)
                .await
                .map(drop)
                .map_err(|e| anyhow::anyhow!("{e}")),
            Self::Folder(dir) => {
                use tokio::io::AsyncWriteExt;
                let path = dir.join(format!("{}.eml", uuid::Uuid::new_v4()));
                let mut file = tokio::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&path)
                    .await?;
                file.write_all(&message.formatted()).await?;
                file.sync_all().await?;
                Ok(())
            }
            Self::Memory(store) => {
                store
                    .lock()
                    .map_err(|_| anyhow::anyhow!("poisoned"))?
                    .push(message);
                Ok(())
            }
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Smtp(_) => "SMTP".into(),
            Self::Folder(dir) => format!("files in {}", dir.display()),
            Self::Memory(_) => "memory".into(),
        }
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

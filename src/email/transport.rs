//! Where emails go: an SMTP server (`SMTP_URL`), a folder of `.eml` files (the embedded
//! default without `SMTP_URL`), or memory (tests).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::Settings;

#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>, PathBuf),
    Memory(Arc<Mutex<Vec<Message>>>),
}

impl Transport {
    /// SMTP when `SMTP_URL` is set, else a folder in the data folder.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        match &settings.smtp_url {
            Some(url) => Self::smtp(url.expose_secret()),
            None => {
                let dir = settings.data_dir.join("outbox");
                std::fs::create_dir_all(&dir)?;
                Ok(Self::Folder(
                    AsyncFileTransport::<Tokio1Executor>::new(&dir),
                    dir,
                ))
            }
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
            Self::Folder(t, _) => t
                .send(message)
                .await
                .map(drop)
                .map_err(|e| anyhow::anyhow!("{e}")),
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
            Self::Folder(_, dir) => format!("files in {}", dir.display()),
            Self::Memory(_) => "memory".into(),
        }
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

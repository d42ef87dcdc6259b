//! Password hashing with argon2id, on a dedicated pool of at most max(1, cores − 1)
//! threads: a flood of logins queues there instead of starving the async workers or
//! the other blocking work.

use std::sync::{Arc, LazyLock};

use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use secrecy::{ExposeSecret, SecretString};

/// Verified when an email is unknown, so that the answer takes as long as for a real
/// account and its timing does not reveal which emails exist.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_blocking(&SecretString::from("factdesk-dummy-password-for-timing"))
        .expect("hashing a constant")
});

#[derive(Clone)]
pub struct PasswordPool {
    pool: Arc<rayon::ThreadPool>,
}

impl PasswordPool {
    pub fn new() -> anyhow::Result<Self> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = cores.saturating_sub(1).max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("argon2-{i}"))
            .build()?;
        Ok(Self {
            pool: Arc::new(pool),
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.pool.spawn(move || {
            let _ = tx.send(work());
        });
        Ok(rx.await?)
    }

    pub async fn hash(&self, password: SecretString) -> anyhow::Result<String> {
        self.run(move || hash_blocking(&password)).await?
    }

    /// Checks `password` against `hash`, or against a dummy hash when there is none.
    pub async fn verify(
        &self,
        password: SecretString,
        hash: Option<String>,
    ) -> anyhow::Result<bool> {
        self.run(move || {
            let target = hash.as_deref().unwrap_or(DUMMY_HASH.as_str());
            let ok = verify_blocking(&password, target);
            ok && hash.is_some()
        })
        .await
    }
}

/// argon2id with the crate's defaults: m = 19456 KiB, t = 2, p = 1 (OWASP's minimum).
pub fn hash_blocking(password: &SecretString) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.expose_secret().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

fn verify_blocking(password: &SecretString, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_ok(),
        Err(e) => {
            tracing::error!(error = %e, "a stored password hash does not parse");
            false
        }
    }
}

/// A readable random password for generated accounts (demo users, benchmarks).
pub fn generate_password() -> String {
    use rand::Rng;
    const WORDS: &[&str] = &[
        "amber", "basil", "cedar", "delta", "ember", "fjord", "grove", "harbor", "iris", "juniper",
        "kestrel", "lumen", "maple", "nectar", "onyx", "prism", "quartz", "raven", "sierra",
        "tundra", "umber", "vesper", "willow", "yarrow", "zephyr",
    ];
    let mut rng = rand::rng();
    let words: Vec<&str> = (0..3)
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect();
    format!("{}-{}", words.join("-"), rng.random_range(100..1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_phc_strings() {
        let hash = hash_blocking(&SecretString::from("correct horse battery")).unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_blocking(
            &SecretString::from("correct horse battery"),
            &hash
        ));
        assert!(!verify_blocking(
            &SecretString::from("wrong horse battery"),
            &hash
        ));
        assert!(generate_password().len() >= crate::domain::validation::MIN_PASSWORD_CHARS);
    }
}

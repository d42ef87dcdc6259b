//! Webhooks' rules: the events an endpoint can subscribe to, what a registration
//! must hold, how a delivery is signed (the Standard Webhooks specification), the
//! Slack-compatible body, and what a receiver's answer means for the delivery.
//! Whether an address may be reached at all is the outbound guard's (`outbound`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::Sha256;
use utoipa::ToSchema;

use crate::domain::validation::{self, FieldError};

/// What happened, as a receiver is told (`type` in the payload).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[schema(as = WebhookEvent)]
pub enum EventKind {
    #[serde(rename = "claim.submitted")]
    ClaimSubmitted,
    #[serde(rename = "claim.approved")]
    ClaimApproved,
    #[serde(rename = "claim.assigned")]
    ClaimAssigned,
    #[serde(rename = "claim.overdue")]
    ClaimOverdue,
    #[serde(rename = "article.published")]
    ArticlePublished,
    #[serde(rename = "article.corrected")]
    ArticleCorrected,
    #[serde(rename = "article.unpublished")]
    ArticleUnpublished,
    #[serde(rename = "error_report.created")]
    ErrorReported,
    /// The "send a test event" action; every endpoint receives it, subscribed or not.
    #[serde(rename = "webhook.test")]
    Test,
}

/// The kinds an endpoint can subscribe to.
pub const EVENT_KINDS: [EventKind; 8] = [
    EventKind::ClaimSubmitted,
    EventKind::ClaimApproved,
    EventKind::ClaimAssigned,
    EventKind::ClaimOverdue,
    EventKind::ArticlePublished,
    EventKind::ArticleCorrected,
    EventKind::ArticleUnpublished,
    EventKind::ErrorReported,
];

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ClaimSubmitted => "claim.submitted",
            EventKind::ClaimApproved => "claim.approved",
            EventKind::ClaimAssigned => "claim.assigned",
            EventKind::ClaimOverdue => "claim.overdue",
            EventKind::ArticlePublished => "article.published",
            EventKind::ArticleCorrected => "article.corrected",
            EventKind::ArticleUnpublished => "article.unpublished",
            EventKind::ErrorReported => "error_report.created",
            EventKind::Test => "webhook.test",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        EVENT_KINDS
            .into_iter()
            .chain([EventKind::Test])
            .find(|k| k.as_str() == s)
    }
}

/// The body an endpoint receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = WebhookFormat)]
pub enum Format {
    /// The Standard Webhooks payload: `{type, timestamp, data}`.
    Standard,
    /// A Slack (or Mattermost) incoming-webhook body: `{text}` with a link.
    Slack,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Standard => "standard",
            Format::Slack => "slack",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "standard" => Some(Format::Standard),
            "slack" => Some(Format::Slack),
            _ => None,
        }
    }
}

pub const MAX_NAME_CHARS: usize = 100;
const SECRET_PREFIX: &str = "whsec_";
/// The specification asks for 24 to 64 bytes of key.
const SECRET_BYTES: std::ops::RangeInclusive<usize> = 24..=64;

/// A new signing secret: `whsec_` and 32 random bytes in base64.
pub fn generate_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    format!("{SECRET_PREFIX}{}", BASE64.encode(bytes))
}

/// The key a secret stands for, or why it is not one.
pub fn secret_key(secret: &str) -> Result<Vec<u8>, &'static str> {
    let encoded = secret
        .strip_prefix(SECRET_PREFIX)
        .ok_or("must start with whsec_")?;
    let key = BASE64
        .decode(encoded)
        .map_err(|_| "must be whsec_ followed by base64")?;
    if SECRET_BYTES.contains(&key.len()) {
        Ok(key)
    } else {
        Err("must hold 24 to 64 bytes after whsec_")
    }
}

/// A secret shown after creation only as its first characters.
pub fn secret_hint(secret: &str) -> String {
    let shown: String = secret.chars().take(SECRET_PREFIX.len() + 4).collect();
    format!("{shown}…")
}

/// The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256 of
/// `{id}.{timestamp}.{body}` under the secret's key.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()))
}

/// An endpoint's settings after their checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub name: String,
    pub url: String,
    pub format: Format,
    pub events: Vec<EventKind>,
}

pub fn check_name(value: &str) -> Result<String, FieldError> {
    validation::required_line("name", value, MAX_NAME_CHARS)
}

/// An http(s) URL without credentials in it (the secret signs; a password in the
/// URL would be shown to every admin).
pub fn check_url(value: &str) -> Result<String, FieldError> {
    let url = validation::http_url("url", value.trim())?;
    let parsed =
        url::Url::parse(&url).map_err(|_| FieldError::new("url", "must be an http(s) URL"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(FieldError::new(
            "url",
            "must not hold a user name or password; the signature proves the sender",
        ));
    }
    if parsed.host().is_none() {
        return Err(FieldError::new("url", "must name a host"));
    }
    Ok(url)
}

/// The subscribed kinds: at least one, none of them the test event, each once (in a
/// fixed order).
pub fn check_events(values: &[EventKind]) -> Result<Vec<EventKind>, FieldError> {
    if let Some(i) = values.iter().position(|k| *k == EventKind::Test) {
        return Err(FieldError::new(
            format!("events[{i}]"),
            format!(
                "must be one of {}; the test event goes to every endpoint by itself",
                EVENT_KINDS.map(EventKind::as_str).join(", ")
            ),
        ));
    }
    let mut kinds = values.to_vec();
    kinds.sort();
    kinds.dedup();
    if kinds.is_empty() {
        return Err(FieldError::new("events", "must name at least one event"));
    }
    Ok(kinds)
}

pub fn check_format(value: &str) -> Result<Format, FieldError> {
    Format::parse(value).ok_or_else(|| FieldError::new("format", "must be standard or slack"))
}

/// The Standard Webhooks payload of an event: its type, when it happened, and its
/// data, which always holds a one-line `summary` and the `url` to open.
pub fn payload(
    kind: EventKind,
    at: chrono::DateTime<chrono::Utc>,
    mut data: Value,
    summary: &str,
    url: &str,
) -> Value {
    if let Some(map) = data.as_object_mut() {
        map.insert("summary".into(), json!(summary));
        map.insert("url".into(), json!(url));
    }
    json!({
        "type": kind.as_str(),
        "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": data,
    })
}

/// Slack's mrkdwn gives `&`, `<` and `>` a meaning; user text has them escaped.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The body an endpoint of `format` receives for `payload`.
pub fn body(format: Format, payload: &Value) -> Value {
    match format {
        Format::Standard => payload.clone(),
        Format::Slack => {
            let data = &payload["data"];
            let summary = data["summary"].as_str().unwrap_or("Factdesk");
            let text = match data["url"].as_str() {
                Some(url) => format!(
                    "{} <{}|Open in Factdesk>",
                    slack_escape(summary),
                    url.replace('|', "%7C").replace('>', "%3E")
                ),
                None => slack_escape(summary),
            };
            json!({ "text": text })
        }
    }
}

/// What a receiver's HTTP status means for the delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// 2xx: delivered, never sent again.
    Delivered,
    /// 410 Gone: the receiver wants no more; the endpoint is turned off and the admins
    /// are told.
    Gone,
    /// Anything else (a redirect included, as redirects are not followed): try again
    /// later.
    Retry,
}

pub fn answer(status: u16) -> Answer {
    match status {
        200..=299 => Answer::Delivered,
        410 => Answer::Gone,
        _ => Answer::Retry,
    }
}

/// The wait before attempt `attempts + 1` in milliseconds: base × 2^(attempts − 1),
/// capped at `max`, times `jitter` (the caller's random factor around 1).
pub fn backoff_ms(base_ms: u64, max_ms: u64, attempts: i32, jitter: f64) -> u64 {
    let exp = base_ms as f64 * 2f64.powi((attempts - 1).clamp(0, 30));
    (exp.min(max_ms as f64) * jitter).max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_as_the_standard_webhooks_example_does() {
        // The example of the specification's reference libraries (svix, standard-webhooks).
        let key = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            signature(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn secrets_are_whsec_and_enough_bytes() {
        let s = generate_secret();
        assert_eq!(secret_key(&s).unwrap().len(), 32);
        assert!(secret_key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_err());
        assert!(secret_key("whsec_c2hvcnQ=").is_err());
        assert!(secret_key("whsec_not base64!").is_err());
        assert!(secret_hint(&s).starts_with("whsec_") && secret_hint(&s).chars().count() == 11);
    }

    #[test]
    fn events_are_known_kinds_once_each() {
        use EventKind::*;
        let kinds = check_events(&[ClaimApproved, ClaimSubmitted, ClaimApproved]).unwrap();
        assert_eq!(kinds, vec![ClaimSubmitted, ClaimApproved]);
        assert_eq!(check_events(&[]).unwrap_err().field, "events");
        assert_eq!(
            check_events(&[ClaimOverdue, Test]).unwrap_err().field,
            "events[1]"
        );
        for k in EVENT_KINDS.into_iter().chain([Test]) {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }

    #[test]
    fn urls_carry_no_credentials() {
        assert!(check_url("https://hooks.slack.com/services/T0/B0/xyz").is_ok());
        assert_eq!(check_url("ftp://x.example.org/").unwrap_err().field, "url");
        assert!(check_url("https://user:pw@x.example.org/").is_err());
    }

    #[test]
    fn slack_bodies_escape_what_people_typed() {
        let p = payload(
            EventKind::ClaimSubmitted,
            chrono::Utc::now(),
            json!({}),
            "Rita submitted “<b>A & B</b>”",
            "https://desk.example.org/claims/1",
        );
        assert_eq!(
            body(Format::Slack, &p)["text"],
            "Rita submitted “&lt;b&gt;A &amp; B&lt;/b&gt;” <https://desk.example.org/claims/1|Open in Factdesk>"
        );
        assert_eq!(body(Format::Standard, &p)["type"], "claim.submitted");
        assert_eq!(
            body(Format::Standard, &p)["data"]["summary"],
            "Rita submitted “<b>A & B</b>”"
        );
    }

    #[test]
    fn answers_and_backoff() {
        assert_eq!(answer(204), Answer::Delivered);
        assert_eq!(answer(410), Answer::Gone);
        assert_eq!(answer(302), Answer::Retry);
        assert_eq!(answer(503), Answer::Retry);
        assert_eq!(backoff_ms(1000, 60_000, 1, 1.0), 1000);
        assert_eq!(backoff_ms(1000, 60_000, 3, 1.0), 4000);
        assert_eq!(backoff_ms(1000, 60_000, 20, 1.0), 60_000);
    }
}

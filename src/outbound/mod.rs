//! Outbound HTTP to addresses people typed (webhook endpoints): every request goes
//! through one client that refuses private, loopback, link-local and other
//! non-public addresses unless `FACTDESK_OUTBOUND_ALLOW` names the host or a network
//! holding the address, follows no redirect, gives up after a timeout and reads at
//! most a capped number of bytes of the answer.
//!
//! The address is checked where it is resolved (a DNS resolver of our own inside the
//! client), so a name that resolves to a private address is refused, and a name
//! whose answer changes between a check and the connection (DNS rebinding) cannot
//! slip past: the connection goes only to the addresses the check let through. An
//! address written in the URL itself is checked before the request.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ipnet::IpNet;
use url::{Host, Url};

/// What may be reached besides the public internet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Allow {
    hosts: Vec<String>,
    nets: Vec<IpNet>,
}

impl Allow {
    /// A comma-separated list of host names, addresses and networks in CIDR notation
    /// (`hooks.internal, 127.0.0.1, 10.20.0.0/16`).
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut allow = Allow::default();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if let Ok(net) = entry.parse::<IpNet>() {
                allow.nets.push(net);
            } else if let Ok(ip) = entry.parse::<IpAddr>() {
                allow.nets.push(IpNet::from(ip));
            } else if entry.contains('/') || !is_host_name(entry) {
                return Err(format!(
                    "`{entry}` is not a host name, an address or a network such as 10.0.0.0/8"
                ));
            } else {
                allow
                    .hosts
                    .push(entry.trim_end_matches('.').to_ascii_lowercase());
            }
        }
        Ok(allow)
    }

    fn names_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.hosts.contains(&host)
    }

    /// Whether a connection to `ip` may be made (for a host the list does not name).
    pub fn allows_ip(&self, ip: IpAddr) -> bool {
        is_public(ip) || self.nets.iter().any(|n| n.contains(&ip))
    }

    /// Whether `url` may be requested as far as can be told without resolving it: an
    /// http(s) URL whose literal address, or `localhost`, the list lets through.
    pub fn check_url(&self, url: &Url) -> Result<(), Refusal> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refusal::Scheme);
        }
        match url.host() {
            None => Err(Refusal::Scheme),
            Some(Host::Ipv4(ip)) => self.check_ip(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => self.check_ip(IpAddr::V6(ip)),
            Some(Host::Domain(name)) => {
                let lower = name.trim_end_matches('.').to_ascii_lowercase();
                let local = lower == "localhost" || lower.ends_with(".localhost");
                if local && !self.names_host(&lower) {
                    Err(Refusal::Private(lower))
                } else {
                    Ok(())
                }
            }
        }
    }

    fn check_ip(&self, ip: IpAddr) -> Result<(), Refusal> {
        if self.allows_ip(ip) {
            Ok(())
        } else {
            Err(Refusal::Private(ip.to_string()))
        }
    }
}

fn is_host_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// Whether an address is on the public internet: not private, loopback, link-local,
/// shared (carrier NAT), reserved, documentation, benchmarking, multicast or
/// unspecified, in IPv4 or IPv6 (IPv4-mapped and NAT64 addresses as the IPv4 address
/// they hold).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let s = v6.segments();
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
                return is_public_v4(Ipv4Addr::new(
                    (s[6] >> 8) as u8,
                    s[6] as u8,
                    (s[7] >> 8) as u8,
                    s[7] as u8,
                ));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || s[..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible, deprecated
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

/// Why a request was not made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("only http and https URLs are requested")]
    Scheme,
    #[error(
        "{0} is a private, loopback or link-local address; FACTDESK_OUTBOUND_ALLOW must name it to be reached"
    )]
    Private(String),
}

/// How a request went wrong.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("no answer within {0} s")]
    Timeout(u64),
    #[error("{0}")]
    Failed(String),
}

/// The receiver's answer: its status and the first bytes of its body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// A redirect's target (never followed).
    pub location: Option<String>,
    pub body: String,
    pub took: Duration,
}

/// The settings of the outbound client.
#[derive(Clone, Debug)]
pub struct OutboundSettings {
    pub allow: Allow,
    pub timeout: Duration,
    /// An answer's body is read up to this many bytes; the rest is not read.
    pub max_answer_bytes: usize,
}

impl Default for OutboundSettings {
    fn default() -> Self {
        Self {
            allow: Allow::default(),
            timeout: Duration::from_secs(10),
            max_answer_bytes: 64 * 1024,
        }
    }
}

/// Resolves a name and keeps the addresses the allow-list lets through; a name the
/// list names keeps all of them.
struct GuardedResolver {
    allow: Arc<Allow>,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl GuardedResolver {
    async fn addresses(allow: &Allow, host: &str) -> Result<Vec<SocketAddr>, BoxError> {
        let found: Vec<SocketAddr> = tokio::net::lookup_host((host, 0))
            .await
            .map_err(|e| format!("{host} could not be resolved: {e}"))?
            .collect();
        let named = allow.names_host(host);
        let kept: Vec<SocketAddr> = found
            .iter()
            .copied()
            .filter(|a| named || allow.allows_ip(a.ip()))
            .collect();
        if kept.is_empty() {
            let shown = found
                .first()
                .map(|a| a.ip().to_string())
                .unwrap_or_else(|| "no address".into());
            return Err(Box::new(Refusal::Private(format!("{host} ({shown})"))));
        }
        Ok(kept)
    }
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow = self.allow.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let kept = Self::addresses(&allow, &host).await?;
            Ok(Box::new(kept.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The one client for outbound requests.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    allow: Arc<Allow>,
    timeout: Duration,
    max_answer_bytes: usize,
}

impl Client {
    pub fn new(settings: &OutboundSettings) -> anyhow::Result<Self> {
        let allow = Arc::new(settings.allow.clone());
        let http = reqwest::Client::builder()
            .user_agent(concat!("Factdesk/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(5)))
            .dns_resolver(Arc::new(GuardedResolver {
                allow: allow.clone(),
            }))
            .build()?;
        Ok(Self {
            http,
            allow,
            timeout: settings.timeout,
            max_answer_bytes: settings.max_answer_bytes,
        })
    }

    /// Whether a URL could be requested, as far as the URL itself tells.
    pub fn check(&self, url: &Url) -> Result<(), Refusal> {
        self.allow.check_url(url)
    }

    /// POSTs a JSON body with the given headers; any HTTP status is an answer.
    pub async fn post_json(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Result<Answer, SendError> {
        let parsed = Url::parse(url).map_err(|_| SendError::Refused(Refusal::Scheme))?;
        self.check(&parsed)?;
        let started = Instant::now();
        let mut request = self
            .http
            .post(parsed)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let mut response = request.send().await.map_err(|e| self.explain(e))?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(300).collect());
        let mut read = Vec::new();
        while read.len() < self.max_answer_bytes {
            match response.chunk().await {
                Ok(Some(chunk)) => read.extend_from_slice(&chunk),
                Ok(None) => break,
                // The status counts; an answer cut short only loses its text.
                Err(_) => break,
            }
        }
        read.truncate(self.max_answer_bytes);
        Ok(Answer {
            status,
            location,
            body: String::from_utf8_lossy(&read).chars().take(500).collect(),
            took: started.elapsed(),
        })
    }

    fn explain(&self, e: reqwest::Error) -> SendError {
        if e.is_timeout() {
            return SendError::Timeout(self.timeout.as_secs().max(1));
        }
        // The refusal of our resolver sits somewhere in the error's chain.
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        let mut chain = Vec::new();
        while let Some(s) = source {
            if let Some(r) = s.downcast_ref::<Refusal>() {
                return SendError::Refused(r.clone());
            }
            chain.push(s.to_string());
            source = s.source();
        }
        chain.dedup();
        SendError::Failed(chain.join(": "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip(private)), "{private}");
        }
        for public in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(ip(public)), "{public}");
        }
    }

    #[test]
    fn the_allow_list_names_hosts_addresses_and_networks() {
        let allow = Allow::parse("127.0.0.1, 10.20.0.0/16, hooks.internal").unwrap();
        assert!(allow.allows_ip(ip("127.0.0.1")));
        assert!(!allow.allows_ip(ip("127.0.0.2")));
        assert!(allow.allows_ip(ip("10.20.3.4")));
        assert!(!allow.allows_ip(ip("10.21.0.1")));
        assert!(allow.names_host("HOOKS.internal."));
        assert!(Allow::parse("not a host").is_err());
        assert!(Allow::parse("10.0.0.0/33").is_err());
        assert_eq!(Allow::parse(" , ").unwrap(), Allow::default());
    }

    #[tokio::test]
    async fn names_resolving_to_private_addresses_are_refused_where_they_are_resolved() {
        let refused = GuardedResolver::addresses(&Allow::default(), "localhost")
            .await
            .unwrap_err();
        assert!(refused.downcast_ref::<Refusal>().is_some(), "{refused}");
        assert!(refused.to_string().starts_with("localhost ("), "{refused}");
        let by_address = Allow::parse("127.0.0.0/8").unwrap();
        assert!(
            GuardedResolver::addresses(&by_address, "localhost")
                .await
                .is_ok()
        );
        let by_name = Allow::parse("localhost").unwrap();
        assert!(
            GuardedResolver::addresses(&by_name, "localhost")
                .await
                .is_ok()
        );
    }

    #[test]
    fn urls_are_checked_before_resolving() {
        let none = Allow::default();
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(none.check_url(&url("https://hooks.slack.com/x")).is_ok());
        assert!(matches!(
            none.check_url(&url("http://127.0.0.1:9/x")),
            Err(Refusal::Private(_))
        ));
        assert!(none.check_url(&url("http://[::1]/")).is_err());
        assert!(none.check_url(&url("http://localhost:8080/")).is_err());
        assert!(
            none.check_url(&url("http://169.254.169.254/latest/meta-data"))
                .is_err()
        );
        assert_eq!(
            none.check_url(&url("file:///etc/passwd")),
            Err(Refusal::Scheme)
        );
        let loopback = Allow::parse("127.0.0.1,localhost").unwrap();
        assert!(loopback.check_url(&url("http://127.0.0.1:9/x")).is_ok());
        assert!(loopback.check_url(&url("http://localhost:9/x")).is_ok());
    }
}

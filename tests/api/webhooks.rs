//! Webhooks against a receiver on loopback (reached through `FACTDESK_OUTBOUND_ALLOW`):
//! the signature verifies with the secret, a receiver down for 30 s gets every
//! delivery exactly once and in order when it is back, a 410 turns the endpoint off
//! and tells the admins, the Slack body, redirects not followed, and the guard that
//! refuses private addresses at registration and at sending.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{
    TestApp, TestDatabase, TestUser, assert_problem, fresh_database, spawn_app_on, test_settings,
};

/// What the receiver got: the headers that matter, the path and the body.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    id: String,
    timestamp: String,
    signature: String,
    content_type: String,
    body: String,
}

#[derive(Clone)]
struct ReceiverState {
    got: Arc<Mutex<Vec<Received>>>,
    /// The status it answers with, and (for 3xx) where it points.
    status: u16,
    delay: Duration,
}

/// A webhook receiver on 127.0.0.1.
struct Receiver {
    port: u16,
    got: Arc<Mutex<Vec<Received>>>,
    handle: Option<actix_web::dev::ServerHandle>,
}

async fn receive(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<ReceiverState>,
) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    state.got.lock().unwrap().push(Received {
        path: req.path().to_string(),
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        content_type: header("content-type"),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    tokio::time::sleep(state.delay).await;
    let mut answer =
        HttpResponse::build(actix_web::http::StatusCode::from_u16(state.status).unwrap());
    if (300..400).contains(&state.status) {
        answer.insert_header(("Location", "/elsewhere"));
    }
    answer.body("ok")
}

impl Receiver {
    async fn start(port: u16, status: u16) -> Self {
        Self::start_with(port, status, Duration::ZERO, Arc::default()).await
    }

    async fn start_with(
        port: u16,
        status: u16,
        delay: Duration,
        got: Arc<Mutex<Vec<Received>>>,
    ) -> Self {
        let state = ReceiverState {
            got: got.clone(),
            status,
            delay,
        };
        let server = actix_web::HttpServer::new(move || {
            actix_web::App::new()
                .app_data(web::Data::new(state.clone()))
                .default_service(web::to(receive))
        })
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", port))
        .expect("the receiver's port is free")
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            port,
            got,
            handle: Some(handle),
        }
    }

    async fn stop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.stop(true).await;
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until at least `n` requests arrived.
    async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let got = self.got();
            if got.len() >= n || tokio::time::Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A port nobody listens on (yet).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Desk {
    app: TestApp,
    _db: TestDatabase,
    admin: TestUser,
    stop: tokio::sync::watch::Sender<bool>,
}

/// The server, allowed to reach 127.0.0.1, and the webhook sender beside it (quick
/// retries so a test waits seconds, not minutes).
async fn desk() -> Desk {
    let db = fresh_database().await;
    let mut settings = test_settings(&db.url);
    settings.outbound.allow = factdesk::outbound::Allow::parse("127.0.0.1").unwrap();
    let app = spawn_app_on(&db.url, settings.clone()).await;
    let admin = app.user("admin").await;
    let mut sender = settings;
    sender.webhooks.poll_interval = Duration::from_millis(100);
    sender.webhooks.backoff_base = Duration::from_millis(300);
    sender.webhooks.backoff_max = Duration::from_millis(1500);
    sender.webhooks.max_attempts = 100;
    sender.outbound.timeout = Duration::from_millis(1500);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(factdesk::jobs::webhooks::run(
        app.pool.clone(),
        sender,
        stopped,
    ));
    Desk {
        app,
        _db: db,
        admin,
        stop,
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

const ALL_EVENTS: [&str; 8] = [
    "claim.submitted",
    "claim.approved",
    "claim.assigned",
    "claim.overdue",
    "article.published",
    "article.corrected",
    "article.unpublished",
    "error_report.created",
];

async fn register(desk: &Desk, url: &str, format: &str) -> (String, String) {
    let created = desk
        .app
        .ok(
            &desk.admin,
            Method::POST,
            "/webhooks",
            Some(
                json!({"name": "Desk channel", "url": url, "format": format, "events": ALL_EVENTS}),
            ),
        )
        .await;
    (
        created["webhook"]["id"].as_str().unwrap().to_string(),
        created["secret"].as_str().unwrap().to_string(),
    )
}

fn verify(secret: &str, r: &Received) -> bool {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", r.id, r.timestamp).as_bytes());
    mac.update(r.body.as_bytes());
    let expected = format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    );
    r.signature.split(' ').any(|s| s == expected)
}

fn json_of(r: &Received) -> Value {
    serde_json::from_str(&r.body).unwrap()
}

/// Queues a test event for the endpoint; returns the delivery.
async fn send_test(desk: &Desk, id: &str) -> Value {
    desk.app
        .ok(
            &desk.admin,
            Method::POST,
            &format!("/webhooks/{id}/test"),
            None,
        )
        .await
}

async fn deliveries(desk: &Desk, id: &str) -> Vec<Value> {
    let page = desk
        .app
        .ok(
            &desk.admin,
            Method::GET,
            &format!("/webhooks/{id}/deliveries?limit=200"),
            None,
        )
        .await;
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn deliveries_are_signed_with_the_secret() {
    let desk = desk().await;
    let port = free_port();
    let mut receiver = Receiver::start(port, 204).await;
    let (id, secret) = register(&desk, &receiver.url("/hooks/factdesk"), "standard").await;
    assert!(secret.starts_with("whsec_"));
    // The secret is shown once: the list has only its first characters.
    let list = desk
        .app
        .ok(&desk.admin, Method::GET, "/webhooks", None)
        .await;
    assert_eq!(list[0]["id"], id.as_str());
    assert!(list.to_string().find(&secret).is_none());
    assert!(
        secret.starts_with(
            list[0]["secret_hint"]
                .as_str()
                .unwrap()
                .trim_end_matches('…')
        )
    );

    let queued = send_test(&desk, &id).await;
    assert_eq!(queued["event"], "webhook.test");
    let got = receiver.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let r = &got[0];
    assert_eq!(r.path, "/hooks/factdesk");
    assert_eq!(r.content_type, "application/json");
    assert!(verify(&secret, r), "{r:?}");
    assert!(!verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", r));
    let now = chrono::Utc::now().timestamp();
    assert!((r.timestamp.parse::<i64>().unwrap() - now).abs() < 60);
    let payload = json_of(r);
    assert_eq!(payload["type"], "webhook.test");
    assert!(
        payload["data"]["summary"]
            .as_str()
            .unwrap()
            .contains("Desk channel")
    );
    assert_eq!(payload["data"]["url"], "http://factdesk.test/webhooks");

    // The log shows it delivered, with the receiver's status and the time it took.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = deliveries(&desk, &id).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["last_status"], 204);
    assert!(log[0]["delivered_at"].is_string());
    assert_eq!(log[0]["attempts"], 1);
    assert_eq!(
        format!("msg_{}", log[0]["id"].as_str().unwrap().replace('-', "")),
        r.id
    );

    // A new secret signs from then on.
    let new_secret =
        "whsec_".to_string() + &base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
    desk.app
        .ok(
            &desk.admin,
            Method::PATCH,
            &format!("/webhooks/{id}"),
            Some(json!({"secret": new_secret, "version": 1})),
        )
        .await;
    send_test(&desk, &id).await;
    let got = receiver.wait_for(2, Duration::from_secs(10)).await;
    assert!(verify(&new_secret, &got[1]) && !verify(&secret, &got[1]));
    receiver.stop().await;
}

#[tokio::test]
async fn a_receiver_down_for_30_seconds_gets_every_delivery_once_in_order() {
    let desk = desk().await;
    let port = free_port();
    let (id, secret) = register(&desk, &format!("http://127.0.0.1:{port}/in"), "standard").await;
    let editor = desk.app.user("editor").await;
    let reviewer = desk.app.user("reviewer").await;
    let down_since = tokio::time::Instant::now();

    // While nobody listens: a test event, a claim assigned, submitted and approved,
    // the article published, and another test event.
    send_test(&desk, &id).await;
    let (aid, cid) = desk
        .app
        .approved_claim(
            &editor,
            &reviewer,
            "Zelensky has a 4% approval rating.",
            "false",
        )
        .await;
    desk.app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/publish"),
            Some(json!({"headline": "Fact check: the speech", "summary": "One claim checked"})),
        )
        .await;
    send_test(&desk, &id).await;
    let expected = [
        "webhook.test",
        "claim.assigned",
        "claim.submitted",
        "claim.approved",
        "article.published",
        "webhook.test",
    ];

    // Attempts fail meanwhile and are kept for later.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let log = deliveries(&desk, &id).await;
    assert_eq!(log.len(), expected.len(), "{log:?}");
    let oldest = log.last().unwrap();
    assert!(oldest["attempts"].as_i64().unwrap() >= 1, "{oldest}");
    assert!(
        oldest["last_status"].is_null() && oldest["last_error"].is_string(),
        "{oldest}"
    );
    assert!(
        log.iter()
            .all(|d| d["delivered_at"].is_null() && d["failed_at"].is_null())
    );

    let down_for = Duration::from_secs(30).saturating_sub(down_since.elapsed());
    tokio::time::sleep(down_for).await;
    let mut receiver = Receiver::start(port, 200).await;
    let got = receiver
        .wait_for(expected.len(), Duration::from_secs(20))
        .await;
    // Give a duplicate, if there were one, the time to arrive.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let got_all = receiver.got();
    assert_eq!(got.len(), expected.len(), "{got:?}");
    assert_eq!(
        got_all.len(),
        expected.len(),
        "each delivery exactly once: {got_all:?}"
    );
    let types: Vec<String> = got_all
        .iter()
        .map(|r| json_of(r)["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(types, expected, "in order of creation");
    let mut ids: Vec<&str> = got_all.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), expected.len());
    assert!(got_all.iter().all(|r| verify(&secret, r)));
    let approved = json_of(&got_all[3]);
    assert_eq!(approved["data"]["claim"]["id"], cid.as_str());
    assert_eq!(approved["data"]["claim"]["rating"], "false");
    assert_eq!(
        approved["data"]["url"],
        format!("http://factdesk.test/claims/{cid}")
    );
    let published = json_of(&got_all[4]);
    assert!(
        published["data"]["url"]
            .as_str()
            .unwrap()
            .starts_with("http://factdesk.test/p/")
    );

    let log = deliveries(&desk, &id).await;
    assert!(log.iter().all(|d| d["delivered_at"].is_string()), "{log:?}");
    receiver.stop().await;
}

#[tokio::test]
async fn a_410_turns_the_endpoint_off_and_tells_the_admins() {
    let desk = desk().await;
    let port = free_port();
    let mut receiver = Receiver::start(port, 410).await;
    let (id, _) = register(&desk, &receiver.url("/gone"), "standard").await;
    send_test(&desk, &id).await;
    send_test(&desk, &id).await;
    receiver.wait_for(1, Duration::from_secs(10)).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let webhook = loop {
        let w = desk
            .app
            .ok(&desk.admin, Method::GET, &format!("/webhooks/{id}"), None)
            .await;
        if w["active"] == false || tokio::time::Instant::now() > deadline {
            break w;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(webhook["active"], false, "{webhook}");
    assert!(webhook["disabled_reason"].as_str().unwrap().contains("410"));
    assert_eq!(webhook["pending"], 0);
    // Only the first went; the second was given up with the endpoint.
    assert_eq!(receiver.got().len(), 1);
    let log = deliveries(&desk, &id).await;
    assert!(log.iter().all(|d| d["failed_at"].is_string()), "{log:?}");

    // The admins hear of it in the app and by email.
    let inbox = desk
        .app
        .ok(&desk.admin, Method::GET, "/notifications", None)
        .await;
    let told = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "webhook_disabled");
    assert!(told.is_some(), "{inbox}");
    assert_eq!(told.unwrap()["subject"], "Desk channel");
    let (kind, subject, body) = desk
        .app
        .last_email(&desk.admin.email)
        .await
        .expect("an email");
    assert_eq!(kind, "webhook_disabled");
    assert!(subject.contains("Desk channel"), "{subject}");
    assert!(
        body.contains("410 Gone") && body.contains(&receiver.url("/gone")),
        "{body}"
    );

    // A turned-off endpoint gets nothing new; turning it on clears the reason, and a
    // given-up delivery can be retried.
    desk.app.ok(&desk.admin, Method::PATCH, &format!("/webhooks/{id}"), Some(json!({"active": true, "url": receiver.url("/back"), "version": webhook["version"]}))).await;
    receiver.stop().await;
    let mut receiver = Receiver::start(port, 200).await;
    let retried = desk
        .app
        .ok(
            &desk.admin,
            Method::POST,
            &format!(
                "/webhooks/{id}/deliveries/{}/retry",
                log[0]["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert!(retried["failed_at"].is_null());
    let got = receiver.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].path, "/back");
    let again = desk
        .app
        .call(
            &desk.admin,
            Method::POST,
            &format!(
                "/webhooks/{id}/deliveries/{}/retry",
                log[0]["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_problem(again, 409).await;
    let w = desk
        .app
        .ok(&desk.admin, Method::GET, &format!("/webhooks/{id}"), None)
        .await;
    assert!(w["active"] == true && w["disabled_reason"].is_null(), "{w}");
    receiver.stop().await;
}

#[tokio::test]
async fn slack_endpoints_get_text_with_a_link_and_redirects_are_not_followed() {
    let desk = desk().await;
    let port = free_port();
    let mut receiver = Receiver::start(port, 200).await;
    let (id, _) = register(&desk, &receiver.url("/services/T0/B0/x"), "slack").await;
    let editor = desk.app.user("editor").await;
    let reviewer = desk.app.user("reviewer").await;
    let (_, cid) = desk
        .app
        .approved_claim(
            &editor,
            &reviewer,
            "Turnout was <b>61%</b> & rising.",
            "true",
        )
        .await;
    let got = receiver.wait_for(3, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 3, "{got:?}");
    let approved = json_of(&got[2]);
    let text = approved["text"].as_str().unwrap();
    assert_eq!(approved.as_object().unwrap().len(), 1, "{approved}");
    assert!(text.contains("approved the verdict (true)"), "{text}");
    assert!(
        text.contains("&lt;b&gt;61%&lt;/b&gt; &amp; rising"),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(
            "<http://factdesk.test/claims/{cid}|Open in Factdesk>"
        )),
        "{text}"
    );
    receiver.stop().await;

    // A 302 is an answer to retry, not a place to go.
    let mut redirecting = Receiver::start(port, 302).await;
    send_test(&desk, &id).await;
    redirecting.wait_for(4, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let got = redirecting.got();
    assert!(got.iter().all(|r| r.path != "/elsewhere"), "{got:?}");
    let log = deliveries(&desk, &id).await;
    let test = &log[0];
    assert_eq!(test["event"], "webhook.test");
    assert_eq!(test["last_status"], 302);
    assert!(
        test["last_error"]
            .as_str()
            .unwrap()
            .contains("redirects are not followed"),
        "{test}"
    );
    assert!(test["delivered_at"].is_null() && test["failed_at"].is_null());
    redirecting.stop().await;
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allow_listed() {
    // Without an allow-list, loopback and private addresses are refused by name.
    let db = fresh_database().await;
    let app = spawn_app_on(&db.url, test_settings(&db.url)).await;
    let admin = app.user("admin").await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.5/hook",
        "http://[::1]/hook",
    ] {
        let response = app
            .call(
                &admin,
                Method::POST,
                "/webhooks",
                Some(json!({"name": "x", "url": url, "events": ["claim.approved"]})),
            )
            .await;
        let problem = assert_problem(response, 422).await;
        assert_eq!(problem["errors"][0]["field"], "url", "{url}: {problem}");
        // An IPv6 literal is no URL Factdesk takes at all; the others name the list.
        let message = problem["errors"][0]["message"].as_str().unwrap();
        assert!(
            url.contains('[') || message.contains("FACTDESK_OUTBOUND_ALLOW"),
            "{problem}"
        );
    }
    let bad = app
        .call(&admin, Method::POST, "/webhooks", Some(json!({"name": "x", "url": "https://hooks.example.org/x", "events": [], "secret": "whsec_c2hvcnQ="})))
        .await;
    let problem = assert_problem(bad, 422).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["secret", "events"], "{problem}");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM webhook_endpoints")
            .await,
        0
    );

    // Registered where it was allowed, then sent by a sender whose list does not name
    // it: the request is refused at sending too, and the log says why.
    let mut allowed = test_settings(&db.url);
    allowed.outbound.allow = factdesk::outbound::Allow::parse("127.0.0.1").unwrap();
    let allowing = spawn_app_on(&db.url, allowed).await;
    let port = free_port();
    let mut receiver = Receiver::start(port, 200).await;
    let created = allowing
        .ok(
            &admin,
            Method::POST,
            "/webhooks",
            Some(json!({"name": "x", "url": receiver.url("/x"), "events": ["claim.approved"]})),
        )
        .await;
    let id = created["webhook"]["id"].as_str().unwrap();
    let mut strict = test_settings(&db.url);
    strict.webhooks.poll_interval = Duration::from_millis(100);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(factdesk::jobs::webhooks::run(
        app.pool.clone(),
        strict,
        stopped,
    ));
    app.ok(&admin, Method::POST, &format!("/webhooks/{id}/test"), None)
        .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let _ = stop.send(true);
    assert!(receiver.got().is_empty());
    let log = app
        .ok(
            &admin,
            Method::GET,
            &format!("/webhooks/{id}/deliveries"),
            None,
        )
        .await;
    let error = log["items"][0]["last_error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        error.starts_with("refused: 127.0.0.1 is a private"),
        "{log}"
    );
    receiver.stop().await;
}

#[tokio::test]
async fn a_timeout_is_an_attempt_to_retry() {
    let desk = desk().await;
    let port = free_port();
    let got = Arc::default();
    let mut receiver = Receiver::start_with(port, 200, Duration::from_secs(5), got).await;
    let (id, _) = register(&desk, &receiver.url("/slow"), "standard").await;
    send_test(&desk, &id).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let log = deliveries(&desk, &id).await;
    assert!(
        log[0]["last_error"]
            .as_str()
            .unwrap_or_default()
            .starts_with("no answer within"),
        "{log:?}"
    );
    assert!(log[0]["delivered_at"].is_null());
    receiver.stop().await;
}

#[tokio::test]
async fn a_rolled_back_change_sends_nothing_and_deleting_removes_the_log() {
    let desk = desk().await;
    let port = free_port();
    let mut receiver = Receiver::start(port, 200).await;
    let (id, _) = register(&desk, &receiver.url("/x"), "standard").await;
    use diesel_async::AsyncConnection;
    let happened = |summary: &str| factdesk::app::webhooks::Happened {
        kind: factdesk::domain::webhooks::EventKind::ClaimApproved,
        summary: summary.to_string(),
        link: "/claims".into(),
        data: json!({}),
        dedupe_key: None,
    };
    let mut conn = desk.app.pool.get().await.unwrap();
    let rolled_back = conn
        .transaction::<(), factdesk::app::AppError, _>(async |conn| {
            factdesk::app::webhooks::announce(
                conn,
                "http://factdesk.test",
                happened("rolled back"),
            )
            .await?;
            Err(factdesk::app::AppError::conflict("a later step failed"))
        })
        .await;
    assert!(rolled_back.is_err());
    conn.transaction::<(), factdesk::app::AppError, _>(async |conn| {
        factdesk::app::webhooks::announce(conn, "http://factdesk.test", happened("committed")).await
    })
    .await
    .unwrap();
    drop(conn);
    receiver.wait_for(1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = receiver.got();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(json_of(&got[0])["data"]["summary"], "committed");

    let response = desk
        .app
        .call(
            &desk.admin,
            Method::DELETE,
            &format!("/webhooks/{id}"),
            None,
        )
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        desk.app
            .count("SELECT count(*) AS n FROM webhook_deliveries")
            .await,
        0
    );
    let gone = desk
        .app
        .call(&desk.admin, Method::GET, &format!("/webhooks/{id}"), None)
        .await;
    assert_problem(gone, 404).await;
    let audited = desk
        .app
        .count(&format!(
            "SELECT count(*) AS n FROM audit_events WHERE entity = 'webhook' AND entity_id = '{id}'"
        ))
        .await;
    assert_eq!(audited, 2, "created and deleted");
    let secrets = desk.app.count("SELECT count(*) AS n FROM audit_events WHERE entity = 'webhook' AND (after::text LIKE '%whsec_%==%' OR before::text LIKE '%whsec_%==%')").await;
    assert_eq!(secrets, 0, "no secret in the audit log");
    receiver.stop().await;
}

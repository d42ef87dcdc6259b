//! Trustworthy under attack and faults: bad input at the edge, a frozen database,
//! private files, caching and security headers.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    Proxy, assert_problem, fresh_database, spawn_app, spawn_app_on, test_settings,
};
use crate::publishing::publish;

#[tokio::test]
async fn nul_characters_are_refused_at_the_edge_naming_the_field() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;

    // Anonymous: a JSON string, a query parameter, a path segment, a form field.
    let login = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "a\u{0}b", "password": "x"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(login, 422).await;
    assert_eq!(body["errors"][0]["field"], "email");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("NUL")
    );

    let body = assert_problem(
        app.bearer(Method::GET, "/api/v1/claims?q=%00", &editor.token)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "q");

    // A public page answers with a page, not JSON.
    let page = app.get("/p/a%00b").await;
    assert_eq!(page.status(), 422);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.text().await.unwrap().contains("NUL"));

    let (aid, _) = app
        .approved_claim(
            &editor,
            &app.user("reviewer").await,
            "Turnout was 61 percent.",
            "false",
        )
        .await;
    let slug = publish(&app, &editor, &aid).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let form = app
        .client
        .post(app.url(&format!("/api/v1/public/articles/{slug}/error-reports")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("message=wrong%00number")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 422);
    assert!(
        form.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let json = app
        .client
        .post(app.url(&format!("/api/v1/public/articles/{slug}/error-reports")))
        .json(&json!({"message": "ok", "contact": "x\u{0}"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        assert_problem(json, 422).await["errors"][0]["field"],
        "contact"
    );
    // Nested and in arrays: the path says where.
    let body = assert_problem(
        app.bearer(Method::POST, "/api/v1/messages", &editor.token)
            .json(&json!({"user_ids": [], "subject": "s", "body": "b", "extra": {"deep": ["ok", "no\u{0}"]}}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "extra.deep[1]");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM error_reports").await,
        0
    );
}

#[tokio::test]
async fn times_outside_what_postgresql_stores_are_422() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    for when in ["-4714-01-01T00:00:00Z", "+20000-01-01T00:00:00Z"] {
        let body = assert_problem(
            app.bearer(Method::POST, "/api/v1/articles", &editor.token)
                .json(&json!({"title": "T", "body": "Some text.", "published_at": when}))
                .send()
                .await
                .unwrap(),
            422,
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "published_at", "{body}");
    }
    let body = assert_problem(
        app.bearer(
            Method::GET,
            "/api/v1/reports/verdicts?from=-4714-01-01",
            &editor.token,
        )
        .send()
        .await
        .unwrap(),
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "from");
    assert_eq!(app.count("SELECT count(*) AS n FROM articles").await, 0);
}

#[tokio::test]
async fn single_line_fields_refuse_line_breaks_and_control_characters() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let admin = app.user("admin").await;
    let cases: [(&crate::helpers::TestUser, Method, &str, Value, &str); 5] = [
        (
            &editor,
            Method::POST,
            "/api/v1/articles",
            json!({"title": "Two\nlines", "body": "Text."}),
            "title",
        ),
        (
            &editor,
            Method::POST,
            "/api/v1/articles",
            json!({"title": "T", "body": "Text.", "outlet": "Out\rlet"}),
            "outlet",
        ),
        (
            &admin,
            Method::POST,
            "/api/v1/users",
            json!({"email": "n@example.org", "display_name": "Bad\u{1b}[31m", "role": "editor"}),
            "display_name",
        ),
        (
            &editor,
            Method::PATCH,
            "/api/v1/auth/me",
            json!({"display_name": "A\nB", "version": 1}),
            "display_name",
        ),
        (
            &editor,
            Method::POST,
            "/api/v1/messages",
            json!({"user_ids": [admin.id], "subject": "Sub\nject", "body": "Two\nlines are fine here."}),
            "subject",
        ),
    ];
    for (user, method, path, body, field) in cases {
        let response = app
            .bearer(method.clone(), path, &user.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = assert_problem(response, 422).await;
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(fields.contains(&field), "{method} {path}: {problem}");
    }
    assert_eq!(app.count("SELECT count(*) AS n FROM articles").await, 0);
    assert_eq!(app.count("SELECT count(*) AS n FROM email_outbox").await, 0);
}

#[tokio::test]
async fn public_pages_answer_errors_as_pages() {
    let app = spawn_app().await;
    let missing = app.get("/p/no-such-page").await;
    assert_eq!(missing.status(), 404);
    assert!(
        missing.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let wrong_method = app
        .client
        .delete(app.url("/p/anything"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert!(
        wrong_method.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let methodology = app
        .client
        .post(app.url("/methodology"))
        .send()
        .await
        .unwrap();
    assert_eq!(methodology.status(), 405);
    assert!(methodology.text().await.unwrap().contains("<html"));
}

#[tokio::test]
async fn private_answers_are_not_stored_by_caches_and_https_gets_hsts() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let me = app
        .bearer(Method::GET, "/api/v1/auth/me", &editor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.headers()["cache-control"], "no-store");
    assert!(!me.headers().contains_key("strict-transport-security"));
    let denied = app.get("/api/v1/claims").await;
    assert_eq!(denied.headers()["cache-control"], "no-store");

    let db = fresh_database().await;
    let mut settings = test_settings(&db.url);
    settings.public_url = url::Url::parse("https://factcheck.example.org/").unwrap();
    let https = spawn_app_on(&db.url, settings).await;
    let response = https.get("/healthz").await;
    assert!(
        response.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age="),
    );
}

/// With PostgreSQL frozen (a proxy that stops forwarding, as a SIGSTOPped server
/// does: the kernel still accepts the bytes), every request answers 503 within 3 s,
/// and the server recovers by itself once it answers again.
#[tokio::test]
async fn a_frozen_database_cannot_freeze_the_server() {
    let db = fresh_database().await;
    let proxy = Proxy::start(&db.url).await;
    let url = proxy.url(&db.url);
    let app = spawn_app_on(&url, test_settings(&url)).await;
    let editor = app.user("editor").await;
    assert_eq!(
        app.bearer(Method::GET, "/api/v1/claims", &editor.token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    proxy.freeze(true);
    let started = Instant::now();
    let requests = (0..15).map(|i| {
        let (method, path, body) = match i % 5 {
            0 => (Method::GET, "/api/v1/claims", None),
            1 => (Method::GET, "/api/v1/articles", None),
            2 => (
                Method::POST,
                "/api/v1/articles",
                Some(json!({"title": "T", "body": "Text."})),
            ),
            3 => (
                Method::POST,
                "/api/v1/auth/login",
                Some(json!({"email": "a@example.org", "password": "x"})),
            ),
            _ => (Method::GET, "/readyz", None),
        };
        let mut request = app.bearer(method, path, &editor.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        async move {
            let sent = Instant::now();
            let response = request.send().await.unwrap();
            (
                response.status().as_u16(),
                response.headers().get("retry-after").is_some(),
                sent.elapsed(),
            )
        }
    });
    let answers = futures_util::future::join_all(requests).await;
    let slowest = answers.iter().map(|a| a.2).max().unwrap();
    eprintln!(
        "frozen database: 15 requests, slowest answer after {slowest:?} (all done after {:?})",
        started.elapsed()
    );
    for (status, retry_after, took) in &answers {
        assert_eq!(*status, 503);
        assert!(*retry_after, "503 carries Retry-After");
        assert!(*took < Duration::from_secs(3), "{took:?}");
    }

    proxy.freeze(false);
    let resumed = Instant::now();
    loop {
        let status = app
            .bearer(Method::GET, "/api/v1/auth/me", &editor.token)
            .send()
            .await
            .unwrap()
            .status();
        if status == 200 {
            break;
        }
        assert!(
            resumed.elapsed() < Duration::from_secs(2),
            "not recovered after {:?}",
            resumed.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!(
        "frozen database: recovered {:?} after it answered again",
        resumed.elapsed()
    );
}

#[tokio::test]
async fn the_outbox_folder_and_its_emails_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("outbox-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let transport = factdesk::email::transport::Transport::folder(&dir).unwrap();
    let message = lettre::Message::builder()
        .from("Desk <desk@example.org>".parse().unwrap())
        .to("someone@example.org".parse().unwrap())
        .subject("Reset")
        .body("https://factdesk.test/reset-password#token=secret".to_string())
        .unwrap();
    transport.send(message).await.unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(mode(&files[0]), 0o600);
    assert!(
        std::fs::read_to_string(&files[0])
            .unwrap()
            .contains("token=secret")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_role_that_can_never_use_a_route_gets_403_before_its_body_is_read() {
    let app = spawn_app().await;
    let reviewer = app.user("reviewer").await;
    let editor = app.user("editor").await;
    for (user, method, path) in [
        (&reviewer, Method::PUT, "/api/v1/settings"),
        (&reviewer, Method::PUT, "/api/v1/rating-scale"),
        (&reviewer, Method::POST, "/api/v1/articles"),
        (&reviewer, Method::POST, "/api/v1/messages"),
        (&editor, Method::POST, "/api/v1/users"),
        (&editor, Method::PUT, "/api/v1/settings"),
    ] {
        let response = app
            .bearer(method.clone(), path, &user.token)
            .json(&json!({"incomplete": true}))
            .send()
            .await
            .unwrap();
        assert_problem(response, 403).await;
    }
}

#[tokio::test]
async fn a_reviewer_counts_only_their_own_claims_of_an_article() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let article = app
        .ok(
            &editor,
            Method::POST,
            "/articles",
            Some(json!({"title": "Count", "body": "One claim. Two claim. Three claim."})),
        )
        .await;
    let aid = article["id"].as_str().unwrap();
    let mut first = None;
    for quote in ["One claim.", "Two claim.", "Three claim."] {
        let claim = app
            .ok(
                &editor,
                Method::POST,
                &format!("/articles/{aid}/claims"),
                Some(json!({"quote": quote})),
            )
            .await;
        first.get_or_insert(claim["id"].as_str().unwrap().to_string());
    }
    let first = first.unwrap();
    app.ok(
        &editor,
        Method::POST,
        &format!("/claims/{first}/assignments"),
        Some(json!({"reviewer_id": reviewer.id, "due_at": "2099-01-01T00:00:00Z"})),
    )
    .await;
    let mine = app
        .ok(&reviewer, Method::GET, &format!("/articles/{aid}"), None)
        .await;
    assert_eq!(mine["claim_count"], 1);
    assert_eq!(mine["claims"].as_array().unwrap().len(), 1);
    let list = app.ok(&reviewer, Method::GET, "/articles", None).await;
    assert_eq!(list["items"][0]["claim_count"], 1);
    assert_eq!(
        app.ok(&editor, Method::GET, &format!("/articles/{aid}"), None)
            .await["claim_count"],
        3
    );
}

/// A takedown reaches a reader who had the page at the very next request: public
/// answers carry `no-cache` and an `ETag`, so caches ask again every time.
#[tokio::test]
async fn takedowns_corrections_and_republishing_show_at_the_next_request() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let (aid, cid) = app
        .approved_claim(
            &editor,
            &reviewer,
            "Zelensky has a 4% approval rating.",
            "false",
        )
        .await;
    let slug = publish(&app, &editor, &aid).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let page = format!("/p/{slug}");
    let json_path = format!("/api/v1/public/articles/{slug}");
    let conditional = |path: String, etag: String| {
        let client = app.client.clone();
        let url = app.url(&path);
        async move {
            client
                .get(url)
                .header("if-none-match", etag)
                .send()
                .await
                .unwrap()
        }
    };

    let first = app.get(&page).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let unchanged = conditional(page.clone(), etag.clone()).await;
    assert_eq!(unchanged.status(), 304);
    let json_etag = app.get(&json_path).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        conditional(json_path.clone(), json_etag.clone())
            .await
            .status(),
        304
    );

    app.ok(
        &editor,
        Method::POST,
        &format!("/articles/{aid}/unpublish"),
        Some(json!({"reason": "Court order"})),
    )
    .await;
    let gone = conditional(page.clone(), etag).await;
    assert_eq!(gone.status(), 410);
    assert_eq!(gone.headers()["cache-control"], "no-cache");
    let gone_etag = gone.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(
        conditional(json_path.clone(), json_etag).await.status(),
        410
    );

    // Republished: a reader who saw "removed" gets the page again.
    app.ok(
        &editor,
        Method::POST,
        &format!("/articles/{aid}/publish"),
        Some(json!({"headline": "Fact check: the speech", "summary": "Restored."})),
    )
    .await;
    let back = conditional(page.clone(), gone_etag).await;
    assert_eq!(back.status(), 200);
    let etag = back.headers()["etag"].to_str().unwrap().to_string();
    assert!(back.text().await.unwrap().contains("Restored."));

    // A correction's note shows at once: the old validator no longer matches.
    app.ok(
        &editor,
        Method::POST,
        &format!("/articles/{aid}/corrections"),
        Some(json!({"note": "We misread the poll's date.", "claim_ids": [cid]})),
    )
    .await;
    let corrected = conditional(page.clone(), etag).await;
    assert_eq!(corrected.status(), 200);
    assert!(corrected.text().await.unwrap().contains("misread the poll"));
}

#[tokio::test]
async fn metrics_are_served_on_their_own_listener_only() {
    let db = fresh_database().await;
    let mut settings = test_settings(&db.url);
    settings.metrics_listen = Some("127.0.0.1:0".parse().unwrap());
    settings.limits.login_per_account = 1;
    let app = spawn_app_on(&db.url, settings).await;
    let editor = app.user("editor").await;
    app.bearer(Method::GET, "/api/v1/auth/me", &editor.token)
        .send()
        .await
        .unwrap();
    app.login(&editor.email, "wrong wrong wrong").await;
    assert_eq!(
        app.login(&editor.email, "wrong wrong wrong").await.status(),
        429
    );
    app.sql("INSERT INTO email_outbox (recipient, subject, text_body, html_body, kind, next_attempt_at) VALUES ('a@example.org', 's', 't', 'h', 'message', now() - interval '90 seconds')").await;

    // Not on the public listener (there it is just a page of the web app).
    assert!(
        !app.get("/metrics")
            .await
            .text()
            .await
            .unwrap()
            .contains("factdesk_http_requests")
    );
    let metrics = reqwest::get(format!("{}/metrics", app.metrics_address.as_ref().unwrap()))
        .await
        .unwrap();
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.unwrap();
    for line in [
        "factdesk_http_requests_total{method=\"GET\",route=\"/api/v1/auth/me\",status=\"200\"}",
        "factdesk_http_request_duration_seconds_bucket{",
        "factdesk_db_pool_max_connections 8",
        "factdesk_db_pool_wait_seconds_count",
        "factdesk_email_outbox_rows{state=\"pending\"} 1",
        "factdesk_email_outbox_rows{state=\"failed\"} 0",
        "factdesk_email_send_failures_total",
        "factdesk_login_throttled_total",
    ] {
        assert!(text.contains(line), "{line} in:\n{text}");
    }
    let oldest: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("factdesk_email_outbox_oldest_due_seconds "))
        .unwrap()
        .parse()
        .unwrap();
    assert!((89.0..200.0).contains(&oldest), "{oldest}");
    // Templates, not paths: no route label holds an id.
    for route in text
        .split("route=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
    {
        assert!(
            !route
                .split('/')
                .any(|segment| segment.len() == 36 && segment.matches('-').count() == 4),
            "{route}"
        );
    }
}

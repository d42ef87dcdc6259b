use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    JWT_SECRET, PASSWORD, assert_problem, fresh_database, spawn_app, spawn_app_on, test_settings,
    token_from_email,
};

#[tokio::test]
async fn login_sets_a_strict_http_only_cookie_and_returns_a_token() {
    let app = spawn_app().await;
    let editor = app.user_without_session("editor").await;
    let response = app.login(&editor.email.to_uppercase(), PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("factdesk_session="));
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "http public URL: no Secure flag"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], editor.email);
    assert_eq!(body["user"]["role"], "editor");
    assert!(body["user"].get("password_hash").is_none());
    assert!(body["expires_at"].is_string());
    let token = body["token"].as_str().unwrap();

    // Bearer and cookie both authenticate.
    let me = app
        .bearer(Method::GET, "/api/v1/auth/me", token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    assert_eq!(me.headers()["etag"], "\"1\"");
    let me = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    assert_eq!(
        me.json::<Value>().await.unwrap()["id"],
        editor.id.to_string()
    );
}

#[tokio::test]
async fn secure_cookie_when_the_public_url_is_https() {
    let db = fresh_database().await;
    let mut settings = test_settings(&db.url);
    settings.public_url = "https://factcheck.example.org".parse().unwrap();
    let app = spawn_app_on(&db.url, settings).await;
    let user = app.user_without_session("reviewer").await;
    let response = app.login(&user.email, PASSWORD).await;
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    let user = app.user_without_session("editor").await;
    let wrong = assert_problem(app.login(&user.email, "not the password at all").await, 401).await;
    let unknown = assert_problem(
        app.login("nobody@example.org", "not the password at all")
            .await,
        401,
    )
    .await;
    assert_eq!(wrong, unknown);
    let empty = assert_problem(app.login("", "x").await, 422).await;
    assert_eq!(empty["errors"][0]["field"], "email");
}

#[tokio::test]
async fn a_deactivated_user_cannot_log_in_and_their_live_token_stops_working() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let reviewer = app.user("reviewer").await;
    let me = app
        .bearer(Method::GET, "/api/v1/auth/me", &reviewer.token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);

    let response = app
        .bearer(
            Method::PATCH,
            &format!("/api/v1/users/{}", reviewer.id),
            &admin.token,
        )
        .header("If-Match", "\"1\"")
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["active"], false);

    assert_problem(
        app.bearer(Method::GET, "/api/v1/auth/me", &reviewer.token)
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
    // Only the right password learns that the account is deactivated.
    let wrong = assert_problem(app.login(&reviewer.email, "not-the-password").await, 401).await;
    assert_eq!(wrong["detail"], "Wrong email or password.");
    let deactivated = assert_problem(app.login(&reviewer.email, PASSWORD).await, 403).await;
    assert!(
        deactivated["detail"]
            .as_str()
            .unwrap()
            .contains("deactivated"),
        "{deactivated}"
    );
}

fn forge(payload: &Value, secret: &str) -> String {
    use jsonwebtoken::{EncodingKey, Header, encode};
    encode(
        &Header::default(),
        payload,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn expired_tampered_unsigned_and_wrongly_signed_tokens_are_refused() {
    let app = spawn_app().await;
    let user = app.user("editor").await;
    let parts: Vec<&str> = user.token.split('.').collect();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let now = chrono::Utc::now().timestamp();

    let mut expired = claims.clone();
    expired["iat"] = json!(now - 7200);
    expired["exp"] = json!(now - 3600);
    let expired = forge(&expired, JWT_SECRET);

    let wrong_key = forge(&claims, "another-secret-another-secret-another-secret");

    let mut admin_claims = claims.clone();
    admin_claims["sub"] = json!(uuid::Uuid::new_v4());
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(admin_claims.to_string()),
        parts[2]
    );

    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let unsigned = format!("{none_header}.{}.", parts[1]);

    let mut other_issuer = claims.clone();
    other_issuer["iss"] = json!("someone-else");
    let other_issuer = forge(&other_issuer, JWT_SECRET);

    for (name, token) in [
        ("expired", expired),
        ("wrong key", wrong_key),
        ("tampered", tampered),
        ("alg none", unsigned),
        ("other issuer", other_issuer),
        ("garbage", "abc".into()),
    ] {
        let response = app
            .bearer(Method::GET, "/api/v1/auth/me", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{name}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
    }
    // The genuine token still works.
    assert_eq!(
        app.bearer(Method::GET, "/api/v1/auth/me", &user.token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn logout_revokes_the_session_at_once() {
    let app = spawn_app().await;
    let user = app.user("reviewer").await;
    let response = app
        .bearer(Method::POST, "/api/v1/auth/logout", &user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_problem(
        app.bearer(Method::GET, "/api/v1/auth/me", &user.token)
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
}

#[tokio::test]
async fn idle_and_absolute_lifetimes_end_sessions() {
    let app = spawn_app().await;
    let user = app.user("editor").await;
    // Unused for longer than the idle limit (8 hours by default).
    app.sql(&format!(
        "UPDATE sessions SET last_seen_at = now() - interval '9 hours' WHERE user_id = '{}'",
        user.id
    ))
    .await;
    assert_problem(
        app.bearer(Method::GET, "/api/v1/auth/me", &user.token)
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
    let user = app.user("editor").await;
    app.sql(&format!(
        "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = '{}'",
        user.id
    ))
    .await;
    assert_problem(
        app.bearer(Method::GET, "/api/v1/auth/me", &user.token)
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
}

#[tokio::test]
async fn cookie_requests_that_change_state_need_the_csrf_header_and_our_origin() {
    let app = spawn_app().await;
    let user = app.user_without_session("editor").await;
    app.login_ok(&user.email, PASSWORD).await; // the client keeps the cookie

    let patch = |headers: &[(&str, &str)]| {
        let mut request = app
            .client
            .patch(app.url("/api/v1/auth/me"))
            .header("If-Match", "\"1\"")
            .json(&json!({"display_name": "Changed"}));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        request.send()
    };
    let refused = assert_problem(patch(&[]).await.unwrap(), 403).await;
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("X-Requested-With")
    );
    assert_problem(
        patch(&[
            ("X-Requested-With", "factdesk"),
            ("Origin", "https://evil.example"),
        ])
        .await
        .unwrap(),
        403,
    )
    .await;
    let ok = patch(&[
        ("X-Requested-With", "factdesk"),
        ("Origin", "http://factdesk.test"),
    ])
    .await
    .unwrap();
    assert_eq!(ok.status(), 200);

    // A Bearer request needs no CSRF header.
    let other = app.user("editor").await;
    let response = app
        .bearer(Method::PATCH, "/api/v1/auth/me", &other.token)
        .header("If-Match", "\"1\"")
        .json(&json!({"display_name": "Bearer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn profile_updates_check_versions_and_values() {
    let app = spawn_app().await;
    let user = app.user("reviewer").await;
    let patch = |body: Value, if_match: Option<&str>| {
        let mut r = app
            .bearer(Method::PATCH, "/api/v1/auth/me", &user.token)
            .json(&body);
        if let Some(v) = if_match {
            r = r.header("If-Match", v);
        }
        r.send()
    };
    assert_problem(
        patch(json!({"display_name": "A"}), None).await.unwrap(),
        428,
    )
    .await;
    let bad = assert_problem(
        patch(json!({"time_zone": "Mars/Olympus"}), Some("\"1\""))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(bad["errors"][0]["field"], "time_zone");

    let ok = patch(
        json!({"time_zone": "Europe/Kyiv", "notify": {"digest": false}}),
        Some("\"1\""),
    )
    .await
    .unwrap();
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["time_zone"], "Europe/Kyiv");
    assert_eq!(body["notify"]["reminders"], true);
    assert_eq!(body["notify"]["digest"], false);
    assert_eq!(body["version"], 2);

    let stale = assert_problem(
        patch(json!({"display_name": "Late"}), Some("\"1\""))
            .await
            .unwrap(),
        412,
    )
    .await;
    assert_eq!(stale["current"]["version"], 2);
    assert_eq!(stale["current"]["time_zone"], "Europe/Kyiv");
    // The body's version works too.
    let ok = patch(json!({"display_name": "Body version", "version": 2}), None)
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn changing_the_password_revokes_the_other_sessions() {
    let app = spawn_app().await;
    let user = app.user("editor").await;
    let other_session = app.login_ok(&user.email, PASSWORD).await;
    let change = |current: &str, new: &str| {
        app.bearer(Method::POST, "/api/v1/auth/password", &user.token)
            .json(&json!({"current_password": current, "new_password": new}))
            .send()
    };
    let wrong = assert_problem(
        change("wrong password here", "a brand new passphrase")
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(wrong["errors"][0]["field"], "current_password");
    let short = assert_problem(change(PASSWORD, "short").await.unwrap(), 422).await;
    assert_eq!(short["errors"][0]["field"], "new_password");
    let same_as_email = assert_problem(change(PASSWORD, &user.email).await.unwrap(), 422).await;
    assert_eq!(same_as_email["errors"][0]["field"], "new_password");

    assert_eq!(
        change(PASSWORD, "a brand new passphrase")
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        app.bearer(Method::GET, "/api/v1/auth/me", &user.token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_problem(
        app.bearer(Method::GET, "/api/v1/auth/me", &other_session)
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
    assert_problem(app.login(&user.email, PASSWORD).await, 401).await;
    app.login_ok(&user.email, "a brand new passphrase").await;
}

#[tokio::test]
async fn invitations_are_single_use_hashed_and_expire() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let invite = |email: &str| {
        app.bearer(Method::POST, "/api/v1/users", &admin.token)
            .json(&json!({"email": email, "display_name": "Nina <b>Newcomer</b>", "role": "reviewer"}))
            .send()
    };
    let response = invite("nina@example.org").await.unwrap();
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["invitation_pending"], true);
    assert_problem(invite("NINA@example.org").await.unwrap(), 409).await;

    // Not able to log in yet.
    assert_problem(app.login("nina@example.org", PASSWORD).await, 401).await;

    let (kind, subject, text) = app
        .last_email("nina@example.org")
        .await
        .expect("an outbox row");
    assert_eq!(kind, "invitation");
    assert!(subject.contains("invited"), "{subject}");
    assert!(
        text.contains("http://factdesk.test/accept-invite#token="),
        "{text}"
    );
    let token = token_from_email(&text);
    assert_eq!(token.len(), 43);
    // Only the hash is stored; the token appears in no table but the email itself.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM invitations WHERE token_hash = sha256('{token}'::bytea)"
        ))
        .await,
        1
    );
    assert_eq!(app.count(&format!("SELECT count(*) AS n FROM invitations WHERE encode(token_hash, 'escape') LIKE '%{token}%'")).await, 0);
    assert_eq!(app.count(&format!("SELECT count(*) AS n FROM audit_events WHERE before::text LIKE '%{token}%' OR after::text LIKE '%{token}%'")).await, 0);

    let accept = |token: String, password: &str| {
        app.client
            .post(app.url("/api/v1/auth/accept-invite"))
            .json(&json!({"token": token, "password": password}))
            .send()
    };
    let weak = assert_problem(accept(token.clone(), "short").await.unwrap(), 422).await;
    assert_eq!(weak["errors"][0]["field"], "password");
    let accepted = accept(token.clone(), "nina's own passphrase")
        .await
        .unwrap();
    assert_eq!(accepted.status(), 200);
    let body: Value = accepted.json().await.unwrap();
    assert_eq!(body["user"]["invitation_pending"], false);
    assert!(body["token"].is_string());
    let again = assert_problem(accept(token, "another passphrase!").await.unwrap(), 422).await;
    assert_eq!(again["errors"][0]["field"], "token");
    app.login_ok("nina@example.org", "nina's own passphrase")
        .await;

    // An expired invitation does not work.
    invite("late@example.org").await.unwrap();
    let (_, _, text) = app.last_email("late@example.org").await.unwrap();
    app.sql(
        "UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL",
    )
    .await;
    assert_problem(
        accept(token_from_email(&text), "late's own passphrase")
            .await
            .unwrap(),
        422,
    )
    .await;
}

#[tokio::test]
async fn password_reset_is_always_202_single_use_and_signs_out_everywhere() {
    let app = spawn_app().await;
    let user = app.user("reviewer").await;
    let request = |email: &str| {
        app.client
            .post(app.url("/api/v1/auth/password-reset"))
            .json(&json!({"email": email}))
            .send()
    };
    assert_eq!(request("nobody@example.org").await.unwrap().status(), 202);
    app.answer_reset_requests().await;
    assert_eq!(app.count("SELECT count(*) AS n FROM email_outbox").await, 0);
    assert_eq!(request(&user.email).await.unwrap().status(), 202);
    // The request is only recorded; the worker sends the email.
    assert_eq!(app.count("SELECT count(*) AS n FROM email_outbox").await, 0);
    app.answer_reset_requests().await;
    let (kind, _, text) = app.last_email(&user.email).await.unwrap();
    assert_eq!(kind, "password_reset");
    assert!(text.contains("http://factdesk.test/reset-password#token="));
    let token = token_from_email(&text);

    let confirm = |token: &str, password: &str| {
        app.client
            .post(app.url("/api/v1/auth/password-reset/confirm"))
            .json(&json!({"token": token, "password": password}))
            .send()
    };
    assert_eq!(
        confirm(&token, "a reset passphrase")
            .await
            .unwrap()
            .status(),
        204
    );
    // The live token of before the reset is refused on the next request.
    assert_problem(
        app.bearer(Method::GET, "/api/v1/auth/me", &user.token)
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
    assert_problem(confirm(&token, "a second passphrase").await.unwrap(), 422).await;
    app.login_ok(&user.email, "a reset passphrase").await;

    // Expired after an hour.
    request(&user.email).await.unwrap();
    app.answer_reset_requests().await;
    let (_, _, text) = app.last_email(&user.email).await.unwrap();
    app.sql(
        "UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE used_at IS NULL",
    )
    .await;
    assert_problem(
        confirm(&token_from_email(&text), "a third passphrase")
            .await
            .unwrap(),
        422,
    )
    .await;

    // Reset emails to one address are throttled (3 an hour by default), silently.
    for _ in 0..5 {
        assert_eq!(request(&user.email).await.unwrap().status(), 202);
    }
    app.answer_reset_requests().await;
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM email_outbox WHERE recipient = '{}'",
            user.email
        ))
        .await,
        3
    );
}

#[tokio::test]
async fn failed_logins_are_throttled_and_recover() {
    let db = fresh_database().await;
    let mut settings = test_settings(&db.url);
    settings.limits.login_window = std::time::Duration::from_secs(2);
    let app = spawn_app_on(&db.url, settings).await;
    let user = app.user_without_session("editor").await;

    // A success resets the account's count.
    for _ in 0..4 {
        assert_problem(app.login(&user.email, "wrong wrong wrong").await, 401).await;
    }
    app.login_ok(&user.email, PASSWORD).await;
    for _ in 0..5 {
        assert_problem(app.login(&user.email, "wrong wrong wrong").await, 401).await;
    }
    let response = app.login(&user.email, PASSWORD).await;
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry), "{retry}");
    assert_problem(response, 429).await;
    assert_eq!(app.count(&format!("SELECT count(*) AS n FROM audit_events WHERE entity_id = '{}' AND action = 'login_failure_streak'", user.id)).await, 1);

    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    app.login_ok(&user.email, PASSWORD).await;
}

/// Logins from a given client address (the tests trust `X-Forwarded-For`).
async fn login_from(
    app: &crate::helpers::TestApp,
    address: &str,
    email: &str,
    password: &str,
) -> (u16, Value, std::time::Duration) {
    let started = std::time::Instant::now();
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", address)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, started.elapsed())
}

#[tokio::test]
async fn an_attacker_elsewhere_cannot_lock_the_owner_out() {
    let db = fresh_database().await;
    let mut settings = test_settings(&db.url);
    settings.trust_proxy_headers = true;
    settings.limits.login_per_account = 3;
    settings.limits.login_per_client = 100;
    settings.limits.login_slowdown_after = 4;
    settings.limits.login_slowdown_max = std::time::Duration::from_millis(400);
    let app = spawn_app_on(&db.url, settings).await;
    let owner = app.user_without_session("editor").await;
    let (office, attacker) = ("198.51.100.7", "203.0.113.66");
    assert_eq!(
        login_from(&app, office, &owner.email, PASSWORD).await.0,
        200
    );

    // One account from one address: the pair is locked after 3 failures.
    for _ in 0..3 {
        assert_eq!(
            login_from(&app, attacker, &owner.email, "guess guess guess")
                .await
                .0,
            401
        );
    }
    let (status, body, _) = login_from(&app, attacker, &owner.email, PASSWORD).await;
    assert_eq!((status, body["status"].as_u64()), (429, Some(429)));

    // Many addresses at one account: slowed down, never locked.
    for i in 0..6 {
        let from = format!("203.0.113.{}", 100 + i);
        assert_eq!(
            login_from(&app, &from, &owner.email, "guess guess guess")
                .await
                .0,
            401
        );
    }
    let (status, _, took) =
        login_from(&app, "203.0.113.200", &owner.email, "guess guess guess").await;
    assert_eq!(status, 401);
    assert!(
        took >= std::time::Duration::from_millis(400),
        "slowed down: {took:?}"
    );

    // The owner, from the address they sign in from, gets in at once.
    let (status, _, took) = login_from(&app, office, &owner.email, PASSWORD).await;
    assert_eq!(status, 200);
    assert!(
        took < std::time::Duration::from_millis(400),
        "not slowed: {took:?}"
    );
    // From a new address they get in too, only slower.
    let (status, _, _) = login_from(&app, "192.0.2.1", &owner.email, PASSWORD).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn throttling_treats_unknown_and_existing_emails_alike() {
    let db = fresh_database().await;
    let mut settings = test_settings(&db.url);
    settings.trust_proxy_headers = true;
    settings.limits.login_per_account = 2;
    let app = spawn_app_on(&db.url, settings).await;
    let user = app.user_without_session("reviewer").await;
    let mut answers = Vec::new();
    for email in [user.email.as_str(), "nobody-at-all@example.org"] {
        let mut seen = Vec::new();
        for _ in 0..4 {
            let (status, body, _) =
                login_from(&app, "198.51.100.9", email, "wrong wrong wrong").await;
            // The body's `detail` names seconds to wait, which tick on between the two runs.
            seen.push((status, body["title"].clone(), body["errors"].clone()));
        }
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(
        answers[0].iter().map(|(s, _, _)| *s).collect::<Vec<_>>(),
        [401, 401, 429, 429]
    );
}

#[tokio::test]
async fn one_client_address_is_throttled_across_accounts() {
    let app = spawn_app().await;
    for i in 0..20 {
        assert_problem(
            app.login(&format!("guess{i}@example.org"), "wrong wrong wrong")
                .await,
            401,
        )
        .await;
    }
    assert_problem(
        app.login("guess-more@example.org", "wrong wrong wrong")
            .await,
        429,
    )
    .await;
}

#[tokio::test]
async fn the_audit_log_never_holds_hashes_or_tokens() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    app.bearer(Method::POST, "/api/v1/users", &admin.token)
        .json(&json!({"email": "audit@example.org", "display_name": "Audit", "role": "editor"}))
        .send()
        .await
        .unwrap();
    app.bearer(Method::POST, "/api/v1/auth/password", &admin.token)
        .json(&json!({"current_password": PASSWORD, "new_password": "another long passphrase"}))
        .send()
        .await
        .unwrap();
    assert!(app.count("SELECT count(*) AS n FROM audit_events").await >= 3);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_events WHERE coalesce(before::text, '') || coalesce(after::text, '') ~ '(argon2|password|token_hash|\\$argon)'").await,
        0
    );
}

#[tokio::test]
async fn create_user_bootstraps_an_admin_from_the_command_line() {
    use std::io::Write;
    let db = fresh_database().await;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .args([
            "create-user",
            "--email",
            "boss@example.org",
            "--role",
            "admin",
            "--display-name",
            "The Boss",
            "--password-stdin",
        ])
        .env("DATABASE_URL", &db.url)
        .env("FACTDESK_JWT_SECRET", JWT_SECRET)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"the boss's passphrase\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app = spawn_app_on(&db.url, test_settings(&db.url)).await;
    let token = app
        .login_ok("boss@example.org", "the boss's passphrase")
        .await;
    let me: Value = app
        .bearer(Method::GET, "/api/v1/auth/me", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");
}

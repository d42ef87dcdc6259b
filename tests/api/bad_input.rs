//! Every kind of bad input, sent to every operation of the OpenAPI document: a NUL
//! character in each string of the body, each query parameter and each path segment;
//! a time outside what PostgreSQL stores in each time of the body; a line break in each
//! single-line field. Each must answer 4xx problem+json naming the field, and leave
//! every table as it was. An operation added to the API without a row here fails.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::publishing::publish;

/// The ids the rows' paths and bodies name.
struct Ids {
    article: String,
    published_article: String,
    claim: String,
    source: String,
    reply: String,
    reviewer: String,
    invited: String,
    email: String,
    slug: String,
}

/// (method, path, a valid body to spoil).
fn table(ids: &Ids, scale: &Value) -> Vec<(&'static str, &'static str, Option<Value>)> {
    let text = |t: &str| json!(t);
    vec![
        ("GET", "/api/v1/admin/email-outbox", None),
        ("POST", "/api/v1/admin/email-outbox/{id}/retry", None),
        ("GET", "/api/v1/articles", None),
        ("POST", "/api/v1/articles", Some(json!({"title": "A title", "body": "Some text.", "url": "https://news.example.org/a", "outlet": "Outlet", "author": "Author", "published_at": "2025-02-19T10:00:00Z", "language": "en"}))),
        ("GET", "/api/v1/articles/{id}", None),
        ("PATCH", "/api/v1/articles/{id}", Some(json!({"title": "A title", "url": "https://news.example.org/a", "outlet": "Outlet", "author": "Author", "published_at": "2025-02-19T10:00:00Z", "version": 1}))),
        ("POST", "/api/v1/articles/{id}/claims", Some(json!({"quote": "Turnout was 61 percent.", "statement": "Turnout was 61%", "claimant": "The mayor", "claimed_at": "2025-02-18T00:00:00Z", "priority": "high"}))),
        ("POST", "/api/v1/articles/{published}/corrections", Some(json!({"note": "A note.", "claim_ids": []}))),
        ("POST", "/api/v1/articles/{published}/publish", Some(json!({"headline": "Fact check: a speech", "summary": "Two claims."}))),
        ("GET", "/api/v1/articles/{id}/suggestions", None),
        ("POST", "/api/v1/articles/{published}/unpublish", Some(json!({"reason": "A court order."}))),
        ("POST", "/api/v1/auth/accept-invite", Some(json!({"token": "not-a-token", "password": "a long enough passphrase"}))),
        ("POST", "/api/v1/auth/login", Some(json!({"email": "nobody@example.org", "password": "wrong password"}))),
        ("GET", "/api/v1/auth/me", None),
        ("PATCH", "/api/v1/auth/me", Some(json!({"display_name": "A name", "time_zone": "Europe/Kyiv", "notify": {"reminders": true}, "version": 1}))),
        ("POST", "/api/v1/auth/password", Some(json!({"current_password": "wrong password", "new_password": "a long enough passphrase"}))),
        ("POST", "/api/v1/auth/password-reset", Some(json!({"email": ids.email}))),
        ("POST", "/api/v1/auth/password-reset/confirm", Some(json!({"token": "not-a-token", "password": "a long enough passphrase"}))),
        ("GET", "/api/v1/claims", None),
        ("GET", "/api/v1/claims/{claim}", None),
        ("DELETE", "/api/v1/claims/{claim}", None),
        ("PATCH", "/api/v1/claims/{claim}", Some(json!({"statement": "A statement", "claimant": "Someone", "claimed_at": "2025-02-18T00:00:00Z", "figure": {"claimed": {"value": "61", "unit": "percent", "measure": "turnout", "place": "Kyiv", "period": "2024", "as_stated": "61 percent"}, "checked": {"value": "58.2", "period": "2024"}}, "version": 1}))),
        ("PUT", "/api/v1/claims/{claim}/figure/checked", Some(json!({"value": "58.2", "period": "2024", "source_id": ids.source, "version": 1}))),
        ("DELETE", "/api/v1/claims/{claim}/figure/checked", None),
        ("GET", "/api/v1/claims/{claim}/replies", None),
        ("GET", "/api/v1/claims/{claim}/reviews", None),
        ("PUT", "/api/v1/claims/{claim}/reviews/me", Some(json!({"rating": "false", "summary": "A summary.", "explanation": "An explanation."}))),
        ("POST", "/api/v1/claims/{claim}/reviews/me/submit", None),
        ("GET", "/api/v1/stats/agreement", None),
        ("POST", "/api/v1/claims/{claim}/replies", Some(json!({"contacted_at": "2025-02-18T09:00:00Z", "channel": "email", "contact": "The mayor's office", "asked": "Where is the figure from?", "reply": "From our count.", "replied_at": "2025-02-18T12:00:00Z", "no_reply_by": "2025-02-19T12:00:00Z", "publish": true}))),
        ("PATCH", "/api/v1/claims/{claim}/replies/{reply}", Some(json!({"contact": "The mayor's office", "asked": "Where is the figure from?", "reply": "From our count.", "replied_at": "2025-02-18T12:00:00Z", "version": 1}))),
        ("GET", "/api/v1/error-reports", None),
        ("GET", "/api/v1/claims/similar", None),
        ("PATCH", "/api/v1/error-reports/{id}", Some(json!({"status": "dismissed", "version": 1}))),
        ("POST", "/api/v1/error-reports/{id}/replies", Some(json!({"body": "Thank you for writing."}))),
        ("POST", "/api/v1/claims/bulk", Some(json!({"action": "assign", "claim_ids": [ids.claim], "reviewer_id": ids.reviewer, "due_at": "2099-01-01T00:00:00Z", "note": "Look at the poll."}))),
        ("POST", "/api/v1/claims/{claim}/assignments", Some(json!({"reviewer_id": ids.reviewer, "due_at": "2099-01-01T00:00:00Z", "note": "Look at the poll."}))),
        ("DELETE", "/api/v1/claims/{claim}/assignments/{reviewer}", None),
        ("GET", "/api/v1/claims/{claim}/comments", None),
        ("POST", "/api/v1/claims/{claim}/comments", Some(json!({"body": "A comment."}))),
        ("GET", "/api/v1/claims/{claim}/history", None),
        ("POST", "/api/v1/claims/{claim}/presence", Some(json!({"activity": "editing", "field": "verdict"}))),
        ("GET", "/api/v1/events", None),
        ("GET", "/api/v1/notifications", None),
        ("GET", "/api/v1/webhooks", None),
        ("POST", "/api/v1/webhooks", Some(json!({"name": "Desk channel", "url": "https://hooks.example.org/x", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "format": "slack", "events": ["claim.approved"], "active": true}))),
        ("GET", "/api/v1/webhooks/{id}", None),
        ("PATCH", "/api/v1/webhooks/{id}", Some(json!({"name": "Desk channel", "url": "https://hooks.example.org/x", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "events": ["claim.approved"], "version": 1}))),
        ("DELETE", "/api/v1/webhooks/{id}", None),
        ("POST", "/api/v1/webhooks/{id}/test", None),
        ("GET", "/api/v1/webhooks/{id}/deliveries", None),
        ("POST", "/api/v1/webhooks/{id}/deliveries/{delivery_id}/retry", None),
        ("POST", "/api/v1/notifications/read", Some(json!({"ids": ["00000000-0000-4000-8000-000000000000"]}))),
        ("GET", "/api/v1/claims/{claim}/similar", None),
        ("POST", "/api/v1/claims/{claim}/sources", Some(json!({"url": "https://stats.example.org/a", "title": "A title", "publisher": "A publisher", "kind": "primary", "stance": "refutes", "excerpt": "An excerpt.", "archive_url": "https://web.archive.org/x", "accessed_at": "2025-02-18T00:00:00Z"}))),
        ("DELETE", "/api/v1/claims/{claim}/sources/{source}", None),
        ("PATCH", "/api/v1/claims/{claim}/sources/{source}", Some(json!({"title": "A title", "publisher": "A publisher", "excerpt": "An excerpt.", "accessed_at": "2025-02-18T00:00:00Z", "version": 1}))),
        ("POST", "/api/v1/claims/{claim}/transitions", Some(json!({"action": "drop", "comment": "A reason."}))),
        ("PUT", "/api/v1/claims/{claim}/verdict", Some(json!({"rating": "false", "summary": "A summary.", "explanation": "An explanation."}))),
        ("POST", "/api/v1/messages", Some(json!({"user_ids": [ids.reviewer], "subject": "A subject", "body": "A message.", "claim_id": ids.claim}))),
        ("GET", "/api/v1/openapi.json", None),
        ("GET", "/api/v1/public/articles/{slug}", None),
        ("POST", "/api/v1/public/articles/{slug}/error-reports", Some(json!({"message": "A mistake.", "contact": "reader@example.org"}))),
        ("GET", "/api/v1/rating-scale", None),
        ("PUT", "/api/v1/rating-scale", Some(scale.clone())),
        ("GET", "/api/v1/reports/verdicts", None),
        ("GET", "/api/v1/settings", None),
        ("PUT", "/api/v1/settings", Some(json!({"newsroom_name": "A newsroom", "public_url": "https://news.example.org", "logo_url": "https://news.example.org/logo.png", "methodology": "How we check.", "corrections_policy_url": "https://news.example.org/c", "default_time_zone": "Europe/Kyiv", "version": 1}))),
        ("GET", "/api/v1/stats", None),
        ("GET", "/api/v1/users", None),
        ("POST", "/api/v1/users", Some(json!({"email": "someone.new@example.org", "display_name": "A name", "role": "reviewer"}))),
        ("PATCH", "/api/v1/users/{reviewer}", Some(json!({"display_name": "A name", "version": 1}))),
        ("POST", "/api/v1/users/{invited}/invitation", None),
        ("GET", "/healthz", None),
        ("GET", "/readyz", None),
        ("POST", "/api/v1/auth/logout", None),
    ]
    .into_iter()
    .map(|(m, p, b)| (m, p, b.map(|b: Value| if b.is_string() { text(b.as_str().unwrap()) } else { b })))
    .collect()
}

/// The document's path for a row's path (whose placeholders say which id).
fn template(path: &str) -> String {
    path.replace("{claim}", "{id}")
        .replace("{published}", "{id}")
        .replace("{reviewer}", "{user_id}")
        .replace("{source}", "{source_id}")
        .replace("{reply}", "{reply_id}")
        .replace("{invited}", "{id}")
        .replace("/users/{user_id}", "/users/{id}")
}

fn concrete(path: &str, ids: &Ids) -> String {
    path.replace(
        "/email-outbox/{id}",
        "/email-outbox/00000000-0000-4000-8000-000000000000",
    )
    .replace("{delivery_id}", "00000000-0000-4000-8000-000000000000")
    .replace("{id}", &ids.article)
    .replace("{published}", &ids.published_article)
    .replace("{claim}", &ids.claim)
    .replace("{reviewer}", &ids.reviewer)
    .replace("{source}", &ids.source)
    .replace("{reply}", &ids.reply)
    .replace("{invited}", &ids.invited)
    .replace("{slug}", &ids.slug)
}

/// Follows a `$ref` within the document.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(doc, doc.pointer(r.trim_start_matches('#')).unwrap()),
        None => schema,
    }
}

/// The schema of a property, with `oneOf [T, null]` reduced to `T`.
fn property<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let schema = resolve(doc, schema);
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array)
        && let Some(t) = options
            .iter()
            .find(|o| o.get("type") != Some(&json!("null")))
    {
        return property(doc, t);
    }
    schema
}

#[derive(Debug)]
enum Spoil {
    Nul,
    Time,
    LineBreak,
}

/// Every (field path, spoiled body, kind) for a body and its schema.
fn spoiled(
    doc: &Value,
    schema: &Value,
    body: &Value,
    at: &str,
    out: &mut Vec<(String, Value, Spoil)>,
) {
    let schema = property(doc, schema);
    match body {
        Value::Object(map) => {
            for (key, value) in map {
                let Some(prop) = schema["properties"].get(key) else {
                    continue;
                };
                let here = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                let mut inner = Vec::new();
                spoiled(doc, prop, value, &here, &mut inner);
                for (field, spoilt, kind) in inner {
                    let mut whole = body.clone();
                    whole[key] = spoilt;
                    out.push((field, whole, kind));
                }
            }
        }
        Value::Array(items) => {
            if let (Some(first), Some(items_schema)) = (items.first(), schema.get("items")) {
                let mut inner = Vec::new();
                spoiled(doc, items_schema, first, &format!("{at}[0]"), &mut inner);
                for (field, spoilt, kind) in inner {
                    let mut whole = items.clone();
                    whole[0] = spoilt;
                    out.push((field, Value::Array(whole), kind));
                }
            }
        }
        Value::String(s) => {
            out.push((at.to_string(), json!(format!("{s}\u{0}")), Spoil::Nul));
            if schema.get("format") == Some(&json!("date-time")) {
                out.push((at.to_string(), json!("-4714-01-01T00:00:00Z"), Spoil::Time));
            }
            if schema["pattern"]
                .as_str()
                .is_some_and(|p| p.contains("u2028"))
            {
                out.push((
                    at.to_string(),
                    json!(format!("{s}\nsecond line")),
                    Spoil::LineBreak,
                ));
            }
        }
        _ => {}
    }
}

async fn rows_in_every_table(app: &TestApp) -> i64 {
    app.count(
        "SELECT coalesce(sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', tablename), false, true, '')))[1]::text::bigint), 0)::bigint AS n \
         FROM pg_tables WHERE schemaname = 'public'",
    )
    .await
}

#[tokio::test]
async fn every_operation_refuses_every_kind_of_bad_input_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let (published_article, _) = app
        .approved_claim(&editor, &reviewer, "Turnout was 61 percent.", "false")
        .await;
    let slug = publish(&app, &editor, &published_article).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let article = app
        .ok(
            &editor,
            Method::POST,
            "/articles",
            Some(json!({"title": "Open", "body": "Turnout was 61 percent. The mayor said so."})),
        )
        .await;
    let article = article["id"].as_str().unwrap().to_string();
    let claim = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{article}/claims"),
            Some(json!({"quote": "The mayor said so."})),
        )
        .await;
    let claim = claim["id"].as_str().unwrap().to_string();
    app.ok(
        &editor,
        Method::POST,
        &format!("/claims/{claim}/assignments"),
        Some(json!({"reviewer_id": reviewer.id, "due_at": "2099-01-01T00:00:00Z"})),
    )
    .await;
    let source = app
        .ok(
            &reviewer,
            Method::POST,
            &format!("/claims/{claim}/sources"),
            Some(json!({"url": "https://stats.example.org/t"})),
        )
        .await;
    let invited = app.ok(&admin, Method::POST, "/users", Some(json!({"email": "invited@example.org", "display_name": "Invited", "role": "reviewer"}))).await;
    let reply = app
        .ok(
            &editor,
            Method::POST,
            &format!("/claims/{claim}/replies"),
            Some(json!({"contacted_at": "2025-02-18T09:00:00Z", "channel": "phone", "asked": "Where is the figure from?"})),
        )
        .await;
    let ids = Ids {
        article,
        published_article,
        claim,
        source: source["id"].as_str().unwrap().to_string(),
        reply: reply["id"].as_str().unwrap().to_string(),
        reviewer: reviewer.id.to_string(),
        invited: invited["id"].as_str().unwrap().to_string(),
        email: admin.email.clone(),
        slug,
    };
    let scale = app.ok(&admin, Method::GET, "/rating-scale", None).await;
    let doc = app.ok(&admin, Method::GET, "/openapi.json", None).await;

    let rows = table(&ids, &scale);
    // Every operation of the document has a row, and every row an operation.
    let mut documented: Vec<String> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let mut listed: Vec<String> = rows
        .iter()
        .map(|(m, p, _)| format!("{m} {}", template(p)))
        .collect();
    documented.sort();
    listed.sort();
    assert_eq!(
        listed, documented,
        "a row per operation of the OpenAPI document"
    );

    let before = rows_in_every_table(&app).await;
    let mut probes = 0;
    for (method, path, body) in &rows {
        let op = &doc["paths"][template(path)][method.to_lowercase()];
        let url = concrete(path, &ids);
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let mut cases: Vec<(String, Option<Value>, String, Spoil)> = Vec::new();
        if let Some(body) = body {
            let schema = &op["requestBody"]["content"]["application/json"]["schema"];
            let mut spoilt = Vec::new();
            spoiled(&doc, schema, body, "", &mut spoilt);
            assert!(!spoilt.is_empty(), "{method} {path}: nothing to spoil");
            for (field, body, kind) in spoilt {
                cases.push((url.clone(), Some(body), field, kind));
            }
        }
        for param in op["parameters"].as_array().into_iter().flatten() {
            let name = param["name"].as_str().unwrap();
            match param["in"].as_str() {
                Some("query") => cases.push((
                    format!("{url}?{name}=a%00b"),
                    body.clone(),
                    name.to_string(),
                    Spoil::Nul,
                )),
                Some("path") => {
                    let placeholder = format!("{{{name}}}");
                    let spoiled_path =
                        concrete(&template(path).replace(&placeholder, "a%00b"), &ids);
                    cases.push((spoiled_path, body.clone(), "path".to_string(), Spoil::Nul));
                }
                _ => {}
            }
        }
        if path.starts_with("/api/v1/reports/verdicts") {
            cases.push((
                format!("{url}?from=-4714-01-01"),
                None,
                "from".into(),
                Spoil::Time,
            ));
        }
        for (url, body, field, kind) in cases {
            let mut request = app.bearer(method.clone(), &url, &admin.token);
            if let Some(body) = &body {
                request = request.json(body);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            assert!(
                status < 500,
                "{method} {url} with {kind:?} in {field}: {status}"
            );
            let problem = assert_problem(response, 422).await;
            let named = problem["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == field.as_str());
            assert!(named, "{method} {url} with {kind:?} in {field}: {problem}");
            probes += 1;
        }
    }
    assert_eq!(
        rows_in_every_table(&app).await,
        before,
        "a refused request stores nothing"
    );
    eprintln!("bad input: {probes} probes over {} operations", rows.len());
}

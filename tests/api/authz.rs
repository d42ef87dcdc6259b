//! The authorization matrix: every operation in the OpenAPI document, called as each
//! kind of caller, with the status each must get. A route the caller's role can never
//! use is 403 whatever it names (so a reviewer learns nothing of claims not theirs);
//! a route the role may use on its own claims is 404 for another's. An operation added to
//! the API
//! without a row here fails the test.

use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, fresh_database, spawn_app_on, test_settings};

#[derive(Clone, Copy, Debug)]
enum Persona {
    Anonymous,
    Reviewer,
    Editor,
    Admin,
    Deactivated,
    Revoked,
}

const PERSONAS: [Persona; 6] = [
    Persona::Anonymous,
    Persona::Reviewer,
    Persona::Editor,
    Persona::Admin,
    Persona::Deactivated,
    Persona::Revoked,
];

/// What one operation is called with, and the status per persona (in PERSONAS order).
struct Row {
    method: &'static str,
    path: &'static str,
    body: Option<Value>,
    expect: [u16; 6],
}

fn table() -> Vec<Row> {
    let row = |method, path, body: Option<Value>, expect| Row {
        method,
        path,
        body,
        expect,
    };
    let weak = json!({"token": "not-a-real-token", "password": "a long enough passphrase"});
    vec![
        row("GET", "/healthz", None, [200; 6]),
        row("GET", "/readyz", None, [200; 6]),
        row("GET", "/api/v1/openapi.json", None, [200; 6]),
        row(
            "POST",
            "/api/v1/auth/login",
            Some(json!({"email": "nobody@example.org", "password": "wrong password"})),
            [401; 6],
        ),
        row(
            "POST",
            "/api/v1/auth/logout",
            None,
            [401, 204, 204, 204, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/auth/me",
            None,
            [401, 200, 200, 200, 401, 401],
        ),
        row(
            "PATCH",
            "/api/v1/auth/me",
            Some(json!({"display_name": "Renamed", "version": 1})),
            [401, 200, 200, 200, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/auth/password",
            Some(
                json!({"current_password": "wrong password", "new_password": "a long enough passphrase"}),
            ),
            [401, 422, 422, 422, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/auth/password-reset",
            Some(json!({"email": "nobody@example.org"})),
            [202; 6],
        ),
        row(
            "POST",
            "/api/v1/auth/password-reset/confirm",
            Some(weak.clone()),
            [422; 6],
        ),
        row("POST", "/api/v1/auth/accept-invite", Some(weak), [422; 6]),
        row("GET", "/api/v1/users", None, [401, 403, 200, 200, 401, 401]),
        row(
            "POST",
            "/api/v1/users",
            Some(
                json!({"email": "{unique}@example.org", "display_name": "New", "role": "reviewer"}),
            ),
            [401, 403, 403, 201, 401, 401],
        ),
        row(
            "PATCH",
            "/api/v1/users/{user}",
            Some(json!({"display_name": "Changed", "version": 1})),
            [401, 403, 403, 200, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/users/{invited}/invitation",
            None,
            [401, 403, 403, 202, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/articles",
            None,
            [401, 200, 200, 200, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/articles",
            Some(json!({"title": "T", "body": "Some text."})),
            [401, 403, 201, 201, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/articles/{article}",
            None,
            [401, 404, 200, 200, 401, 401],
        ),
        row(
            "PATCH",
            "/api/v1/articles/{article}",
            Some(json!({"title": "Retitled", "version": 1})),
            [401, 403, 200, 200, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/articles/{article}/claims",
            Some(json!({"quote": "unique phrase"})),
            [401, 403, 201, 201, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/claims",
            None,
            [401, 200, 200, 200, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/claims/{claim}",
            None,
            [401, 404, 200, 200, 401, 401],
        ),
        row(
            "PATCH",
            "/api/v1/claims/{claim}",
            Some(json!({"priority": "urgent", "version": 1})),
            [401, 403, 200, 200, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/error-reports",
            None,
            [401, 403, 200, 200, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/claims/similar?text=approval%20rating",
            None,
            [401, 200, 200, 200, 401, 401],
        ),
        row(
            "PATCH",
            "/api/v1/error-reports/{missing}",
            Some(json!({"status": "dismissed", "version": 1})),
            [401, 403, 404, 404, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/error-reports/{missing}/replies",
            Some(json!({"body": "Thank you."})),
            [401, 403, 404, 404, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/claims/bulk",
            Some(json!({"action": "priority", "priority": "urgent", "claim_ids": ["{claim}"]})),
            [401, 403, 200, 200, 401, 401],
        ),
        row(
            "DELETE",
            "/api/v1/claims/{draft}",
            None,
            [401, 403, 204, 204, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/claims/{claim}/transitions",
            Some(json!({"action": "approve"})),
            [401, 404, 200, 200, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/claims/{claim}/history",
            None,
            [401, 404, 200, 200, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/claims/{claim}/comments",
            None,
            [401, 404, 200, 200, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/claims/{claim}/comments",
            Some(json!({"body": "A question"})),
            [401, 404, 201, 201, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/claims/{open}/assignments",
            Some(json!({"reviewer_id": "{user}", "due_at": "2099-01-01T12:00:00Z"})),
            [401, 403, 201, 201, 401, 401],
        ),
        row(
            "DELETE",
            "/api/v1/claims/{open}/assignments/{assignee}",
            None,
            [401, 403, 200, 200, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/claims/{open}/sources",
            Some(json!({"url": "https://www.example.org/report"})),
            [401, 404, 201, 201, 401, 401],
        ),
        row(
            "PATCH",
            "/api/v1/claims/{open}/sources/{source}",
            Some(json!({"title": "Report", "version": 1})),
            [401, 404, 200, 200, 401, 401],
        ),
        row(
            "DELETE",
            "/api/v1/claims/{open}/sources/{source}",
            None,
            [401, 404, 204, 204, 401, 401],
        ),
        row(
            "PUT",
            "/api/v1/claims/{open}/verdict",
            Some(json!({"rating": "false", "summary": "No."})),
            [401, 404, 200, 200, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/rating-scale",
            None,
            [401, 200, 200, 200, 401, 401],
        ),
        row(
            "PUT",
            "/api/v1/rating-scale",
            Some(default_scale()),
            [401, 403, 403, 200, 401, 401],
        ),
        row("GET", "/api/v1/stats", None, [401, 403, 200, 200, 401, 401]),
        row(
            "GET",
            "/api/v1/settings",
            None,
            [401, 200, 200, 200, 401, 401],
        ),
        row(
            "PUT",
            "/api/v1/settings",
            Some(
                json!({"newsroom_name": "Desk", "methodology": "How", "default_time_zone": "UTC", "version": 1}),
            ),
            [401, 403, 403, 200, 401, 401],
        ),
        // The fixture's article has claims still in review: publishing is refused after the role check.
        row(
            "POST",
            "/api/v1/articles/{article}/publish",
            Some(json!({"headline": "H", "summary": "S"})),
            [401, 403, 422, 422, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/articles/{article}/corrections",
            Some(json!({"note": "N"})),
            [401, 403, 409, 409, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/articles/{article}/unpublish",
            Some(json!({"reason": "R"})),
            [401, 403, 409, 409, 401, 401],
        ),
        row("GET", "/api/v1/public/articles/{slug}", None, [404; 6]),
        row(
            "POST",
            "/api/v1/public/articles/{slug}/error-reports",
            Some(json!({"message": "M"})),
            [404; 6],
        ),
        row(
            "GET",
            "/api/v1/reports/verdicts",
            None,
            [401, 403, 200, 200, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/messages",
            Some(json!({"user_ids": ["{assignee}"], "subject": "S", "body": "B"})),
            [401, 403, 202, 202, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/admin/email-outbox",
            None,
            [401, 403, 403, 200, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/admin/email-outbox/{missing}/retry",
            None,
            [401, 403, 403, 404, 401, 401],
        ),
        // Webhooks are an admin's (tests/api/webhooks.rs).
        row(
            "GET",
            "/api/v1/webhooks",
            None,
            [401, 403, 403, 200, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/webhooks",
            Some(
                json!({"name": "Desk {unique}", "url": "https://hooks.example.org/{unique}", "events": ["claim.approved"]}),
            ),
            [401, 403, 403, 201, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/webhooks/{missing}",
            None,
            [401, 403, 403, 404, 401, 401],
        ),
        row(
            "PATCH",
            "/api/v1/webhooks/{missing}",
            Some(json!({"active": false, "version": 1})),
            [401, 403, 403, 404, 401, 401],
        ),
        row(
            "DELETE",
            "/api/v1/webhooks/{missing}",
            None,
            [401, 403, 403, 404, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/webhooks/{missing}/test",
            None,
            [401, 403, 403, 404, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/webhooks/{missing}/deliveries",
            None,
            [401, 403, 403, 404, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/webhooks/{missing}/deliveries/{missing}/retry",
            None,
            [401, 403, 403, 404, 401, 401],
        ),
        // Numeric claims and the right of reply (tests/api/verdicts.rs): editors and
        // the claim's own reviewers.
        row(
            "PUT",
            "/api/v1/claims/{open}/figure/checked",
            Some(json!({"value": "61.2", "source_id": "{source}", "version": 1})),
            [401, 404, 200, 200, 401, 401],
        ),
        row(
            "DELETE",
            "/api/v1/claims/{open}/figure/checked",
            None,
            [401, 404, 200, 200, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/claims/{open}/replies",
            None,
            [401, 404, 200, 200, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/claims/{open}/replies",
            Some(
                json!({"contacted_at": "2026-01-05T10:00:00Z", "channel": "phone", "asked": "Where is the figure from?"}),
            ),
            [401, 404, 201, 201, 401, 401],
        ),
        row(
            "PATCH",
            "/api/v1/claims/{open}/replies/{reply}",
            Some(json!({"publish": true, "version": 1})),
            [401, 404, 200, 200, 401, 401],
        ),
        // Independent reviews (tests/api/reviews.rs): only the claim's reviewers propose.
        row(
            "GET",
            "/api/v1/claims/{claim}/reviews",
            None,
            [401, 404, 200, 200, 401, 401],
        ),
        row(
            "PUT",
            "/api/v1/claims/{open}/reviews/me",
            Some(json!({"rating": "false", "summary": "No."})),
            [401, 404, 403, 403, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/claims/{open}/reviews/me/submit",
            None,
            [401, 404, 403, 403, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/stats/agreement",
            None,
            [401, 403, 200, 200, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/claims/{claim}/similar",
            None,
            [401, 404, 200, 200, 401, 401],
        ),
        row(
            "GET",
            "/api/v1/articles/{article}/suggestions",
            None,
            [401, 403, 200, 200, 401, 401],
        ),
        // Everyone signed in has an inbox of their own (tests/api/notifications.rs).
        row(
            "GET",
            "/api/v1/notifications",
            None,
            [401, 200, 200, 200, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/notifications/read",
            Some(json!({"all": true})),
            [401, 200, 200, 200, 401, 401],
        ),
        // The stream itself (its contents per role are in tests/api/live.rs).
        row(
            "GET",
            "/api/v1/events",
            None,
            [401, 200, 200, 200, 401, 401],
        ),
        row(
            "POST",
            "/api/v1/claims/{claim}/presence",
            Some(json!({"activity": "viewing"})),
            [401, 404, 204, 204, 401, 401],
        ),
    ]
}

/// Signs in a fresh user of `role`, then makes it the persona.
async fn token_for(app: &TestApp, persona: Persona) -> Option<String> {
    let role = match persona {
        Persona::Anonymous => return None,
        Persona::Reviewer | Persona::Deactivated | Persona::Revoked => "reviewer",
        Persona::Editor => "editor",
        Persona::Admin => "admin",
    };
    let user = app.user(role).await;
    match persona {
        Persona::Deactivated => {
            app.sql(&format!(
                "UPDATE users SET active = false WHERE id = '{}'",
                user.id
            ))
            .await
        }
        Persona::Revoked => {
            app.sql(&format!(
                "UPDATE sessions SET revoked_at = now() WHERE user_id = '{}'",
                user.id
            ))
            .await
        }
        _ => {}
    }
    Some(user.token)
}

#[tokio::test]
async fn every_operation_checks_who_may_call_it() {
    // Throttling is for attackers, not for this walk through every operation.
    let db = fresh_database().await;
    let mut settings = test_settings(&db.url);
    settings.limits.login_per_client = 1_000_000;
    settings.limits.login_per_account = 1_000_000;
    let app = spawn_app_on(&db.url, settings).await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let table = table();

    // Every documented operation has a row, and every row is documented.
    let mut documented = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    for (method, path) in &documented {
        let normalised = normalise(path);
        assert!(
            table
                .iter()
                .any(|r| r.method == method && normalise(r.path) == normalised),
            "{method} {path} is in the OpenAPI document but not in the authorization matrix"
        );
    }
    for row in &table {
        assert!(
            documented
                .iter()
                .any(|(m, p)| m == row.method && normalise(p) == normalise(row.path)),
            "{} {} is in the matrix but not documented",
            row.method,
            row.path
        );
    }

    for row in &table {
        for (i, persona) in PERSONAS.iter().enumerate() {
            // Fresh people and targets per call, so no call depends on another.
            let token = token_for(&app, *persona).await;
            let target = app.user_without_session("reviewer").await;
            let invited = app.user_without_session("editor").await;
            app.sql(&format!(
                "UPDATE users SET password_hash = NULL WHERE id = '{}'",
                invited.id
            ))
            .await;
            let fx = crate::fixtures::Fixture::create(&app).await;
            let fill = |text: &str| {
                text.replace("{user}", &target.id.to_string())
                    .replace("{invited}", &invited.id.to_string())
                    .replace("{article}", &fx.article.to_string())
                    .replace("{claim}", &fx.submitted_claim.to_string())
                    .replace("{open}", &fx.open_claim.to_string())
                    .replace("{draft}", &fx.draft_claim.to_string())
                    .replace("{source}", &fx.source.to_string())
                    .replace("{reply}", &fx.reply.to_string())
                    .replace("{assignee}", &fx.reviewer.to_string())
                    .replace("{slug}", "no-such-page")
                    .replace("{missing}", &Uuid::new_v4().to_string())
            };
            let path = fill(row.path);
            let method = Method::from_bytes(row.method.as_bytes()).unwrap();
            let mut request = reqwest::Client::new().request(method, app.url(&path));
            if let Some(token) = &token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = &row.body {
                let body = fill(&body.to_string())
                    .replace("{unique}", &Uuid::new_v4().simple().to_string());
                request = request
                    .header("content-type", "application/json")
                    .body(body);
            }
            let status = request.send().await.unwrap().status().as_u16();
            assert_eq!(
                status, row.expect[i],
                "{} {} as {:?}",
                row.method, row.path, persona
            );
        }
    }
}

fn default_scale() -> Value {
    json!([
        {"key": "true", "label": "True", "ordinal": 10, "claim_review_value": 5, "color": "#1a7f37", "description": ""},
        {"key": "mostly_true", "label": "Mostly true", "ordinal": 20, "claim_review_value": 4, "color": "#4d9a2a", "description": ""},
        {"key": "half_true", "label": "Half true", "ordinal": 30, "claim_review_value": 3, "color": "#b08800", "description": ""},
        {"key": "mostly_false", "label": "Mostly false", "ordinal": 40, "claim_review_value": 2, "color": "#d4640b", "description": ""},
        {"key": "false", "label": "False", "ordinal": 50, "claim_review_value": 1, "color": "#cf222e", "description": ""},
        {"key": "misleading", "label": "Misleading", "ordinal": 60, "claim_review_value": null, "color": "#8250df", "description": ""},
        {"key": "missing_context", "label": "Missing context", "ordinal": 70, "claim_review_value": null, "color": "#6e7781", "description": ""},
        {"key": "unproven", "label": "Unproven", "ordinal": 80, "claim_review_value": null, "color": "#57606a", "description": ""}
    ])
}

/// `/users/{id}` and `/users/{user}` are the same route.
fn normalise(path: &str) -> String {
    // A row may carry a query string; the document's path has none.
    let path = path.split('?').next().unwrap_or(path);
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn admins_list_everyone_and_editors_only_active_reviewers() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let gone = app.user_without_session("reviewer").await;
    app.sql(&format!(
        "UPDATE users SET active = false WHERE id = '{}'",
        gone.id
    ))
    .await;

    let list = |token: &str, query: &str| {
        app.bearer(Method::GET, &format!("/api/v1/users{query}"), token)
            .send()
    };
    let all: Value = list(&admin.token, "").await.unwrap().json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 4);
    let for_editor: Value = list(&editor.token, "").await.unwrap().json().await.unwrap();
    let ids: Vec<&str> = for_editor["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [reviewer.id.to_string()]);
    assert_problem(list(&reviewer.token, "").await.unwrap(), 403).await;

    // Pagination.
    let first: Value = list(&admin.token, "?limit=3")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 3);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = list(&admin.token, &format!("?limit=3&cursor={cursor}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second["next_cursor"].is_null());
    let bad = assert_problem(list(&admin.token, "?limit=500").await.unwrap(), 422).await;
    assert_eq!(bad["errors"][0]["field"], "limit");
    let bad = assert_problem(list(&admin.token, "?role=owner").await.unwrap(), 400).await;
    assert_eq!(bad["errors"][0]["field"], "role");
}

#[tokio::test]
async fn the_last_active_admin_can_be_neither_demoted_nor_deactivated() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let patch = |id: uuid::Uuid, version: i32, body: Value| {
        app.bearer(Method::PATCH, &format!("/api/v1/users/{id}"), &admin.token)
            .header("If-Match", format!("\"{version}\""))
            .json(&body)
            .send()
    };
    assert_problem(
        patch(admin.id, 1, json!({"role": "editor"})).await.unwrap(),
        409,
    )
    .await;
    assert_problem(
        patch(admin.id, 1, json!({"active": false})).await.unwrap(),
        409,
    )
    .await;

    let second = app.user("editor").await;
    assert_eq!(
        patch(second.id, 1, json!({"role": "admin"}))
            .await
            .unwrap()
            .status(),
        200
    );
    // Stale version.
    let stale = assert_problem(
        patch(second.id, 1, json!({"display_name": "X"}))
            .await
            .unwrap(),
        412,
    )
    .await;
    assert_eq!(stale["current"]["role"], "admin");
    // Now the first admin may step down.
    assert_eq!(
        patch(admin.id, 1, json!({"role": "editor"}))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n FROM audit_events WHERE entity_id = '{}' AND action = 'change_role'", admin.id)).await,
        1
    );
}

#[tokio::test]
async fn deactivating_a_reviewer_keeps_assignments_and_emails_the_assigning_editors() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    app.sql(&format!(
        "WITH a AS (INSERT INTO articles (title, body, created_by) VALUES ('T', 'The body says 4% of people.', '{e}') RETURNING id),
              c AS (INSERT INTO claims (article_id, quote, span_start, span_end, statement, status, created_by)
                    SELECT id, '4% of people', 14, 26, 'Four percent <of> people', 'in_review', '{e}' FROM a RETURNING id)
         INSERT INTO assignments (claim_id, reviewer_id, assigned_by, due_at) SELECT id, '{r}', '{e}', now() + interval '1 day' FROM c",
        e = editor.id, r = reviewer.id
    )).await;
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
    assert_eq!(app.count("SELECT count(*) AS n FROM assignments").await, 1);
    let (kind, subject, text) = app
        .last_email(&editor.email)
        .await
        .expect("an email to the assigning editor");
    assert_eq!(kind, "reviewer_deactivated");
    assert!(subject.contains("1 claim to reassign"), "{subject}");
    assert!(text.contains("Four percent <of> people"));
    assert!(text.contains("http://factdesk.test/claims/"));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM email_outbox WHERE kind = 'reviewer_deactivated' AND html_body LIKE '%&lt;of&gt;%'").await,
        1
    );
}

#[tokio::test]
async fn invitations_can_be_resent_but_not_flooded() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let created: Value = app
        .bearer(Method::POST, "/api/v1/users", &admin.token)
        .json(&json!({"email": "wait@example.org", "display_name": "Waiting", "role": "editor"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let resend = || {
        app.bearer(
            Method::POST,
            &format!("/api/v1/users/{id}/invitation"),
            &admin.token,
        )
        .send()
    };
    assert_eq!(resend().await.unwrap().status(), 202);
    assert_eq!(resend().await.unwrap().status(), 202);
    let limited = resend().await.unwrap();
    assert!(limited.headers().contains_key("retry-after"));
    assert_problem(limited, 429).await;
    assert_eq!(
        app.count("SELECT count(*) AS n FROM email_outbox WHERE recipient = 'wait@example.org'")
            .await,
        3
    );

    let invalid = assert_problem(
        app.bearer(Method::POST, "/api/v1/users", &admin.token)
            .json(&json!({"email": "not an email", "display_name": " ", "role": "editor"}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    let fields: Vec<&str> = invalid["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "display_name"]);
}

//! In-app notifications: who is told of what, the inbox and marking read, the unread
//! count on the event stream, mentions, and each user's choice of channel.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, assert_problem, spawn_app};

async fn inbox(app: &TestApp, user: &TestUser, query: &str) -> Value {
    app.ok(user, Method::GET, &format!("/notifications{query}"), None)
        .await
}

/// A claim assigned by `editor` to `reviewer`, with a source and a drafted verdict.
async fn ready_claim(app: &TestApp, editor: &TestUser, reviewer: &TestUser) -> String {
    let (_, cid) = crate::live::claim_of(app, editor, Some(reviewer)).await;
    app.ok(
        reviewer,
        Method::POST,
        &format!("/claims/{cid}/sources"),
        Some(json!({"url": "https://stats.example.org/cpi", "title": "Statistics office"})),
    )
    .await;
    app.ok(
        reviewer,
        Method::PUT,
        &format!("/claims/{cid}/verdict"),
        Some(json!({"rating": "false", "summary": "Prices rose 12%."})),
    )
    .await;
    cid
}

#[tokio::test]
async fn each_step_tells_the_people_it_concerns_and_only_them() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let other_editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let cid = ready_claim(&app, &editor, &reviewer).await;

    // The reviewer was told of the assignment, in the app as by email.
    let theirs = inbox(&app, &reviewer, "").await;
    assert_eq!(theirs["unread"], 1);
    let first = &theirs["items"][0];
    assert_eq!(first["kind"], "assignment");
    assert_eq!(first["actor_name"], "Test editor");
    assert_eq!(first["subject"], "Prices rose 40% last year");
    assert_eq!(first["link"], format!("/claims/{cid}"));
    assert!(first["read_at"].is_null());

    // A submission tells the editor who assigned it (nobody was told before), not the others.
    app.transition(&reviewer, &cid, "submit").await;
    let mine = inbox(&app, &editor, "?unread=true").await;
    assert_eq!(mine["unread"], 1);
    assert_eq!(mine["items"][0]["kind"], "submitted");
    assert_eq!(mine["items"][0]["actor_name"], "Test reviewer");
    assert_eq!(inbox(&app, &other_editor, "").await["unread"], 0);

    // An approval tells the reviewer; the approving editor is never told of their own act.
    app.transition(&editor, &cid, "approve").await;
    let theirs = inbox(&app, &reviewer, "").await;
    assert_eq!(theirs["unread"], 2);
    assert_eq!(theirs["items"][0]["kind"], "approved");

    // Marking read: some, then all; ids of someone else's are ignored.
    let id = theirs["items"][0]["id"].as_str().unwrap();
    let someone_elses = mine["items"][0]["id"].as_str().unwrap();
    let read = app
        .ok(
            &reviewer,
            Method::POST,
            "/notifications/read",
            Some(json!({"ids": [id, someone_elses]})),
        )
        .await;
    assert_eq!(read, json!({"marked": 1, "unread": 1}));
    assert_eq!(inbox(&app, &editor, "").await["unread"], 1);
    let all = app
        .ok(
            &reviewer,
            Method::POST,
            "/notifications/read",
            Some(json!({"all": true})),
        )
        .await;
    assert_eq!(all, json!({"marked": 1, "unread": 0}));
    assert_eq!(
        inbox(&app, &reviewer, "?unread=true").await["items"],
        json!([])
    );
    assert_eq!(
        inbox(&app, &reviewer, "").await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let neither = app
        .call(
            &reviewer,
            Method::POST,
            "/notifications/read",
            Some(json!({"ids": [id], "all": true})),
        )
        .await;
    assert_eq!(
        assert_problem(neither, 422).await["errors"][0]["field"],
        "ids"
    );
    let anonymous = reqwest::get(app.url("/api/v1/notifications"))
        .await
        .unwrap();
    assert_problem(anonymous, 401).await;
}

#[tokio::test]
async fn changes_requested_and_mentions_reach_who_may_see_the_claim() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let stranger = app.user("reviewer").await;
    app.sql(&format!(
        "UPDATE users SET display_name = 'Rita Koval' WHERE id = '{}'",
        reviewer.id
    ))
    .await;
    app.sql(&format!(
        "UPDATE users SET display_name = 'Rita Kovalenko' WHERE id = '{}'",
        stranger.id
    ))
    .await;
    let cid = ready_claim(&app, &editor, &reviewer).await;
    app.transition(&reviewer, &cid, "submit").await;
    app.ok(
        &editor,
        Method::POST,
        &format!("/claims/{cid}/transitions"),
        Some(json!({"action": "request_changes", "comment": "Cite the 2024 figure."})),
    )
    .await;
    let theirs = inbox(&app, &reviewer, "").await;
    assert_eq!(theirs["items"][0]["kind"], "changes_requested");

    // `@Rita Koval` names the reviewer; `@Rita Kovalenko` may not see the claim.
    app.ok(
        &editor,
        Method::POST,
        &format!("/claims/{cid}/comments"),
        Some(json!({"body": "@rita koval see the CPI table; @Rita Kovalenko too"})),
    )
    .await;
    let theirs = inbox(&app, &reviewer, "?unread=true").await;
    assert_eq!(theirs["items"][0]["kind"], "mention");
    assert!(
        theirs["items"][0]["link"]
            .as_str()
            .unwrap()
            .starts_with(&format!("/claims/{cid}#comment-"))
    );
    assert_eq!(inbox(&app, &stranger, "").await["unread"], 0);
}

#[tokio::test]
async fn a_reader_report_tells_every_editor() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let (_, _, slug) = crate::publishing::published_claim(&app, &editor, &reviewer).await;
    let report = app
        .client
        .post(app.url(&format!("/api/v1/public/articles/{slug}/error-reports")))
        .json(&json!({"message": "The figure is from 2019."}))
        .send()
        .await
        .unwrap();
    assert!(report.status().is_success(), "{}", report.status());
    let mine = inbox(&app, &editor, "").await;
    assert_eq!(mine["items"][0]["kind"], "error_report");
    assert_eq!(mine["items"][0]["link"], "/reports");
    assert!(mine["items"][0]["actor_name"].is_null());
}

#[tokio::test]
async fn each_user_chooses_how_each_kind_reaches_them() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let me = app.ok(&reviewer, Method::GET, "/auth/me", None).await;
    let channels = me["notify"]["channels"].as_array().unwrap();
    let of = |kind: &str| channels.iter().find(|c| c["kind"] == kind).unwrap().clone();
    assert_eq!(of("assignment")["channel"], "email");
    assert_eq!(of("assignment")["allowed"], json!(["in_app", "email"]));
    assert_eq!(of("approved")["channel"], "in_app");
    assert_eq!(of("approved")["allowed"], json!(["in_app", "off"]));
    // A reviewer is offered only what reaches reviewers.
    assert!(
        channels
            .iter()
            .all(|c| c["kind"] != "submitted" && c["kind"] != "error_report")
    );

    // What may not be chosen is refused, naming the kind.
    let refused = app
        .call(
            &reviewer,
            Method::PATCH,
            "/auth/me",
            Some(json!({"notify": {"channels": {"assignment": "off"}}, "version": me["version"]})),
        )
        .await;
    assert_eq!(
        assert_problem(refused, 422).await["errors"][0]["field"],
        "notify.channels.assignment"
    );

    // In the app only: told of the assignment, and no email.
    let chosen = app
        .ok(&reviewer, Method::PATCH, "/auth/me", Some(json!({"notify": {"channels": {"assignment": "in_app", "reminder": "off"}}, "version": me["version"]})))
        .await;
    let channels = chosen["notify"]["channels"].as_array().unwrap();
    assert!(
        channels
            .iter()
            .any(|c| c["kind"] == "assignment" && c["channel"] == "in_app")
    );
    // Reminders off is the switch of before, too.
    assert_eq!(chosen["notify"]["reminders"], false);
    ready_claim(&app, &editor, &reviewer).await;
    assert_eq!(
        inbox(&app, &reviewer, "").await["items"][0]["kind"],
        "assignment"
    );
    let emails = app
        .count(&format!(
            "SELECT count(*) AS n FROM email_outbox WHERE recipient = '{}'",
            reviewer.email
        ))
        .await;
    assert_eq!(emails, 0);
}

#[tokio::test]
async fn the_stream_carries_the_unread_count_to_its_user_only() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let other = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let cid = ready_claim(&app, &editor, &reviewer).await;
    let mut mine = crate::live::Events::open(&app, &editor, None).await;
    let mut others = crate::live::Events::open(&app, &other, None).await;
    app.transition(&reviewer, &cid, "submit").await;
    let mut told = None;
    while let Some(f) = mine.next(std::time::Duration::from_secs(5)).await {
        if f.data["entity"] == "notification" {
            told = Some(f);
            break;
        }
    }
    let told = told.expect("the editor's stream hears of it");
    assert_eq!(told.data["detail"]["unread"], 1);
    let theirs = others.drain(std::time::Duration::from_millis(500)).await;
    assert!(
        theirs.iter().all(|f| f.data["entity"] != "notification"),
        "{theirs:?}"
    );
}

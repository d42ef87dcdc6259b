//! The live desk: the event stream, who receives what, resume, two instances behind
//! one database, presence, and that a rolled-back change announces nothing.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, spawn_app, spawn_app_on, test_settings};

/// One open event stream, read frame by frame.
pub(crate) struct Events {
    response: reqwest::Response,
    buffer: String,
}

#[derive(Debug)]
pub(crate) struct Frame {
    pub id: Option<i64>,
    pub event: String,
    pub data: Value,
}

impl Events {
    pub(crate) async fn open(app: &TestApp, user: &TestUser, last_event_id: Option<i64>) -> Self {
        let mut request = app.bearer(Method::GET, "/api/v1/events", &user.token);
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        let mut events = Self {
            response,
            buffer: String::new(),
        };
        let ready = events.next(Duration::from_secs(5)).await.expect("ready");
        assert_eq!(ready.event, "ready", "{ready:?}");
        events
    }

    /// The next event frame within `wait` (heartbeat comments skipped).
    pub(crate) async fn next(&mut self, wait: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut frame = Frame {
                    id: None,
                    event: "message".into(),
                    data: Value::Null,
                };
                let mut any = false;
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id: ") {
                        frame.id = v.parse().ok();
                    } else if let Some(v) = line.strip_prefix("event: ") {
                        frame.event = v.to_string();
                        any = true;
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        frame.data = serde_json::from_str(v).unwrap();
                    }
                }
                if any {
                    return Some(frame);
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await;
            match chunk {
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }

    /// The next `change` about `entity` of claim `claim`, skipping others.
    async fn change_of(&mut self, entity: &str, claim: &str) -> Option<Frame> {
        while let Some(frame) = self.next(Duration::from_secs(5)).await {
            if frame.event == "change"
                && frame.data["entity"] == entity
                && frame.data["claim_id"] == claim
            {
                return Some(frame);
            }
        }
        None
    }

    /// Every frame within `wait`.
    pub(crate) async fn drain(&mut self, wait: Duration) -> Vec<Frame> {
        let mut frames = Vec::new();
        let deadline = tokio::time::Instant::now() + wait;
        while let Some(f) = self
            .next(deadline.saturating_duration_since(tokio::time::Instant::now()))
            .await
        {
            frames.push(f);
        }
        frames
    }
}

pub(crate) async fn claim_of(
    app: &TestApp,
    editor: &TestUser,
    reviewer: Option<&TestUser>,
) -> (String, String) {
    let article = app
        .ok(editor, Method::POST, "/articles", Some(json!({"title": "Speech", "body": "Intro. Prices rose 40% last year. Outro.", "check_duplicates": false})))
        .await;
    let aid = article["id"].as_str().unwrap().to_string();
    let claim = app
        .ok(editor, Method::POST, &format!("/articles/{aid}/claims"), Some(json!({"quote": "Prices rose 40% last year.", "statement": "Prices rose 40% last year"})))
        .await;
    let cid = claim["id"].as_str().unwrap().to_string();
    if let Some(reviewer) = reviewer {
        app.ok(
            editor,
            Method::POST,
            &format!("/claims/{cid}/assignments"),
            Some(json!({"reviewer_id": reviewer.id, "due_at": "2099-01-01T00:00:00Z"})),
        )
        .await;
    }
    (aid, cid)
}

#[tokio::test]
async fn a_change_reaches_the_editors_and_the_assigned_reviewer_only() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let rita = app.user("reviewer").await;
    let other = app.user("reviewer").await;
    let (_, cid) = claim_of(&app, &editor, Some(&rita)).await;
    let (_, other_cid) = claim_of(&app, &editor, Some(&other)).await;

    let mut editors = Events::open(&app, &editor, None).await;
    let mut ritas = Events::open(&app, &rita, None).await;
    let mut others = Events::open(&app, &other, None).await;

    app.ok(
        &rita,
        Method::POST,
        &format!("/claims/{cid}/sources"),
        Some(json!({"url": "https://example.org/stats", "title": "Statistics office"})),
    )
    .await;
    let change = editors
        .change_of("source", &cid)
        .await
        .expect("the editor hears of it");
    assert_eq!(change.data["action"], "create");
    assert_eq!(change.data["actor_id"], json!(rita.id));
    assert_eq!(change.data["actor_name"], "Test reviewer");
    assert!(change.data["version"].as_i64().is_some(), "{change:?}");
    assert!(change.id.is_some());
    // Names and ids only: never the source itself.
    assert!(!change.data.to_string().contains("Statistics office"));
    assert!(ritas.change_of("source", &cid).await.is_some());

    // The other reviewer hears of their own claim, and never of Rita's.
    app.ok(
        &editor,
        Method::PATCH,
        &format!("/claims/{other_cid}"),
        Some(json!({"priority": "high", "version": 2})),
    )
    .await;
    let frames = others.drain(Duration::from_secs(1)).await;
    assert!(
        frames.iter().all(|f| f.data["claim_id"] != json!(cid)),
        "{frames:?}"
    );
    assert!(
        frames
            .iter()
            .any(|f| f.data["claim_id"] == json!(other_cid)),
        "{frames:?}"
    );
}

#[tokio::test]
async fn an_unassigned_reviewer_hears_of_the_unassignment_and_nothing_after() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let rita = app.user("reviewer").await;
    let (_, cid) = claim_of(&app, &editor, Some(&rita)).await;
    let mut ritas = Events::open(&app, &rita, None).await;
    app.ok(
        &editor,
        Method::DELETE,
        &format!("/claims/{cid}/assignments/{}", rita.id),
        None,
    )
    .await;
    let gone = ritas
        .change_of("assignment", &cid)
        .await
        .expect("told of it");
    assert_eq!(gone.data["action"], "delete");
    let now = app
        .ok(&editor, Method::GET, &format!("/claims/{cid}"), None)
        .await;
    app.ok(
        &editor,
        Method::PATCH,
        &format!("/claims/{cid}"),
        Some(json!({"priority": "urgent", "version": now["version"]})),
    )
    .await;
    let frames = ritas.drain(Duration::from_secs(1)).await;
    assert!(
        frames.iter().all(|f| f.data["claim_id"] != json!(cid)),
        "{frames:?}"
    );
}

#[tokio::test]
async fn a_client_resumes_from_its_last_event_id() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let (_, cid) = claim_of(&app, &editor, None).await;
    let first = Events::open(&app, &editor, None).await;
    drop(first);
    let since = app
        .count("SELECT COALESCE(max(id), 0) AS n FROM live_events")
        .await;
    app.ok(
        &editor,
        Method::PATCH,
        &format!("/claims/{cid}"),
        Some(json!({"priority": "high", "version": 1})),
    )
    .await;
    // Reconnecting with the last id seen replays what happened in between.
    let mut resumed = Events::open(&app, &editor, Some(since)).await;
    let replayed = resumed.change_of("claim", &cid).await.expect("replayed");
    assert_eq!(replayed.data["action"], "update");
    assert!(replayed.id.unwrap() > since);

    // A client far behind (its events pruned) is told to start afresh.
    app.sql("DELETE FROM live_events").await;
    app.ok(
        &editor,
        Method::PATCH,
        &format!("/claims/{cid}"),
        Some(json!({"priority": "low", "version": 2})),
    )
    .await;
    let mut behind = Events::open(&app, &editor, Some(since)).await;
    let reset = behind.next(Duration::from_secs(5)).await.unwrap();
    assert_eq!(reset.event, "reset");

    let bad = app
        .bearer(Method::GET, "/api/v1/events", &editor.token)
        .header("Last-Event-ID", "yesterday")
        .send()
        .await
        .unwrap();
    crate::helpers::assert_problem(bad, 400).await;
}

#[tokio::test]
async fn an_event_on_one_instance_reaches_a_client_of_another() {
    let a = spawn_app().await;
    let url = a.settings_database_url();
    let b = spawn_app_on(&url, test_settings(&url)).await;
    let editor = a.user("editor").await;
    let (_, cid) = claim_of(&a, &editor, None).await;
    let mut on_b = Events::open(&b, &editor, None).await;
    a.ok(
        &editor,
        Method::PATCH,
        &format!("/claims/{cid}"),
        Some(json!({"priority": "high", "version": 1})),
    )
    .await;
    let change = on_b
        .change_of("claim", &cid)
        .await
        .expect("B's client hears of A's change");
    assert_eq!(change.data["action"], "update");
    assert_eq!(change.data["version"], 2);
}

#[tokio::test]
async fn a_rolled_back_change_announces_nothing() {
    use diesel_async::AsyncConnection;
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let (_, cid) = claim_of(&app, &editor, None).await;
    let claim: uuid::Uuid = cid.parse().unwrap();
    let mut events = Events::open(&app, &editor, None).await;
    let mut conn = app.pool.get().await.unwrap();
    let event = |action: &'static str| {
        factdesk::db::audit::Event::of_claim(claim, "claim", claim, action).by(editor.id)
    };
    let rolled_back = conn
        .transaction::<(), diesel::result::Error, _>(async |conn| {
            factdesk::db::audit::record(conn, event("rolled_back")).await?;
            Err(diesel::result::Error::RollbackTransaction)
        })
        .await;
    assert!(rolled_back.is_err());
    conn.transaction::<(), diesel::result::Error, _>(async |conn| {
        factdesk::db::audit::record(conn, event("committed")).await
    })
    .await
    .unwrap();
    let change = events.change_of("claim", &cid).await.unwrap();
    assert_eq!(change.data["action"], "committed");
}

#[tokio::test]
async fn presence_reaches_those_who_may_see_the_claim() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let rita = app.user("reviewer").await;
    let stranger = app.user("reviewer").await;
    let (_, cid) = claim_of(&app, &editor, Some(&rita)).await;
    let mut editors = Events::open(&app, &editor, None).await;
    let mut strangers = Events::open(&app, &stranger, None).await;
    let said = app
        .call(
            &rita,
            Method::POST,
            &format!("/claims/{cid}/presence"),
            Some(json!({"activity": "editing", "field": "verdict"})),
        )
        .await;
    assert_eq!(said.status(), 204);
    let mut presence = None;
    while let Some(f) = editors.next(Duration::from_secs(5)).await {
        if f.event == "presence" {
            presence = Some(f);
            break;
        }
    }
    let presence = presence.expect("the editor sees Rita");
    assert_eq!(presence.data["action"], "editing");
    assert_eq!(presence.data["actor_name"], "Test reviewer");
    assert_eq!(presence.data["detail"]["field"], "verdict");
    assert!(presence.data["detail"]["expires_at"].is_string());
    assert!(
        strangers
            .drain(Duration::from_millis(500))
            .await
            .iter()
            .all(|f| f.event != "presence")
    );

    // Someone who may not see the claim cannot announce themselves on it.
    let hidden = app
        .call(
            &stranger,
            Method::POST,
            &format!("/claims/{cid}/presence"),
            Some(json!({"activity": "viewing"})),
        )
        .await;
    crate::helpers::assert_problem(hidden, 404).await;
    let bad = app
        .call(
            &rita,
            Method::POST,
            &format!("/claims/{cid}/presence"),
            Some(json!({"activity": "dancing"})),
        )
        .await;
    crate::helpers::assert_problem(bad, 422).await;
}

#[tokio::test]
async fn the_stream_needs_a_session() {
    let app = spawn_app().await;
    let anonymous = app.get("/api/v1/events").await;
    crate::helpers::assert_problem(anonymous, 401).await;
}

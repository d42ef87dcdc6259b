//! Email delivery against a real SMTP server on loopback: nothing lost, nothing twice.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use factdesk::config::Settings;
use factdesk::email::transport::Transport;
use factdesk::jobs::{email as worker, scheduler};

use crate::fixtures::Fixture;
use crate::helpers::{TestApp, TestUser, assert_problem, spawn_app};
use crate::smtp::SmtpSink;

struct Worker {
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
}

impl Worker {
    async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
    }
}

fn fast(app: &TestApp) -> Settings {
    let mut s = app.settings.clone();
    s.email.poll_interval = Duration::from_millis(10);
    s.email.backoff_base = Duration::from_millis(5);
    s.email.backoff_max = Duration::from_millis(50);
    s.email.max_attempts = 3;
    s.email.scheduler_interval = Duration::from_secs(3600);
    s
}

fn start_worker(app: &TestApp, settings: Settings, smtp: &SmtpSink) -> Worker {
    let (stop, stopped) = watch::channel(false);
    let transport = Transport::smtp(&smtp.url()).unwrap();
    let handle = tokio::spawn(worker::run(app.pool.clone(), transport, settings, stopped));
    Worker { stop, handle }
}

async fn enqueue_many(app: &TestApp, n: usize, recipient: impl Fn(usize) -> String) {
    let values: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "('{}', 'Message {i}', 'Text {i}', '<p>HTML {i}</p>', 'message')",
                recipient(i)
            )
        })
        .collect();
    app.sql(&format!(
        "INSERT INTO email_outbox (recipient, subject, text_body, html_body, kind) VALUES {}",
        values.join(", ")
    ))
    .await;
}

fn unique_ids(sink: &SmtpSink) -> (usize, usize) {
    let ids: Vec<String> = sink
        .messages()
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    (ids.len(), unique.len())
}

#[tokio::test]
async fn an_assignment_email_arrives_with_the_claim_and_its_link() {
    let app = spawn_app().await;
    let smtp = SmtpSink::start().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let fx = Fixture::create(&app).await;
    // The worker runs with the default poll interval (2 s), as in production.
    let mut settings = app.settings.clone();
    settings.email.scheduler_interval = Duration::from_secs(3600);
    // No daily digest: after the digest hour the scheduler's first run would send the
    // fixture's reviewer one, and this test would depend on the time of day.
    settings.email.digest_hour = 24;
    let w = start_worker(&app, settings, &smtp);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    app.ok(
        &editor,
        Method::POST,
        &format!("/claims/{}/assignments", fx.open_claim),
        Some(json!({"reviewer_id": reviewer.id, "due_at": "2099-01-01T09:00:00Z"})),
    )
    .await;
    assert!(smtp.wait_for(1, Duration::from_secs(5)).await);
    let elapsed = started.elapsed();
    eprintln!("assignment to arrival with the default 2 s poll: {elapsed:?}");
    assert!(elapsed < Duration::from_millis(2500));
    w.stop().await;
    let m = &smtp.messages()[0];
    assert_eq!(m.to, vec![reviewer.email.clone()]);
    assert!(m.header("Subject").unwrap().contains("New claim to check"));
    assert!(
        m.data
            .contains(&format!("http://factdesk.test/claims/{}", fx.open_claim))
    );
    assert!(m.data.contains("multipart/alternative"));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM email_outbox WHERE sent_at IS NOT NULL")
            .await,
        1
    );
    let row_id: String = m.header("Message-ID").unwrap();
    assert!(row_id.ends_with("@factdesk>"));
}

#[tokio::test]
async fn an_smtp_outage_loses_nothing_and_sends_nothing_twice() {
    let app = spawn_app().await;
    let mut smtp = SmtpSink::down();
    let editor = app.user("editor").await;
    let mut reviewers = Vec::new();
    for _ in 0..20 {
        reviewers.push(app.user_without_session("reviewer").await.id);
    }
    let article = app
        .ok(
            &editor,
            Method::POST,
            "/articles",
            Some(json!({"title": "T", "body": "0 1 2 3 4 5 6 7 8 9 ten claims here."})),
        )
        .await;
    let aid = article["id"].as_str().unwrap();
    let mut settings = fast(&app);
    settings.email.max_attempts = 1000;
    let w = start_worker(&app, settings.clone(), &smtp);
    for i in 0..10 {
        let claim = app
            .ok(
                &editor,
                Method::POST,
                &format!("/articles/{aid}/claims"),
                Some(json!({"span_start": i * 2, "span_end": i * 2 + 1})),
            )
            .await;
        let cid = claim["id"].as_str().unwrap();
        for r in &reviewers {
            app.ok(
                &editor,
                Method::POST,
                &format!("/claims/{cid}/assignments"),
                Some(json!({"reviewer_id": r, "due_at": "2099-01-01T00:00:00Z"})),
            )
            .await;
        }
    }
    assert_eq!(
        app.count("SELECT count(*) AS n FROM email_outbox WHERE kind = 'assignment'")
            .await,
        200
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Down: every row still waits, with its attempts and error recorded.
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM email_outbox WHERE sent_at IS NULL AND failed_at IS NULL"
        )
        .await,
        200
    );
    assert!(
        app.count(
            "SELECT count(*) AS n FROM email_outbox WHERE attempts > 0 AND last_error IS NOT NULL"
        )
        .await
            > 0
    );

    smtp.come_up().await;
    assert!(
        smtp.wait_for(200, Duration::from_secs(30)).await,
        "only {} arrived",
        smtp.messages().len()
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    w.stop().await;
    assert_eq!(unique_ids(&smtp), (200, 200));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM email_outbox WHERE sent_at IS NOT NULL")
            .await,
        200
    );
}

#[tokio::test]
async fn two_workers_send_each_email_exactly_once() {
    let app = spawn_app().await;
    let smtp = SmtpSink::start().await;
    enqueue_many(&app, 500, |i| format!("reader{i}@example.org")).await;
    let started = std::time::Instant::now();
    let a = start_worker(&app, fast(&app), &smtp);
    let b = start_worker(&app, fast(&app), &smtp);
    assert!(smtp.wait_for(500, Duration::from_secs(60)).await);
    eprintln!("two workers sent 500 emails in {:?}", started.elapsed());
    tokio::time::sleep(Duration::from_millis(200)).await;
    a.stop().await;
    b.stop().await;
    assert_eq!(unique_ids(&smtp), (500, 500));
}

#[tokio::test]
async fn rows_of_a_worker_that_dies_mid_batch_go_out_with_another() {
    let app = spawn_app().await;
    let smtp = SmtpSink::start().await;
    enqueue_many(&app, 30, |i| format!("reader{i}@example.org")).await;
    // A worker that took a batch and then lost its connection (its transaction rolls back).
    let dying = {
        use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
        let mut conn = AsyncPgConnection::establish(&app.settings_database_url())
            .await
            .unwrap();
        diesel::sql_query("BEGIN").execute(&mut conn).await.unwrap();
        diesel::sql_query(
            "SELECT id FROM email_outbox ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        conn
    };
    let w = start_worker(&app, fast(&app), &smtp);
    // While the dying worker holds its rows, the other sends the rest and skips them.
    assert!(smtp.wait_for(10, Duration::from_secs(5)).await);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(smtp.messages().len(), 10);
    drop(dying);
    assert!(smtp.wait_for(30, Duration::from_secs(10)).await);
    w.stop().await;
    assert_eq!(unique_ids(&smtp), (30, 30));
}

#[tokio::test]
async fn a_rejected_address_fails_after_its_attempts_without_blocking_the_rest() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let smtp = SmtpSink::start().await;
    smtp.reject("bounce@example.org");
    enqueue_many(&app, 10, |i| {
        if i == 0 {
            "bounce@example.org".into()
        } else {
            format!("reader{i}@example.org")
        }
    })
    .await;
    let w = start_worker(&app, fast(&app), &smtp);
    assert!(smtp.wait_for(9, Duration::from_secs(5)).await);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while app
        .count("SELECT count(*) AS n FROM email_outbox WHERE failed_at IS NOT NULL")
        .await
        == 0
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    w.stop().await;
    assert_eq!(app.count("SELECT count(*) AS n FROM email_outbox WHERE failed_at IS NOT NULL AND attempts = 3 AND last_error LIKE '%550%'").await, 1);
    assert_eq!(smtp.messages().len(), 9);

    // Admins see it and can retry it.
    let failed = app
        .ok(
            &admin,
            Method::GET,
            "/admin/email-outbox?status=failed",
            None,
        )
        .await;
    assert_eq!(failed["items"].as_array().unwrap().len(), 1);
    assert_eq!(failed["items"][0]["recipient"], "bounce@example.org");
    let id = failed["items"][0]["id"].as_str().unwrap();
    let retried = app
        .ok(
            &admin,
            Method::POST,
            &format!("/admin/email-outbox/{id}/retry"),
            None,
        )
        .await;
    assert_eq!(retried["attempts"], 0);
    assert!(retried["failed_at"].is_null());
    assert_problem(
        app.call(
            &admin,
            Method::POST,
            &format!("/admin/email-outbox/{id}/retry"),
            None,
        )
        .await,
        409,
    )
    .await;
    assert_problem(
        app.call(&admin, Method::GET, "/admin/email-outbox?status=lost", None)
            .await,
        422,
    )
    .await;
}

#[tokio::test]
async fn reminders_overdue_notices_and_digests_are_enqueued_once() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let quiet = app.user("reviewer").await;
    let fx = Fixture::create(&app).await;
    app.ok(
        &quiet,
        Method::PATCH,
        "/auth/me",
        Some(json!({"notify": {"reminders": false, "digest": false}, "version": 1})),
    )
    .await;
    // Assigned two days ago, due in two hours: a reminder. Assigned just now and due in
    // two hours: none, the assignment email said when it is due.
    let fresh = app.user("reviewer").await;
    for (who, assigned) in [
        (&reviewer, "now() - interval '2 days'"),
        (&quiet, "now() - interval '2 days'"),
        (&fresh, "now()"),
    ] {
        app.sql(&format!("INSERT INTO assignments (claim_id, reviewer_id, assigned_by, assigned_at, due_at) VALUES ('{}', '{}', '{}', {assigned}, now() + interval '2 hours')", fx.open_claim, who.id, editor.id)).await;
    }
    app.sql(&format!("UPDATE assignments SET due_at = now() - interval '1 hour', assigned_by = '{}' WHERE reviewer_id = '{}'", editor.id, fx.reviewer)).await;
    let mut settings = fast(&app);
    settings.email.digest_hour = 0;
    // Several instances at once enqueue each email once.
    let (a, b, c) = tokio::join!(
        scheduler::run_once(&app.pool, &settings),
        scheduler::run_once(&app.pool, &settings),
        scheduler::run_once(&app.pool, &settings)
    );
    let total = a.unwrap() + b.unwrap() + c.unwrap();
    let reminders = app
        .count(&format!(
            "SELECT count(*) AS n FROM email_outbox WHERE kind = 'reminder' AND recipient = '{}'",
            reviewer.email
        ))
        .await;
    assert_eq!(reminders, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM email_outbox WHERE kind = 'reminder' AND recipient = '{}'",
            fresh.email
        ))
        .await,
        0,
        "assigned inside the reminder window"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM email_outbox WHERE recipient = '{}'",
            quiet.email
        ))
        .await,
        0,
        "opted out of reminders and digests"
    );
    // The fixture reviewer's two claims are past due: overdue notices with the editor in copy.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM email_outbox WHERE kind = 'overdue' AND '{}' = ANY(cc)",
            editor.email
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM email_outbox WHERE kind = 'digest' AND recipient = '{}'",
            reviewer.email
        ))
        .await,
        1
    );
    assert_eq!(
        total as i64,
        app.count("SELECT count(*) AS n FROM email_outbox").await
    );
    assert!(
        scheduler::run_once(&app.pool, &settings).await.unwrap() == 0,
        "a second pass adds nothing"
    );

    // Moving the due time schedules a new reminder.
    app.sql(&format!(
        "UPDATE assignments SET due_at = due_at + interval '1 hour' WHERE reviewer_id = '{}'",
        reviewer.id
    ))
    .await;
    scheduler::run_once(&app.pool, &settings).await.unwrap();
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM email_outbox WHERE kind = 'reminder' AND recipient = '{}'",
            reviewer.email
        ))
        .await,
        2
    );
    let (_, subject, text) = app.last_email(&reviewer.email).await.unwrap();
    assert!(subject.starts_with("Due "), "{subject}");
    assert!(text.contains(&format!("http://factdesk.test/claims/{}", fx.open_claim)));
}

#[tokio::test]
async fn editors_message_reviewers_within_a_limit() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let fx = Fixture::create(&app).await;
    let send = |n: usize| {
        app.call(&editor, Method::POST, "/messages", Some(json!({"user_ids": [reviewer.id], "subject": format!("Question {n}"), "body": "Can you <b>look</b> again?", "claim_id": fx.open_claim})))
    };
    let sent = send(0).await;
    assert_eq!(sent.status(), 202);
    let (kind, subject, text) = app.last_email(&reviewer.email).await.unwrap();
    assert_eq!((kind.as_str(), subject.as_str()), ("message", "Question 0"));
    // A reply reaches the editor who wrote, not the desk's sending address.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM email_outbox WHERE kind = 'message' AND recipient = '{}' AND reply_to = '{}'",
            reviewer.email, editor.email
        ))
        .await,
        1
    );
    assert!(
        text.contains("Can you <b>look</b> again?")
            && text.contains(&format!("/claims/{}", fx.open_claim))
    );
    let history = app
        .ok(
            &editor,
            Method::GET,
            &format!("/claims/{}/history", fx.open_claim),
            None,
        )
        .await;
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["entity"] == "message")
    );
    assert_problem(
        app.call(
            &reviewer,
            Method::POST,
            "/messages",
            Some(json!({"user_ids": [editor.id], "subject": "s", "body": "b"})),
        )
        .await,
        403,
    )
    .await;
    let bad = assert_problem(
        app.call(
            &editor,
            Method::POST,
            "/messages",
            Some(json!({"user_ids": [uuid::Uuid::new_v4()], "subject": "s", "body": "b"})),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(bad["errors"][0]["field"], "user_ids[0]");
    for n in 1..20 {
        assert_eq!(send(n).await.status(), 202);
    }
    assert_problem(send(20).await, 429).await;
}

#[tokio::test]
async fn without_smtp_the_embedded_default_writes_eml_files() {
    let app = spawn_app().await;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("outbox-{}", uuid::Uuid::new_v4().simple()));
    let mut settings = fast(&app);
    settings.smtp_url = None;
    settings.data_dir = dir.clone();
    let transport = Transport::from_settings(&settings).unwrap();
    assert!(transport.describe().contains("outbox"));
    enqueue_many(&app, 2, |i| format!("reader{i}@example.org")).await;
    assert_eq!(
        worker::deliver_due(&app.pool, &transport, &settings.email)
            .await
            .unwrap(),
        2
    );
    let files: Vec<_> = std::fs::read_dir(dir.join("outbox"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(files.len(), 2);
    let text = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(text.contains("Subject: Message"));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn reminders_and_overdue_notices_reach_the_inbox_once_however_they_are_chosen() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let by_email = app.user("reviewer").await;
    let in_app = app.user("reviewer").await;
    let fx = Fixture::create(&app).await;
    app.ok(
        &in_app,
        Method::PATCH,
        "/auth/me",
        Some(json!({"notify": {"channels": {"reminder": "in_app", "overdue": "in_app"}}, "version": 1})),
    )
    .await;
    // Due in two hours (a reminder), and due an hour ago (an overdue notice).
    for (who, due) in [
        (&by_email, "now() + interval '2 hours'"),
        (&in_app, "now() - interval '1 hour'"),
    ] {
        app.sql(&format!("INSERT INTO assignments (claim_id, reviewer_id, assigned_by, assigned_at, due_at) VALUES ('{}', '{}', '{}', now() - interval '2 days', {due})", fx.open_claim, who.id, editor.id)).await;
    }
    let settings = fast(&app);
    let notified = |who: &TestUser, kind: &str| {
        format!(
            "SELECT count(*) AS n FROM notifications WHERE user_id = '{}' AND kind = '{kind}'",
            who.id
        )
    };
    for _ in 0..3 {
        scheduler::run_once(&app.pool, &settings).await.unwrap();
    }
    assert_eq!(app.count(&notified(&by_email, "reminder")).await, 1);
    // The overdue claim tells its reviewer and the editor who assigned it.
    assert_eq!(app.count(&notified(&in_app, "overdue")).await, 1);
    assert!(app.count(&notified(&editor, "overdue")).await >= 1);
    let emails = |who: &TestUser| {
        format!(
            "SELECT count(*) AS n FROM email_outbox WHERE recipient = '{}' AND kind IN ('reminder', 'overdue')",
            who.email
        )
    };
    assert_eq!(app.count(&emails(&by_email)).await, 1);
    assert_eq!(app.count(&emails(&in_app)).await, 0, "in the app only");
}

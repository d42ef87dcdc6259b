//! The claim workflow through HTTP, as editors and reviewers use it.

use reqwest::Method;
use serde_json::{Value, json};

use crate::fixtures::Fixture;
use crate::helpers::{TestApp, TestUser, assert_problem, spawn_app};

const UKRAINIAN: &str =
    "Президент 🇺🇦 заявив: «Рейтинг — 4%». Потім він повторив: «Рейтинг — 4%», і додав 👍🏽.";

async fn article(app: &TestApp, editor: &TestUser, body: &str) -> Value {
    app.ok(
        editor,
        Method::POST,
        "/articles",
        Some(json!({"title": "Заява", "body": body, "outlet": "Test Outlet", "language": "uk"})),
    )
    .await
}

#[tokio::test]
async fn claims_are_anchored_by_character_offsets_in_any_script() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let a = article(&app, &editor, UKRAINIAN).await;
    assert_eq!(a["status"], "draft");
    let id = a["id"].as_str().unwrap();
    let chars: Vec<char> = UKRAINIAN.chars().collect();
    let find = |needle: &str| {
        let n: Vec<char> = needle.chars().collect();
        (0..chars.len())
            .find(|i| chars[*i..].starts_with(&n))
            .unwrap()
    };

    // By span, in characters: the flag is two characters, the thumbs-up emoji two more.
    let start = find("Рейтинг");
    let claim = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{id}/claims"),
            Some(json!({"span_start": start, "span_end": start + 12, "claimant": "Президент"})),
        )
        .await;
    assert_eq!(claim["quote"], "Рейтинг — 4%");
    assert_eq!(claim["statement"], "Рейтинг — 4%");
    assert_eq!(claim["status"], "draft");
    assert_eq!(claim["priority"], "normal");
    let emoji = find("👍🏽");
    let thumbs = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{id}/claims"),
            Some(json!({"span_start": emoji, "span_end": emoji + 2})),
        )
        .await;
    assert_eq!(thumbs["quote"], "👍🏽");

    // By quote: ambiguous without `occurrence`, found with it.
    let path = format!("/api/v1/articles/{id}/claims");
    let ambiguous = assert_problem(
        app.bearer(Method::POST, &path, &editor.token)
            .json(&json!({"quote": "Рейтинг — 4%"}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(ambiguous["errors"][0]["field"], "occurrence");
    let second = app
        .ok(&editor, Method::POST, &format!("/articles/{id}/claims"), Some(json!({"quote": "Рейтинг — 4%", "occurrence": 2, "statement": "Рейтинг президента — 4%", "priority": "urgent"})))
        .await;
    let second_start = chars.len() - chars[start + 1..].len() + find("Рейтинг — 4%»,") - start - 1;
    assert_eq!(
        second["span_start"].as_u64().unwrap() as usize,
        second_start
    );
    assert_eq!(second["statement"], "Рейтинг президента — 4%");

    // Bad spans name the field.
    let len = chars.len();
    for (body, field) in [
        (json!({"span_start": 5, "span_end": 5}), "span_end"),
        (json!({"span_start": 9, "span_end": 3}), "span_end"),
        (json!({"span_start": 0, "span_end": len + 1}), "span_end"),
        (json!({"span_start": -1, "span_end": 3}), "span_start"),
        (json!({"span_start": 3}), "span_end"),
        (json!({"quote": "не існує"}), "quote"),
        (
            json!({"quote": "Рейтинг — 4%", "occurrence": 3}),
            "occurrence",
        ),
        (json!({}), "quote"),
    ] {
        let problem = assert_problem(
            app.bearer(Method::POST, &path, &editor.token)
                .json(&body)
                .send()
                .await
                .unwrap(),
            422,
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }

    let a = app
        .ok(&editor, Method::GET, &format!("/articles/{id}"), None)
        .await;
    assert_eq!(a["claims"].as_array().unwrap().len(), 3);
    assert_eq!(a["body"], UKRAINIAN);
}

#[tokio::test]
async fn a_claim_goes_from_split_to_approved() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    app.sql(&format!(
        "UPDATE users SET time_zone = 'Europe/Kyiv' WHERE id = '{}'",
        reviewer.id
    ))
    .await;
    let a = article(
        &app,
        &editor,
        "Він сказав, що рейтинг президента — 4%. Це неправда.",
    )
    .await;
    let aid = a["id"].as_str().unwrap();
    let claim = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/claims"),
            Some(json!({"quote": "рейтинг президента — 4%", "claimant": "Він"})),
        )
        .await;
    let cid = claim["id"].as_str().unwrap().to_string();
    assert_eq!(claim["allowed_actions"], json!(["assign", "drop"]));

    // Assign: the reviewer gets an email with the claim, the article, the due time in
    // their time zone and the link.
    let assigned = app
        .call(&editor, Method::POST, &format!("/claims/{cid}/assignments"), Some(json!({"reviewer_id": reviewer.id, "due_at": "2099-03-01T10:00:00Z", "note": "Check KIIS polls"})))
        .await;
    assert_eq!(assigned.status(), 201);
    let assigned: Value = assigned.json().await.unwrap();
    assert_eq!(assigned["status"], "assigned");
    assert_eq!(
        assigned["assignments"][0]["reviewer_id"],
        reviewer.id.to_string()
    );
    let (kind, subject, text) = app.last_email(&reviewer.email).await.unwrap();
    assert_eq!(kind, "assignment");
    assert!(subject.contains("рейтинг президента"), "{subject}");
    assert!(
        text.contains(&format!("http://factdesk.test/claims/{cid}")),
        "{text}"
    );
    assert!(text.contains("12:00 EET"), "due time in Kyiv time: {text}");
    assert!(text.contains("Check KIIS polls") && text.contains("Заява"));
    assert_eq!(
        app.ok(&editor, Method::GET, &format!("/articles/{aid}"), None)
            .await["status"],
        "checking"
    );

    // The reviewer finds it in their queue.
    let queue = app
        .ok(&reviewer, Method::GET, "/claims?assignee=me", None)
        .await;
    assert_eq!(queue["items"][0]["id"], cid);
    assert_eq!(queue["items"][0]["allowed_actions"], json!(["start"]));

    // Submitting too early says what is missing.
    let early = app
        .call(
            &reviewer,
            Method::POST,
            &format!("/claims/{cid}/transitions"),
            Some(json!({"action": "start"})),
        )
        .await;
    assert_eq!(early.status(), 200);
    let missing = assert_problem(
        app.call(
            &reviewer,
            Method::POST,
            &format!("/claims/{cid}/transitions"),
            Some(json!({"action": "submit"})),
        )
        .await,
        422,
    )
    .await;
    let fields: Vec<&str> = missing["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["verdict.rating", "verdict.summary", "sources"]);

    // Evidence: a source that is not public does not count.
    let source = app
        .ok(
            &reviewer,
            Method::POST,
            &format!("/claims/{cid}/sources"),
            Some(json!({"url": "http://intranet/poll", "kind": "primary", "stance": "refutes"})),
        )
        .await;
    assert_problem(
        app.call(
            &reviewer,
            Method::POST,
            &format!("/claims/{cid}/sources"),
            Some(json!({"url": "ftp://x.org/a"})),
        )
        .await,
        422,
    )
    .await;
    app.ok(&reviewer, Method::PATCH, &format!("/claims/{cid}/sources/{}", source["id"].as_str().unwrap()),
        Some(json!({"url": "https://kiis.com.ua/?lang=eng&cat=reports&id=1476", "title": "KIIS poll", "version": 1}))).await;
    let v = app.ok(&reviewer, Method::PUT, &format!("/claims/{cid}/verdict"), Some(json!({"rating": "false", "summary": "Polls put his trust at 57%.", "explanation": "**KIIS** found 57%."}))).await;
    assert_eq!(v["draft_verdict"]["rating"], "false");
    assert_eq!(
        v["draft_verdict"]["explanation_html"],
        "<p><strong>KIIS</strong> found 57%.</p>\n"
    );
    // Lists stay light: the verdict without its explanation, with everything else.
    let queue = app
        .ok(&reviewer, Method::GET, "/claims?assignee=me", None)
        .await;
    let listed = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == cid.as_str())
        .unwrap();
    assert_eq!(listed["draft_verdict"]["rating"], "false");
    assert_eq!(
        listed["draft_verdict"]["summary"],
        "Polls put his trust at 57%."
    );
    assert!(
        listed["draft_verdict"].get("explanation").is_none()
            && listed["draft_verdict"].get("explanation_html").is_none()
    );
    assert_eq!(listed["article_title"], v["article_title"]);
    assert_eq!(listed["assignments"], v["assignments"]);
    assert_eq!(listed["allowed_actions"], v["allowed_actions"]);
    assert_problem(
        app.call(
            &reviewer,
            Method::PUT,
            &format!("/claims/{cid}/verdict"),
            Some(json!({"rating": "nonsense"})),
        )
        .await,
        422,
    )
    .await;
    assert_problem(
        app.call(
            &reviewer,
            Method::PUT,
            &format!("/claims/{cid}/verdict"),
            Some(json!({"summary": "x".repeat(281), "version": 1})),
        )
        .await,
        422,
    )
    .await;
    // Changing an existing draft needs its version.
    assert_problem(
        app.call(
            &reviewer,
            Method::PUT,
            &format!("/claims/{cid}/verdict"),
            Some(json!({"rating": "false", "summary": "s"})),
        )
        .await,
        428,
    )
    .await;

    let submitted = app
        .ok(
            &reviewer,
            Method::POST,
            &format!("/claims/{cid}/transitions"),
            Some(json!({"action": "submit"})),
        )
        .await;
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["verdict"]["state"], "submitted");
    assert_eq!(submitted["allowed_actions"], json!(["withdraw"]));
    // Locked while an editor reviews it.
    let locked = assert_problem(
        app.call(
            &reviewer,
            Method::POST,
            &format!("/claims/{cid}/sources"),
            Some(json!({"url": "https://example.org"})),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(locked["current_status"], "submitted");
    assert_eq!(locked["allowed_actions"], json!(["withdraw"]));
    // A reviewer cannot approve.
    assert_problem(
        app.call(
            &reviewer,
            Method::POST,
            &format!("/claims/{cid}/transitions"),
            Some(json!({"action": "approve"})),
        )
        .await,
        403,
    )
    .await;

    // Sent back, with a comment, and an email.
    let no_comment = assert_problem(
        app.call(
            &editor,
            Method::POST,
            &format!("/claims/{cid}/transitions"),
            Some(json!({"action": "request_changes"})),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(no_comment["errors"][0]["field"], "comment");
    let back = app
        .ok(
            &editor,
            Method::POST,
            &format!("/claims/{cid}/transitions"),
            Some(json!({"action": "request_changes", "comment": "Cite the <b>February</b> poll"})),
        )
        .await;
    assert_eq!(back["status"], "in_review");
    assert_eq!(back["draft_verdict"]["state"], "draft");
    let (kind, _, text) = app.last_email(&reviewer.email).await.unwrap();
    assert_eq!(kind, "changes_requested");
    assert!(text.contains("Cite the <b>February</b> poll"));

    // Fixed and resubmitted; approved.
    let version = back["draft_verdict"]["version"].as_i64().unwrap();
    app.ok(&reviewer, Method::PUT, &format!("/claims/{cid}/verdict"), Some(json!({"rating": "false", "summary": "The February KIIS poll put trust in him at 57%.", "explanation": "See KIIS.", "version": version}))).await;
    app.transition(&reviewer, &cid, "submit").await;
    let approved = app
        .ok(
            &editor,
            Method::POST,
            &format!("/claims/{cid}/transitions"),
            Some(json!({"action": "approve"})),
        )
        .await;
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["verdict"]["state"], "approved");
    assert_eq!(approved["verdict"]["approved_by"], editor.id.to_string());
    assert_eq!(
        approved["allowed_actions"],
        json!(["publish", "reopen", "drop"])
    );
    assert_eq!(
        app.ok(&editor, Method::GET, &format!("/articles/{aid}"), None)
            .await["status"],
        "ready"
    );
    let again = assert_problem(
        app.call(
            &editor,
            Method::POST,
            &format!("/claims/{cid}/transitions"),
            Some(json!({"action": "approve"})),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(again["current_status"], "approved");

    // The history tells the story in order.
    let history = app
        .ok(
            &reviewer,
            Method::GET,
            &format!("/claims/{cid}/history"),
            None,
        )
        .await;
    let story: Vec<String> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["entity"].as_str().unwrap(),
                e["action"].as_str().unwrap()
            )
        })
        .collect();
    for step in [
        "claim:create",
        "assignment:create",
        "claim:assign",
        "claim:start",
        "source:create",
        "source:update",
        "verdict:create",
        "claim:submit",
        "comment:create",
        "claim:request_changes",
        "verdict:update",
        "verdict:approve",
        "claim:approve",
    ] {
        assert!(
            story.contains(&step.to_string()),
            "{step} missing from {story:?}"
        );
    }
    let comments = app
        .ok(
            &reviewer,
            Method::GET,
            &format!("/claims/{cid}/comments"),
            None,
        )
        .await;
    assert_eq!(
        comments[0]["body"],
        "Changes requested: Cite the <b>February</b> poll"
    );
}

#[tokio::test]
async fn a_reviewer_sees_only_their_own_claims() {
    let app = spawn_app().await;
    let fx = Fixture::create(&app).await;
    let mine = app.user("reviewer").await;
    let theirs = app.user("reviewer").await;
    app.sql(&format!(
        "UPDATE assignments SET reviewer_id = '{}' WHERE reviewer_id = '{}'",
        mine.id, fx.reviewer
    ))
    .await;
    let claim = format!("/claims/{}", fx.open_claim);
    assert_eq!(
        app.call(&mine, Method::GET, &claim, None).await.status(),
        200
    );
    let hidden = assert_problem(app.call(&theirs, Method::GET, &claim, None).await, 404).await;
    let missing = assert_problem(
        app.call(
            &theirs,
            Method::GET,
            &format!("/claims/{}", uuid::Uuid::new_v4()),
            None,
        )
        .await,
        404,
    )
    .await;
    assert_eq!(hidden, missing, "no hint that the claim exists");
    for path in [
        format!("{claim}/history"),
        format!("{claim}/comments"),
        format!("/articles/{}", fx.article),
    ] {
        assert_problem(app.call(&theirs, Method::GET, &path, None).await, 404).await;
    }
    assert_problem(
        app.call(
            &theirs,
            Method::POST,
            &format!("{claim}/sources"),
            Some(json!({"url": "https://example.org"})),
        )
        .await,
        404,
    )
    .await;
    // Their queue is their own, whoever they ask about.
    let list = app
        .ok(
            &theirs,
            Method::GET,
            &format!("/claims?assignee={}", mine.id),
            None,
        )
        .await;
    assert!(list["items"].as_array().unwrap().is_empty());
    let list = app.ok(&mine, Method::GET, "/claims", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    // The article shows a reviewer only their own claims, not the draft one.
    let a = app
        .ok(
            &mine,
            Method::GET,
            &format!("/articles/{}", fx.article),
            None,
        )
        .await;
    assert_eq!(a["claims"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.ok(&theirs, Method::GET, "/articles", None).await["items"],
        json!([])
    );
}

#[tokio::test]
async fn queues_sort_by_due_time_then_priority_and_filter() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let a = article(
        &app,
        &editor,
        "Alpha beta gamma. Inflation hit 20 percent. Unemployment fell. Wages rose 5%.",
    )
    .await;
    let aid = a["id"].as_str().unwrap();
    let mut ids = Vec::new();
    for (quote, priority, due) in [
        ("Inflation hit 20 percent", "low", "2099-01-02T00:00:00Z"),
        ("Unemployment fell", "urgent", "2099-01-03T00:00:00Z"),
        ("Wages rose 5%", "high", "2099-01-02T00:00:00Z"),
        ("Alpha beta gamma", "normal", "2099-01-01T00:00:00Z"),
    ] {
        let c = app
            .ok(
                &editor,
                Method::POST,
                &format!("/articles/{aid}/claims"),
                Some(json!({"quote": quote, "priority": priority})),
            )
            .await;
        let id = c["id"].as_str().unwrap().to_string();
        app.ok(
            &editor,
            Method::POST,
            &format!("/claims/{id}/assignments"),
            Some(json!({"reviewer_id": reviewer.id, "due_at": due})),
        )
        .await;
        ids.push(id);
    }
    let order = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let queue = app
        .ok(&reviewer, Method::GET, "/claims?assignee=me", None)
        .await;
    assert_eq!(
        order(&queue),
        [
            ids[3].clone(),
            ids[2].clone(),
            ids[0].clone(),
            ids[1].clone()
        ]
    );

    // Keyset pages continue where the last ended.
    let page1 = app
        .ok(&reviewer, Method::GET, "/claims?assignee=me&limit=3", None)
        .await;
    let cursor = page1["next_cursor"].as_str().unwrap();
    let page2 = app
        .ok(
            &reviewer,
            Method::GET,
            &format!("/claims?assignee=me&limit=3&cursor={cursor}"),
            None,
        )
        .await;
    assert_eq!([order(&page1), order(&page2)].concat(), order(&queue));
    // The queue fetches more rows than a page of 3 holds; the page still ends at 3.
    assert_eq!(order(&page1).len(), 3);
    assert!(page2["next_cursor"].is_null());

    // Full-text search over statement and quote (with stemming).
    let found = app
        .ok(&editor, Method::GET, "/claims?q=inflation", None)
        .await;
    assert_eq!(order(&found), [ids[0].clone()]);
    let found = app.ok(&editor, Method::GET, "/claims?q=wage", None).await;
    assert_eq!(order(&found), [ids[2].clone()]);

    // Status and overdue.
    app.sql(&format!(
        "UPDATE assignments SET due_at = now() - interval '1 hour' WHERE claim_id = '{}'",
        ids[1]
    ))
    .await;
    let late = app
        .ok(&editor, Method::GET, "/claims?overdue=true", None)
        .await;
    assert_eq!(order(&late), [ids[1].clone()]);
    assert_eq!(late["items"][0]["overdue"], true);
    let late_mine = app
        .ok(
            &reviewer,
            Method::GET,
            "/claims?assignee=me&overdue=true",
            None,
        )
        .await;
    assert_eq!(order(&late_mine), [ids[1].clone()]);
    assert_eq!(
        app.ok(&editor, Method::GET, "/claims?status=assigned", None)
            .await["items"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert!(
        app.ok(
            &editor,
            Method::GET,
            "/claims?status=in_review,submitted",
            None
        )
        .await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let bad = assert_problem(
        app.call(&editor, Method::GET, "/claims?status=lost", None)
            .await,
        422,
    )
    .await;
    assert_eq!(bad["errors"][0]["field"], "status");
    assert_problem(
        app.call(&editor, Method::GET, "/claims?assignee=someone", None)
            .await,
        422,
    )
    .await;

    // By rating of the current verdict.
    app.ok(
        &reviewer,
        Method::PUT,
        &format!("/claims/{}/verdict", ids[0]),
        Some(json!({"rating": "mostly_false", "summary": "s"})),
    )
    .await;
    assert_eq!(
        order(
            &app.ok(&editor, Method::GET, "/claims?rating=mostly_false", None)
                .await
        ),
        [ids[0].clone()]
    );
    // The reviewer's first verdict edit started the claim.
    assert_eq!(
        app.ok(&editor, Method::GET, &format!("/claims/{}", ids[0]), None)
            .await["status"],
        "in_review"
    );
    // The queue's status filter follows the claim's status (the assignment's copy of it).
    let in_review = app
        .ok(
            &reviewer,
            Method::GET,
            "/claims?assignee=me&status=in_review",
            None,
        )
        .await;
    assert_eq!(order(&in_review), [ids[0].clone()]);
    assert_eq!(in_review["items"][0]["status"], "in_review");
    let assigned = app
        .ok(
            &reviewer,
            Method::GET,
            "/claims?assignee=me&status=assigned,in_review",
            None,
        )
        .await;
    let everything = app
        .ok(&reviewer, Method::GET, "/claims?assignee=me", None)
        .await;
    assert_eq!(order(&assigned), order(&everything));
    let still_assigned = app
        .ok(
            &reviewer,
            Method::GET,
            "/claims?assignee=me&status=assigned",
            None,
        )
        .await;
    assert!(!order(&still_assigned).contains(&ids[0]));
    assert_eq!(order(&still_assigned).len(), order(&everything).len() - 1);
}

#[tokio::test]
async fn unassigning_the_last_reviewer_makes_a_draft_and_only_drafts_can_be_deleted() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let fx = Fixture::create(&app).await;
    let open = fx.open_claim;
    let inactive = app.user_without_session("reviewer").await;
    app.sql(&format!(
        "UPDATE users SET active = false WHERE id = '{}'",
        inactive.id
    ))
    .await;
    let bad = assert_problem(
        app.call(
            &editor,
            Method::POST,
            &format!("/claims/{open}/assignments"),
            Some(json!({"reviewer_id": inactive.id, "due_at": "2099-01-01T00:00:00Z"})),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(bad["errors"][0]["field"], "reviewer_id");
    let bad = assert_problem(
        app.call(
            &editor,
            Method::POST,
            &format!("/claims/{open}/assignments"),
            Some(json!({"reviewer_id": fx.reviewer, "due_at": "2001-01-01T00:00:00Z"})),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(bad["errors"][0]["field"], "due_at");
    // Reassigning the same reviewer moves the due time (200, no new row).
    let moved = app
        .call(
            &editor,
            Method::POST,
            &format!("/claims/{open}/assignments"),
            Some(json!({"reviewer_id": fx.reviewer, "due_at": "2099-05-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(moved.status(), 200);

    let c = app
        .ok(
            &editor,
            Method::DELETE,
            &format!("/claims/{open}/assignments/{}", fx.reviewer),
            None,
        )
        .await;
    assert_eq!(c["status"], "draft");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM sources WHERE claim_id = '{open}'"
        ))
        .await,
        1,
        "sources stay"
    );
    assert_problem(
        app.call(
            &editor,
            Method::DELETE,
            &format!("/claims/{open}/assignments/{}", fx.reviewer),
            None,
        )
        .await,
        404,
    )
    .await;

    let not_draft = assert_problem(
        app.call(
            &editor,
            Method::DELETE,
            &format!("/claims/{}", fx.submitted_claim),
            None,
        )
        .await,
        409,
    )
    .await;
    assert_eq!(not_draft["current_status"], "submitted");
    assert!(
        not_draft["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("approve"))
    );
    assert_eq!(
        app.call(&editor, Method::DELETE, &format!("/claims/{open}"), None)
            .await
            .status(),
        204
    );
    assert_eq!(app.count(&format!("SELECT count(*) AS n FROM audit_events WHERE entity_id = '{open}' AND action = 'delete'")).await, 1);
}

#[tokio::test]
async fn drop_and_restore_and_never_drop_what_was_published() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let fx = Fixture::create(&app).await;
    let path = format!("/claims/{}/transitions", fx.open_claim);
    let dropped = app
        .ok(
            &editor,
            Method::POST,
            &path,
            Some(json!({"action": "drop", "comment": "Not check-worthy"})),
        )
        .await;
    assert_eq!(dropped["status"], "dropped");
    assert_eq!(dropped["allowed_actions"], json!(["restore"]));
    let restored = app
        .ok(
            &editor,
            Method::POST,
            &path,
            Some(json!({"action": "restore"})),
        )
        .await;
    assert_eq!(restored["status"], "assigned");

    app.sql(&format!(
        "UPDATE claims SET status = 'published', ever_published = true WHERE id = '{}'",
        fx.submitted_claim
    ))
    .await;
    let path = format!("/claims/{}/transitions", fx.submitted_claim);
    let reopened = app
        .ok(
            &editor,
            Method::POST,
            &path,
            Some(json!({"action": "reopen", "comment": "A reader found a newer poll"})),
        )
        .await;
    assert_eq!(reopened["status"], "in_review");
    let refused = assert_problem(
        app.call(
            &editor,
            Method::POST,
            &path,
            Some(json!({"action": "drop", "comment": "x"})),
        )
        .await,
        409,
    )
    .await;
    assert!(
        !refused["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("drop"))
    );
    let via_transitions = assert_problem(
        app.call(
            &editor,
            Method::POST,
            &path,
            Some(json!({"action": "publish"})),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(via_transitions["errors"][0]["field"], "action");
}

#[tokio::test]
async fn editing_the_body_reanchors_claims_or_flags_them() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let a = article(
        &app,
        &editor,
        "Зеленський має 4% рейтингу. Україна почала війну.",
    )
    .await;
    let aid = a["id"].as_str().unwrap();
    let rating = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/claims"),
            Some(json!({"quote": "4% рейтингу"})),
        )
        .await;
    let war = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/claims"),
            Some(json!({"quote": "Україна почала війну"})),
        )
        .await;

    let patch = |body: Value, version: i64| {
        app.bearer(
            Method::PATCH,
            &format!("/api/v1/articles/{aid}"),
            &editor.token,
        )
        .header("If-Match", format!("\"{version}\""))
        .json(&body)
        .send()
    };
    let edited = patch(
        json!({"body": "Оновлено 🇺🇦. Зеленський має 4% рейтингу. Росія почала війну."}),
        1,
    )
    .await
    .unwrap();
    assert_eq!(edited.status(), 200);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["body_revision"], 2);
    let claims = edited["claims"].as_array().unwrap();
    let moved = claims.iter().find(|c| c["id"] == rating["id"]).unwrap();
    assert_eq!(
        moved["span_start"].as_i64().unwrap(),
        rating["span_start"].as_i64().unwrap() + 13
    );
    assert_eq!(moved["anchor_lost"], false);
    assert_eq!(moved["anchored_revision"], 2);
    let lost = claims.iter().find(|c| c["id"] == war["id"]).unwrap();
    assert_eq!(lost["anchor_lost"], true);
    // The answer is the whole article as GET shows it, the editor's publish plan too.
    let drafts = edited["publish_plan"]["left_out"].as_array().unwrap();
    assert_eq!(drafts.len(), claims.len(), "{edited}");
    assert!(
        drafts
            .iter()
            .all(|b| b["reason"].as_str().unwrap().contains("draft"))
    );

    // A stale edit is refused with the current row.
    let stale = assert_problem(patch(json!({"title": "Late"}), 1).await.unwrap(), 412).await;
    assert_eq!(stale["current"]["version"], 2);
    assert_eq!(stale["current"]["body_revision"], 2);
    // ... and says who changed it, so the web app can tell the editor.
    assert_eq!(stale["changed_by"]["action"], "update");
    assert_eq!(stale["changed_by"]["actor_name"], "Test editor");
    assert_problem(
        app.bearer(
            Method::PATCH,
            &format!("/api/v1/articles/{aid}"),
            &editor.token,
        )
        .json(&json!({"title": "No version"}))
        .send()
        .await
        .unwrap(),
        428,
    )
    .await;
    let history = app
        .ok(
            &editor,
            Method::GET,
            &format!("/claims/{}/history", war["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "anchor_lost")
    );
}

#[tokio::test]
async fn two_concurrent_updates_of_one_version_give_one_200_and_one_412() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let a = article(&app, &editor, "Some text to edit.").await;
    let aid = a["id"].as_str().unwrap().to_string();
    let send = |title: &'static str| {
        app.bearer(
            Method::PATCH,
            &format!("/api/v1/articles/{aid}"),
            &editor.token,
        )
        .header("If-Match", "\"1\"")
        .json(&json!({"title": title}))
        .send()
    };
    let (x, y) = tokio::join!(send("First"), send("Second"));
    let mut statuses = [x.unwrap().status().as_u16(), y.unwrap().status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 412]);
}

#[tokio::test]
async fn a_hundred_concurrent_transitions_leave_a_valid_state_and_one_event_each() {
    let app = spawn_app().await;
    let fx = Fixture::create(&app).await;
    let reviewer_token = {
        // Sign the fixture's reviewer in.
        let email: String = {
            use diesel::{ExpressionMethods, QueryDsl};
            use diesel_async::RunQueryDsl;
            let mut conn = app.pool.get().await.unwrap();
            factdesk::db::schema::users::table
                .filter(factdesk::db::schema::users::id.eq(fx.reviewer))
                .select(factdesk::db::schema::users::email)
                .first(&mut conn)
                .await
                .unwrap()
        };
        app.login_ok(&email, crate::helpers::PASSWORD).await
    };
    let path = format!("/api/v1/claims/{}/transitions", fx.submitted_claim);
    let tasks = (0..100).map(|i| {
        let request = app
            .bearer(Method::POST, &path, &reviewer_token)
            .json(&json!({"action": if i % 2 == 0 { "withdraw" } else { "submit" }}));
        tokio::spawn(async move { request.send().await.unwrap().status().as_u16() })
    });
    let statuses: Vec<u16> = futures_util::future::join_all(tasks)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    let ok = statuses.iter().filter(|s| **s == 200).count() as i64;
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    assert!(ok >= 1);
    let events = app
        .count(&format!("SELECT count(*) AS n FROM audit_events WHERE entity = 'claim' AND entity_id = '{}' AND action IN ('submit', 'withdraw')", fx.submitted_claim))
        .await;
    assert_eq!(events, ok, "one audit event per successful transition");
    // Withdrawals and submissions alternate from `submitted`: the parity fixes the end state.
    let status = app.count(&format!("SELECT CASE status WHEN 'submitted' THEN 0 WHEN 'in_review' THEN 1 ELSE 9 END::bigint AS n FROM claims WHERE id = '{}'", fx.submitted_claim)).await;
    assert_eq!(status, ok % 2);
    let drafts = app.count(&format!("SELECT count(*) AS n FROM verdicts WHERE claim_id = '{}' AND state IN ('draft', 'submitted')", fx.submitted_claim)).await;
    assert_eq!(drafts, 1);
}

#[tokio::test]
async fn the_rating_scale_is_editable_but_ratings_in_use_stay() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    Fixture::create(&app).await; // a verdict rated `false`
    let response = app.call(&admin, Method::GET, "/rating-scale", None).await;
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let mut scale: Vec<Value> = response.json().await.unwrap();
    assert_eq!(scale.len(), 8);
    assert_eq!(scale[0]["key"], "true");

    let without_false: Vec<Value> = scale
        .iter()
        .filter(|r| r["key"] != "false")
        .cloned()
        .collect();
    let refused = assert_problem(
        app.call(
            &admin,
            Method::PUT,
            "/rating-scale",
            Some(json!(without_false)),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(refused["in_use"], json!(["false"]));

    scale.retain(|r| r["key"] != "unproven");
    scale.push(json!({"key": "satire", "label": "Satire", "ordinal": 90, "claim_review_value": null, "color": "#0969da", "description": "A joke."}));
    let replaced = app
        .bearer(Method::PUT, "/api/v1/rating-scale", &admin.token)
        .header("If-Match", &etag)
        .json(&scale)
        .send()
        .await
        .unwrap();
    assert_eq!(replaced.status(), 200);
    let after: Vec<Value> = replaced.json().await.unwrap();
    assert!(
        after.iter().any(|r| r["key"] == "satire") && !after.iter().any(|r| r["key"] == "unproven")
    );
    // The old ETag is stale now.
    assert_problem(
        app.bearer(Method::PUT, "/api/v1/rating-scale", &admin.token)
            .header("If-Match", &etag)
            .json(&scale)
            .send()
            .await
            .unwrap(),
        412,
    )
    .await;
    let bad = assert_problem(app.call(&admin, Method::PUT, "/rating-scale", Some(json!([{"key": "Bad Key", "label": "", "ordinal": 1, "claim_review_value": 9, "color": "red"}]))).await, 422).await;
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "[0].key",
            "[0].label",
            "[0].claim_review_value",
            "[0].color"
        ]
    );
}

#[tokio::test]
async fn stats_count_the_desk() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let fx = Fixture::create(&app).await;
    app.sql(&format!(
        "UPDATE assignments SET due_at = now() - interval '1 day' WHERE claim_id = '{}'",
        fx.open_claim
    ))
    .await;
    app.ok(
        &editor,
        Method::POST,
        &format!("/claims/{}/transitions", fx.submitted_claim),
        Some(json!({"action": "approve"})),
    )
    .await;
    let stats = app.ok(&editor, Method::GET, "/stats", None).await;
    assert_eq!(stats["claims_by_status"]["approved"], 1);
    assert_eq!(stats["claims_by_status"]["in_review"], 1);
    assert_eq!(stats["claims_by_status"]["draft"], 1);
    assert_eq!(stats["claims_by_status"]["published"], 0);
    let rating_false = stats["verdicts_by_rating"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rating"] == "false")
        .unwrap();
    assert_eq!(rating_false["count"], 1);
    assert_eq!(rating_false["label"], "False");
    let load = stats["reviewers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reviewer_id"] == fx.reviewer.to_string())
        .unwrap();
    assert_eq!(
        (load["open"].as_i64(), load["overdue"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(stats["overdue_claims"], 1);
    assert!(stats["median_hours_to_approval"].as_f64().unwrap() >= 0.0);
}

#[tokio::test]
async fn an_editor_edits_and_reanchors_a_claim_until_it_is_approved() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let body = "Вступ. Зеленський має 4% рейтингу, сказав він. Кінець.";
    let a = article(&app, &editor, body).await;
    let aid = a["id"].as_str().unwrap();
    let claim = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/claims"),
            Some(json!({"quote": "4% рейтингу"})),
        )
        .await;
    let cid = claim["id"].as_str().unwrap().to_string();
    let patch = |body: Value, version: i64| {
        app.bearer(
            Method::PATCH,
            &format!("/api/v1/claims/{cid}"),
            &editor.token,
        )
        .header("If-Match", format!("\"{version}\""))
        .json(&body)
        .send()
    };
    let version = claim["version"].as_i64().unwrap();
    let start = body.chars().position(|c| c == 'З').unwrap() as i64;
    let end = start + "Зеленський має 4% рейтингу".chars().count() as i64;

    // Half a span, or one past the text, is refused by field and changes nothing.
    let half = assert_problem(
        patch(json!({"span_start": start}), version).await.unwrap(),
        422,
    )
    .await;
    assert_eq!(half["errors"][0]["field"], "span_end");
    let past = assert_problem(
        patch(json!({"span_start": start, "span_end": 999}), version)
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(past["errors"][0]["field"], "span_end");

    let edited = patch(
        json!({"statement": "Zelensky's approval is 4%", "claimant": "A speaker", "priority": "high",
               "span_start": start, "span_end": end}),
        version,
    )
    .await
    .unwrap();
    assert_eq!(edited.status(), 200);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["quote"], "Зеленський має 4% рейтингу");
    assert_eq!(
        (edited["span_start"].as_i64(), edited["span_end"].as_i64()),
        (Some(start), Some(end))
    );
    assert_eq!(edited["statement"], "Zelensky's approval is 4%");
    assert_eq!(edited["priority"], "high");
    assert_eq!(edited["anchor_lost"], false);
    // The history has the edit with the old and the new quote.
    let history = app
        .ok(
            &editor,
            Method::GET,
            &format!("/claims/{cid}/history"),
            None,
        )
        .await;
    let update = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "update")
        .expect("an update event");
    assert!(update.to_string().contains("4% рейтингу"), "{update}");
    assert!(
        update.to_string().contains("Зеленський має 4% рейтингу"),
        "{update}"
    );
    // A stale version is a 412.
    assert_problem(
        patch(json!({"priority": "low"}), version).await.unwrap(),
        412,
    )
    .await;

    // Approved: what it says and where it sits change only after a reopen.
    app.ok(
        &editor,
        Method::POST,
        &format!("/claims/{cid}/assignments"),
        Some(json!({"reviewer_id": reviewer.id, "due_at": "2099-01-01T00:00:00Z"})),
    )
    .await;
    app.ok(
        &reviewer,
        Method::POST,
        &format!("/claims/{cid}/sources"),
        Some(json!({"url": "https://kiis.com.ua/poll", "title": "KIIS"})),
    )
    .await;
    app.ok(
        &reviewer,
        Method::PUT,
        &format!("/claims/{cid}/verdict"),
        Some(json!({"rating": "false", "summary": "Polls say 57%."})),
    )
    .await;
    app.transition(&reviewer, &cid, "submit").await;
    let approved = app.transition(&editor, &cid, "approve").await;
    let v = approved["version"].as_i64().unwrap();
    assert_problem(
        patch(json!({"span_start": start, "span_end": end - 9}), v)
            .await
            .unwrap(),
        409,
    )
    .await;
    // The priority still may change.
    let p = patch(json!({"priority": "urgent"}), v).await.unwrap();
    assert_eq!(p.status(), 200);
}

async fn bulk(app: &TestApp, who: &TestUser, body: Value) -> reqwest::Response {
    app.call(who, Method::POST, "/claims/bulk", Some(body))
        .await
}

#[tokio::test]
async fn bulk_actions_do_each_claim_or_say_why_not() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let a = article(&app, &editor, "Перше. Друге. Третє.").await;
    let aid = a["id"].as_str().unwrap();
    let mut ids = Vec::new();
    for quote in ["Перше.", "Друге.", "Третє."] {
        let c = app
            .ok(
                &editor,
                Method::POST,
                &format!("/articles/{aid}/claims"),
                Some(json!({"quote": quote})),
            )
            .await;
        ids.push(c["id"].as_str().unwrap().to_string());
    }
    let ghost = uuid::Uuid::new_v4().to_string();

    // A bad request does nothing at all.
    let bad = assert_problem(
        bulk(
            &app,
            &editor,
            json!({"action": "assign", "claim_ids": [ids[0]]}),
        )
        .await,
        422,
    )
    .await;
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["reviewer_id", "due_at"]);
    let twice = assert_problem(
        bulk(
            &app,
            &editor,
            json!({"action": "priority", "priority": "high", "claim_ids": [ids[0], ids[0]]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(twice["errors"][0]["field"], "claim_ids");
    // Each action takes its own fields only: a due time means nothing to a drop.
    let stray = assert_problem(
        bulk(
            &app,
            &editor,
            json!({"action": "drop", "comment": "Duplicate", "due_at": "2099-01-01T00:00:00Z", "claim_ids": [ids[0]]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(stray["errors"][0]["field"], "due_at", "{stray}");
    assert_problem(
        bulk(
            &app,
            &reviewer,
            json!({"action": "priority", "priority": "high", "claim_ids": [ids[0]]}),
        )
        .await,
        403,
    )
    .await;

    // Two claims assigned, one unknown: reported claim by claim.
    let before = app.count("SELECT count(*) AS n FROM email_outbox").await;
    let answer = bulk(
        &app,
        &editor,
        json!({"action": "assign", "claim_ids": [ids[0], ghost, ids[1]], "reviewer_id": reviewer.id,
               "due_at": "2099-01-01T00:00:00Z", "note": "Both from the intro"}),
    )
    .await;
    assert_eq!(answer.status(), 200);
    let answer: Value = answer.json().await.unwrap();
    assert_eq!(
        (answer["succeeded"].as_i64(), answer["failed"].as_i64()),
        (Some(2), Some(1)),
        "{answer}"
    );
    assert_eq!(answer["results"][0]["claim"]["status"], "assigned");
    assert_eq!(answer["results"][1]["claim_id"], ghost.as_str());
    assert_eq!(answer["results"][1]["problem"]["status"], 404);
    assert_eq!(
        answer["results"][2]["claim"]["assignments"][0]["note"],
        "Both from the intro"
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM email_outbox").await,
        before + 2
    );
    for id in &ids[..2] {
        assert_eq!(
            app.count(&format!(
                "SELECT count(*) AS n FROM audit_events WHERE claim_id = '{id}' AND entity = 'assignment' AND action = 'create'"
            ))
            .await,
            1
        );
    }

    let answer: Value = bulk(
        &app,
        &editor,
        json!({"action": "priority", "priority": "urgent", "claim_ids": ids}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(answer["succeeded"], 3);
    assert!(
        answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["claim"]["priority"] == "urgent")
    );

    // Dropping needs a reason; a claim dropped already is refused, the others dropped.
    let no_reason = assert_problem(
        bulk(
            &app,
            &editor,
            json!({"action": "drop", "claim_ids": [ids[2]]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(no_reason["errors"][0]["field"], "comment");
    app.ok(
        &editor,
        Method::POST,
        &format!("/claims/{}/transitions", ids[2]),
        Some(json!({"action": "drop", "comment": "Not a claim"})),
    )
    .await;
    let answer: Value = bulk(
        &app,
        &editor,
        json!({"action": "drop", "comment": "Duplicates", "claim_ids": [ids[2], ids[0]]}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(answer["results"][0]["problem"]["status"], 409, "{answer}");
    assert_eq!(answer["results"][1]["claim"]["status"], "dropped");
    let second = app
        .ok(&editor, Method::GET, &format!("/claims/{}", ids[1]), None)
        .await;
    assert_eq!(second["status"], "assigned", "not asked, not changed");
}

#[tokio::test]
async fn an_article_pasted_twice_is_named_when_the_app_asks() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let first = app
        .ok(&editor, Method::POST, "/articles",
            Some(json!({"title": "Interview", "body": "Same text.", "url": "https://news.example.org/a", "outlet": "Outlet"})))
        .await;
    let ask = |body: Value| app.call(&editor, Method::POST, "/articles", Some(body));
    // The same address, or the same title and text: a 409 naming the existing one.
    for body in [
        json!({"title": "Other title", "body": "Other text.", "url": "https://news.example.org/a", "check_duplicates": true}),
        json!({"title": "Interview", "body": "Same text.", "check_duplicates": true}),
    ] {
        let dup = assert_problem(ask(body).await, 409).await;
        assert_eq!(dup["duplicate_of"]["id"], first["id"]);
        assert_eq!(dup["duplicate_of"]["outlet"], "Outlet");
    }
    // The same title with other text is another article; and the editor may insist.
    assert_eq!(
        ask(json!({"title": "Interview", "body": "Other text.", "check_duplicates": true}))
            .await
            .status(),
        201
    );
    assert_eq!(
        ask(json!({"title": "Interview", "body": "Same text.", "check_duplicates": false}))
            .await
            .status(),
        201
    );
}

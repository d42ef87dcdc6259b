//! Verdicts a desk can defend: numeric claims checked against the real figure, and
//! the right-of-reply log, from the claim to the public page and the exports.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, XSS, assert_problem, spawn_app};
use crate::publishing::{jsonld, publish};

/// An article with one claim from `quote`, assigned to `reviewer`, who added a source:
/// (article id, claim id, source id).
async fn claim_in_review(
    app: &TestApp,
    editor: &TestUser,
    reviewer: &TestUser,
    quote: &str,
) -> (String, String, String) {
    let article = app
        .ok(
            editor,
            Method::POST,
            "/articles",
            Some(json!({"title": "Interview", "body": format!("Intro. {quote} Outro.")})),
        )
        .await;
    let aid = article["id"].as_str().unwrap().to_string();
    let claim = app
        .ok(
            editor,
            Method::POST,
            &format!("/articles/{aid}/claims"),
            Some(json!({"quote": quote, "claimant": "Mr Smith"})),
        )
        .await;
    let cid = claim["id"].as_str().unwrap().to_string();
    app.ok(
        editor,
        Method::POST,
        &format!("/claims/{cid}/assignments"),
        Some(json!({"reviewer_id": reviewer.id, "due_at": "2099-01-01T00:00:00Z"})),
    )
    .await;
    let source = app
        .ok(reviewer, Method::POST, &format!("/claims/{cid}/sources"), Some(json!({"url": "https://kiis.com.ua/?lang=eng&cat=reports&id=1476", "title": "Trust in Zelensky", "publisher": "KIIS poll"})))
        .await;
    let sid = source["id"].as_str().unwrap().to_string();
    (aid, cid, sid)
}

async fn with_version(
    app: &TestApp,
    user: &TestUser,
    method: Method,
    path: &str,
    version: &Value,
    body: Option<Value>,
) -> reqwest::Response {
    let mut r = app
        .bearer(method, &format!("/api/v1{path}"), &user.token)
        .header("If-Match", format!("\"{version}\""));
    if let Some(b) = body {
        r = r.json(&b);
    }
    r.send().await.unwrap()
}

async fn submit(app: &TestApp, reviewer: &TestUser, cid: &str) {
    app.ok(reviewer, Method::PUT, &format!("/claims/{cid}/verdict"), Some(json!({"rating": "false", "summary": "Polls say otherwise", "explanation": "KIIS measured 57%."}))).await;
    app.transition(reviewer, cid, "submit").await;
}

#[tokio::test]
async fn a_numeric_claim_is_proposed_checked_and_published_side_by_side() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let (aid, cid, sid) = claim_in_review(
        &app,
        &editor,
        &reviewer,
        "Zelensky has a 4% approval rating.",
    )
    .await;

    // The figure was proposed from the words.
    let claim = app
        .ok(&editor, Method::GET, &format!("/claims/{cid}"), None)
        .await;
    let claimed = &claim["figure"]["claimed"];
    assert_eq!(
        (
            claimed["value"].as_str(),
            claimed["unit"].as_str(),
            claimed["as_stated"].as_str()
        ),
        (Some("4"), Some("percent"), Some("4%"))
    );
    assert!(claim["figure"]["checked"].is_null());

    // The editor says what it measures; bad figures are refused field by field.
    let bad = with_version(&app, &editor, Method::PATCH, &format!("/claims/{cid}"), &claim["version"],
        Some(json!({"figure": {"claimed": {"value": "4,5", "value_max": "3", "unit": "", "as_stated": "4%"}}}))).await;
    let problem = assert_problem(bad, 422).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["figure.claimed.value"], "{problem}");
    let edited = with_version(&app, &editor, Method::PATCH, &format!("/claims/{cid}"), &claim["version"],
        Some(json!({"figure": {"claimed": {"value": "4", "unit": "percent", "measure": "approval rating of Volodymyr Zelensky", "place": "Ukraine", "period": "February 2025", "as_stated": "4%"}}}))).await;
    assert_eq!(edited.status(), 200);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(
        edited["figure"]["claimed"]["measure"],
        "approval rating of Volodymyr Zelensky"
    );

    // A reviewer may not change the claim, only record the checked figure.
    let patch = app
        .call(
            &reviewer,
            Method::PATCH,
            &format!("/claims/{cid}"),
            Some(json!({"figure": null})),
        )
        .await;
    assert_problem(patch, 403).await;
    let other_source = {
        let (_, other, osid) = claim_in_review(&app, &editor, &reviewer, "Prices rose 12%.").await;
        assert_ne!(other, cid);
        osid
    };
    let foreign = with_version(
        &app,
        &reviewer,
        Method::PUT,
        &format!("/claims/{cid}/figure/checked"),
        &edited["version"],
        Some(json!({"value": "57", "source_id": other_source})),
    )
    .await;
    let problem = assert_problem(foreign, 422).await;
    assert_eq!(problem["errors"][0]["field"], "source_id", "{problem}");
    let checked = with_version(
        &app,
        &reviewer,
        Method::PUT,
        &format!("/claims/{cid}/figure/checked"),
        &edited["version"],
        Some(json!({"value": "57", "period": "February 2025", "source_id": sid})),
    )
    .await;
    assert_eq!(checked.status(), 200);
    let checked: Value = checked.json().await.unwrap();
    let figure = &checked["figure"];
    assert_eq!(figure["checked_display"], "57%");
    assert_eq!(figure["comparison"]["difference"], "53");
    assert_eq!(figure["comparison"]["ratio"], "14.25");
    // Without If-Match the change is refused, not applied blindly.
    let blind = app
        .call(
            &reviewer,
            Method::PUT,
            &format!("/claims/{cid}/figure/checked"),
            Some(json!({"value": "58"})),
        )
        .await;
    assert_problem(blind, 428).await;
    let history = app
        .ok(
            &editor,
            Method::GET,
            &format!("/claims/{cid}/history"),
            None,
        )
        .await;
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["entity"] == "figure" && e["after"]["checked"]["value"] == "57"),
        "{history}"
    );

    submit(&app, &reviewer, &cid).await;
    app.transition(&editor, &cid, "approve").await;
    // Approved: the figures are locked with the verdict.
    let claim = app
        .ok(&editor, Method::GET, &format!("/claims/{cid}"), None)
        .await;
    let locked = with_version(
        &app,
        &reviewer,
        Method::PUT,
        &format!("/claims/{cid}/figure/checked"),
        &claim["version"],
        Some(json!({"value": "58"})),
    )
    .await;
    assert_problem(locked, 409).await;

    let slug = publish(&app, &editor, &aid).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let page = app.get(&format!("/p/{slug}")).await.text().await.unwrap();
    assert!(page.contains("Claimed: <strong>4%</strong>"), "{page}");
    assert!(
        page.contains("Actual: <strong>57%</strong> (KIIS poll, February 2025)"),
        "{page}"
    );
    // The ClaimReview JSON-LD is still what crawlers read.
    let blocks = jsonld(&page);
    assert_eq!(blocks[0]["@type"], "ClaimReview");
    let public: Value = app
        .get(&format!("/api/v1/public/articles/{slug}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        public["claims"][0]["figure"]["line"],
        "Claimed: 4% · Actual: 57% (KIIS poll, February 2025)"
    );
    assert_eq!(
        public["claims"][0]["figure"]["comparison"]["ratio"],
        "14.25"
    );

    // Both figures and how far apart they are, in every export.
    let csv = app
        .bearer(
            Method::GET,
            &format!("/api/v1/reports/verdicts?format=csv&article_id={aid}"),
            &editor.token,
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(
        (cell("claimed_figure"), cell("checked_figure")),
        ("4%".into(), "57%".into())
    );
    assert_eq!(
        (cell("figure_difference"), cell("figure_ratio")),
        ("53".into(), "14.25".into())
    );
    let json: Value = app
        .bearer(
            Method::GET,
            &format!("/api/v1/reports/verdicts?format=json&article_id={aid}"),
            &editor.token,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json[0]["figure"]["checked"]["value"], "57");
    assert_eq!(json[0]["figure"]["comparison"]["difference"], "53");
}

#[tokio::test]
async fn the_right_of_reply_is_logged_required_and_published_as_the_editor_chooses() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let stranger = app.user("reviewer").await;
    let settings = app.ok(&admin, Method::GET, "/settings", None).await;
    app.ok(
        &admin,
        Method::PUT,
        "/settings",
        Some(json!({
        "newsroom_name": settings["newsroom_name"], "public_url": null, "logo_url": null,
        "methodology": "", "corrections_policy_url": null, "default_time_zone": "Europe/Kyiv",
        "require_reply_attempt": true, "version": settings["version"]})),
    )
    .await;
    let (aid, cid, _) = claim_in_review(&app, &editor, &reviewer, "Ukraine started the war.").await;
    submit(&app, &reviewer, &cid).await;

    // No attempt logged: approval is refused, naming the claim.
    let refused = app
        .call(
            &editor,
            Method::POST,
            &format!("/claims/{cid}/transitions"),
            Some(json!({"action": "approve"})),
        )
        .await;
    let problem = assert_problem(refused, 409).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("“Ukraine started the war.” cannot be approved yet"),
        "{problem}"
    );

    // Bad attempts are refused whole, every mistake named, nothing written.
    let bad = app.call(&reviewer, Method::POST, &format!("/claims/{cid}/replies"), Some(json!({
        "contacted_at": "2099-01-01T00:00:00Z", "channel": "email", "asked": " ", "replied_at": "2099-01-02T00:00:00Z"}))).await;
    let problem = assert_problem(bad, 422).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["asked", "contacted_at", "reply"], "{problem}");
    let wrong_channel = app
        .call(
            &reviewer,
            Method::POST,
            &format!("/claims/{cid}/replies"),
            Some(json!({
        "contacted_at": "2026-12-01T09:00:00Z", "channel": "pigeon", "asked": "Why?"})),
        )
        .await;
    assert_problem(wrong_channel, 422).await;
    assert_eq!(
        app.count("SELECT count(*) AS n FROM claim_replies").await,
        0
    );
    // Someone the claim is hidden from may not log or read attempts.
    let hidden = app
        .call(
            &stranger,
            Method::POST,
            &format!("/claims/{cid}/replies"),
            Some(json!({
        "contacted_at": "2026-12-01T09:00:00Z", "channel": "email", "asked": "Why?"})),
        )
        .await;
    assert_problem(hidden, 404).await;
    assert_problem(
        app.call(
            &stranger,
            Method::GET,
            &format!("/claims/{cid}/replies"),
            None,
        )
        .await,
        404,
    )
    .await;

    let logged = app.call(&reviewer, Method::POST, &format!("/claims/{cid}/replies"), Some(json!({
        "contacted_at": "2026-12-01T09:00:00Z", "channel": "email", "contact": "the press office",
        "asked": "Where does the claim come from?", "no_reply_by": "2026-12-02T18:00:00Z", "publish": true}))).await;
    assert_eq!(logged.status(), 201);
    let logged: Value = logged.json().await.unwrap();
    assert_eq!(logged["contacted_by"], json!(reviewer.id));
    assert_eq!(
        logged["public_line"],
        "We asked the press office for comment on 1 December 2026 and had not received a reply by 2 December 2026."
    );
    let rid = logged["id"].as_str().unwrap();
    // An unpublished call stays in the log only.
    app.ok(&editor, Method::POST, &format!("/claims/{cid}/replies"), Some(json!({
        "contacted_at": "2026-12-01T10:00:00Z", "channel": "phone", "asked": "Off the record call", "publish": false}))).await;

    // The reply came; a stale version is refused.
    let stale = app
        .call(
            &editor,
            Method::PATCH,
            &format!("/claims/{cid}/replies/{rid}"),
            Some(json!({"reply": "x", "replied_at": "2026-12-02T12:00:00Z", "version": 0})),
        )
        .await;
    assert_problem(stale, 412).await;
    let answered = app.ok(&editor, Method::PATCH, &format!("/claims/{cid}/replies/{rid}"), Some(json!({
        "reply": format!("We stand by it. {XSS}"), "replied_at": "2026-12-02T12:00:00Z", "version": logged["version"]}))).await;
    assert!(
        answered["public_line"]
            .as_str()
            .unwrap()
            .contains("they replied on 2 December 2026: “We stand by it."),
        "{answered}"
    );

    app.transition(&editor, &cid, "approve").await;
    let slug = publish(&app, &editor, &aid).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let page = app.get(&format!("/p/{slug}")).await.text().await.unwrap();
    assert!(page.contains("We asked the press office for comment on 1 December 2026; they replied on 2 December 2026: “We stand by it."), "{page}");
    assert!(
        !page.contains("<script>alert(1)") && !page.contains("Off the record"),
        "{page}"
    );
    let public: Value = app
        .get(&format!("/api/v1/public/articles/{slug}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["claims"][0]["replies"].as_array().unwrap().len(), 1);

    // Audited and exported.
    let history = app
        .ok(
            &editor,
            Method::GET,
            &format!("/claims/{cid}/history"),
            None,
        )
        .await;
    let reply_events = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity"] == "reply")
        .count();
    assert_eq!(reply_events, 3, "{history}");
    let csv = app
        .bearer(
            Method::GET,
            &format!("/api/v1/reports/verdicts?format=csv&article_id={aid}"),
            &editor.token,
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("2026-12-01 email by") && csv.contains("replied 2026-12-02"),
        "{csv}"
    );
    assert!(
        csv.contains("phone by") && csv.contains("no reply yet"),
        "{csv}"
    );
}

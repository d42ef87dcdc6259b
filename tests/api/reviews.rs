//! Independent reviews: each reviewer's proposal is hidden from the others, on every
//! route and in every event, email and notification, until all are in; the editor
//! approves one; agreement statistics over a fixed data set match values computed by
//! hand.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, assert_problem, spawn_app};

const A_SAYS: &str = "Alpha-only wording 7731";
const A_EXPLAINS: &str = "Alpha explanation 7731";

/// Everything reviewer `who` can read about the claim, as one text.
async fn what_they_read(app: &TestApp, who: &TestUser, cid: &str, aid: &str) -> String {
    let mut text = String::new();
    for path in [
        format!("/claims/{cid}"),
        format!("/claims/{cid}/history"),
        format!("/claims/{cid}/reviews"),
        format!("/claims/{cid}/similar"),
        format!("/claims/{cid}/comments"),
        "/claims?assignee=me".to_string(),
        format!("/articles/{aid}"),
        "/notifications".to_string(),
        format!("/claims/similar?text={}", A_SAYS.replace(' ', "%20")),
    ] {
        let r = app.call(who, Method::GET, &path, None).await;
        assert!(r.status().is_success(), "{path}: {}", r.status());
        text.push_str(&r.text().await.unwrap());
    }
    text
}

#[tokio::test]
async fn proposals_stay_hidden_until_all_are_in_and_the_editor_approves_one() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let editor = app.user("editor").await;
    let alpha = app.user("reviewer").await;
    let beta = app.user("reviewer").await;
    let settings = app.ok(&admin, Method::GET, "/settings", None).await;
    app.ok(&admin, Method::PUT, "/settings", Some(json!({
        "newsroom_name": settings["newsroom_name"], "public_url": null, "logo_url": null, "methodology": "",
        "corrections_policy_url": null, "default_time_zone": "UTC",
        "independent_review_for_high_priority": true, "version": settings["version"]}))).await;
    let article = app
        .ok(
            &editor,
            Method::POST,
            "/articles",
            Some(json!({"title": "Speech", "body": "Intro. Ukraine started the war. Outro."})),
        )
        .await;
    let aid = article["id"].as_str().unwrap().to_string();
    let claim = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/claims"),
            Some(json!({"quote": "Ukraine started the war.", "priority": "urgent"})),
        )
        .await;
    assert_eq!(
        claim["independent_review"], true,
        "the newsroom's default for urgent claims"
    );
    let cid = claim["id"].as_str().unwrap().to_string();
    let normal = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/claims"),
            Some(json!({"quote": "Outro."})),
        )
        .await;
    assert_eq!(normal["independent_review"], false);
    for r in [&alpha, &beta] {
        app.ok(
            &editor,
            Method::POST,
            &format!("/claims/{cid}/assignments"),
            Some(json!({"reviewer_id": r.id, "due_at": "2099-01-01T00:00:00Z"})),
        )
        .await;
    }
    app.ok(
        &alpha,
        Method::POST,
        &format!("/claims/{cid}/sources"),
        Some(json!({"url": "https://www.un.org/en/ga/es-11/1"})),
    )
    .await;

    // The shared verdict is not how this claim is checked.
    let shared = app
        .call(
            &alpha,
            Method::PUT,
            &format!("/claims/{cid}/verdict"),
            Some(json!({"rating": "false", "summary": "No"})),
        )
        .await;
    assert_problem(shared, 409).await;
    // Only the claim's reviewers propose.
    assert_problem(
        app.call(
            &editor,
            Method::PUT,
            &format!("/claims/{cid}/reviews/me"),
            Some(json!({"rating": "false"})),
        )
        .await,
        403,
    )
    .await;

    let mine = app
        .ok(
            &alpha,
            Method::PUT,
            &format!("/claims/{cid}/reviews/me"),
            Some(json!({"rating": "false", "summary": A_SAYS, "explanation": A_EXPLAINS})),
        )
        .await;
    assert_eq!(mine["state"], "draft");
    let edited = app.ok(&alpha, Method::PUT, &format!("/claims/{cid}/reviews/me"), Some(json!({"rating": "false", "summary": A_SAYS, "explanation": A_EXPLAINS, "version": mine["version"]}))).await;
    let claim = app
        .ok(
            &alpha,
            Method::POST,
            &format!("/claims/{cid}/reviews/me/submit"),
            None,
        )
        .await;
    assert_eq!(
        claim["status"], "in_review",
        "one of two proposals in: the claim waits"
    );
    assert_eq!(claim["reviews_submitted"], 1);
    // A submitted proposal is changed only after withdrawing it.
    assert_problem(
        app.call(
            &alpha,
            Method::PUT,
            &format!("/claims/{cid}/reviews/me"),
            Some(json!({"rating": "true", "version": edited["version"]})),
        )
        .await,
        409,
    )
    .await;

    // Beta reads nothing of Alpha's proposal anywhere.
    let seen = what_they_read(&app, &beta, &cid, &aid).await;
    assert!(
        !seen.contains(A_SAYS) && !seen.contains(A_EXPLAINS),
        "{seen}"
    );
    let list = app
        .ok(&beta, Method::GET, &format!("/claims/{cid}/reviews"), None)
        .await;
    assert_eq!(
        (
            list["required"].as_u64(),
            list["submitted"].as_u64(),
            list["revealed"].as_bool()
        ),
        (Some(2), Some(1), Some(false))
    );
    assert_eq!(list["reviews"].as_array().unwrap().len(), 0);
    // Nor does any event, email, notification or webhook delivery carry it.
    for sql in [
        format!(
            "SELECT count(*) AS n FROM live_events WHERE coalesce(detail::text, '') LIKE '%{A_SAYS}%'"
        ),
        format!(
            "SELECT count(*) AS n FROM email_outbox WHERE text_body LIKE '%{A_SAYS}%' OR html_body LIKE '%{A_SAYS}%' OR subject LIKE '%{A_SAYS}%'"
        ),
        format!("SELECT count(*) AS n FROM notifications WHERE subject LIKE '%{A_SAYS}%'"),
        format!(
            "SELECT count(*) AS n FROM webhook_deliveries WHERE payload::text LIKE '%{A_SAYS}%'"
        ),
    ] {
        assert_eq!(app.count(&sql).await, 0, "{sql}");
    }
    // Editors see every proposal at any time.
    let all = app
        .ok(
            &editor,
            Method::GET,
            &format!("/claims/{cid}/reviews"),
            None,
        )
        .await;
    assert_eq!(all["reviews"][0]["summary"], A_SAYS);

    // Beta's proposal needs a rating and a summary; then the claim is submitted.
    let empty = app
        .call(
            &beta,
            Method::POST,
            &format!("/claims/{cid}/reviews/me/submit"),
            None,
        )
        .await;
    let problem = assert_problem(empty, 422).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["rating", "summary"], "{problem}");
    app.ok(
        &beta,
        Method::PUT,
        &format!("/claims/{cid}/reviews/me"),
        Some(json!({"rating": "mostly_false", "summary": "Beta thinks mostly false"})),
    )
    .await;
    let claim = app
        .ok(
            &beta,
            Method::POST,
            &format!("/claims/{cid}/reviews/me/submit"),
            None,
        )
        .await;
    assert_eq!(claim["status"], "submitted");
    let open = app
        .ok(&beta, Method::GET, &format!("/claims/{cid}/reviews"), None)
        .await;
    assert_eq!(open["revealed"], true);
    assert!(open.to_string().contains(A_SAYS));
    let history = app
        .ok(&beta, Method::GET, &format!("/claims/{cid}/history"), None)
        .await;
    assert!(
        history.to_string().contains(A_SAYS),
        "revealed in the history too"
    );

    // The editor sends Alpha's back; the claim waits for Alpha again, Beta's stands.
    let back = app.ok(&editor, Method::POST, &format!("/claims/{cid}/transitions"), Some(json!({"action": "request_changes", "comment": "Cite the resolution.", "reviewer_ids": [alpha.id]}))).await;
    assert_eq!(back["status"], "in_review");
    let again = app.ok(&alpha, Method::PUT, &format!("/claims/{cid}/reviews/me"), Some(json!({"rating": "false", "summary": "Alpha, revised", "explanation": "UN GA ES-11/1."}))).await;
    assert_eq!(again["state"], "draft");
    assert_ne!(
        again["id"], mine["id"],
        "a new proposal; the returned one is kept"
    );
    app.ok(
        &alpha,
        Method::POST,
        &format!("/claims/{cid}/reviews/me/submit"),
        None,
    )
    .await;

    // Approving needs the proposal chosen; its rating becomes the verdict, credited to its reviewer.
    let unnamed = app
        .call(
            &editor,
            Method::POST,
            &format!("/claims/{cid}/transitions"),
            Some(json!({"action": "approve"})),
        )
        .await;
    assert_eq!(
        assert_problem(unnamed, 422).await["errors"][0]["field"],
        "review_id"
    );
    let all = app
        .ok(
            &editor,
            Method::GET,
            &format!("/claims/{cid}/reviews"),
            None,
        )
        .await;
    let states: Vec<(&str, &str)> = all["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["summary"].as_str().unwrap(), r["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        [
            (A_SAYS, "returned"),
            ("Beta thinks mostly false", "submitted"),
            ("Alpha, revised", "submitted")
        ]
    );
    let betas = all["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reviewer_id"] == json!(beta.id))
        .unwrap()["id"]
        .clone();
    let approved = app
        .ok(
            &editor,
            Method::POST,
            &format!("/claims/{cid}/transitions"),
            Some(json!({"action": "approve", "review_id": betas})),
        )
        .await;
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["verdict"]["rating"], "mostly_false");
    assert_eq!(approved["verdict"]["author_id"], json!(beta.id));
    let after: Vec<String> = app
        .ok(
            &editor,
            Method::GET,
            &format!("/claims/{cid}/reviews"),
            None,
        )
        .await["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(after, ["returned", "chosen", "passed"]);
    let history = app
        .ok(
            &editor,
            Method::GET,
            &format!("/claims/{cid}/history"),
            None,
        )
        .await;
    let review_actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity"] == "review")
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        review_actions,
        [
            "create", "update", "submit", "create", "submit", "return", "create", "submit",
            "choose", "pass"
        ]
    );

    // The disagreement shows in the statistics: one doubly reviewed claim, no agreement
    // (first proposals: false against mostly false).
    let stats = app.ok(&editor, Method::GET, "/stats/agreement", None).await;
    assert_eq!(stats["desk"]["claims"], 1);
    assert_eq!(stats["desk"]["percent_agreement"], 0.0);
    assert_eq!(stats["pairs"][0]["claims"], 1);
    assert_problem(
        app.call(&alpha, Method::GET, "/stats/agreement", None)
            .await,
        403,
    )
    .await;
}

#[tokio::test]
async fn agreement_statistics_match_values_computed_by_hand() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let r1 = app.user("reviewer").await;
    let r2 = app.user("reviewer").await;
    let r3 = app.user("reviewer").await;
    let article = app
        .ok(
            &editor,
            Method::POST,
            "/articles",
            Some(json!({"title": "Set", "body": "c1. c2. c3. c4. c5. c6. c7."})),
        )
        .await;
    let aid = article["id"].as_str().unwrap();
    // (claim, [(reviewer, rating)]): c7 has one rating only, so it is not doubly reviewed.
    let data: [(&str, Vec<(&TestUser, &str)>); 7] = [
        ("c1.", vec![(&r1, "true"), (&r2, "true")]),
        ("c2.", vec![(&r1, "false"), (&r2, "false")]),
        ("c3.", vec![(&r1, "false"), (&r2, "mostly_false")]),
        ("c4.", vec![(&r1, "misleading"), (&r2, "misleading")]),
        ("c5.", vec![(&r1, "true"), (&r3, "false")]),
        (
            "c6.",
            vec![(&r1, "half_true"), (&r2, "half_true"), (&r3, "half_true")],
        ),
        ("c7.", vec![(&r1, "true")]),
    ];
    for (quote, ratings) in &data {
        let claim = app
            .ok(
                &editor,
                Method::POST,
                &format!("/articles/{aid}/claims"),
                Some(json!({"quote": quote, "independent_review": true})),
            )
            .await;
        let cid = claim["id"].as_str().unwrap();
        for (who, rating) in ratings {
            app.sql(&format!(
                "INSERT INTO reviews (claim_id, reviewer_id, rating, summary, state, submitted_at) VALUES ('{cid}', '{}', '{rating}', 'x', 'submitted', now())",
                who.id
            ))
            .await;
        }
    }
    let stats = app.ok(&editor, Method::GET, "/stats/agreement", None).await;
    let desk = &stats["desk"];
    assert_eq!(desk["claims"], 6);
    // Pairs: c1–c4 one each, c5 one, c6 three; agreeing: c1, c2, c4 and c6's three: 6 of 8.
    assert_eq!(desk["percent_agreement"], 0.75);
    // Ordinal over the 1–5 values (true 5, half true 3, mostly false 2, false 1;
    // "misleading" is off the scale): units [5,5] [1,1] [1,2] [5,1] [3,3,3].
    let close = |v: &Value, want: f64| {
        assert!(
            (v.as_f64().unwrap() - want).abs() < 0.0005,
            "{v} is not {want}"
        )
    };
    close(&desk["krippendorff_alpha"], 0.4374);
    close(&desk["krippendorff_alpha_nominal"], 0.6308);
    // R1 and R2 rated c1, c2, c3, c4, c6: 4 of 5 the same; chance agreement 0.2 from
    // their label frequencies, so kappa (0.8 - 0.2) / (1 - 0.2) = 0.75.
    let (a, b) = if r1.id < r2.id {
        (r1.id, r2.id)
    } else {
        (r2.id, r1.id)
    };
    let pair = stats["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["reviewer_ids"] == json!([a, b]))
        .unwrap();
    assert_eq!(pair["claims"], 5);
    close(&pair["percent_agreement"], 0.8);
    close(&pair["cohen_kappa"], 0.75);
    assert_eq!(stats["pairs"].as_array().unwrap().len(), 3);

    // A window that ends before the ratings came in holds none.
    let none = app
        .ok(&editor, Method::GET, "/stats/agreement?to=2000-01-01", None)
        .await;
    assert_eq!(none["desk"]["claims"], 0);
    let bad = app
        .call(
            &editor,
            Method::GET,
            "/stats/agreement?from=yesterday",
            None,
        )
        .await;
    assert_eq!(assert_problem(bad, 422).await["errors"][0]["field"], "from");
}

//! "Similar earlier claims": the desk remembers what it checked.

use reqwest::Method;
use serde_json::{Value, json};

use crate::fixtures::Fixture;
use crate::helpers::spawn_app;

#[tokio::test]
async fn similar_earlier_claims_show_with_their_verdicts_and_respect_visibility() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let fx = Fixture::create(&app).await;
    app.sql(&format!(
        "UPDATE verdicts SET state = 'approved', approved_by = '{}', approved_at = '2025-02-20T10:00:00Z' WHERE claim_id = '{}'",
        editor.id, fx.submitted_claim
    )).await;
    app.sql(&format!(
        "UPDATE claims SET status = 'approved' WHERE id = '{}'",
        fx.submitted_claim
    ))
    .await;

    let article = app
        .ok(
            &editor,
            Method::POST,
            "/articles",
            Some(json!({"title": "Poll", "body": "A new poll: 4% of voters agree with him."})),
        )
        .await;
    let aid = article["id"].as_str().unwrap();
    let created = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/claims"),
            Some(json!({"quote": "4% of voters agree with him"})),
        )
        .await;
    let new_id = created["id"].as_str().unwrap().to_string();
    let similar = created["similar"].as_array().unwrap();
    assert_eq!(similar[0]["id"], fx.submitted_claim.to_string());
    assert_eq!(similar[0]["rating_label"], "False");
    assert_eq!(similar[0]["checked_at"], "2025-02-20T10:00:00Z");
    assert!(similar[0]["similarity"].as_f64().unwrap() > 0.5);
    assert!(
        similar.iter().all(|s| s["id"] != new_id.as_str()),
        "never the claim itself"
    );
    assert!(
        !similar.iter().any(|s| s["statement"] == "Officials"),
        "unrelated claims stay out"
    );

    let by_id = app
        .ok(
            &editor,
            Method::GET,
            &format!("/claims/{new_id}/similar"),
            None,
        )
        .await;
    assert_eq!(by_id[0]["id"], fx.submitted_claim.to_string());
    let by_text = app
        .ok(
            &editor,
            Method::GET,
            "/claims?similar_to=4%25%20of%20voters%20agree",
            None,
        )
        .await;
    assert_eq!(by_text["items"][0]["id"], fx.submitted_claim.to_string());
    // The new-claim form's search by text is the claim page's search: for the claim's
    // own statement, the same claims in the same order, and the claim itself.
    let statement = created["statement"].as_str().unwrap();
    let like_text = app
        .ok(
            &editor,
            Method::GET,
            &format!(
                "/claims/similar?text={}",
                url::form_urlencoded::byte_serialize(statement.as_bytes()).collect::<String>()
            ),
            None,
        )
        .await;
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .filter(|id| *id != new_id)
            .collect()
    };
    assert_eq!(ids(&like_text), ids(&by_id), "{like_text}");
    let same = like_text
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == by_id[0]["id"])
        .unwrap();
    assert_eq!(same["rating_label"], by_id[0]["rating_label"]);

    // A reviewer sees only claims already published, and their own.
    app.ok(
        &editor,
        Method::POST,
        &format!("/claims/{new_id}/assignments"),
        Some(json!({"reviewer_id": reviewer.id, "due_at": "2099-01-01T00:00:00Z"})),
    )
    .await;
    let hidden = app
        .ok(
            &reviewer,
            Method::GET,
            &format!("/claims/{new_id}/similar"),
            None,
        )
        .await;
    assert!(
        hidden
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["id"] != fx.submitted_claim.to_string())
    );
    app.sql(&format!(
        "UPDATE claims SET status = 'published', ever_published = true WHERE id = '{}'",
        fx.submitted_claim
    ))
    .await;
    let shown = app
        .ok(
            &reviewer,
            Method::GET,
            &format!("/claims/{new_id}/similar"),
            None,
        )
        .await;
    assert_eq!(shown[0]["id"], fx.submitted_claim.to_string());
    let other = app.user("reviewer").await;
    crate::helpers::assert_problem(
        app.call(
            &other,
            Method::GET,
            &format!("/claims/{new_id}/similar"),
            None,
        )
        .await,
        404,
    )
    .await;
}

/// The bench generator writes claims' statement sketches itself; they must be the
/// server's, or similar-claim search over generated data would miss.
#[test]
fn the_generator_sketches_statements_as_the_server_does() {
    let texts = [
        "Unemployment in Poland rose 4.2% in 2019",
        "Зеленський має 4% рейтингу довіри серед українців",
        "Ukraine was the one who started Russia's war",
        "GDP_growth and the 2025 budget: what they said",
        "no",
    ];
    let script = format!(
        "import json, sys; sys.path.insert(0, 'bench'); from generate import statement_sketch, search_sketch; \
         t = {}; print(json.dumps([[statement_sketch(x) for x in t], [search_sketch(x) for x in t]]))",
        serde_json::to_string(&texts).unwrap()
    );
    let out = std::process::Command::new("python3")
        .args(["-c", &script])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let python: [Vec<Vec<i64>>; 2] = serde_json::from_slice(&out.stdout).unwrap();
    let stored: Vec<Vec<i64>> = texts
        .iter()
        .map(|t| factdesk::db::sketch::statement_sketch(t))
        .collect();
    let searched: Vec<Vec<i64>> = texts
        .iter()
        .map(|t| factdesk::db::sketch::search_sketch(t))
        .collect();
    assert_eq!(python, [stored, searched]);
}

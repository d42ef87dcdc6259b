//! Publishing verdict summaries: the rules, the public page as readers and crawlers
//! see it, corrections, takedowns, readers' reports and exports.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, assert_problem, spawn_app};

use crate::helpers::XSS;

pub async fn publish(app: &TestApp, editor: &TestUser, aid: &str) -> Value {
    app.ok(editor, Method::POST, &format!("/articles/{aid}/publish"), Some(json!({"headline": format!("Fact check: the speech {XSS}"), "summary": format!("Two claims checked {XSS}")}))).await
}

/// An article with one approved claim, published: (article id, claim id, slug).
pub async fn published_claim(
    app: &TestApp,
    editor: &TestUser,
    reviewer: &TestUser,
) -> (String, String, String) {
    let (aid, cid) = app
        .approved_claim(
            editor,
            reviewer,
            "Zelensky has a 4% approval rating.",
            "false",
        )
        .await;
    let slug = publish(app, editor, &aid).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    (aid, cid, slug)
}

pub fn jsonld(html: &str) -> Vec<Value> {
    let python = std::env::var("FACTDESK_TEST_PYTHON").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/pyenv/bin/python").to_string()
    });
    let mut child = std::process::Command::new(&python)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/jsonld.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{python} with extruct is needed (scripts/test creates it): {e}")
        });
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(html.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn publishing_needs_one_approved_claim_with_a_public_source_and_leaves_the_rest_out() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let (aid, cid) = app
        .approved_claim(
            &editor,
            &reviewer,
            "Zelensky has a 4% approval rating.",
            "false",
        )
        .await;
    let other = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/claims"),
            Some(json!({"quote": "Intro.", "statement": "Still being checked"})),
        )
        .await;
    let oid = other["id"].as_str().unwrap();

    // The approved verdict's only source is not public: nothing may go out yet, and
    // the refusal names every claim that waits, with its reason.
    app.sql(&format!(
        "UPDATE sources SET url = 'http://intranet/poll' WHERE claim_id = '{cid}'"
    ))
    .await;
    let plan = app
        .ok(&editor, Method::GET, &format!("/articles/{aid}"), None)
        .await["publish_plan"]
        .clone();
    assert_eq!(plan["refusal"], "nothing_approved", "{plan}");
    assert_eq!(plan["left_out"].as_array().unwrap().len(), 2, "{plan}");
    let blocked = assert_problem(
        app.call(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/publish"),
            Some(json!({"headline": "H", "summary": "S"})),
        )
        .await,
        422,
    )
    .await;
    let errors = blocked["errors"].as_array().unwrap();
    assert_eq!(errors[0]["field"], "claims");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("no claim is approved")
    );
    let reason = |id: &str| {
        errors
            .iter()
            .find(|e| e["field"] == format!("claims[{id}]"))
            .map(|e| e["message"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert!(reason(&cid).contains("public http(s)"), "{blocked}");
    assert!(reason(oid).contains("it is a draft"), "{blocked}");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM publications").await,
        0,
        "nothing half-written"
    );
    app.sql(&format!(
        "UPDATE sources SET url = 'https://kiis.com.ua/poll' WHERE claim_id = '{cid}'"
    ))
    .await;

    // One approved claim with a public source is enough; the draft waits.
    let plan = app
        .ok(&editor, Method::GET, &format!("/articles/{aid}"), None)
        .await["publish_plan"]
        .clone();
    assert_eq!(plan["to_publish"], json!([cid]));
    assert_eq!(plan["left_out"][0]["claim_id"], oid);
    assert_eq!(plan["refusal"], Value::Null);
    let publication = publish(&app, &editor, &aid).await;
    assert_eq!(publication["revision"], 1);
    let slug = publication["slug"].as_str().unwrap();
    assert!(slug.starts_with("fact-check-the-speech"), "{slug}");
    assert_eq!(publication["url"], format!("http://factdesk.test/p/{slug}"));
    let claim = app
        .ok(&editor, Method::GET, &format!("/claims/{cid}"), None)
        .await;
    assert_eq!(claim["status"], "published");
    assert_eq!(claim["ever_published"], true);
    let public = app.get(&format!("/api/v1/public/articles/{slug}")).await;
    let public: Value = public.json().await.unwrap();
    assert_eq!(public["claims"].as_array().unwrap().len(), 1, "{public}");
    assert!(!public.to_string().contains("Still being checked"));
    let waiting = app
        .ok(&editor, Method::GET, &format!("/claims/{oid}"), None)
        .await;
    assert_eq!(waiting["status"], "draft", "left as it was");
    let article_path = format!("/articles/{aid}");
    assert_eq!(
        app.ok(&editor, Method::GET, &article_path, None).await["status"],
        "checking"
    );
    app.ok(
        &editor,
        Method::POST,
        &format!("/claims/{oid}/transitions"),
        Some(json!({"action": "drop", "comment": "Not a claim"})),
    )
    .await;
    assert_eq!(
        app.ok(&editor, Method::GET, &article_path, None).await["status"],
        "published"
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM publication_verdicts")
            .await,
        1
    );
    // Nothing newly approved and the same text: nothing to republish.
    let same = assert_problem(
        app.call(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/publish"),
            Some(json!({"headline": publication["headline"], "summary": publication["summary"]})),
        )
        .await,
        422,
    )
    .await;
    assert!(
        same["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("headline and summary")
    );
    // A new headline or summary is a new revision of the same verdicts.
    let retitled = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/publish"),
            Some(json!({"headline": "Fact check: what the speech got wrong", "summary": "One claim checked."})),
        )
        .await;
    assert_eq!(retitled["revision"], 2);
    assert_eq!(retitled["slug"], publication["slug"], "the address stays");
    let page = app.get(&format!("/p/{slug}")).await.text().await.unwrap();
    assert!(page.contains("Fact check: what the speech got wrong"));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM publication_verdicts")
            .await,
        2,
        "the same verdict, recorded for the new revision"
    );
    // Reviewers may not publish.
    assert_problem(
        app.call(
            &reviewer,
            Method::POST,
            &format!("/articles/{aid}/publish"),
            Some(json!({"headline": "H", "summary": "S"})),
        )
        .await,
        403,
    )
    .await;
}

#[tokio::test]
async fn the_public_page_escapes_everything_and_carries_claim_review() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let settings = app.ok(&admin, Method::GET, "/settings", None).await;
    app.ok(&admin, Method::PUT, "/settings", Some(json!({
        "newsroom_name": format!("Desk {XSS}"), "public_url": "https://desk.example.org", "logo_url": null,
        "methodology": format!("We check **everything**. {XSS}"), "corrections_policy_url": "https://desk.example.org/corrections",
        "default_time_zone": "Europe/Kyiv", "version": settings["version"]}))).await;
    let (aid, cid) = app
        .approved_claim(
            &editor,
            &reviewer,
            "Zelensky has a 4% approval rating.",
            "false",
        )
        .await;
    let publication = publish(&app, &editor, &aid).await;
    let slug = publication["slug"].as_str().unwrap().to_string();

    let response = app.get(&format!("/p/{slug}")).await;
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'self'"));
    let html = response.text().await.unwrap();
    assert!(!html.contains("<script>alert"), "raw script in the page");
    assert!(!html.contains("<img src=x"), "raw img in the page");
    assert!(!html.contains("javascript:alert"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;"),
        "user text shown, escaped"
    );
    // No inline script or style: only JSON-LD data blocks.
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script type=\"application/ld+json\">")
            .count()
    );
    assert!(!html.contains(" style="), "no inline styles");
    // Link previews in chat and social apps read Open Graph and Twitter card tags.
    for tag in [
        "property=\"og:title\"",
        "property=\"og:description\"",
        "property=\"og:url\"",
        "name=\"twitter:card\"",
    ] {
        assert!(html.contains(tag), "{tag}");
    }
    assert!(
        html.contains(
            "<meta property=\"og:title\" content=\"Fact check: the speech &lt;script&gt;"
        ),
        "the headline in the preview, escaped"
    );
    assert!(html.contains("rel=\"icon\""), "a favicon");
    // Times are the newsroom's (Europe/Kyiv here), with the zone named.
    assert!(
        html.contains(" EET by ") || html.contains(" EEST by "),
        "the publication time in Kyiv time"
    );
    assert!(html.contains("<strong>KIIS</strong>"), "Markdown rendered");
    assert!(html.contains("href=\"/methodology\""));
    assert!(html.contains(&format!(
        "action=\"/api/v1/public/articles/{slug}/error-reports\""
    )));
    assert!(html.contains("https:&#x2f;&#x2f;web.archive.org&#x2f;web&#x2f;2025&#x2f;https:&#x2f;&#x2f;kiis.com.ua&#x2f;"), "archive link");
    assert!(html.contains("class=\"rating rating-false\">False</span>"));
    let css = app.get("/p/assets/ratings.css").await.text().await.unwrap();
    assert!(css.contains(".rating-false { background: #cf222e; }"));

    // As a crawler reads it.
    let blocks = jsonld(&html);
    assert_eq!(blocks.len(), 1);
    let review = &blocks[0];
    assert_eq!(review["@type"], "ClaimReview");
    assert_eq!(
        review["url"],
        format!("http://factdesk.test/p/{slug}#claim-{cid}")
    );
    assert_eq!(
        review["claimReviewed"],
        format!("Zelensky has a 4% approval rating. {XSS}")
    );
    assert!(review["datePublished"].as_str().unwrap().len() == 10);
    assert_eq!(review["author"]["name"], format!("Desk {XSS}"));
    assert_eq!(review["author"]["url"], "https://desk.example.org");
    assert_eq!(review["itemReviewed"]["@type"], "Claim");
    assert_eq!(
        review["itemReviewed"]["author"]["name"],
        format!("Claimant {XSS}")
    );
    assert_eq!(review["itemReviewed"]["datePublished"], "2025-02-18");
    assert_eq!(
        review["itemReviewed"]["appearance"]["url"],
        "https://news.example.org/speech?a=1&b=2"
    );
    let rating = &review["reviewRating"];
    assert_eq!(rating["alternateName"], "False");
    assert_eq!(rating["ratingValue"], 1);
    let (best, worst, value) = (
        rating["bestRating"].as_i64().unwrap(),
        rating["worstRating"].as_i64().unwrap(),
        rating["ratingValue"].as_i64().unwrap(),
    );
    assert!(worst <= value && value <= best && (best, worst) == (5, 1));
    assert_eq!(
        review["citation"][0]["url"],
        "https://kiis.com.ua/?lang=eng&cat=reports&id=1476"
    );
    // The visible verdict is the markup's.
    assert!(html.contains(&format!(
        ">{}</span>",
        rating["alternateName"].as_str().unwrap()
    )));

    // The same as JSON.
    let public: Value = app
        .get(&format!("/api/v1/public/articles/{slug}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["claims"][0]["rating_label"], "False");
    assert_eq!(
        public["claim_reviews"][0]["claimReviewed"],
        review["claimReviewed"]
    );

    // The methodology page, sanitised.
    let methodology = app.get("/methodology").await.text().await.unwrap();
    assert!(methodology.contains("<strong>everything</strong>"));
    assert!(!methodology.contains("<script>alert") && !methodology.contains("<img src=x"));
    // Readers see the scale the verdicts use, with what each rating means.
    assert!(
        methodology.contains("class=\"rating rating-false\">False</span>"),
        "{methodology}"
    );
}

#[tokio::test]
async fn off_scale_ratings_carry_no_rating_value() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let (aid, _) = app
        .approved_claim(
            &editor,
            &reviewer,
            "Ukraine was the one who started Russia's war.",
            "misleading",
        )
        .await;
    let slug = publish(&app, &editor, &aid).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let blocks = jsonld(&app.get(&format!("/p/{slug}")).await.text().await.unwrap());
    let rating = &blocks[0]["reviewRating"];
    assert_eq!(rating["alternateName"], "Misleading");
    for absent in ["ratingValue", "bestRating", "worstRating"] {
        assert!(
            rating.get(absent).is_none(),
            "{absent} on an off-scale rating"
        );
    }
}

#[tokio::test]
async fn corrections_show_at_once_and_new_verdicts_only_after_republishing() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let (aid, cid) = app
        .approved_claim(
            &editor,
            &reviewer,
            "Zelensky has a 4% approval rating.",
            "false",
        )
        .await;
    let slug = publish(&app, &editor, &aid).await["slug"]
        .as_str()
        .unwrap()
        .to_string();

    let correction = app
        .call(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/corrections"),
            Some(json!({"note": format!("We misnamed the pollster {XSS}"), "claim_ids": [cid]})),
        )
        .await;
    assert_eq!(correction.status(), 201);
    let page = app.get(&format!("/p/{slug}")).await.text().await.unwrap();
    assert!(page.contains("Updated"));
    assert!(page.contains("We misnamed the pollster &lt;script&gt;"));
    let review = &jsonld(&page)[0];
    assert_eq!(
        review["correction"][0]["text"],
        format!("We misnamed the pollster {XSS}")
    );
    assert!(review["dateModified"].is_string());
    // Reopened, but the public verdict stays until re-approved and republished.
    let claim = app
        .ok(&editor, Method::GET, &format!("/claims/{cid}"), None)
        .await;
    assert_eq!(claim["status"], "in_review");
    assert_eq!(review["reviewRating"]["alternateName"], "False");
    let draft_version = claim["draft_verdict"]["version"].as_i64().unwrap();
    app.ok(&reviewer, Method::PUT, &format!("/claims/{cid}/verdict"), Some(json!({"rating": "mostly_false", "summary": "Closer to 5% in one poll.", "explanation": "See KIIS.", "version": draft_version}))).await;
    app.transition(&reviewer, &cid, "submit").await;
    app.transition(&editor, &cid, "approve").await;
    let still = jsonld(&app.get(&format!("/p/{slug}")).await.text().await.unwrap());
    assert_eq!(
        still[0]["reviewRating"]["alternateName"], "False",
        "nothing public changes before republishing"
    );

    let republished = publish(&app, &editor, &aid).await;
    assert_eq!(republished["revision"], 2);
    assert_eq!(republished["slug"], slug.as_str(), "the URL stays");
    let now = jsonld(&app.get(&format!("/p/{slug}")).await.text().await.unwrap());
    assert_eq!(now[0]["reviewRating"]["alternateName"], "Mostly false");
    // A published claim can change only through a correction; the log is append-only.
    let err = app.count("SELECT count(*) AS n FROM corrections").await;
    assert_eq!(err, 1);
    let mut conn = app.pool.get().await.unwrap();
    use diesel_async::RunQueryDsl;
    assert!(
        diesel::sql_query("UPDATE corrections SET note = 'rewritten'")
            .execute(&mut conn)
            .await
            .is_err()
    );
    assert!(
        diesel::sql_query("DELETE FROM corrections")
            .execute(&mut conn)
            .await
            .is_err()
    );
    // Only published claims of the article can be corrected.
    let bad = assert_problem(
        app.call(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/corrections"),
            Some(json!({"note": "x", "claim_ids": [uuid::Uuid::new_v4()]})),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(bad["errors"][0]["field"], "claim_ids[0]");
}

#[tokio::test]
async fn a_takedown_answers_410_and_publishing_again_restores_the_page() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let (aid, _) = app
        .approved_claim(
            &editor,
            &reviewer,
            "Zelensky has a 4% approval rating.",
            "false",
        )
        .await;
    let slug = publish(&app, &editor, &aid).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    assert_problem(
        app.call(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/unpublish"),
            Some(json!({"reason": " "})),
        )
        .await,
        422,
    )
    .await;
    let down = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/unpublish"),
            Some(json!({"reason": "Court order"})),
        )
        .await;
    assert!(down["unpublished_at"].is_string());
    // The article itself says where its page was and why it came down.
    let article = app
        .ok(&editor, Method::GET, &format!("/articles/{aid}"), None)
        .await;
    assert_eq!(article["publication"]["slug"], slug.as_str());
    assert_eq!(article["publication"]["unpublish_reason"], "Court order");
    let gone = app.get(&format!("/p/{slug}")).await;
    assert_eq!(gone.status(), 410);
    let text = gone.text().await.unwrap();
    assert!(text.contains("removed") && !text.contains("ClaimReview"));
    assert_problem(
        app.get(&format!("/api/v1/public/articles/{slug}")).await,
        410,
    )
    .await;
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_events WHERE action = 'unpublish'")
            .await,
        1
    );
    assert_problem(
        app.call(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/unpublish"),
            Some(json!({"reason": "again"})),
        )
        .await,
        409,
    )
    .await;

    let restored = publish(&app, &editor, &aid).await;
    assert!(restored["unpublished_at"].is_null());
    let page = app.get(&format!("/p/{slug}")).await;
    assert_eq!(page.status(), 200);
    assert_eq!(jsonld(&page.text().await.unwrap()).len(), 1);
    assert_eq!(app.get("/p/no-such-page").await.status(), 404);
}

#[tokio::test]
async fn readers_report_errors_to_the_editors() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let (aid, cid) = app
        .approved_claim(
            &editor,
            &reviewer,
            "Zelensky has a 4% approval rating.",
            "false",
        )
        .await;
    let slug = publish(&app, &editor, &aid).await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/public/articles/{slug}/error-reports");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // The page's form: a redirect back with thanks.
    let form = client
        .post(app.url(&path))
        .form(&[
            ("message", "The poll was from March <b>2024</b>"),
            ("contact", "reader@example.org"),
            ("claim_id", cid.as_str()),
            ("website", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 303);
    assert_eq!(
        form.headers()["location"],
        format!("/p/{slug}?reported=1#report")
    );
    assert!(
        app.get(&format!("/p/{slug}?reported=1"))
            .await
            .text()
            .await
            .unwrap()
            .contains("Thank you")
    );
    let (kind, subject, text) = app.last_email(&editor.email).await.unwrap();
    assert_eq!(kind, "error_report");
    assert!(subject.contains("reports an error"));
    assert!(
        text.contains("The poll was from March <b>2024</b>")
            && text.contains(&format!("#claim-{cid}"))
    );
    assert_eq!(app.count("SELECT count(*) AS n FROM email_outbox WHERE kind = 'error_report' AND html_body LIKE '%&lt;b&gt;2024%'").await, 1);

    // A bot filling the honeypot is thanked and ignored.
    let bot = client
        .post(app.url(&path))
        .json(&json!({"message": "Buy pills", "website": "http://spam.example"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bot.status(), 202);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM error_reports").await,
        1
    );

    let empty = assert_problem(
        client
            .post(app.url(&path))
            .json(&json!({"message": " "}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(empty["errors"][0]["field"], "message");
    for _ in 0..4 {
        assert_eq!(
            client
                .post(app.url(&path))
                .json(&json!({"message": "Another"}))
                .send()
                .await
                .unwrap()
                .status(),
            202
        );
    }
    assert_problem(
        client
            .post(app.url(&path))
            .json(&json!({"message": "One too many"}))
            .send()
            .await
            .unwrap(),
        429,
    )
    .await;
}

#[tokio::test]
async fn exports_stream_every_format_safely() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let (aid, cid) = app
        .approved_claim(
            &editor,
            &reviewer,
            "=HYPERLINK(\"http://evil\") says 4%.",
            "false",
        )
        .await;
    publish(&app, &editor, &aid).await;

    let get = |query: &str| {
        app.bearer(
            Method::GET,
            &format!("/api/v1/reports/verdicts{query}"),
            &editor.token,
        )
        .send()
    };
    let csv_response = get("?format=csv").await.unwrap();
    assert_eq!(csv_response.status(), 200);
    assert_eq!(
        csv_response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let disposition = csv_response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    // "factdesk-verdicts-2026-12-02-0133-EET.csv": the newsroom's day and time, zone named.
    let name = disposition
        .split("filename=")
        .nth(1)
        .unwrap()
        .trim_matches('"')
        .to_string();
    let stamp = name
        .strip_prefix("factdesk-verdicts-")
        .and_then(|n| n.strip_suffix(".csv"))
        .unwrap_or_else(|| panic!("{name}"));
    assert!(
        chrono::NaiveDate::parse_from_str(&stamp[..10], "%Y-%m-%d").is_ok(),
        "{name}"
    );
    let parts: Vec<&str> = stamp.splitn(5, '-').collect();
    assert!(
        parts.len() == 5 && parts[3].len() == 4 && !parts[4].is_empty(),
        "{name}"
    );
    let csv = csv_response.text().await.unwrap();
    // Excel reads a CSV as UTF-8 only after a byte-order mark; programs may ask for none.
    assert!(csv.starts_with('\u{FEFF}'), "{:?}", &csv[..20]);
    let plain = get("?format=csv&bom=false")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(plain.starts_with("claim_id,"), "{:?}", &plain[..20]);
    let csv = csv.trim_start_matches('\u{FEFF}');
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "claim_id");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][column("claim_id")], cid);
    assert!(
        rows[0][column("statement")].starts_with("'=HYPERLINK"),
        "formula neutralised"
    );
    assert_eq!(&rows[0][column("rating")], "false");
    assert!(rows[0][column("public_url")].starts_with("http://factdesk.test/p/"));

    let json: Value = get("?format=json").await.unwrap().json().await.unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["rating_label"], "False");
    let ndjson = get("?format=ndjson").await.unwrap().text().await.unwrap();
    assert_eq!(ndjson.lines().count(), 1);
    let reviews: Value = get("?format=claimreview")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reviews[0]["@type"], "ClaimReview");
    assert_eq!(reviews[0]["reviewRating"]["ratingValue"], 1);
    let md = get("?format=md").await.unwrap().text().await.unwrap();
    assert!(md.starts_with("# Verdict report"));
    assert!(md.contains("\n## Speech \\<script\\>"), "{md}");
    // Each article with its outlet and date, so equal titles differ.
    assert!(
        md.contains(" · 19 February 2025 · <https://news.example.org/"),
        "{md}"
    );
    assert!(md.contains("Verdict: **False**"));

    // Filters.
    assert_eq!(
        get("?format=json&rating=true")
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap(),
        json!([])
    );
    assert_eq!(
        get(&format!(
            "?format=json&article_id={aid}&status=published&from=2020-01-01"
        ))
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .len(),
        1
    );
    assert_eq!(
        get("?format=json&to=2020-01-01")
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap(),
        json!([])
    );
    for (query, field) in [
        ("?format=xlsx", "format"),
        ("?from=yesterday", "from"),
        ("?status=lost", "status"),
        ("?reviewer=bob", "reviewer"),
        ("?from=2025-02-01&to=2025-01-01", "to"),
    ] {
        let bad = assert_problem(get(query).await.unwrap(), 422).await;
        assert_eq!(bad["errors"][0]["field"], field, "{query}");
    }
    assert_problem(
        app.call(&reviewer, Method::GET, "/reports/verdicts", None)
            .await,
        403,
    )
    .await;
}

#[tokio::test]
async fn editors_answer_readers_reports_from_an_inbox_and_link_the_correction() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let reviewer = app.user("reviewer").await;
    let (aid, cid, slug) = published_claim(&app, &editor, &reviewer).await;
    let report = |message: &str, contact: &str| {
        app.client
            .post(app.url(&format!("/api/v1/public/articles/{slug}/error-reports")))
            .json(&json!({"message": message, "contact": contact, "claim_id": cid}))
            .send()
    };
    assert_eq!(
        report("The poll was from March 2024", "reader@example.org")
            .await
            .unwrap()
            .status(),
        202
    );
    assert_eq!(
        report("Call me", "+380 44 000 0000")
            .await
            .unwrap()
            .status(),
        202
    );
    // The editors' email names the claim and leads to the inbox.
    let (_, _, text) = app.last_email(&editor.email).await.unwrap();
    assert!(
        text.contains("about the claim \"Zelensky has a 4% approval rating."),
        "{text}"
    );
    assert!(text.contains("/reports"), "{text}");

    assert_problem(
        app.call(&reviewer, Method::GET, "/error-reports", None)
            .await,
        403,
    )
    .await;
    let inbox = app
        .ok(&editor, Method::GET, "/error-reports?status=new", None)
        .await;
    assert_eq!(inbox["new_count"], 2);
    let items = inbox["items"].as_array().unwrap();
    let by_email = items
        .iter()
        .find(|r| r["contact"] == "reader@example.org")
        .unwrap();
    let by_phone = items
        .iter()
        .find(|r| r["contact"] != "reader@example.org")
        .unwrap();
    assert_eq!(by_email["claim_id"], cid.as_str());
    assert!(
        by_email["claim_statement"]
            .as_str()
            .unwrap()
            .starts_with("Zelensky has a 4%")
    );
    assert_eq!(by_email["article_id"], aid.as_str());
    assert!(
        by_email["page_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/p/{slug}#claim-{cid}"))
    );
    assert_eq!(
        (
            by_email["can_reply"].as_bool(),
            by_phone["can_reply"].as_bool()
        ),
        (Some(true), Some(false))
    );
    let rid = by_email["id"].as_str().unwrap().to_string();
    let pid = by_phone["id"].as_str().unwrap().to_string();

    // A reply goes to the reader by email, answers to the editor, and marks it answered.
    let replied = app
        .ok(
            &editor,
            Method::POST,
            &format!("/error-reports/{rid}/replies"),
            Some(json!({"body": "Thank you: we are checking the date."})),
        )
        .await;
    assert_eq!(replied["status"], "answered");
    assert_eq!(
        replied["replies"][0]["body"],
        "Thank you: we are checking the date."
    );
    let (kind, subject, text) = app.last_email("reader@example.org").await.unwrap();
    assert_eq!(kind, "reader_reply");
    assert!(subject.starts_with("Your report about"), "{subject}");
    assert!(
        text.contains("Thank you: we are checking the date.")
            && text.contains("The poll was from March 2024")
    );
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n FROM email_outbox WHERE kind = 'reader_reply' AND reply_to = '{}'", editor.email)).await,
        1
    );
    assert_problem(
        app.call(
            &editor,
            Method::POST,
            &format!("/error-reports/{pid}/replies"),
            Some(json!({"body": "Hi"})),
        )
        .await,
        409,
    )
    .await;

    // Corrected needs the correction it led to, one of this page's.
    let patch = |id: &str, body: Value, version: i64| {
        app.bearer(
            Method::PATCH,
            &format!("/api/v1/error-reports/{id}"),
            &editor.token,
        )
        .header("If-Match", format!("\"{version}\""))
        .json(&body)
        .send()
    };
    let v = replied["version"].as_i64().unwrap();
    let no_link = assert_problem(
        patch(&rid, json!({"status": "corrected"}), v)
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(no_link["errors"][0]["field"], "correction_id");
    let stranger = assert_problem(
        patch(&rid, json!({"correction_id": uuid::Uuid::new_v4()}), v)
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(stranger["errors"][0]["field"], "correction_id");
    let correction: Value = app
        .call(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/corrections"),
            Some(json!({"note": "The poll was from March 2024", "claim_ids": [cid]})),
        )
        .await
        .json()
        .await
        .unwrap();
    let linked: Value = patch(&rid, json!({"correction_id": correction["id"]}), v)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(linked["status"], "corrected", "{linked}");
    assert_eq!(linked["correction"]["note"], "The poll was from March 2024");
    assert_problem(
        patch(&rid, json!({"status": "dismissed"}), v)
            .await
            .unwrap(),
        412,
    )
    .await;
    let dismissed: Value = patch(
        &pid,
        json!({"status": "dismissed"}),
        by_phone["version"].as_i64().unwrap(),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(dismissed["status"], "dismissed");
    assert!(dismissed["handled_at"].is_string());
    let inbox = app
        .ok(&editor, Method::GET, "/error-reports?status=new", None)
        .await;
    assert_eq!(inbox["new_count"], 0);
    assert_eq!(inbox["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n FROM audit_events WHERE entity = 'error_report' AND entity_id = '{rid}'")).await,
        3,
        "created, replied, linked"
    );
    assert_problem(
        app.call(&editor, Method::GET, "/error-reports?status=old", None)
            .await,
        422,
    )
    .await;
}

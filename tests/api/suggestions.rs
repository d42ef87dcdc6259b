//! Suggested claims, through the API and the command line.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_seed_article_suggests_its_two_claims_among_the_top_five() {
    let app = spawn_app().await;
    let editor = app.user("editor").await;
    let parsed = factdesk::app::demo::parse_article(factdesk::app::demo::SEED_ARTICLE).unwrap();
    let article = app.ok(&editor, Method::POST, "/articles", Some(json!({"title": parsed.title, "body": parsed.body, "outlet": "The Kyiv Independent"}))).await;
    let aid = article["id"].as_str().unwrap();

    let suggestions = app
        .ok(
            &editor,
            Method::GET,
            &format!("/articles/{aid}/suggestions"),
            None,
        )
        .await;
    let items = suggestions["items"].as_array().unwrap();
    let top: Vec<&str> = items
        .iter()
        .take(5)
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    for wanted in [
        "Ukraine was the one who started Russia's war",
        "Ukrainian President Volodymyr Zelensky has a 4% approval rating",
    ] {
        assert!(
            top.contains(&wanted),
            "{wanted:?} not in the top 5: {top:#?}"
        );
    }
    let scores: Vec<f64> = items.iter().map(|s| s["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "ranked best first");
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
    let zelensky = items
        .iter()
        .find(|s| s["text"] == "Ukrainian President Volodymyr Zelensky has a 4% approval rating")
        .unwrap();
    assert!(!zelensky["reasons"].as_array().unwrap().is_empty());
    assert_eq!(zelensky["covered"], false);
    // The answer names the figure it found, where it stands in the article.
    let figures = zelensky["figures"].as_array().unwrap();
    assert_eq!(figures.len(), 1, "{figures:?}");
    assert_eq!(figures[0]["as_stated"], "4%");
    assert_eq!(figures[0]["value"], "4");
    assert_eq!(figures[0]["unit"], "percent");
    let body: Vec<char> = article["body"].as_str().unwrap().chars().collect();
    let (from, to) = (
        figures[0]["start"].as_u64().unwrap() as usize,
        figures[0]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(body[from..to].iter().collect::<String>(), "4%");

    // One click: the suggestion's span makes the claim as it is.
    let claim = app
        .ok(
            &editor,
            Method::POST,
            &format!("/articles/{aid}/claims"),
            Some(json!({"span_start": zelensky["span_start"], "span_end": zelensky["span_end"]})),
        )
        .await;
    assert_eq!(
        claim["quote"],
        "Ukrainian President Volodymyr Zelensky has a 4% approval rating"
    );
    let again = app
        .ok(
            &editor,
            Method::GET,
            &format!("/articles/{aid}/suggestions"),
            None,
        )
        .await;
    let now: &Value = again["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["text"] == zelensky["text"])
        .unwrap();
    assert_eq!(now["covered"], true);
}

#[test]
fn the_command_line_scorer_prints_the_lab_format() {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .args(["suggest", "--lines"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Thank you all for coming tonight.\nUnemployment fell to 3.5 percent, the lowest in 50 years.\nЗеленський має 4% рейтингу.\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<(usize, f64)> = text
        .lines()
        .map(|l| {
            let (n, s) = l.split_once('\t').unwrap();
            (n.parse().unwrap(), s.parse().unwrap())
        })
        .collect();
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(
        rows[1].1 > rows[0].1,
        "a statistic outranks a greeting: {text}"
    );
}

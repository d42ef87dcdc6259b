use crate::helpers::{assert_problem, spawn_app, spawn_app_on, test_settings};

#[tokio::test]
async fn healthz_answers() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn readyz_answers_when_the_database_does() {
    let app = spawn_app().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ready");
}

#[tokio::test]
async fn readyz_is_503_within_two_seconds_when_the_database_is_unreachable() {
    // Nothing listens on this port: connections are refused.
    let dead = "postgres://nobody@127.0.0.1:9/factdesk";
    let app = spawn_app_on(dead, test_settings(dead)).await;
    let started = std::time::Instant::now();
    let response = app.get("/readyz").await;
    assert!(started.elapsed() < std::time::Duration::from_millis(2500));
    let body = assert_problem(response, 503).await;
    assert!(body["detail"].as_str().unwrap().contains("database"));
}

#[tokio::test]
async fn readyz_does_not_hang_on_a_server_that_never_answers() {
    // A socket that accepts connections but never speaks the PostgreSQL protocol.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let _keep = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(20) {
            held.push(stream);
        }
    });
    let silent = format!("postgres://nobody@127.0.0.1:{port}/factdesk");
    let app = spawn_app_on(&silent, test_settings(&silent)).await;
    let started = std::time::Instant::now();
    let response = app.get("/readyz").await;
    assert!(
        started.elapsed() < std::time::Duration::from_millis(3000),
        "{:?}",
        started.elapsed()
    );
    assert_problem(response, 503).await;
}

#[tokio::test]
async fn openapi_and_swagger_ui_are_served_offline() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/readyz"]["get"].is_object());

    let response = app.get("/api/docs/").await;
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = response.text().await.unwrap();
    assert!(html.contains("swagger"), "{html}");
    assert!(
        !html.contains("https://"),
        "Swagger UI must not load anything from a CDN"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    let response = app.get("/api/docs/swagger-ui-bundle.js").await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn the_web_app_is_served_with_client_routes_falling_back_to_index() {
    let app = spawn_app().await;
    let root = app.get("/").await;
    assert_eq!(root.status(), 200);
    assert!(
        root.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let index = root.text().await.unwrap();
    assert!(index.contains("<div id=\"root\">"), "{index}");

    // A client-side route gets the same page.
    let deep = app.get("/articles/123/claims").await;
    assert_eq!(deep.status(), 200);
    assert_eq!(deep.text().await.unwrap(), index);

    // A built asset is served with its type and long caching.
    let script = index
        .split('"')
        .find(|s| s.starts_with("/assets/") && s.ends_with(".js"))
        .expect("index.html references a script under /assets/");
    let asset = app.get(script).await;
    assert_eq!(asset.status(), 200);
    assert!(
        asset.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert!(
        asset.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );

    // A missing file is a 404, and /api never falls back to the app.
    assert_problem(app.get("/assets/missing.js").await, 404).await;
    assert_problem(app.get("/api/v1/nothing-here").await, 404).await;
    assert_problem(app.get("/api/other").await, 404).await;
}

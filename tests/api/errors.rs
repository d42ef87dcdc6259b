//! Actix's own answers are problem+json too.

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn unknown_api_route_is_a_404_problem() {
    let app = spawn_app().await;
    let body = assert_problem(app.get("/api/v1/no-such-thing").await, 404).await;
    assert!(body["detail"].as_str().unwrap().contains("openapi"));
}

#[tokio::test]
async fn wrong_method_is_405_with_allow() {
    let app = spawn_app().await;
    let response = app.client.post(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.headers()["allow"], "GET, HEAD");
    assert_problem(response, 405).await;
    let response = app
        .client
        .delete(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_problem(response, 405).await;
    // HEAD is answered wherever GET is.
    let response = app.client.head(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn unknown_non_get_outside_the_api_is_a_404_problem() {
    let app = spawn_app().await;
    let response = app.client.post(app.url("/some/page")).send().await.unwrap();
    assert_problem(response, 404).await;
}

#[tokio::test]
async fn malformed_json_is_400_and_the_wrong_shape_is_422_naming_the_field() {
    let app = spawn_app().await;
    let post = |body: &'static str, content_type: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let body = assert_problem(post("{\"email\":", "application/json").await.unwrap(), 400).await;
    assert_eq!(body["errors"][0]["field"], "body");
    let body = assert_problem(
        post("{\"email\": 5, \"password\": \"x\"}", "application/json")
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "email");
    let body = assert_problem(
        post("{\"email\": \"a@b.org\"}", "application/json")
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "password");
    assert_eq!(body["errors"][0]["message"], "is required");
    let body = assert_problem(
        post(
            "{\"email\": \"a@b.org\", \"password\": \"x\", \"admin\": true}",
            "application/json",
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field")
    );
    // The field named is the one that does not belong.
    assert_eq!(body["errors"][0]["field"], "admin");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`admin`")
    );
    assert_problem(
        post("email=a", "application/x-www-form-urlencoded")
            .await
            .unwrap(),
        415,
    )
    .await;
}

#[tokio::test]
async fn a_too_large_body_is_413() {
    let app = spawn_app().await;
    let huge = format!(
        "{{\"email\": \"{}\", \"password\": \"x\"}}",
        "a".repeat(3 * 1024 * 1024)
    );
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_problem(response, 413).await;
}

#[tokio::test]
async fn malformed_path_and_query_are_400_naming_the_parameter() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let response = app
        .bearer(
            reqwest::Method::PATCH,
            "/api/v1/users/not-a-uuid",
            &admin.token,
        )
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(response, 400).await;
    assert_eq!(body["errors"][0]["field"], "path");
    let response = app
        .bearer(
            reqwest::Method::GET,
            "/api/v1/users?limit=ten",
            &admin.token,
        )
        .send()
        .await
        .unwrap();
    let body = assert_problem(response, 400).await;
    assert_eq!(body["errors"][0]["field"], "limit");
}

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
    let response = app.client.delete(app.url("/api/v1/openapi.json")).send().await.unwrap();
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

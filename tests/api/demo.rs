use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use factdesk::app::auth::password::PasswordPool;
use factdesk::app::demo as seed;
use factdesk::db::schema::{articles, audit_events, claims, users};
use factdesk::domain::text;

use crate::helpers::spawn_app;

#[tokio::test]
async fn seed_demo_creates_the_newsroom_once() {
    let app = spawn_app().await;
    let mut conn = app.pool.get().await.unwrap();
    let passwords = PasswordPool::new().unwrap();
    let logins = seed::seed_demo(&mut conn, &passwords)
        .await
        .unwrap()
        .unwrap();
    let roles: Vec<&str> = logins.iter().map(|(_, role, _)| role.as_str()).collect();
    assert_eq!(
        roles,
        [
            "admin", "editor", "editor", "reviewer", "reviewer", "reviewer"
        ]
    );

    let stored: Vec<(String, Option<String>)> = users::table
        .select((users::email, users::password_hash))
        .load(&mut conn)
        .await
        .unwrap();
    for (email, hash) in &stored {
        let hash = hash.as_deref().unwrap();
        assert!(hash.starts_with("$argon2id$"), "{email}");
        assert!(!logins.iter().any(|(_, _, pw)| hash.contains(pw.as_str())));
    }

    let (body, outlet): (String, Option<String>) = articles::table
        .select((articles::body, articles::outlet))
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(outlet.as_deref(), Some("The Kyiv Independent"));
    let anchored: Vec<(String, i32, i32, String)> = claims::table
        .select((
            claims::quote,
            claims::span_start,
            claims::span_end,
            claims::status,
        ))
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(anchored.len(), 2);
    for (quote, start, end, status) in anchored {
        assert_eq!(
            text::slice_chars(&body, start as usize, end as usize),
            Some(quote.as_str())
        );
        assert_eq!(status, "draft");
    }
    let events: i64 = audit_events::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(events, 6 + 1 + 2);

    // A second run changes nothing.
    assert!(
        seed::seed_demo(&mut conn, &passwords)
            .await
            .unwrap()
            .is_none()
    );
}

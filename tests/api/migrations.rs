use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use factdesk::db::migrations;

use crate::helpers::empty_database;

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn count(url: &str, sql: &str) -> i64 {
    let mut conn = AsyncPgConnection::establish(url).await.unwrap();
    diesel::sql_query(sql)
        .get_result::<Count>(&mut conn)
        .await
        .unwrap()
        .n
}

const TABLES: &str = "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'";

#[tokio::test]
async fn migrations_go_up_down_and_up_again() {
    let db = empty_database().await;
    let applied = migrations::run_pending(&db.url).await.unwrap();
    assert!(applied.len() >= 5);
    assert_eq!(count(&db.url, TABLES).await, 27);
    // The default rating scale ships with the schema, not only with the demo.
    assert_eq!(
        count(&db.url, "SELECT count(*) AS n FROM rating_scale").await,
        8
    );
    assert_eq!(
        count(&db.url, "SELECT count(*) AS n FROM settings").await,
        1
    );

    let reverted = migrations::revert_all(&db.url).await.unwrap();
    assert_eq!(reverted.len(), applied.len());
    assert_eq!(count(&db.url, TABLES).await, 0);
    assert_eq!(
        count(
            &db.url,
            "SELECT count(*) AS n FROM pg_proc WHERE proname = 'reject_modification'"
        )
        .await,
        0
    );

    let again = migrations::run_pending(&db.url).await.unwrap();
    assert_eq!(again, applied);
    assert_eq!(migrations::pending_count(&db.url).await.unwrap(), 0);
}

#[tokio::test]
async fn concurrent_migrators_take_turns_under_the_advisory_lock() {
    let db = empty_database().await;
    let runs = (0..4).map(|_| {
        let url = db.url.clone();
        tokio::spawn(async move { migrations::run_pending(&url).await })
    });
    let results = futures_util::future::join_all(runs).await;
    let mut applied_counts: Vec<usize> = results
        .into_iter()
        .map(|r| r.unwrap().expect("no migrator fails").len())
        .collect();
    applied_counts.sort();
    // Exactly one migrator applied everything; the others found nothing to do.
    assert_eq!(applied_counts[..3], [0, 0, 0]);
    assert!(applied_counts[3] >= 5);
    assert_eq!(count(&db.url, TABLES).await, 27);
}

#[tokio::test]
async fn constraints_hold_in_the_database() {
    let db = empty_database().await;
    migrations::run_pending(&db.url).await.unwrap();
    let mut conn = AsyncPgConnection::establish(&db.url).await.unwrap();
    let exec = |sql: &'static str| sql;
    diesel::sql_query(
        "INSERT INTO users (email, display_name, role) VALUES ('Ann@Example.org', 'Ann', 'editor')",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    // Case-insensitive unique email.
    assert!(diesel::sql_query("INSERT INTO users (email, display_name, role) VALUES ('ann@example.ORG', 'Ann 2', 'editor')")
        .execute(&mut conn).await.is_err());
    // Enumerated values are checked.
    assert!(
        diesel::sql_query(exec(
            "INSERT INTO users (email, display_name, role) VALUES ('b@example.org', 'B', 'owner')"
        ))
        .execute(&mut conn)
        .await
        .is_err()
    );
    // The audit log is append-only.
    diesel::sql_query("INSERT INTO audit_events (entity, entity_id, action) VALUES ('user', gen_random_uuid(), 'test')")
        .execute(&mut conn).await.unwrap();
    let err = diesel::sql_query("UPDATE audit_events SET action = 'rewritten'")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    assert!(
        diesel::sql_query("DELETE FROM audit_events")
            .execute(&mut conn)
            .await
            .is_err()
    );
    // The outbox enqueues a scheduled email once.
    let insert = "INSERT INTO email_outbox (recipient, subject, text_body, html_body, kind, dedupe_key) VALUES ('a@b.c', 's', 't', 'h', 'reminder', 'reminder:1')";
    diesel::sql_query(insert).execute(&mut conn).await.unwrap();
    assert!(diesel::sql_query(insert).execute(&mut conn).await.is_err());
}

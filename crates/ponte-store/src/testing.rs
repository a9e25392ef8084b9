//! Test helpers: every store test runs on SQLite, and on PostgreSQL when one is given.

use crate::clients::{insert_client, ClientRow};
use crate::db::{Conn, Store};

/// Every store test runs on SQLite, and also on PostgreSQL when
/// `PONTE_TEST_POSTGRES_URL` names a server (`.ci/run` starts one).
pub async fn stores() -> Vec<(Store, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
    let mut out = vec![(Store::open(&url).await.expect("sqlite"), Some(dir))];
    if let Ok(base) = std::env::var("PONTE_TEST_POSTGRES_URL") {
        out.push((fresh_postgres(&base).await, None));
    }
    out
}

/// A client row to hang test rows on.
pub async fn client(conn: &mut Conn, id: &str) {
    insert_client(
        conn,
        &ClientRow {
            id: id.into(),
            name: id.into(),
            api_key: format!("pk_{id}"),
            webhook_url: None,
            report_webhook_url: None,
            webhook_secret_enc: String::new(),
            auto_delivery: false,
            created_at: 0,
        },
    )
    .await
    .expect("insert client");
}

/// A new empty database on the test server, so tests don't see each other.
pub async fn fresh_postgres(base: &str) -> Store {
    let url = crate::throwaway::fresh_postgres_database(base, "t")
        .await
        .expect("a database on the PostgreSQL test server");
    Store::open(&url).await.expect("postgres store")
}

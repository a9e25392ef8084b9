//! The sandbox banks' dynamic registrations when nodes start together: the
//! database is the arbiter, so each bank registers Ponte once.

use crate::support;

use ponte_server::services::registrations_start::register_at_start;
use support::Db;

/// Clients the sandbox banks have registered (their table lives in the
/// sandbox's database: `sandbox.db` in the data dir, or the shared one).
async fn bank_clients(app: &ponte_server::App) -> i64 {
    use sqlx::Connection;
    let url = match app.config.database_url.starts_with("sqlite:") {
        true => format!("sqlite://{}/sandbox.db", app.config.data_dir.display()),
        false => app.config.database_url.clone(),
    };
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    sqlx::query_scalar("SELECT count(*) FROM sandbox_clients")
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

both!(
    nodes_registering_together_register_once_per_bank,
    |db: Db| async move {
        let (_dir, nodes) = support::fresh_nodes(db, 2).await;
        let banks = ponte_sandbox::banks().len() as i64;
        // The first node registered at every bank; the second, on another
        // port, updated those registrations rather than making new ones.
        assert_eq!(bank_clients(&nodes[0].app).await, banks);
        // Ponte forgets its registrations (the banks keep theirs), and both
        // nodes register at the same moment.
        let mut tx = nodes[0].app.store.begin().await.unwrap();
        for bank in ponte_sandbox::banks() {
            ponte_store::delete_registration(&mut tx, bank.code)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        let (a, b) = tokio::join!(
            register_at_start(&nodes[0].app),
            register_at_start(&nodes[1].app)
        );
        a.expect("the first node registers");
        b.expect("the second node registers");
        assert_eq!(
            bank_clients(&nodes[0].app).await,
            2 * banks,
            "one new client per bank, not one per node and bank"
        );
        let mut conn = nodes[0].app.store.read().await.unwrap();
        let rows = ponte_store::registrations(&mut conn).await.unwrap();
        drop(conn);
        assert_eq!(
            rows.iter().filter(|r| r.client_id.is_some()).count() as i64,
            banks
        );
        // Both nodes reach each bank as the client the database holds.
        for row in rows {
            let client = row.client_id.unwrap();
            for node in &nodes {
                let bank = node.app.directory.get(&row.institution_code).unwrap();
                assert_eq!(bank.endpoint.client_id, client, "{}", row.institution_code);
            }
        }
        for node in nodes {
            node.stop().await;
        }
    }
);

//! A server as `ponte serve` starts on an empty database in sandbox mode:
//! the sandbox client it creates is the test's client, its webhook URL the
//! demo page's receiver.

use super::{fresh_nodes, Db, TestServer};
use ponte_server::services::clients;

pub async fn spawn_sandbox(db: Db) -> TestServer {
    let (dir, mut nodes) = fresh_nodes(db, 1).await;
    let server = nodes.pop().expect("one node");
    let client = clients::ensure_sandbox_client(&server.app)
        .await
        .expect("sandbox client")
        .expect("the database was empty");
    TestServer {
        base: format!("http://{}", server.addr),
        database_url: server.app.config.database_url.clone(),
        clock: server.app.clock.clone(),
        server: Some(server),
        dir,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client"),
        client,
        env: Vec::new(),
    }
}

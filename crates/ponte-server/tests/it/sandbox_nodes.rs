//! Several nodes behind one public URL, each reaching the sandbox banks at
//! its own mutual-TLS listener: a bank's discovery document is read there
//! (its `mtls_endpoint_aliases` name that node), not through the public URL
//! from whichever node answered, so no node's listener carries the others'
//! token and PAR calls, and a node that goes away takes only itself.

use crate::support::{self, Db, TestServer};
use ponte_server::services::clients;
use ponte_server::services::registrations_start::register_at_start;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// A loopback port free now, for a node whose address must be known
/// before it starts (the load balancer points at it from the start).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The load balancer in front of the nodes: every connection goes to the
/// node `target` names at the time.
async fn balancer(target: Arc<Mutex<SocketAddr>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let to = *target.lock().unwrap();
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(to).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    url
}

async fn start_consent(ts: &TestServer, access: &str) -> (u16, Value) {
    let (_, link_token) = ts.link(access, json!({})).await;
    ts.post(
        "/data/v1/consents",
        Some(&link_token),
        json!({"institutionCode": "itau", "externalTrackId": "node-b"}),
    )
    .await
}

both!(
    a_node_reaches_the_sandbox_banks_at_its_own_listener_after_another_goes_away,
    |db: Db| async move {
        let dir = Arc::new(tempfile::tempdir().unwrap());
        let database_url = support::fresh_database(db, &dir).await;
        let a_addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let target = Arc::new(Mutex::new(a_addr));
        let public = balancer(target.clone()).await;
        let a = support::node(
            &dir,
            &database_url,
            &[
                ("PONTE_LISTEN", a_addr.to_string()),
                ("PONTE_PUBLIC_URL", public.clone()),
            ],
        )
        .await;
        let b = support::node(&dir, &database_url, &[("PONTE_PUBLIC_URL", public.clone())]).await;

        // Each node's banks: the issuer is the shared public URL, the
        // discovery document this node's own listener.
        for node in [&a, &b] {
            let own = &node.app.sandbox.as_ref().unwrap().mtls_base_url;
            let itau = node.app.directory.get("itau").unwrap();
            assert_eq!(itau.endpoint.issuer, format!("{public}/sandbox/banks/itau"));
            assert_eq!(
                itau.endpoint.discovery_url.as_deref(),
                Some(format!("{own}/itau/.well-known/openid-configuration").as_str())
            );
        }

        // B registers at every bank again while the public URL leads to A:
        // the registration endpoint B calls is the one in the discovery
        // document B reads, and the bank answers with a registration URI on
        // the listener that served the call. Through the public URL that
        // was A's; it is B's own.
        let b_mtls = b.app.sandbox.as_ref().unwrap().mtls_base_url.clone();
        let mut tx = b.app.store.begin().await.unwrap();
        for bank in ponte_sandbox::banks() {
            ponte_store::delete_registration(&mut tx, bank.code)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        register_at_start(&b.app).await.unwrap();
        let mut conn = b.app.store.read().await.unwrap();
        let rows = ponte_store::registrations(&mut conn).await.unwrap();
        drop(conn);
        assert_eq!(rows.len(), ponte_sandbox::banks().len());
        for row in rows {
            let uri = row.registration_client_uri.unwrap_or_default();
            assert!(uri.starts_with(&b_mtls), "{uri} is not on {b_mtls}");
        }

        // Node B starts a consent while the public URL leads to node A…
        let new = clients::parse_new_client("Nodes", None, None, false).unwrap();
        let client = clients::create(&b.app, new).await.unwrap();
        let ts = TestServer {
            base: format!("http://{}", b.addr),
            server: Some(b),
            dir,
            database_url,
            clock: Default::default(),
            http: reqwest::Client::new(),
            client,
            env: Vec::new(),
        };
        let access = ts.access_token().await;
        let (status, body) = start_consent(&ts, &access).await;
        assert_eq!(status, 200, "{body}");

        // …then node A goes away and the balancer sends everything to B:
        // B still starts consents.
        a.stop().await;
        *target.lock().unwrap() = ts.server.as_ref().unwrap().addr;
        let (status, body) = start_consent(&ts, &access).await;
        assert_eq!(status, 200, "{body}");
        if let Some(s) = ts.server {
            s.stop().await;
        }
    }
);

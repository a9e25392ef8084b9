//! Health, readiness, metrics, keys, the API reference and the link page.

use crate::support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use support::Db;

both!(operations_endpoints, |db: Db| async move {
    let ts = support::spawn(db).await;
    let (status, body) = ts.get("/healthz", None).await;
    assert_eq!((status, body), (200, json!({"status": "ok"})));
    let (status, body) = ts.get("/readyz", None).await;
    assert_eq!((status, body["database"].as_str()), (200, Some("ok")));

    let access = ts.access_token().await;
    let metrics = ts
        .http
        .get(ts.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("ponte_http_requests_total") && metrics.contains("path=\"/data/v1/auth\""),
        "{metrics}"
    );
    assert!(
        metrics.contains("ponte_webhook_messages"),
        "queue depth gauge"
    );

    // The token's key is published.
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(access.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "EdDSA");
    let (_, jwks) = ts.get("/.well-known/jwks.json", None).await;
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .expect("the signing key is in the JWKS");
    assert_eq!(
        (key["kty"].as_str(), key["crv"].as_str()),
        (Some("OKP"), Some("Ed25519"))
    );

    // The reference and its document (their agreement is tests/it/openapi.rs).
    let (_, doc) = ts.get("/openapi.json", None).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let docs = ts
        .http
        .get(ts.url("/docs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        docs.contains("<html") && docs.contains("/openapi.json"),
        "rendered reference"
    );

    let (_, link_token) = ts.link(&access, json!({})).await;
    let page = ts
        .http
        .get(ts.url(&format!("/link?v={link_token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Connect your bank"));
});

// Nodes started together on an empty database agree on one sandbox client:
// exactly one of them creates it (and would print the banner).
both!(
    nodes_starting_together_create_one_sandbox_client,
    |db: Db| async move {
        use ponte_server::services::clients::{ensure_sandbox_client, sandbox_client_id};
        let (_dir, nodes) = support::fresh_nodes(db, 3).await;
        let (a, b, c) = tokio::join!(
            ensure_sandbox_client(&nodes[0].app),
            ensure_sandbox_client(&nodes[1].app),
            ensure_sandbox_client(&nodes[2].app),
        );
        let winners: Vec<_> = [a, b, c]
            .into_iter()
            .filter_map(|r| r.expect("no node fails"))
            .collect();
        assert_eq!(winners.len(), 1, "one node creates the sandbox client");
        let mut conn = nodes[0].app.store.read().await.unwrap();
        assert_eq!(ponte_store::count_clients(&mut conn).await.unwrap(), 1);
        drop(conn);
        let named = sandbox_client_id(&nodes[1].app).await.unwrap();
        assert_eq!(named.unwrap().as_str(), winners[0].client_id);
        // A later start finds it and creates nothing.
        assert!(ensure_sandbox_client(&nodes[2].app)
            .await
            .unwrap()
            .is_none());
        for n in nodes {
            n.stop().await;
        }
    }
);

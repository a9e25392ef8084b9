//! Access tokens die with the API secret they descend from: once a rotated
//! secret's grace is over, or at once when it is revoked, neither the tokens
//! it bought nor the tokens refreshed from them can be refreshed again, and
//! they open nothing at all: at once on the node that revoked it (even right
//! after a request it let through), and on the others as soon as the
//! commit's notification reaches them (PostgreSQL).

use crate::support;

use ponte_server::services::clients;
use serde_json::{json, Value};
use std::time::Duration;
use support::{Db, TestServer};

async fn auth(ts: &TestServer, key: &str, secret: &str) -> (u16, Value) {
    ts.post(
        "/data/v1/auth",
        None,
        json!({"accessKey": key, "secretKey": secret}),
    )
    .await
}

async fn refresh(ts: &TestServer, token: &str) -> (u16, Value) {
    ts.post("/data/v1/auth/refresh", Some(token), json!({}))
        .await
}

fn token(body: &Value) -> String {
    body["accessToken"]
        .as_str()
        .expect("accessToken")
        .to_string()
}

both!(
    a_rotated_secret_takes_its_tokens_with_it_when_its_grace_ends,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let old = ts.client.clone();
        let new = clients::rotate_secret(ts.app(), &old.client_id)
            .await
            .unwrap();
        // Near the end of the grace the old secret still buys a token, and that
        // token still refreshes.
        ts.clock.advance(
            Duration::from_millis(clients::ROTATION_GRACE_MS as u64) - Duration::from_secs(300),
        );
        let (status, body) = auth(&ts, &old.api_key, &old.api_secret).await;
        assert_eq!(status, 200, "{body}");
        let from_old = token(&body);
        let (status, body) = refresh(&ts, &from_old).await;
        assert_eq!(status, 200, "{body}");
        let successor = token(&body);
        let (status, body) = auth(&ts, &new.api_key, &new.api_secret).await;
        assert_eq!(status, 200, "{body}");
        let from_new = token(&body);

        // Grace over: the tokens are still within their 30 minutes, but the
        // line of the old secret ends.
        ts.clock.advance(Duration::from_secs(360));
        for t in [&from_old, &successor] {
            let (status, body) = refresh(&ts, t).await;
            assert_eq!(status, 401, "{body}");
            assert_eq!(body["error"]["code"], "INVALID_TOKEN", "{body}");
        }
        let (status, _) = auth(&ts, &old.api_key, &old.api_secret).await;
        assert_eq!(status, 401);
        let (status, body) = refresh(&ts, &from_new).await;
        assert_eq!(status, 200, "the new secret's tokens live on: {body}");
    }
);

both!(
    a_revoked_secret_ends_at_once_with_every_token_from_it,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let leaked = ts.client.clone();
        let (status, body) = auth(&ts, &leaked.api_key, &leaked.api_secret).await;
        assert_eq!(status, 200, "{body}");
        let first = token(&body);
        let (status, body) = refresh(&ts, &first).await;
        assert_eq!(status, 200, "{body}");
        let successor = token(&body);
        // Both open the API, so this node remembers their secret as live.
        for t in [&first, &successor] {
            let (status, body) = ts.get("/data/v1/webhooks/messages", Some(t)).await;
            assert_eq!(status, 200, "{body}");
        }

        let fresh = clients::revoke_secret(ts.app(), &leaked.client_id)
            .await
            .unwrap();
        assert_ne!(fresh.api_secret, leaked.api_secret);
        assert_eq!(
            fresh.api_key, leaked.api_key,
            "the key stays; only the secret changes"
        );

        let (status, body) = auth(&ts, &leaked.api_key, &leaked.api_secret).await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (401, &json!("INVALID_CREDENTIALS"))
        );
        for t in [&first, &successor] {
            let (status, body) = refresh(&ts, t).await;
            assert_eq!(
                (status, &body["error"]["code"]),
                (401, &json!("INVALID_TOKEN")),
                "{body}"
            );
        }
        // At once, with no time passed, the tokens open nothing at all.
        for t in [&first, &successor] {
            let (status, body) = ts.get("/data/v1/webhooks/messages", Some(t)).await;
            assert_eq!(
                (status, &body["error"]["code"]),
                (401, &json!("INVALID_TOKEN")),
                "{body}"
            );
        }
        let (status, body) = auth(&ts, &fresh.api_key, &fresh.api_secret).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = refresh(&ts, &token(&body)).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = ts
            .get("/data/v1/webhooks/messages", Some(&token(&body)))
            .await;
        assert_eq!(status, 200, "{body}");
    }
);

/// The token's answer from `node`, over HTTP.
async fn messages_on(node: &ponte_server::Server, token: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .get(format!("http://{}/data/v1/webhooks/messages", node.addr))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Two nodes on one PostgreSQL database: a secret revoked through one ends
/// its tokens on the other as soon as the commit's notification arrives,
/// not seconds later when the other would have asked the database again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_secret_revoked_on_one_node_ends_its_tokens_on_every_node() {
    if support::postgres_base().is_none() {
        eprintln!("PONTE_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run");
        return;
    }
    let (_dir, nodes) = support::fresh_nodes(Db::Postgres, 2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let new = clients::parse_new_client("Two nodes", None, None, false).unwrap();
    let leaked = clients::create(&a.app, new).await.unwrap();
    let (token, _) = clients::access_token(&b.app, None, &leaked.api_key, &leaked.api_secret)
        .await
        .unwrap();
    // Both listeners are up, or the announcement below could not be heard.
    for node in [a, b] {
        for _ in 0..200 {
            if node.app.store.wakes().hears_other_nodes() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(node.app.store.wakes().hears_other_nodes());
    }
    // Node B checks the token's secret once and remembers it as live.
    let (status, body) = messages_on(b, &token).await;
    assert_eq!(status, 200, "{body}");
    let heard = b.app.store.wakes().secrets_changes_heard();

    clients::revoke_secret(&a.app, &leaked.client_id)
        .await
        .unwrap();
    // The notification is delivered at A's commit, asynchronously to B:
    // wait for B to hear it (an event, not a time; bounded so a lost one
    // fails here rather than hanging).
    for _ in 0..400 {
        if b.app.store.wakes().secrets_changes_heard() > heard {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(
        b.app.store.wakes().secrets_changes_heard() > heard,
        "node B never heard of the revocation"
    );
    // Well within the 5 s B would otherwise have trusted its answer.
    let (status, body) = messages_on(b, &token).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (401, &json!("INVALID_TOKEN")),
        "{body}"
    );
    // B remembered the key's secrets from the sign-in above: forgotten too,
    // so the leaked secret no longer signs in there.
    let refused = clients::access_token(&b.app, None, &leaked.api_key, &leaked.api_secret).await;
    assert!(
        matches!(refused, Err(ponte_server::Error::InvalidCredentials)),
        "the revoked secret still signs in on node B: {refused:?}"
    );
}

/// A secret the node has not heard of (made by a process that announces
/// nothing, or whose announcement is still on its way) signs in at once on a
/// node that remembers the key's other secrets: a sign-in no remembered
/// secret matches asks the database again before refusing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_secret_the_node_has_not_heard_of_signs_in_at_once() {
    if support::postgres_base().is_none() {
        eprintln!("PONTE_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run");
        return;
    }
    let (_dir, nodes) = support::fresh_nodes(Db::Postgres, 1).await;
    let node = &nodes[0];
    for _ in 0..200 {
        if node.app.store.wakes().hears_other_nodes() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(node.app.store.wakes().hears_other_nodes());
    let new = clients::parse_new_client("Unannounced", None, None, false).unwrap();
    let created = clients::create(&node.app, new).await.unwrap();
    // The node signs the client in once and remembers its key's secrets.
    clients::access_token(&node.app, None, &created.api_key, &created.api_secret)
        .await
        .unwrap();
    let mut conn = node.app.store.begin().await.unwrap();
    ponte_store::insert_secret(
        &mut conn,
        &ponte_store::SecretRow {
            id: uuid::Uuid::now_v7().to_string(),
            client_id: created.client_id.clone(),
            secret_hash: node.app.crypto.hash_secret("sk_unannounced"),
            created_at: 0,
            expires_at: None,
        },
    )
    .await
    .unwrap();
    conn.commit().await.unwrap();
    let signed_in =
        clients::access_token(&node.app, None, &created.api_key, "sk_unannounced").await;
    assert!(signed_in.is_ok(), "{signed_in:?}");
    // A wrong secret is still refused after the second look.
    let refused = clients::access_token(&node.app, None, &created.api_key, "sk_wrong").await;
    assert!(
        matches!(refused, Err(ponte_server::Error::InvalidCredentials)),
        "{refused:?}"
    );
}

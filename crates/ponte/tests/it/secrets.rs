//! `ponte clients revoke-secret`: a leaked API secret ends at once, with every
//! token bought with it, while the server keeps running, even though the
//! server remembered both (on SQLite at its very next request; on
//! PostgreSQL when the commit's notification arrives); `ponte clients
//! delete` then removes the client altogether.

use crate::support;

use serde_json::{json, Value};
use support::{database, ponte, serve};

async fn post(url: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut req = reqwest::Client::new().post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Signs in with `creds` until refused, for at most 5 s: what the CLI
/// commits reaches a PostgreSQL server with the commit's notification.
async fn refused_within_5s(base: &str, creds: Value, change: &str) {
    let heard = async {
        while post(&format!("{base}/data/v1/auth"), None, creds.clone())
            .await
            .0
            != 401
        {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), heard)
        .await
        .unwrap_or_else(|_| panic!("{change}'s notification did not reach the server in 5 s"));
}

async fn revoke_while_serving(dir: &std::path::Path, url: &str, postgres: bool) {
    let url = url.to_string();
    let (_server, addr) = serve(dir, &url, &[]);
    let base = format!("http://{addr}");
    let (ok, out, err) = ponte(
        dir,
        &url,
        &["clients", "create", "--name", "Leaky", "--json"],
    );
    assert!(ok, "{err}");
    let leaked: Value = serde_json::from_str(&out).expect("JSON");
    let creds = |c: &Value| json!({"accessKey": c["apiKey"], "secretKey": c["apiSecret"]});
    let (status, body) = post(&format!("{base}/data/v1/auth"), None, creds(&leaked)).await;
    assert_eq!(status, 200, "{body}");
    let token = body["accessToken"].as_str().expect("token").to_string();
    // Signed in again and the token used, so the server remembers both the
    // key's secrets and the token's: what the CLI does must still end them
    // at the very next request.
    let (status, body) = post(&format!("{base}/data/v1/auth"), None, creds(&leaked)).await;
    assert_eq!(status, 200, "{body}");
    let link = |token: String| {
        let url = format!("{base}/data/v1/links/lnk_none");
        async move {
            let resp = reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await;
            resp.expect("request").status().as_u16()
        }
    };
    assert_eq!(
        link(token.clone()).await,
        404,
        "a working token, no such link"
    );
    assert_eq!(link(token.clone()).await, 404);

    let client = leaked["clientId"].as_str().expect("clientId");
    let (ok, out, err) = ponte(dir, &url, &["clients", "revoke-secret", client, "--json"]);
    assert!(ok, "{err}");
    let fresh: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(fresh["apiKey"], leaked["apiKey"]);
    assert_ne!(fresh["apiSecret"], leaked["apiSecret"]);
    assert!(
        !err.contains(leaked["apiSecret"].as_str().unwrap_or("-")),
        "no secret in the log"
    );

    // On SQLite the server sees the CLI's change at its next request. On
    // PostgreSQL it hears it with the commit's notification, a few
    // milliseconds later (more on a loaded machine): wait for that, boundedly.
    if postgres {
        refused_within_5s(&base, creds(&leaked), "the revocation").await;
    }
    let (status, body) = post(&format!("{base}/data/v1/auth"), None, creds(&leaked)).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (401, &json!("INVALID_CREDENTIALS"))
    );
    assert_eq!(
        link(token.clone()).await,
        401,
        "the leaked secret's token ends at once"
    );
    let (status, body) = post(
        &format!("{base}/data/v1/auth/refresh"),
        Some(&token),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (401, &json!("INVALID_TOKEN"))
    );
    let (status, body) = post(&format!("{base}/data/v1/auth"), None, creds(&fresh)).await;
    assert_eq!(status, 200, "{body}");

    let (ok, _, err) = ponte(dir, &url, &["clients", "delete", client]);
    assert!(ok, "{err}");
    // The deletion reaches a PostgreSQL server with its notification too.
    if postgres {
        refused_within_5s(&base, creds(&fresh), "the deletion").await;
    }
    let (status, _) = post(&format!("{base}/data/v1/auth"), None, creds(&fresh)).await;
    assert_eq!(status, 401, "a deleted client has no credentials");
    let (ok, _, err) = ponte(dir, &url, &["clients", "delete", "--client", client]);
    assert!(!ok && err.contains("no such client"), "{err}");

    // The flag spelling works too, and an unknown client is named.
    let (ok, _, err) = ponte(
        dir,
        &url,
        &["clients", "revoke-secret", "--client", "nobody"],
    );
    assert!(!ok);
    assert!(err.contains("--client-id nobody"), "{err}");
}

fn run(postgres: bool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(url) = database(dir.path(), postgres) else {
        return;
    };
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(revoke_while_serving(dir.path(), &url, postgres));
}

#[test]
fn revoke_secret_on_sqlite() {
    run(false);
}

#[test]
fn revoke_secret_on_postgres() {
    run(true);
}

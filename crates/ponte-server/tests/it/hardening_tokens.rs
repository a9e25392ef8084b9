//! Access tokens die with the API secret they descend from: once a rotated
//! secret's grace is over, or at once when it is revoked, neither the tokens
//! it bought nor the tokens refreshed from them can be refreshed again, and
//! they open nothing at all: at once on the node that revoked it (even right
//! after a request it let through), within seconds on the others.

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

//! `PONTE_TRUSTED_PROXIES`: behind a listed proxy the client's address is the
//! one `X-Forwarded-For` names, so the failed-secret throttle tells two
//! callers apart; from an unlisted peer the header is ignored, so a caller
//! cannot dodge the throttle by writing a new address in it each time.

use crate::support;

use serde_json::json;
use support::{Db, Options, TestServer};

/// The status of `POST /data/v1/auth` as if from `forwarded_for`.
async fn auth_from(ts: &TestServer, forwarded_for: &str, secret: &str) -> u16 {
    ts.http
        .post(ts.url("/data/v1/auth"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"accessKey": ts.client.api_key, "secretKey": secret}))
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

/// Wrong secrets from `forwarded_for` until the throttle answers 429.
async fn hammer(ts: &TestServer, forwarded_for: &str) {
    for _ in 0..30 {
        match auth_from(ts, forwarded_for, "sk_guess").await {
            429 => return,
            status => assert_eq!(status, 401),
        }
    }
    panic!("never throttled");
}

both!(
    behind_a_trusted_proxy_the_forwarded_address_is_the_callers,
    |db: Db| async move {
        let ts = support::spawn_with(
            db,
            Options {
                env: vec![("PONTE_TRUSTED_PROXIES", "127.0.0.0/8, ::1".into())],
                ..Default::default()
            },
        )
        .await;
        hammer(&ts, "203.0.113.5").await;
        let secret = ts.client.api_secret.clone();
        assert_eq!(auth_from(&ts, "203.0.113.5", &secret).await, 429);
        // Another caller behind the same proxy is not locked out.
        assert_eq!(auth_from(&ts, "198.51.100.7", &secret).await, 200);
        // A client-written hop left of the caller's real one changes nothing.
        assert_eq!(
            auth_from(&ts, "198.51.100.7, 203.0.113.5", &secret).await,
            429
        );
    }
);

both!(
    from_an_untrusted_peer_forwarded_for_is_ignored,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        hammer(&ts, "203.0.113.5").await;
        // The header names someone else, but the socket is the same caller.
        let secret = ts.client.api_secret.clone();
        assert_eq!(auth_from(&ts, "198.51.100.7", &secret).await, 429);
    }
);

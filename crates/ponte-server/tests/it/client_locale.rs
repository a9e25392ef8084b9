//! A client's default language (`ponte clients update --locale`): the widget
//! speaks the link's locale when its creator set one, else the client's,
//! else (null in the session) the end user's browser decides.

use crate::support;

use ponte_server::services::client_locale;
use ponte_server::web::lang::Locale;
use serde_json::{json, Value};
use support::{Db, TestServer};

async fn session_locale(ts: &TestServer, link_token: &str) -> Value {
    let (status, s) = ts.get("/link/session", Some(link_token)).await;
    assert_eq!(status, 200, "{s}");
    s["locale"].clone()
}

both!(
    the_link_s_locale_then_the_client_s_then_the_browser,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let access = ts.access_token().await;
        let client = ts.client.client_id.to_string();
        let (_, plain) = ts.link(&access, json!({})).await;
        let (_, portuguese) = ts
            .link(&access, json!({"externalInfo": {"locale": "pt-BR"}}))
            .await;

        // Nothing set: the browser decides.
        assert_eq!(session_locale(&ts, &plain).await, Value::Null);

        client_locale::set(ts.app(), &client, Some(Locale::En))
            .await
            .unwrap();
        assert_eq!(session_locale(&ts, &plain).await, "en");
        // The link's creator chose for this one.
        assert_eq!(session_locale(&ts, &portuguese).await, "pt-BR");

        // `none`: back to the browser.
        client_locale::set(ts.app(), &client, None).await.unwrap();
        assert_eq!(session_locale(&ts, &plain).await, Value::Null);

        let unknown = client_locale::set(ts.app(), "no-such-client", Some(Locale::En)).await;
        assert!(unknown.is_err(), "an unknown client is named");
    }
);

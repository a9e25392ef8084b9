//! The retention sweep as the server runs it: what ended within
//! `PONTE_RETENTION` stays, what ended before goes.

use crate::support;

use serde_json::json;
use std::time::Duration;
use support::Db;

async fn dead_messages(ts: &support::TestServer) -> usize {
    let mut conn = ts.app().store.read().await.unwrap();
    ponte_store::list_messages(
        &mut conn,
        &ts.client.client_id,
        Some(ponte_store::WebhookStatus::Dead),
        None,
        10,
    )
    .await
    .unwrap()
    .len()
}

both!(
    the_sweep_keeps_recent_messages_and_removes_old_ones,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        // A client without a webhook URL: the consent's first event ends dead at once.
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        ts.consent(&link_token, json!({})).await;
        let mut dead = 0;
        for _ in 0..100 {
            dead = dead_messages(&ts).await;
            if dead > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(dead, 1);

        let pruned = ponte_server::workers::retention::sweep(ts.app())
            .await
            .unwrap();
        assert_eq!(pruned.webhook_messages, 0, "ended today: kept for replay");
        assert_eq!(dead_messages(&ts).await, 1);

        ts.clock.advance(Duration::from_secs(31 * 86_400));
        let pruned = ponte_server::workers::retention::sweep(ts.app())
            .await
            .unwrap();
        assert_eq!(pruned.webhook_messages, 1, "ended 31 days ago: gone");
        assert_eq!(dead_messages(&ts).await, 0);
    }
);

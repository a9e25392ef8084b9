//! Whether the API secret an access token descends from still works, asked
//! of the database at most once per [`RECHECK_MS`] per secret and node: a
//! revoked or rotated-out secret takes its tokens with it within seconds on
//! every node, at the cost of one small query per secret every few seconds.

use crate::clock::Clock;
use ponte_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const RECHECK_MS: i64 = 5_000;

#[derive(Clone, Default)]
pub(super) struct LiveSecrets {
    /// Secret id → (live, checked at clock ms). Only ids from tokens whose
    /// signature held land here, so strangers cannot grow it.
    checked: Arc<Mutex<HashMap<String, (bool, i64)>>>,
}

impl LiveSecrets {
    pub(super) async fn is_live(
        &self,
        store: &Store,
        clock: &Clock,
        client_id: &str,
        secret_id: &str,
    ) -> bool {
        let now = clock.now_ms();
        let cached = self
            .checked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(secret_id)
            .copied();
        if let Some((live, at)) = cached {
            if (0..RECHECK_MS).contains(&(now - at)) {
                return live;
            }
        }
        let live = match store.read().await {
            Ok(mut conn) => ponte_store::secret_live(&mut conn, client_id, secret_id, now).await,
            Err(e) => Err(e),
        };
        let live = match live {
            Ok(live) => live,
            Err(e) => {
                // The request will meet the same database next; refusing here
                // would turn an outage into "invalid token" for everyone.
                tracing::warn!(error = %e, "cannot check a token's secret; letting it through");
                return true;
            }
        };
        self.checked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(secret_id.to_string(), (live, now));
        live
    }
}

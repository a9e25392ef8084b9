//! Whether the API secret an access token descends from still works, asked
//! of the database at most once per [`RECHECK_MS`] per secret and node. A
//! rotation or revocation forgets the client's answers on the node that made
//! it, so there its tokens stop at once; other nodes follow within
//! [`RECHECK_MS`], at the cost of one small query per secret every few seconds.

use crate::clock::Clock;
use ponte_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const RECHECK_MS: i64 = 5_000;

#[derive(Clone, Default)]
pub(super) struct LiveSecrets {
    /// By secret id. Only ids from tokens whose signature held land here,
    /// so strangers cannot grow it.
    checked: Arc<Mutex<HashMap<String, Checked>>>,
}

/// (client id, live, checked at clock ms).
type Checked = (String, bool, i64);

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
            .filter(|(client, _, _)| client == client_id)
            .map(|(_, live, at)| (*live, *at));
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
            .insert(secret_id.to_string(), (client_id.to_string(), live, now));
        live
    }

    /// Drops what is remembered of `client_id`'s secrets: called after a
    /// rotation or revocation commits, so the next request asks the database.
    pub(super) fn forget_client(&self, client_id: &str) {
        self.checked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, (client, _, _)| client != client_id);
    }
}

//! Whether the API secret an access token descends from still works.
//!
//! Asked of the database once per secret and node, then remembered with the
//! secret's end (a rotated-out secret's grace), so a token stops the moment
//! that end passes. A rotation or revocation forgets the client's answers:
//! - on the node that made it, at once (`forget_client`, after the commit);
//! - on every other node of a PostgreSQL database when the commit's
//!   notification arrives (`ponte_store::wake::secrets_changed`). While that
//!   node's listener is down, nothing remembered is trusted: each request
//!   asks the database.
//!
//! [`RECHECK_MS`] bounds what is left: a change made by another process on
//! SQLite (the `ponte` CLI beside a running server), which no notification
//! carries, is seen within it.

use crate::clock::Clock;
use ponte_store::Store;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub const RECHECK_MS: i64 = 5_000;

#[derive(Clone, Default)]
pub(super) struct LiveSecrets {
    /// By secret id. Only ids from tokens whose signature held land here,
    /// so strangers cannot grow it.
    checked: Arc<Mutex<HashMap<String, Checked>>>,
    /// Moves on every forget: an answer read from the database before a
    /// forget is not remembered after it (it may predate the change).
    generation: Arc<AtomicU64>,
}

#[derive(Clone)]
struct Checked {
    client_id: String,
    /// `None`: no such secret (revoked with its client, or never ours).
    /// `Some(None)`: nothing ends it yet.
    ends_at: Option<Option<i64>>,
    checked_at: i64,
}

impl Checked {
    fn live_at(&self, now: i64) -> bool {
        match self.ends_at {
            None => false,
            Some(None) => true,
            Some(Some(end)) => now < end,
        }
    }
}

impl LiveSecrets {
    /// Forgets what the database says whenever another node announces a
    /// change, and everything whenever announcements may have been missed.
    pub(super) fn follow(&self, store: &Store) {
        let me = self.clone();
        store
            .wakes()
            .on_secrets_changed(move |client| match client {
                Some(client_id) => me.forget_client(client_id),
                None => me.forget_all(),
            });
    }

    pub(super) async fn is_live(
        &self,
        store: &Store,
        clock: &Clock,
        client_id: &str,
        secret_id: &str,
    ) -> bool {
        let now = clock.now_ms();
        let trusted =
            store.backend() == ponte_store::Backend::Sqlite || store.wakes().hears_other_nodes();
        if trusted {
            let cached = self
                .lock()
                .get(secret_id)
                .filter(|c| c.client_id == client_id)
                .filter(|c| (0..RECHECK_MS).contains(&(now - c.checked_at)))
                .cloned();
            if let Some(c) = cached {
                return c.live_at(now);
            }
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let ends_at = match store.read().await {
            Ok(mut conn) => ponte_store::secret_expiry(&mut conn, client_id, secret_id).await,
            Err(e) => Err(e),
        };
        let ends_at = match ends_at {
            Ok(ends_at) => ends_at,
            Err(e) => {
                // The request will meet the same database next; refusing here
                // would turn an outage into "invalid token" for everyone.
                tracing::warn!(error = %e, "cannot check a token's secret; letting it through");
                return true;
            }
        };
        let checked = Checked {
            client_id: client_id.to_string(),
            ends_at,
            checked_at: now,
        };
        let live = checked.live_at(now);
        let mut map = self.lock();
        if self.generation.load(Ordering::SeqCst) == generation {
            map.insert(secret_id.to_string(), checked);
        }
        live
    }

    /// Drops what is remembered of `client_id`'s secrets: called after a
    /// rotation or revocation commits, so the next request asks the database.
    pub(super) fn forget_client(&self, client_id: &str) {
        let mut map = self.lock();
        self.generation.fetch_add(1, Ordering::SeqCst);
        map.retain(|_, c| c.client_id != client_id);
    }

    fn forget_all(&self) {
        let mut map = self.lock();
        self.generation.fetch_add(1, Ordering::SeqCst);
        map.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Checked>> {
        self.checked.lock().unwrap_or_else(|p| p.into_inner())
    }
}

//! Whether the API secret an access token descends from still works, and
//! which secrets an API key has (the hot path of signing in).
//!
//! Asked of the database once per secret (or key) and node, then remembered
//! with the secret's end (a rotated-out secret's grace), so a token or a
//! sign-in stops the moment that end passes. A secret the database had not
//! yet when a key's secrets were remembered is found by asking again before
//! a sign-in is refused. A rotation or revocation forgets the client's
//! answers:
//! - on the node that made it, at once (`forget_client`, after the commit);
//! - on every other node of a PostgreSQL database when the commit's
//!   notification arrives (`ponte_store::wake::secrets_changed`);
//! - on a server whose SQLite file another process changed (the `ponte`
//!   CLI beside it), at its next request: the change, once committed, is
//!   announced in a file beside the database that every request looks at
//!   (`Store::secrets_committed`, `Store::secrets_announced`).
//!
//! While a change could go unheard (PostgreSQL's listener is down, the
//! SQLite announcement file cannot be read), nothing remembered is trusted:
//! each request asks the database. [`RECHECK_MS`] bounds what is left.

use crate::clock::Clock;
use ponte_store::{SecretRow, Store};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub const RECHECK_MS: i64 = 5_000;

#[derive(Clone, Default)]
pub(super) struct LiveSecrets {
    remembered: Arc<Mutex<Remembered>>,
    /// Moves on every forget: an answer read from the database before a
    /// forget is not remembered after it (it may predate the change).
    generation: Arc<AtomicU64>,
}

#[derive(Default)]
struct Remembered {
    /// By secret id. Only ids from tokens whose signature held land here,
    /// so strangers cannot grow it.
    by_secret: HashMap<String, Checked>,
    /// By API key. Only keys that exist land here (an unknown key is asked
    /// of the database every time), so strangers cannot grow it.
    by_key: HashMap<String, KeySecrets>,
}

#[derive(Clone)]
struct KeySecrets {
    client_id: String,
    /// Live when read; each one's end is checked again at use.
    secrets: Vec<SecretRow>,
    checked_at: i64,
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

    /// Whether what is remembered may be used: a change any other process
    /// or node commits reaches this one (and, on SQLite, one just seen has
    /// made it forget).
    fn trusted(store: &Store) -> bool {
        store.secrets_announced()
    }

    /// The secrets of the client whose API key this is that work at `now`
    /// (none for an unknown key), and whether they were remembered. `fresh`
    /// asks the database whatever is remembered: the caller's second try,
    /// when none of the remembered ones matched, so a secret made a moment
    /// ago, whose announcement has not arrived yet, signs in.
    pub(super) async fn for_key(
        &self,
        store: &Store,
        now: i64,
        api_key: &str,
        fresh: bool,
    ) -> ponte_store::Result<(Vec<SecretRow>, bool)> {
        let live = |secrets: &[SecretRow]| -> Vec<SecretRow> {
            secrets
                .iter()
                .filter(|s| s.expires_at.is_none_or(|end| now < end))
                .cloned()
                .collect()
        };
        let announced = Self::trusted(store);
        if !fresh && announced {
            let lock = self.lock();
            let cached = lock
                .by_key
                .get(api_key)
                .filter(|k| (0..RECHECK_MS).contains(&(now - k.checked_at)));
            if let Some(k) = cached {
                return Ok((live(&k.secrets), true));
            }
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let secrets =
            ponte_store::live_secrets_by_api_key(&mut *store.read().await?, api_key, now).await?;
        let mut map = self.lock();
        if let Some(first) = secrets.first().filter(|_| announced) {
            if self.generation.load(Ordering::SeqCst) == generation {
                let entry = KeySecrets {
                    client_id: first.client_id.clone(),
                    secrets: secrets.clone(),
                    checked_at: now,
                };
                map.by_key.insert(api_key.to_string(), entry);
            }
        } else {
            map.by_key.remove(api_key);
        }
        Ok((secrets, false))
    }

    pub(super) async fn is_live(
        &self,
        store: &Store,
        clock: &Clock,
        client_id: &str,
        secret_id: &str,
    ) -> bool {
        let now = clock.now_ms();
        if Self::trusted(store) {
            let cached = self
                .lock()
                .by_secret
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
            map.by_secret.insert(secret_id.to_string(), checked);
        }
        live
    }

    /// Drops what is remembered of `client_id`'s secrets: called after a
    /// rotation or revocation commits, so the next request asks the database.
    pub(super) fn forget_client(&self, client_id: &str) {
        let mut map = self.lock();
        self.generation.fetch_add(1, Ordering::SeqCst);
        map.by_secret.retain(|_, c| c.client_id != client_id);
        map.by_key.retain(|_, k| k.client_id != client_id);
    }

    fn forget_all(&self) {
        let mut map = self.lock();
        self.generation.fetch_add(1, Ordering::SeqCst);
        *map = Remembered::default();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Remembered> {
        self.remembered.lock().unwrap_or_else(|p| p.into_inner())
    }
}

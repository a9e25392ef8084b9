//! Tokens whose signature and claims already checked out on this node.
//!
//! An integrator polls with the same access token for up to half an hour,
//! and checking an Ed25519 signature is most of what an authenticated read
//! costs. What a token says never changes once signed (keys are only ever
//! added), so the decoded claims are kept, by the token's SHA-256 (never the
//! token itself), until the token expires. Expiry, the kinds an endpoint
//! accepts and whether the API secret still works are still checked on every
//! request by the caller. Only tokens that verified land here, so strangers
//! cannot grow it, and it is bounded anyway.

use super::Bearer;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Enough for every live token of a busy node; past it, expired ones go
/// first, and if that is not enough the whole cache is dropped (a miss only
/// costs a signature check).
pub(super) const CAPACITY: usize = 8_192;

#[derive(Clone, Default)]
pub(super) struct Verified {
    by_digest: Arc<Mutex<HashMap<[u8; 32], Bearer>>>,
}

pub(super) fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

impl Verified {
    pub(super) fn get(&self, digest: &[u8; 32]) -> Option<Bearer> {
        self.lock().get(digest).cloned()
    }

    pub(super) fn insert(&self, digest: [u8; 32], bearer: Bearer, now_ms: i64) {
        let mut map = self.lock();
        if map.len() >= CAPACITY {
            map.retain(|_, b| b.expires_at > now_ms);
            if map.len() >= CAPACITY {
                map.clear();
            }
        }
        map.insert(digest, bearer);
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Bearer>> {
        self.by_digest.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ponte_core::ClientId;

    fn bearer(expires_at: i64) -> Bearer {
        Bearer::client(ClientId::from_trusted("c"), expires_at)
    }

    #[test]
    fn stays_bounded_dropping_expired_tokens_first() {
        let v = Verified::default();
        for i in 0..CAPACITY - 1 {
            v.insert(digest(&format!("expired {i}")), bearer(10), 0);
        }
        v.insert(digest("live"), bearer(1_000), 0);
        assert_eq!(v.len(), CAPACITY);
        // Full: the expired ones make room, the live one stays.
        v.insert(digest("new"), bearer(1_000), 500);
        assert_eq!(v.len(), 2);
        assert!(v.get(&digest("live")).is_some());
        assert!(v.get(&digest("expired 0")).is_none());
    }

    #[test]
    fn full_of_live_tokens_it_starts_again() {
        let v = Verified::default();
        for i in 0..CAPACITY {
            v.insert(digest(&format!("live {i}")), bearer(1_000), 0);
        }
        v.insert(digest("one more"), bearer(1_000), 0);
        assert_eq!(v.len(), 1);
        assert!(v.get(&digest("one more")).is_some());
    }
}

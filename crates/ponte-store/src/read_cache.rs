//! What a node read, kept until anything is written.
//!
//! An integrator polls a link's page until its status moves, and most polls
//! find nothing changed. Each one was a trip to the database (on SQLite a
//! hand-off to the connection's thread and back, which is most of the
//! request's time). A [`ReadCache`] keeps what was read under the store's
//! [`Store::quiet_mark`](crate::Store::quiet_mark) taken before the read,
//! and gives it back only while the mark is the same: no write of any kind
//! has begun or ended since. One write anywhere and everything kept is
//! dropped at the next `put`. Where there is no mark (PostgreSQL, where
//! other nodes write, or a write under way) nothing is kept or given.
//!
//! Keep only what is read from the database alone: a value that depends on
//! the time (a link that expired) is worked out from what is kept, per call.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// At most `capacity` values, all read under one mark.
pub struct ReadCache<K, V> {
    kept: Mutex<Kept<K, V>>,
    capacity: usize,
}

struct Kept<K, V> {
    mark: u64,
    values: HashMap<K, V>,
}

impl<K: Hash + Eq + Clone, V: Clone> ReadCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        ReadCache {
            kept: Mutex::new(Kept {
                mark: 0,
                values: HashMap::new(),
            }),
            capacity,
        }
    }

    /// `key`'s value if it was read under `mark`, the store's mark now.
    pub fn get<Q>(&self, mark: u64, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.mark != mark {
            return None;
        }
        kept.values.get(key).cloned()
    }

    /// Keeps `value`, read after `mark` was taken. A value read under an
    /// older mark than what is kept is not kept; a newer mark drops
    /// everything kept under the old one.
    pub fn put(&self, mark: u64, key: K, value: V) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if mark < kept.mark {
            return;
        }
        if mark > kept.mark {
            kept.values.clear();
            kept.mark = mark;
        }
        if kept.values.len() >= self.capacity && !kept.values.contains_key(&key) {
            // Full: any one goes (the next write drops them all anyway).
            if let Some(one) = kept.values.keys().next().cloned() {
                kept.values.remove(&one);
            }
        }
        kept.values.insert(key, value);
    }

    /// How many values are kept (for tests and metrics).
    pub fn len(&self) -> usize {
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::ReadCache;
    use crate::testing;
    use crate::Backend;

    #[test]
    fn a_value_is_given_back_only_under_the_mark_it_was_read_under() {
        let cache: ReadCache<String, u32> = ReadCache::new(8);
        cache.put(3, "a".into(), 1);
        assert_eq!(cache.get(3, "a"), Some(1));
        assert_eq!(cache.get(4, "a"), None, "something was written since");
        assert_eq!(cache.get(3, "b"), None);
        // A read that began before the last write is not kept over newer ones.
        cache.put(5, "b".into(), 2);
        cache.put(4, "a".into(), 9);
        assert_eq!(cache.get(5, "a"), None);
        assert_eq!(cache.get(5, "b"), Some(2));
        assert_eq!(cache.len(), 1, "the newer mark dropped what the older kept");
    }

    #[test]
    fn it_holds_no_more_than_its_capacity() {
        let cache: ReadCache<String, u32> = ReadCache::new(3);
        for i in 0..10 {
            cache.put(1, format!("k{i}"), i);
        }
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.get(1, "k9"), Some(9), "the latest is kept");
        cache.put(1, "k9".into(), 10);
        assert_eq!((cache.len(), cache.get(1, "k9")), (3, Some(10)));
    }

    /// The mark moves with every write, committed or not, and there is none
    /// while a write is under way; PostgreSQL, written by other nodes too,
    /// never has one.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_mark_moves_with_every_write_and_is_absent_during_one() {
        for (store, _dir) in testing::stores().await {
            if store.backend() == Backend::Postgres {
                assert_eq!(store.quiet_mark(), None);
                continue;
            }
            let before = wait_for_mark(&store).await;
            let mut tx = store.begin().await.expect("begin");
            assert_eq!(store.quiet_mark(), None, "a write under way");
            testing::client(&mut tx, "c1").await;
            tx.commit().await.expect("commit");
            let after = wait_for_mark(&store).await;
            assert_ne!(after, before, "a committed write moves the mark");

            let mut tx = store.begin().await.expect("begin");
            testing::client(&mut tx, "c2").await;
            tx.rollback().await.expect("rollback");
            let rolled_back = wait_for_mark(&store).await;
            assert_ne!(rolled_back, after, "any use of the writer moves it");

            // Reads leave it where it was.
            let mut conn = store.read().await.expect("read");
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clients")
                .fetch_one(&mut *conn)
                .await
                .expect("count");
            assert_eq!(n, 1);
            assert_eq!(store.quiet_mark(), Some(rolled_back));
        }
    }

    /// SQLite's readers cannot write: every write is the writer's, which the
    /// mark counts.
    #[tokio::test]
    async fn a_sqlite_reader_refuses_to_write() {
        for (store, _dir) in testing::stores().await {
            if store.backend() == Backend::Postgres {
                continue;
            }
            let mut conn = store.read().await.expect("read");
            let err = sqlx::query("DELETE FROM clients")
                .execute(&mut *conn)
                .await
                .expect_err("a reader must not write");
            assert!(err.to_string().contains("readonly"), "{err}");
        }
    }

    /// The writer goes back to the pool in a task of its own after the
    /// transaction ends; until then there is no mark.
    async fn wait_for_mark(store: &crate::Store) -> u64 {
        for _ in 0..200 {
            if let Some(mark) = store.quiet_mark() {
                return mark;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        panic!("the writer never came back to the pool")
    }
}

//! The connections reads borrow: a few kept open for the node's life,
//! handed out and taken back without a trip to the database.
//!
//! sqlx's pool pings every connection it takes back (and, on PostgreSQL,
//! every one it hands out): on the API's hot reads that was one or two round
//! trips more than the query itself, a trip through SQLite's connection
//! thread or a socket round trip to PostgreSQL, and a task spawned per
//! return. Reads need none of what that ping is for: they open no
//! transaction, and a query abandoned half-way leaves nothing the
//! connection's next query does not drain first (sqlx reads PostgreSQL's
//! pending answers before sending; SQLite's thread finishes its command).
//!
//! What the ping caught, a PostgreSQL connection the server dropped (a
//! restart, a proxy's idle timeout), is caught here by a ping before a
//! connection is handed out when it has not been checked for
//! [`CHECK_EVERY`]: one ping per connection and half-second under load,
//! one before the first read after a quiet spell. (A connection to a SQLite
//! file does not go stale.) A connection older than [`MAX_LIFETIME`] is
//! closed and opened again, as the pool did.

use crate::db::{Backend, Result, StoreError, CONNECT_TIMEOUT};
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, Connection, Executor};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a connection may go unchecked before it is pinged again.
pub(crate) const CHECK_EVERY: Duration = Duration::from_millis(500);
/// How long a connection is kept before it is replaced.
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);
/// How long a read waits for a connection while all are lent.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// What each SQLite connection is set to when opened. The page cache is
/// 512 KiB, not SQLite's 2 MiB: a long report's chunks, read a chunk per
/// borrowed connection, otherwise fill every connection's cache (up to
/// 10 MiB held for the process's life). Hot API reads touch a few pages each.
pub(crate) const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -512";

struct Kept {
    conn: AnyConnection,
    opened: Instant,
    checked: Instant,
}

/// At most `size` connections, opened when first needed.
pub(crate) struct Readers {
    backend: Backend,
    options: AnyConnectOptions,
    idle: Mutex<Vec<Kept>>,
    pub(crate) lendable: Arc<Semaphore>,
}

impl Readers {
    pub(crate) fn new(backend: Backend, options: AnyConnectOptions, size: usize) -> Arc<Readers> {
        Arc::new(Readers {
            backend,
            options,
            idle: Mutex::new(Vec::with_capacity(size)),
            lendable: Arc::new(Semaphore::new(size)),
        })
    }

    /// A connection for reads, waiting while all are lent.
    pub(crate) async fn lend(self: &Arc<Self>) -> Result<ReadConn> {
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, self.lendable.clone().acquire_owned())
            .await
            .map_err(|_| StoreError::Db(sqlx::Error::PoolTimedOut))?
            .map_err(|_| StoreError::Db(sqlx::Error::PoolClosed))?;
        let kept = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let now = Instant::now();
        let kept = match kept {
            Some(k) if now.duration_since(k.opened) >= MAX_LIFETIME => {
                let _ = k.conn.close().await;
                self.open().await?
            }
            Some(mut k)
                if self.backend == Backend::Postgres
                    && now.duration_since(k.checked) >= CHECK_EVERY =>
            {
                match k.conn.ping().await {
                    Ok(()) => {
                        k.checked = now;
                        k
                    }
                    Err(e) => {
                        tracing::info!(error = %e, "a kept database connection failed its check; opening another");
                        self.open().await?
                    }
                }
            }
            Some(k) => k,
            None => self.open().await?,
        };
        Ok(ReadConn {
            kept: Some(kept),
            readers: self.clone(),
            _permit: permit,
        })
    }

    async fn open(&self) -> Result<Kept> {
        let opening = async {
            let mut conn = AnyConnection::connect_with(&self.options).await?;
            if self.backend == Backend::Sqlite {
                conn.execute(SQLITE_PRAGMAS).await?;
            }
            Ok::<_, sqlx::Error>(conn)
        };
        let conn = tokio::time::timeout(CONNECT_TIMEOUT, opening)
            .await
            .map_err(|_| StoreError::Db(sqlx::Error::PoolTimedOut))??;
        let now = Instant::now();
        Ok(Kept {
            conn,
            opened: now,
            checked: now,
        })
    }

    /// Closes the idle connections and lends no more; those lent are
    /// dropped when given back.
    pub(crate) async fn close(&self) {
        self.lendable.close();
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(|e| e.into_inner()));
        for k in idle {
            let _ = k.conn.close().await;
        }
    }
}

/// A borrowed connection; dropping it gives it back.
pub struct ReadConn {
    kept: Option<Kept>,
    readers: Arc<Readers>,
    // Released after the connection is back (fields drop after `drop`).
    _permit: OwnedSemaphorePermit,
}

impl std::ops::Deref for ReadConn {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.kept.as_ref().expect("lent until dropped").conn
    }
}

impl std::ops::DerefMut for ReadConn {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.kept.as_mut().expect("lent until dropped").conn
    }
}

impl Drop for ReadConn {
    fn drop(&mut self) {
        if let Some(kept) = self.kept.take() {
            if !self.readers.lendable.is_closed() {
                self.readers
                    .idle
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(kept);
            }
        }
    }
}

impl std::fmt::Debug for ReadConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReadConn")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use std::time::Duration;

    /// A read abandoned while its query runs (a client hanging up) leaves
    /// its connection answering the next read, not with the abandoned
    /// query's rows.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_abandoned_mid_query_leaves_its_connection_usable() {
        for (store, _dir) in testing::stores().await {
            let slow = match store.backend() {
                Backend::Postgres => "SELECT 7 FROM pg_sleep(0.3)",
                // A query that counts to a few million before answering.
                Backend::Sqlite => {
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT max(i) FROM n"
                }
            };
            // One connection lent at a time, so each read below meets the
            // same one: the rest are held.
            let mut held = Vec::new();
            let size = store.readers.lendable.available_permits();
            for _ in 1..size {
                held.push(store.read().await.expect("a reader"));
            }
            for _ in 0..3 {
                let mut conn = store.read().await.expect("the free reader");
                let abandoned = tokio::time::timeout(
                    Duration::from_millis(20),
                    sqlx::query_scalar::<_, i64>(slow).fetch_one(&mut *conn),
                )
                .await;
                assert!(abandoned.is_err(), "the slow query answered within 20 ms");
                drop(conn);
                let mut conn = store.read().await.expect("the same reader, given back");
                let answer: i64 = sqlx::query_scalar("SELECT 42")
                    .fetch_one(&mut *conn)
                    .await
                    .expect("the next read");
                assert_eq!(answer, 42, "{:?}", store.backend());
            }
        }
    }

    /// No more readers are lent than there are: one more read waits until
    /// one is given back, then gets it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_waits_while_every_reader_is_lent() {
        for (store, _dir) in testing::stores().await {
            let size = store.readers.lendable.available_permits();
            let mut held = Vec::new();
            for _ in 0..size {
                held.push(store.read().await.expect("a reader"));
            }
            let waiting = tokio::spawn({
                let store = store.clone();
                async move {
                    let mut conn = store.read().await.expect("a reader given back");
                    sqlx::query_scalar::<_, i64>("SELECT 1")
                        .fetch_one(&mut *conn)
                        .await
                        .expect("read")
                }
            });
            tokio::time::sleep(Duration::from_millis(100)).await;
            assert!(
                !waiting.is_finished(),
                "a read was lent a reader beyond {size}"
            );
            held.pop();
            assert_eq!(waiting.await.expect("task"), 1);
        }
    }

    /// A PostgreSQL connection the server ended (a restart, an operator's
    /// `pg_terminate_backend`) is noticed by its next check and replaced:
    /// reads go on.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_connection_the_server_ended_is_replaced() {
        let Ok(base) = std::env::var("PONTE_TEST_POSTGRES_URL") else {
            return;
        };
        let store = testing::fresh_postgres(&base).await;
        let pid = |mut conn: ReadConn| async move {
            sqlx::query_scalar::<_, i32>("SELECT pg_backend_pid()")
                .fetch_one(&mut *conn)
                .await
        };
        let first = pid(store.read().await.expect("a reader"))
            .await
            .expect("its pid");
        let mut tx = store.begin().await.expect("a writer");
        let ended: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
            .bind(first)
            .fetch_one(&mut *tx)
            .await
            .expect("terminate");
        assert!(ended);
        drop(tx);
        // The check is due once the connection has gone unchecked that long.
        tokio::time::sleep(CHECK_EVERY + Duration::from_millis(50)).await;
        let next = pid(store.read().await.expect("a reader"))
            .await
            .expect("a read after the server ended a connection");
        assert_ne!(next, first, "the ended connection was lent again");
    }
}

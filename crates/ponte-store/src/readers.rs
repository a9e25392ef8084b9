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
//! one before the first read after a quiet spell. A connection to a SQLite
//! file does not go stale, but sqlx runs it on a thread of its own, and a
//! connection whose thread has ended answers every query with an error: the
//! same check replaces it. A connection older than [`MAX_LIFETIME`] is
//! closed and opened again, as the pool did.

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
/// How long opening a connection may take (as the store's first one).
const OPEN_TIMEOUT: Duration = Duration::from_secs(5);

/// What each SQLite connection is set to when opened. The page cache is
/// 512 KiB, not SQLite's 2 MiB: a long report's chunks, read a chunk per
/// borrowed connection, otherwise fill every connection's cache (up to
/// 10 MiB held for the process's life). Hot API reads touch a few pages each.
pub(crate) const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -512";

/// The readers' settings on SQLite: the writer's, and no writing, so that
/// every write goes through the writer (`Store::quiet_mark` counts on it).
pub(crate) const SQLITE_READER_PRAGMAS: &[&str] = &[SQLITE_PRAGMAS, "PRAGMA query_only = ON"];

struct Kept {
    conn: AnyConnection,
    opened: Instant,
    checked: Instant,
}

/// At most `size` connections, opened when first needed.
pub(crate) struct Readers {
    options: AnyConnectOptions,
    /// Run on each connection opened (SQLite's settings).
    on_open: &'static [&'static str],
    idle: Mutex<Vec<Kept>>,
    pub(crate) lendable: Arc<Semaphore>,
}

impl Readers {
    /// `on_open`: SQLite's settings; PostgreSQL needs none.
    pub(crate) fn new(
        options: AnyConnectOptions,
        size: usize,
        on_open: &'static [&'static str],
    ) -> Arc<Readers> {
        Arc::new(Readers {
            options,
            on_open,
            idle: Mutex::new(Vec::with_capacity(size)),
            lendable: Arc::new(Semaphore::new(size)),
        })
    }

    /// A connection for reads, waiting while all are lent.
    pub(crate) async fn lend(self: &Arc<Self>) -> sqlx::Result<ReadConn> {
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, self.lendable.clone().acquire_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let kept = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let now = Instant::now();
        let kept = match kept {
            Some(k) if now.duration_since(k.opened) >= MAX_LIFETIME => {
                let _ = k.conn.close().await;
                self.open().await?
            }
            Some(mut k) if now.duration_since(k.checked) >= CHECK_EVERY => {
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

    async fn open(&self) -> sqlx::Result<Kept> {
        let opening = async {
            let mut conn = AnyConnection::connect_with(&self.options).await?;
            for settings in self.on_open {
                conn.execute(*settings).await?;
            }
            Ok::<_, sqlx::Error>(conn)
        };
        let conn = tokio::time::timeout(OPEN_TIMEOUT, opening)
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)??;
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

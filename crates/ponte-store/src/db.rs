//! The database handles: connecting (SQLite or PostgreSQL), migrations,
//! transactions, the backend differences and the settings table.

use crate::files;
use crate::readers::{ReadConn, Readers, SQLITE_PRAGMAS, SQLITE_READER_PRAGMAS};
use crate::secrets_file::SecretsFile;
use crate::wake::{self, Wakes};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

pub type Conn = sqlx::AnyConnection;
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database file: {0}")]
    File(#[from] std::io::Error),
    #[error("unsupported database URL {0:?}: use sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    /// The database could not be reached at start; the message says why in
    /// words (refused, unreachable, authentication, missing database).
    #[error("cannot connect to the database at {target}: {cause}")]
    Connect { target: String, cause: String },
    /// The task beginning a transaction ended without one (a panic, or the
    /// runtime shutting down).
    #[error("database: beginning a transaction failed: {0}")]
    Begin(String),
}

/// Makes ring the process's TLS provider. sqlx builds its PostgreSQL TLS
/// configuration from the process-wide provider, and so does the S3 client
/// (built without a provider of its own): with none chosen, the first
/// `sslmode=require|verify-ca|verify-full` connection panics. Ring is the
/// only provider compiled in. Idempotent; a provider chosen before stays.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// How long start-up waits for the first database connection: a wrong host
/// fails the start in seconds, not after the pool's 30 s acquire timeout.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The URL without its password, for messages.
fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("********"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Why a first connection failed, in the words an operator searches for.
fn connect_cause(e: &sqlx::Error) -> String {
    use std::io::ErrorKind;
    match e {
        sqlx::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused => {
                "connection refused (is PostgreSQL running on that host and port?)".into()
            }
            ErrorKind::TimedOut => "host unreachable (no answer)".into(),
            ErrorKind::NotFound => format!("no such file or directory ({io})"),
            _ => {
                let text = io.to_string();
                if text.contains("lookup") || text.contains("resolve") {
                    format!("host not found ({text})")
                } else if text.contains("unreachable") {
                    format!("host unreachable ({text})")
                } else {
                    text
                }
            }
        },
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01") | Some("28000") => format!("authentication failed ({})", db.message()),
            Some("3D000") => format!("database does not exist ({})", db.message()),
            // SQLITE_CANTOPEN: the folder is missing or not writable.
            Some("14") => format!("cannot open the database file ({})", db.message()),
            _ => db.message().to_string(),
        },
        sqlx::Error::PoolTimedOut => "host unreachable (no answer)".into(),
        other => other.to_string(),
    }
}

/// The first connection of a pool, within `CONNECT_TIMEOUT`.
async fn connect_pool(
    url: &str,
    pool: AnyPoolOptions,
    options: AnyConnectOptions,
) -> Result<AnyPool> {
    let failed = |cause: String| StoreError::Connect {
        target: redacted(url),
        cause,
    };
    let no_answer = || {
        failed(format!(
            "host unreachable (no answer within {} s)",
            CONNECT_TIMEOUT.as_secs()
        ))
    };
    // One plain connection first: the pool retries a refused connection
    // until its timeout and then reports only that it timed out.
    let probe = <sqlx::AnyConnection as sqlx::Connection>::connect_with(&options);
    match tokio::time::timeout(CONNECT_TIMEOUT, probe).await {
        Ok(Ok(conn)) => {
            let _ = sqlx::Connection::close(conn).await;
        }
        Ok(Err(e)) => return Err(failed(connect_cause(&e))),
        Err(_) => return Err(no_answer()),
    }
    match tokio::time::timeout(CONNECT_TIMEOUT, pool.connect_with(options)).await {
        Ok(Ok(pool)) => Ok(pool),
        Ok(Err(e)) => Err(failed(connect_cause(&e))),
        Err(_) => Err(no_answer()),
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The row-locking clause that lets several nodes claim work side by
    /// side; SQLite needs none, having one writer.
    pub fn skip_locked(self) -> &'static str {
        match self {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        }
    }
}

/// Handles to the database. On SQLite all writes go through one connection
/// (SQLite has one writer; queuing in the pool beats `SQLITE_BUSY`), reads
/// through a small pool beside it (WAL lets them run during a write).
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    writer: AnyPool,
    pub(crate) readers: std::sync::Arc<Readers>,
    wakes: std::sync::Arc<Wakes>,
    /// PostgreSQL's URL, for the listener's own connection (see `wake`).
    listen_url: Option<String>,
    /// SQLite on a file: how other processes' changes to API secrets are
    /// announced (see `secrets_file`).
    secrets_file: Option<std::sync::Arc<SecretsFile>>,
    /// SQLite: how many times the writer came back to the pool (see
    /// [`Store::quiet_mark`]); PostgreSQL: none.
    writer_returns: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
}

impl Store {
    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        install_tls_provider();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let options = AnyConnectOptions::from_str(url)?;
        let wakes = std::sync::Arc::new(Wakes::default());
        let store = match backend {
            Backend::Sqlite => {
                files::restrict_sqlite_files(url)?;
                // The writer back in the pool means its transaction ended:
                // committed work wakes its worker then (see `wake`), and what
                // was read before it may have changed (see `quiet_mark`).
                let released = wakes.clone();
                let returns = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
                let counted = returns.clone();
                let writer_options = sqlite_pool(1)
                    // Never closed on its way back without `after_release`
                    // (sqlx closes a connection past its lifetime there):
                    // every write must move the count. A local file's
                    // connection needs no renewing.
                    .max_lifetime(None)
                    .after_release(move |_, _| {
                        counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        released.writer_released();
                        Box::pin(async { Ok(true) })
                    });
                let writer = connect_pool(url, writer_options, options.clone()).await?;
                // WAL is a property of the file: set once, before the readers open it.
                writer.execute("PRAGMA journal_mode = WAL").await?;
                let readers = Readers::new(options, 4, SQLITE_READER_PRAGMAS);
                Store {
                    backend,
                    writer,
                    readers,
                    wakes,
                    listen_url: None,
                    secrets_file: SecretsFile::beside(files::sqlite_file(url))
                        .map(std::sync::Arc::new),
                    writer_returns: Some(returns),
                }
            }
            Backend::Postgres => {
                // Twenty connections a node: twelve for transactions, eight
                // for reads (and one more for the listener).
                let pool = AnyPoolOptions::new()
                    .max_connections(12)
                    .acquire_timeout(Duration::from_secs(30));
                let writer = connect_pool(url, pool, options.clone()).await?;
                Store {
                    backend,
                    writer,
                    readers: Readers::new(options, 8, &[]),
                    wakes,
                    listen_url: Some(url.to_string()),
                    secrets_file: None,
                    writer_returns: None,
                }
            }
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.writer)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.writer)
                    .await?
            }
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// What wakes this store's workers when work is committed.
    pub fn wakes(&self) -> &Wakes {
        &self.wakes
    }

    /// Says, after it committed, that API secrets changed, to every process
    /// on this database: on PostgreSQL `wake::secrets_changed` did it inside
    /// the transaction; on a SQLite file this appends to the file servers
    /// look at.
    pub fn secrets_committed(&self) {
        if let Some(file) = &self.secrets_file {
            file.announce();
        }
    }

    /// Whether a change to API secrets committed by any other process or
    /// node reaches this one's `on_secrets_changed` hooks by now, so that
    /// what it remembers may be trusted. PostgreSQL: the listener is up.
    /// SQLite: the announcement file was looked at just now (and the hooks
    /// told to forget everything if it changed); a database in memory has
    /// no other process.
    pub fn secrets_announced(&self) -> bool {
        match self.backend {
            Backend::Postgres => self.wakes.hears_other_nodes(),
            Backend::Sqlite => match self.secrets_file.as_deref().map(SecretsFile::changed) {
                None | Some(Ok(false)) => true,
                Some(Ok(true)) => {
                    self.wakes.secrets_changed_elsewhere();
                    true
                }
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "cannot look for changes of API secrets by other processes");
                    false
                }
            },
        }
    }

    /// Hears of work committed by any node until `stop` (PostgreSQL; on
    /// SQLite the writer's release does it and this returns at once).
    pub fn listen(
        &self,
        stop: tokio::sync::watch::Receiver<bool>,
    ) -> impl std::future::Future<Output = ()> + Send + 'static {
        let (url, wakes) = (self.listen_url.clone(), self.wakes.clone());
        async move {
            if let Some(url) = url {
                wake::listen(url, wakes, stop).await
            }
        }
    }

    /// A write transaction. Never open a second one while holding one: on
    /// SQLite the writer is a single connection.
    ///
    /// Begun in a task of its own. sqlx (0.8.6, 0.9.0) leaves a PostgreSQL
    /// connection inside a transaction nobody will end when the future
    /// awaiting `BEGIN` is dropped (a client hanging up, a request deadline):
    /// the pool hands it on, the next borrower's statements run inside it,
    /// and what they write is lost when the connection closes
    /// (launchbadge/sqlx#4393). In its own task `BEGIN` always completes, and
    /// a transaction nobody awaits any more is dropped there, which rolls it
    /// back like any other.
    pub async fn begin(&self) -> Result<Tx> {
        let writer = self.writer.clone();
        match tokio::spawn(async move { writer.begin().await }).await {
            Ok(tx) => Ok(tx?),
            Err(e) => Err(StoreError::Begin(e.to_string())),
        }
    }

    /// A mark of everything this process has written so far, for keeping
    /// what it read until something is written (see `read_cache`): `Some`
    /// only where every write to the database goes through this store and
    /// none is under way at this instant. That is SQLite, whose one writer
    /// connection is checked out for each write and counted back in after
    /// it (its readers refuse to write, and `ponte serve` is the only
    /// process that writes what is kept: the CLI changes clients, and one
    /// it deletes, links and all, loses its tokens at once through the
    /// secrets announcement). PostgreSQL has other nodes writing: always
    /// `None`.
    ///
    /// A write committed is never missed: the writer stays out of the pool
    /// from before its transaction begins until after it ends, and the
    /// count moves before it is back, so a mark taken before a read is
    /// different from any taken after a write that could have changed it.
    pub fn quiet_mark(&self) -> Option<u64> {
        let returns = self.writer_returns.as_ref()?;
        // Out (or being opened, or on its way back): a write may be under way.
        if self.writer.num_idle() != self.writer.size() as usize {
            return None;
        }
        Some(returns.load(std::sync::atomic::Ordering::SeqCst))
    }

    /// A connection for reads outside any transaction (see `readers`).
    pub async fn read(&self) -> Result<ReadConn> {
        Ok(self.readers.lend().await?)
    }

    pub async fn ping(&self) -> Result<()> {
        self.read().await?.execute("SELECT 1").await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.readers.close().await;
    }
}

fn sqlite_pool(max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(30))
        // sqlx pings every connection it hands out (a trip to the
        // connection's worker thread and back); a connection to a local
        // file does not go stale the way a socket to a server does, so
        // SQLite's writer skips it. PostgreSQL's keeps it.
        .test_before_acquire(false)
        // The same settings as the readers' (see `SQLITE_PRAGMAS`).
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(SQLITE_PRAGMAS).await?;
                Ok(())
            })
        })
}

/// Reads a string setting (e.g. a generated secret shared by every node).
pub async fn get_setting(conn: &mut Conn, name: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
            .bind(name)
            .fetch_optional(conn)
            .await?,
    )
}

/// Stores `value` unless the setting exists; returns the value that won, so
/// nodes starting together agree.
pub async fn init_setting(conn: &mut Conn, name: &str, value: &str) -> Result<String> {
    sqlx::query("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    Ok(get_setting(conn, name)
        .await?
        .unwrap_or_else(|| value.to_string()))
}

#[cfg(test)]
mod begin_tests {
    use crate::testing;
    use std::future::Future;
    use std::task::Poll;

    /// Polls `f`, letting the runtime run in between, until it is done or
    /// `budget` has passed, then drops it: a caller that stopped waiting.
    async fn abandon<F: Future>(f: F, budget: std::time::Duration) {
        let mut f = std::pin::pin!(f);
        let start = std::time::Instant::now();
        while start.elapsed() < budget {
            let done = std::future::poll_fn(|cx| Poll::Ready(f.as_mut().poll(cx).is_ready())).await;
            if done {
                return;
            }
            tokio::task::yield_now().await;
        }
    }

    /// A `begin` its caller stopped awaiting, at any point, leaves no
    /// connection inside a transaction: a write made next on the same
    /// connection is committed, and another connection sees it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_abandoned_begin_leaves_no_connection_inside_a_transaction() {
        let Ok(base) = std::env::var("PONTE_TEST_POSTGRES_URL") else {
            return;
        };
        let store = testing::fresh_postgres(&base).await;
        // Abandoned after 0 to 2 ms in steps of 10 µs: before, during and
        // after the pool's ping and BEGIN's round trip on loopback. (Without
        // the fix about half of the runs of this sweep lost a write.)
        for step in 0..=200u64 {
            let budget = std::time::Duration::from_micros(10 * step);
            // Every connection of the writers' pool but one held, so that
            // the begin and the write after it meet the same connection.
            let mut held = Vec::new();
            for _ in 0..12 {
                held.push(store.writer.acquire().await.expect("connection"));
            }
            held.pop();
            abandon(store.begin(), budget).await;
            let id = format!("abandoned_{step}");
            {
                let mut conn = store.writer.acquire().await.expect("the free connection");
                testing::client(&mut conn, &id).await;
            }
            let seen: Option<String> = sqlx::query_scalar("SELECT id FROM clients WHERE id = $1")
                .bind(&id)
                .fetch_optional(&mut *held[0])
                .await
                .expect("read");
            assert_eq!(
                seen.as_deref(),
                Some(id.as_str()),
                "after a begin abandoned at {budget:?}, a write on its connection was not committed"
            );
        }
    }
}

#[cfg(test)]
mod connect_tests {
    use super::*;

    #[tokio::test]
    async fn a_refused_connection_is_named_and_the_password_is_not() {
        // Port 1 on loopback: nothing listens, the refusal is immediate.
        let err = match Store::open("postgres://ponte:hunter2@127.0.0.1:1/ponte").await {
            Err(e) => e.to_string(),
            Ok(_) => panic!("connected to port 1"),
        };
        assert!(err.contains("connection refused"), "{err}");
        assert!(
            err.contains("127.0.0.1:1") && !err.contains("hunter2"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn every_sqlite_connection_keeps_a_small_page_cache() {
        // A long report's chunks are read a chunk per borrowed connection: each
        // connection's cache, not only the first one's, must stay small.
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let store = Store::open(&url).await.expect("sqlite");
        let mut readers = Vec::new();
        for _ in 0..4 {
            readers.push(store.read().await.expect("a reader"));
        }
        for reader in &mut readers {
            let kib: i64 = sqlx::query_scalar("PRAGMA cache_size")
                .fetch_one(&mut **reader)
                .await
                .expect("cache_size");
            assert_eq!(kib, -512, "a reader's page cache");
        }
        let mut tx = store.begin().await.expect("the writer");
        let kib: i64 = sqlx::query_scalar("PRAGMA cache_size")
            .fetch_one(&mut *tx)
            .await
            .expect("cache_size");
        assert_eq!(kib, -512, "the writer's page cache");
    }

    #[tokio::test]
    async fn a_missing_database_is_named() {
        let Ok(base) = std::env::var("PONTE_TEST_POSTGRES_URL") else {
            return;
        };
        let Some((head, _)) = base.rsplit_once('/') else {
            return;
        };
        let err = match Store::open(&format!("{head}/ponte_no_such_database")).await {
            Err(e) => e.to_string(),
            Ok(_) => panic!("a database that does not exist opened"),
        };
        assert!(err.contains("database does not exist"), "{err}");
    }
}

#[cfg(test)]
mod readers_tests {
    //! The readers (`readers.rs`) as the store lends them.
    use super::*;
    use crate::readers::CHECK_EVERY;
    use crate::testing;

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

//! Wakes the webhook dispatcher and the job runner when work they can claim
//! is committed, so neither waits for its next poll. Always after the commit,
//! never before: a worker woken early would claim nothing and sleep again.
//!
//! - PostgreSQL: the enqueuing statement runs `pg_notify` inside the caller's
//!   transaction, which PostgreSQL delivers only when the transaction
//!   commits, to every node's listener (this one's included): any node may
//!   claim any message, so every node is told.
//! - SQLite (one node by design): enqueuing bumps a process-wide count, and
//!   the writer connection, when it goes back to the pool after the
//!   transaction ended, wakes this store's workers if the count moved since
//!   it last looked. Every write goes through that one connection, so an
//!   enqueue is always seen by its own store's next release.
//!
//! The workers keep a poll as the fallback: for retries and leases coming
//! due, and for a notification missed while the listener reconnects.

use crate::{db::Conn, db::Result};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// The one channel every node listens on; the payload says which work.
pub(crate) const CHANNEL: &str = "ponte_work";

/// Work a worker waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    Webhooks,
    Jobs,
}

impl Work {
    fn payload(self) -> &'static str {
        match self {
            Work::Webhooks => "webhooks",
            Work::Jobs => "jobs",
        }
    }

    fn enqueued(self) -> &'static AtomicU64 {
        match self {
            Work::Webhooks => &ENQUEUED_WEBHOOKS,
            Work::Jobs => &ENQUEUED_JOBS,
        }
    }
}

/// Enqueues on SQLite in this process, ever. Process-wide because an enqueue
/// sees only its connection, not its store; a store in the same process
/// that did not enqueue (tests start several) just wakes once for nothing.
static ENQUEUED_WEBHOOKS: AtomicU64 = AtomicU64::new(0);
static ENQUEUED_JOBS: AtomicU64 = AtomicU64::new(0);

/// The payload's prefix for a client whose API secrets changed.
const SECRETS: &str = "secrets:";

/// Told that a client's API secrets changed on some node (`Some(client id)`),
/// or that changes may have gone unheard (`None`: forget them all).
type SecretsHook = Box<dyn Fn(Option<&str>) + Send + Sync>;

/// One store's wake-ups, waited on by its workers.
#[derive(Default)]
pub struct Wakes {
    webhooks: Notify,
    jobs: Notify,
    seen_webhooks: AtomicU64,
    seen_jobs: AtomicU64,
    secrets_hooks: Mutex<Vec<SecretsHook>>,
    /// PostgreSQL: the listener is connected and listening, so a change
    /// another node commits reaches the hooks.
    listening: AtomicBool,
    /// Secrets changes heard from the database (for tests to wait on).
    secrets_heard: AtomicU64,
}

impl Wakes {
    /// Resolves once `work` was committed since the last call returned (a
    /// wake that came while nobody waited is kept, one deep).
    pub async fn committed(&self, work: Work) {
        self.notify(work).notified().await
    }

    fn notify(&self, work: Work) -> &Notify {
        match work {
            Work::Webhooks => &self.webhooks,
            Work::Jobs => &self.jobs,
        }
    }

    /// Wakes the workers of `work` now.
    pub fn wake(&self, work: Work) {
        self.notify(work).notify_one();
    }

    fn wake_all(&self) {
        self.wake(Work::Webhooks);
        self.wake(Work::Jobs);
    }

    /// Calls `hook` whenever a client's API secrets change on any node
    /// (PostgreSQL), and with `None` whenever such changes may have gone
    /// unheard (the listener lost its connection).
    pub fn on_secrets_changed(&self, hook: impl Fn(Option<&str>) + Send + Sync + 'static) {
        self.secrets_hooks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Box::new(hook));
    }

    /// Whether a secrets change committed by another node reaches the hooks
    /// now: the PostgreSQL listener is up. (On SQLite there is no other node.)
    pub fn hears_other_nodes(&self) -> bool {
        self.listening.load(Ordering::SeqCst)
    }

    /// How many secrets changes this store heard from the database.
    pub fn secrets_changes_heard(&self) -> u64 {
        self.secrets_heard.load(Ordering::SeqCst)
    }

    fn secrets_changed(&self, client_id: Option<&str>) {
        for hook in self
            .secrets_hooks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            hook(client_id);
        }
        if client_id.is_some() {
            self.secrets_heard.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Another process may have changed secrets (SQLite's announcement
    /// file moved): everything remembered is forgotten.
    pub(crate) fn secrets_changed_elsewhere(&self) {
        self.secrets_changed(None);
    }

    fn set_listening(&self, on: bool) {
        self.listening.store(on, Ordering::SeqCst);
        // Whatever was committed while nobody listened was not announced.
        self.secrets_changed(None);
    }

    /// The SQLite writer went back to the pool: its transaction is over.
    pub(crate) fn writer_released(&self) {
        for (work, seen) in [
            (Work::Webhooks, &self.seen_webhooks),
            (Work::Jobs, &self.seen_jobs),
        ] {
            let now = work.enqueued().load(Ordering::SeqCst);
            if seen.swap(now, Ordering::SeqCst) != now {
                self.wake(work);
            }
        }
    }
}

/// Marks `work` as enqueued on `conn`, inside the caller's transaction: on
/// PostgreSQL a notification delivered at commit, on SQLite a count the
/// writer's release reads.
pub async fn enqueued(conn: &mut Conn, work: Work) -> Result<()> {
    if is_postgres(conn) {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(work.payload())
            .execute(conn)
            .await?;
    } else {
        work.enqueued().fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

/// Announces, inside the caller's transaction, that `client_id`'s API
/// secrets changed: on PostgreSQL every node hears it at commit and stops
/// trusting what it remembered of them. On SQLite, `Store::secrets_committed`
/// after the commit tells the other processes on the file.
pub async fn secrets_changed(conn: &mut Conn, client_id: &str) -> Result<()> {
    if is_postgres(conn) {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(format!("{SECRETS}{client_id}"))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// On SQLite, counts an enqueue done by a statement that notifies on
/// PostgreSQL by itself (see `notifying_insert`).
pub(crate) fn count_sqlite(conn: &Conn, work: Work) {
    if !is_postgres(conn) {
        work.enqueued().fetch_add(1, Ordering::SeqCst);
    }
}

pub(crate) fn is_postgres(conn: &Conn) -> bool {
    conn.backend_name().eq_ignore_ascii_case("postgresql")
}

/// `INSERT INTO table (columns) VALUES (placeholders)` that, on PostgreSQL,
/// also notifies `work`'s workers at commit, in the same round trip: the
/// values are selected from a one-row `pg_notify` call.
pub(crate) fn notifying_insert(
    postgres: bool,
    table: &str,
    columns: &str,
    placeholders: &str,
    work: Work,
) -> String {
    if postgres {
        format!(
            "WITH wake AS (SELECT pg_notify('{CHANNEL}', '{}')) INSERT INTO {table} ({columns}) SELECT {placeholders} FROM wake",
            work.payload()
        )
    } else {
        format!("INSERT INTO {table} ({columns}) VALUES ({placeholders})")
    }
}

/// Listens for other nodes' (and this one's) commits on PostgreSQL until
/// `stop`; returns at once on SQLite. A lost connection is opened again,
/// with the workers woken each time (what was committed meanwhile was not
/// announced) and their poll covering the gap.
pub async fn listen(url: String, wakes: Arc<Wakes>, mut stop: watch::Receiver<bool>) {
    let mut retry = Duration::from_millis(250);
    loop {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => {
                    retry = Duration::from_millis(250);
                    wakes.set_listening(true);
                    wakes.wake_all();
                    loop {
                        tokio::select! {
                            got = listener.try_recv() => match got {
                                Ok(Some(n)) => match n.payload() {
                                    "webhooks" => wakes.wake(Work::Webhooks),
                                    "jobs" => wakes.wake(Work::Jobs),
                                    p => match p.strip_prefix(SECRETS) {
                                        Some(client) => wakes.secrets_changed(Some(client)),
                                        None => wakes.wake_all(),
                                    },
                                },
                                // Lost. Connect again here rather than let
                                // sqlx do it on the next call, so that
                                // `listening` is true only while LISTEN is.
                                Ok(None) => {
                                    wakes.set_listening(false);
                                    wakes.wake_all();
                                    break;
                                }
                                Err(e) => {
                                    wakes.set_listening(false);
                                    tracing::warn!(error = %e, "listening for committed work failed; polling meanwhile");
                                    break;
                                }
                            },
                            _ = stop.changed() => {
                                wakes.set_listening(false);
                                return;
                            }
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "LISTEN for committed work failed; polling meanwhile")
                }
            },
            Err(e) => {
                tracing::warn!(error = %e, "connecting to listen for committed work failed; polling meanwhile")
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(retry) => {}
            _ = stop.changed() => return,
        }
        retry = (retry * 2).min(Duration::from_secs(10));
    }
}

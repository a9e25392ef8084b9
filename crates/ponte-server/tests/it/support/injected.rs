//! A database that fails for real: a trigger created through the test's own
//! connection aborts the inserts a job makes, as a database blip would; and
//! the job's row as the database holds it, with the injected clock moved past
//! each backoff instead of waiting for it.

use super::{Db, TestServer};
use sqlx::{Connection, Executor, Row};
use std::time::Duration;

/// The failing trigger, dropped with `stop`.
pub struct Injected {
    conn: sqlx::AnyConnection,
    db: Db,
    table: &'static str,
}

impl Injected {
    /// Every insert into `table` whose row matches `when` (an SQL condition on
    /// `NEW`, the same on both databases; `TRUE` for all) aborts.
    pub async fn start(ts: &TestServer, db: Db, table: &'static str, when: &str) -> Injected {
        let mut conn = sqlx::AnyConnection::connect(&ts.database_url)
            .await
            .expect("a connection of the test's own");
        let statements = match db {
            Db::Sqlite => vec![format!(
                "CREATE TRIGGER injected_failure BEFORE INSERT ON {table}
                 WHEN {when} BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )],
            Db::Postgres => vec![
                "CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql
                 AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$"
                    .to_string(),
                format!(
                    "CREATE TRIGGER injected_failure BEFORE INSERT ON {table} FOR EACH ROW
                     WHEN ({when}) EXECUTE FUNCTION injected_failure()"
                ),
            ],
        };
        for s in &statements {
            conn.execute(s.as_str())
                .await
                .expect("create the failing trigger");
        }
        Injected { conn, db, table }
    }

    pub async fn stop(mut self) {
        let drop = match self.db {
            Db::Sqlite => "DROP TRIGGER injected_failure".to_string(),
            Db::Postgres => format!("DROP TRIGGER injected_failure ON {}", self.table),
        };
        self.conn
            .execute(drop.as_str())
            .await
            .expect("drop the trigger");
    }
}

#[derive(Debug)]
pub struct Job {
    pub status: String,
    pub attempts: i64,
    pub run_at: i64,
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
}

impl Job {
    /// A try ended and its outcome is recorded.
    pub fn at_rest(&self) -> bool {
        self.locked_until.is_none()
    }
}

/// The test's one job of `kind`, as the database holds it.
pub async fn job(ts: &TestServer, kind: &str) -> Job {
    let mut conn = ts.app().store.read().await.unwrap();
    let row = sqlx::query(
        "SELECT status, attempts, run_at, locked_until, last_error FROM jobs WHERE kind = $1",
    )
    .bind(kind)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    Job {
        status: row.get("status"),
        attempts: row.get("attempts"),
        run_at: row.get("run_at"),
        locked_until: row.get("locked_until"),
        last_error: row.get("last_error"),
    }
}

/// Waits for try `attempt` of the job of `kind` to be recorded.
pub async fn after_try(ts: &TestServer, kind: &str, attempt: i64) -> Job {
    for _ in 0..1200 {
        let j = job(ts, kind).await;
        if j.attempts >= attempt && j.at_rest() {
            assert_eq!(j.attempts, attempt, "{j:?}");
            return j;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("try {attempt} never ended: {:?}", job(ts, kind).await);
}

/// Moves the server's clock to the job's next run instead of waiting for it.
pub fn skip_backoff(ts: &TestServer, j: &Job) {
    let wait = j.run_at - ts.app().clock.now_ms();
    if wait > 0 {
        ts.clock.advance(Duration::from_millis(wait as u64 + 1));
    }
}

/// Lets the job of `kind` run try after try from `attempt`, moving the
/// clock past each backoff, until a try ends it (not `pending`); that job.
pub async fn tries_until_settled(ts: &TestServer, kind: &str, mut attempt: i64) -> Job {
    loop {
        let j = after_try(ts, kind, attempt).await;
        if j.status != "pending" {
            return j;
        }
        skip_backoff(ts, &j);
        attempt += 1;
    }
}

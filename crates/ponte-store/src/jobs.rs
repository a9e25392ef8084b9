//! Durable jobs: rows written in the transaction that causes them, claimed
//! under a lease (`SKIP LOCKED` on PostgreSQL), retried until done. A worker
//! killed mid-job leaves the lease to lapse and the job runs again, so a job
//! must be safe to run twice.

use crate::db::{Backend, Conn, Result};
use crate::typed::{JobKind, JobStatus};
use crate::wake::{self, Work};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: String,
    pub kind: JobKind,
    pub payload: String,
    pub status: JobStatus,
    pub attempts: i64,
    pub run_at: i64,
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

const COLUMNS: &str = "id, kind, payload, status, attempts, run_at, locked_until, last_error, created_at, finished_at";

pub async fn insert_job(
    conn: &mut Conn,
    id: &str,
    kind: &JobKind,
    payload: &str,
    now: i64,
) -> Result<()> {
    // The job runners are woken once the caller's transaction commits (see `wake`).
    let sql = wake::notifying_insert(
        wake::is_postgres(conn),
        "jobs",
        "id, kind, payload, status, attempts, run_at, created_at",
        "$1, $2, $3, 'pending', 0, $4, $5",
        Work::Jobs,
    );
    sqlx::query(&sql)
        .bind(id)
        .bind(kind)
        .bind(payload)
        .bind(now)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    wake::count_sqlite(conn, Work::Jobs);
    Ok(())
}

/// Leases up to `limit` due jobs until `lease_until`, counting the attempt.
pub async fn claim_jobs(
    conn: &mut Conn,
    backend: Backend,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<JobRow>> {
    let lock = backend.skip_locked();
    Ok(sqlx::query_as(&format!(
        "UPDATE jobs SET locked_until = $1, attempts = attempts + 1 WHERE id IN (
            SELECT id FROM jobs WHERE status = 'pending' AND run_at <= $2 AND (locked_until IS NULL OR locked_until <= $3)
            ORDER BY run_at LIMIT $4 {lock})
         RETURNING {COLUMNS}"
    ))
    .bind(lease_until)
    .bind(now)
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Which claim of a job a worker holds: the attempt its claim counted. A
/// lease that lapsed and was claimed again counts a newer attempt, so the
/// older holder can no longer renew, finish or reschedule the job (the same
/// fence as webhook attempts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobLease {
    pub id: String,
    pub attempt: i64,
}

impl JobRow {
    pub fn lease(&self) -> JobLease {
        JobLease {
            id: self.id.clone(),
            attempt: self.attempts,
        }
    }
}

/// Keeps a running job's lease alive; false if the job is finished or its
/// lease was taken over.
pub async fn extend_job_lease(conn: &mut Conn, lease: &JobLease, until: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE jobs SET locked_until = $1 WHERE id = $2 AND attempts = $3 AND status = 'pending'",
    )
    .bind(until)
    .bind(&lease.id)
    .bind(lease.attempt)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// How a job ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobEnd {
    Done,
    Failed,
}

impl From<JobEnd> for JobStatus {
    fn from(end: JobEnd) -> JobStatus {
        match end {
            JobEnd::Done => JobStatus::Done,
            JobEnd::Failed => JobStatus::Failed,
        }
    }
}

/// Ends the job; false, and nothing written, if the lease was taken over or
/// the job already ended.
pub async fn finish_job(
    conn: &mut Conn,
    lease: &JobLease,
    end: JobEnd,
    error: Option<&str>,
    now: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE jobs SET status = $1, last_error = $2, finished_at = $3, locked_until = NULL
         WHERE id = $4 AND attempts = $5 AND status = 'pending'",
    )
    .bind(JobStatus::from(end))
    .bind(error)
    .bind(now)
    .bind(&lease.id)
    .bind(lease.attempt)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Puts the job back in the queue for `at`, under the same fence as `finish_job`.
pub async fn retry_job(conn: &mut Conn, lease: &JobLease, error: &str, at: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE jobs SET run_at = $1, last_error = $2, locked_until = NULL
         WHERE id = $3 AND attempts = $4 AND status = 'pending'",
    )
    .bind(at)
    .bind(error)
    .bind(&lease.id)
    .bind(lease.attempt)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn job_by_id(conn: &mut Conn, id: &str) -> Result<Option<JobRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM jobs WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn count_jobs(conn: &mut Conn, status: JobStatus) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE status = $1")
            .bind(status)
            .fetch_one(conn)
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::stores;

    const KIND: JobKind = JobKind::new("retrieve");

    #[tokio::test]
    async fn jobs_are_claimed_once_per_lease_and_rerun_after_a_crash() {
        for (store, _dir) in stores().await {
            let b = store.backend();
            let mut tx = store.begin().await.unwrap();
            insert_job(&mut tx, "j1", &KIND, "{}", 100).await.unwrap();
            insert_job(&mut tx, "j2", &KIND, "{}", 900).await.unwrap();
            let first = claim_jobs(&mut tx, b, 200, 1_200, 10).await.unwrap();
            assert_eq!(
                first
                    .iter()
                    .map(|j| (j.id.as_str(), j.attempts))
                    .collect::<Vec<_>>(),
                [("j1", 1)]
            );
            assert!(
                claim_jobs(&mut tx, b, 300, 1_300, 10)
                    .await
                    .unwrap()
                    .is_empty(),
                "leased"
            );
            // The worker died: after the lease, the job runs again.
            let mut again = claim_jobs(&mut tx, b, 1_200, 2_200, 10).await.unwrap();
            again.sort_by(|a, b| a.id.cmp(&b.id));
            assert_eq!(
                again
                    .iter()
                    .map(|j| (j.id.as_str(), j.attempts))
                    .collect::<Vec<_>>(),
                [("j1", 2), ("j2", 1)]
            );
            // A live worker keeps its lease past the original end.
            let j2 = again[1].lease();
            assert!(extend_job_lease(&mut tx, &j2, 3_000).await.unwrap());
            let lapsed = claim_jobs(&mut tx, b, 2_500, 3_500, 10).await.unwrap();
            assert_eq!(
                lapsed
                    .iter()
                    .map(|j| (j.id.as_str(), j.attempts))
                    .collect::<Vec<_>>(),
                [("j1", 3)],
                "j1's lease lapsed, j2's was kept"
            );
            let j1 = lapsed[0].lease();
            assert!(retry_job(&mut tx, &j1, "bank down", 5_000).await.unwrap());
            assert!(finish_job(&mut tx, &j2, JobEnd::Done, None, 1_300)
                .await
                .unwrap());
            assert!(claim_jobs(&mut tx, b, 4_000, 5_000, 10)
                .await
                .unwrap()
                .is_empty());
            assert_eq!(
                claim_jobs(&mut tx, b, 5_000, 6_000, 10).await.unwrap()[0]
                    .last_error
                    .as_deref(),
                Some("bank down")
            );
            assert_eq!(count_jobs(&mut tx, JobStatus::Done).await.unwrap(), 1);
            tx.commit().await.unwrap();
        }
    }

    #[tokio::test]
    async fn a_job_whose_lease_was_taken_over_cannot_record_its_outcome() {
        for (store, _dir) in stores().await {
            let b = store.backend();
            let mut tx = store.begin().await.unwrap();
            insert_job(&mut tx, "j", &KIND, "{}", 100).await.unwrap();
            let stale = claim_jobs(&mut tx, b, 100, 1_100, 10).await.unwrap()[0].lease();
            // The first worker stalled past its lease; another took the job over.
            let current = claim_jobs(&mut tx, b, 1_100, 2_100, 10).await.unwrap()[0].lease();
            assert_eq!((stale.attempt, current.attempt), (1, 2));

            assert!(!extend_job_lease(&mut tx, &stale, 5_000).await.unwrap());
            assert!(!finish_job(&mut tx, &stale, JobEnd::Done, None, 1_200)
                .await
                .unwrap());
            assert!(!retry_job(&mut tx, &stale, "late", 9_000).await.unwrap());
            let row = job_by_id(&mut tx, "j").await.unwrap().unwrap();
            assert_eq!(
                (row.status, row.locked_until, row.last_error),
                (JobStatus::Pending, Some(2_100), None),
                "the stale holder changed nothing"
            );

            assert!(
                finish_job(&mut tx, &current, JobEnd::Failed, Some("gave up"), 1_300)
                    .await
                    .unwrap()
            );
            assert!(
                !finish_job(&mut tx, &current, JobEnd::Done, None, 1_400)
                    .await
                    .unwrap(),
                "a job ends once"
            );
            let row = job_by_id(&mut tx, "j").await.unwrap().unwrap();
            assert_eq!(
                (row.status, row.last_error.as_deref(), row.finished_at),
                (JobStatus::Failed, Some("gave up"), Some(1_300))
            );
            tx.commit().await.unwrap();
        }
    }
}

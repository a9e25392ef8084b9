//! Durable jobs: what a job is ([`Job`]: its kind, its payload, how it runs
//! and how it gives up), the registry the job runner dispatches by kind
//! ([`Jobs`]), and how a service queues one inside the transaction that
//! causes it.

use crate::error::Result;
use crate::App;
use ponte_store::{Conn, JobKind, JobRow};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

pub enum JobOutcome {
    /// Finished; the runner records it.
    Done,
    /// Finished and recorded in the same transaction as its result.
    Recorded,
    /// Another worker holds the job now (this one's lease lapsed): nothing was recorded.
    Superseded,
    /// Try again later, for this reason.
    Retry(String),
}

/// One kind of durable work. Adding a job is one type implementing this and
/// one `register` line where the context is built; `give_up` has no default,
/// so a job cannot forget to say what its owner sees when its tries run out:
///
/// ```
/// use ponte_services::services::job::{end_failed, Job, JobOutcome, Jobs};
/// use ponte_services::{error::Result, App};
/// use ponte_store::JobRow;
///
/// struct Ping;
/// impl Job for Ping {
///     const KIND: &'static str = "ping";
///     type Payload = String;
///     async fn run(_: &App, _: &JobRow, _: String) -> Result<JobOutcome> {
///         Ok(JobOutcome::Done)
///     }
///     async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
///         end_failed(app, job, why).await
///     }
/// }
/// assert_eq!(Jobs::new().register::<Ping>().kinds().collect::<Vec<_>>(), ["ping"]);
/// ```
///
/// ```compile_fail,E0046
/// use ponte_services::services::job::{Job, JobOutcome};
/// use ponte_services::{error::Result, App};
/// use ponte_store::JobRow;
///
/// struct Ping;
/// impl Job for Ping {
///     const KIND: &'static str = "ping";
///     type Payload = String;
///     async fn run(_: &App, _: &JobRow, _: String) -> Result<JobOutcome> {
///         Ok(JobOutcome::Done)
///     }
/// }
/// ```
pub trait Job: 'static {
    /// The name stored on its rows (a storage format: queued jobs must still read).
    const KIND: &'static str;
    /// What its rows carry, read back before `run`.
    type Payload: Serialize + DeserializeOwned + Send + 'static;

    /// One try (safe to run twice: a try cut short runs again).
    fn run(
        app: &App,
        job: &JobRow,
        payload: Self::Payload,
    ) -> impl Future<Output = Result<JobOutcome>> + Send;

    /// The last try failed: end the job so that whoever waits on it hears,
    /// in the transaction that ends it ([`end_failed`] when nobody waits).
    fn give_up(
        app: &App,
        job: &JobRow,
        why: &str,
    ) -> impl Future<Output = Result<JobOutcome>> + Send;
}

/// Queues a `J` job, due at once, in the caller's transaction.
pub async fn queue<J: Job>(conn: &mut Conn, payload: &J::Payload, now: i64) -> Result<()> {
    let payload = serde_json::to_string(payload).map_err(anyhow::Error::from)?;
    ponte_store::insert_job(
        conn,
        &uuid::Uuid::now_v7().to_string(),
        &JobKind::new(J::KIND),
        &payload,
        now,
    )
    .await?;
    Ok(())
}

/// Gives up on a job nobody waits on: it just ends, failed, under its lease.
pub async fn end_failed(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
    let mut tx = app.store.begin().await?;
    let now = app.clock.now_ms();
    if !ponte_store::finish_job(
        &mut tx,
        &job.lease(),
        ponte_store::JobEnd::Failed,
        Some(why),
        now,
    )
    .await?
    {
        return Ok(JobOutcome::Superseded);
    }
    tx.commit().await?;
    Ok(JobOutcome::Recorded)
}

type Attempt<'a> = Pin<Box<dyn Future<Output = Result<JobOutcome>> + Send + 'a>>;

/// A registered job with its types erased, so the runner can hold them in one list.
trait Handler: Send + Sync {
    fn kind(&self) -> &JobKind;
    fn name(&self) -> &'static str;
    fn run<'a>(&self, app: &'a App, job: &'a JobRow) -> Attempt<'a>;
    fn give_up<'a>(&self, app: &'a App, job: &'a JobRow, why: &'a str) -> Attempt<'a>;
}

/// `J`, with its kind checked once, when it is registered.
struct Registered<J>(JobKind, PhantomData<fn() -> J>);

impl<J: Job> Handler for Registered<J> {
    fn kind(&self) -> &JobKind {
        &self.0
    }

    fn name(&self) -> &'static str {
        J::KIND
    }

    fn run<'a>(&self, app: &'a App, job: &'a JobRow) -> Attempt<'a> {
        Box::pin(async move {
            let payload: J::Payload = serde_json::from_str(&job.payload)
                .map_err(|e| anyhow::anyhow!("job payload: {e}"))?;
            J::run(app, job, payload).await
        })
    }

    fn give_up<'a>(&self, app: &'a App, job: &'a JobRow, why: &'a str) -> Attempt<'a> {
        Box::pin(J::give_up(app, job, why))
    }
}

/// The jobs the runner knows, by kind; filled once when the context is built.
#[derive(Default)]
pub struct Jobs {
    handlers: Vec<Box<dyn Handler>>,
}

impl Jobs {
    pub fn new() -> Jobs {
        Jobs::default()
    }

    /// Adds `J`. Two jobs of one kind, or a kind that is no lowercase name
    /// (see `JobKind`), are programming errors, caught at start.
    pub fn register<J: Job>(mut self) -> Jobs {
        let kind = JobKind::new(J::KIND);
        assert!(
            self.get(&kind).is_none(),
            "job kind {:?} registered twice",
            J::KIND
        );
        self.handlers
            .push(Box::new(Registered::<J>(kind, PhantomData)));
        self
    }

    /// The kinds registered, in registration order.
    pub fn kinds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.handlers.iter().map(|h| h.name())
    }

    fn get(&self, kind: &JobKind) -> Option<&dyn Handler> {
        self.handlers
            .iter()
            .find(|h| h.kind() == kind)
            .map(|h| h.as_ref())
    }

    /// One try of `job`, by the job registered for its kind.
    pub async fn run(&self, app: &App, job: &JobRow) -> Result<JobOutcome> {
        match self.get(&job.kind) {
            Some(h) => h.run(app, job).await,
            None => Err(anyhow::anyhow!("unknown job kind {:?}", job.kind).into()),
        }
    }

    /// Gives up on `job`; a kind nobody registered just ends, failed.
    pub async fn give_up(&self, app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
        match self.get(&job.kind) {
            Some(h) => h.give_up(app, job, why).await,
            None => end_failed(app, job, why).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ping;
    impl Job for Ping {
        const KIND: &'static str = "ping";
        type Payload = String;
        async fn run(_: &App, _: &JobRow, _: String) -> Result<JobOutcome> {
            Ok(JobOutcome::Done)
        }
        async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
            end_failed(app, job, why).await
        }
    }

    struct AlsoPing;
    impl Job for AlsoPing {
        const KIND: &'static str = "ping";
        type Payload = ();
        async fn run(_: &App, _: &JobRow, _: ()) -> Result<JobOutcome> {
            Ok(JobOutcome::Done)
        }
        async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
            end_failed(app, job, why).await
        }
    }

    #[test]
    #[should_panic(expected = "job kind \"ping\" registered twice")]
    fn a_kind_registered_twice_stops_the_start() {
        let _ = Jobs::new().register::<Ping>().register::<AlsoPing>();
    }
}

//! Delivers the outbox: claims due messages under a lease, signs them as
//! Standard Webhooks, posts them, and records every attempt. A dispatcher
//! that dies mid-attempt leaves its lease to lapse; the message is sent again.
//!
//! Attempts are recorded together (see `Recorder`): each waits for its
//! record to commit before its slot moves on, but one transaction writes
//! every record that came in while the last one was written.
//!
//! Each endpoint (URL origin) gets at most `PER_ENDPOINT` attempts in flight
//! on this node, so a slow receiver cannot hold every slot: the claim passes
//! over saturated endpoints, and what a batch brings beyond the limit waits
//! in memory, under its lease, for the endpoint's next free slot.

use crate::clock::rfc3339;
use crate::services::webhooks::{disabled_error, target_url};
use crate::App;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use ponte_store::{AttemptOutcome, ClientRow, WebhookAttemptRow, WebhookMessageRow, Work};
use sha2::Sha256;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot, watch, Notify, OwnedSemaphorePermit, Semaphore};

/// Short, so a killed node's messages go out again within 30 s of its
/// restart (the lease is not renewed: an attempt fits in it with margin).
const LEASE_MS: i64 = 25_000;
const BATCH: i64 = 64;
/// Attempts in flight on this node. With `PER_ENDPOINT` at 8, even several
/// hanging receivers leave most of them to the others.
const CONCURRENCY: usize = 64;
/// Attempts in flight to one URL origin (`https://host:port`) on this node.
pub const PER_ENDPOINT: usize = 8;
/// Claimed messages held for one endpoint at most; more go back to the queue.
const MAX_WAITING: usize = BATCH as usize;
/// A waiting message is sent only while its lease outlasts the attempt and
/// its recording; otherwise it is given back for a later claim.
const LEASE_MARGIN_MS: i64 = ATTEMPT_TIMEOUT.as_millis() as i64 + 5_000;
/// How much of a receiver's answer each attempt keeps.
pub const RESPONSE_CAPTURE: usize = 1024;
const NO_ENDPOINT: &str = "the client has no webhook URL configured";
pub const ATTEMPT_TIMEOUT: Duration = crate::config::WEBHOOK_ATTEMPT_TIMEOUT;

pub async fn run(app: App, stop: watch::Receiver<bool>) {
    let dispatcher = Arc::new(Dispatcher {
        recorder: Recorder::start(app.clone()),
        app,
        slots: Arc::new(Semaphore::new(CONCURRENCY)),
        endpoints: Mutex::new(HashMap::new()),
        stopping: AtomicBool::new(false),
        slot_freed: Notify::new(),
    });
    dispatcher.work(stop).await;
    dispatcher.stopping.store(true, Ordering::SeqCst);
    // Waiting messages go back to the queue at once rather than at their lease's end.
    let waiting: Vec<Waiting> = dispatcher
        .lock_endpoints()
        .values_mut()
        .flat_map(|e| e.waiting.drain(..))
        .collect();
    release(&dispatcher.app, &waiting).await;
    // Let attempts in flight finish and record themselves before the store closes.
    let _ = dispatcher.slots.acquire_many(CONCURRENCY as u32).await;
}

struct Dispatcher {
    app: App,
    recorder: Recorder,
    slots: Arc<Semaphore>,
    endpoints: Mutex<HashMap<String, Endpoint>>,
    stopping: AtomicBool,
    /// An endpoint dropped below its limit: worth claiming again now.
    slot_freed: Notify,
}

#[derive(Default)]
struct Endpoint {
    in_flight: usize,
    waiting: VecDeque<Waiting>,
}

/// A claimed message held for its endpoint's next free slot.
struct Waiting {
    message: WebhookMessageRow,
    lease_until: i64,
}

/// One attempt ready to go.
struct Send {
    message: WebhookMessageRow,
    lease_until: i64,
    url: String,
    secrets: Arc<Vec<String>>,
}

impl From<Send> for Waiting {
    fn from(s: Send) -> Waiting {
        Waiting {
            message: s.message,
            lease_until: s.lease_until,
        }
    }
}

/// What every message of one client needs, read once per claimed batch.
struct ClientContext {
    row: ClientRow,
    /// Current first, then those rotated out but in their grace period; or
    /// why they cannot be read.
    secrets: Result<Arc<Vec<String>>, String>,
    /// Disabled URLs and when a 410 Gone disabled them.
    disabled: HashMap<String, i64>,
}

impl Dispatcher {
    fn lock_endpoints(&self) -> std::sync::MutexGuard<'_, HashMap<String, Endpoint>> {
        self.endpoints.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn work(self: &Arc<Self>, mut stop: watch::Receiver<bool>) {
        loop {
            let now = self.app.clock.now_ms();
            let lease_until = now + LEASE_MS;
            let claimed = claim(&self.app, now, lease_until, &self.saturated()).await;
            let claimed_count = claimed.len();
            let mut parked = 0;
            let mut contexts: HashMap<String, Result<Arc<ClientContext>, String>> = HashMap::new();
            let mut ready = Vec::new();
            let mut overflow = Vec::new();
            for message in claimed {
                if !contexts.contains_key(&message.client_id) {
                    let ctx = load_context(&self.app, &message.client_id).await;
                    contexts.insert(message.client_id.clone(), ctx);
                }
                let Some(send) =
                    prepare(&self.app, &self.recorder, message, lease_until, &contexts).await
                else {
                    continue;
                };
                let origin = origin_of(&send.url);
                let mut endpoints = self.lock_endpoints();
                let endpoint = endpoints.entry(origin.clone()).or_default();
                if endpoint.in_flight < PER_ENDPOINT {
                    endpoint.in_flight += 1;
                    ready.push((origin, send));
                    continue;
                }
                let waiting = Waiting {
                    message: send.message,
                    lease_until,
                };
                if endpoint.waiting.len() < MAX_WAITING {
                    endpoint.waiting.push_back(waiting);
                } else {
                    overflow.push(waiting);
                }
                parked += 1;
            }
            release(&self.app, &overflow).await;
            // Nothing claimed, or all of it for endpoints already busy: wait
            // for a slot or new work rather than claim the same again.
            let stalled = parked == claimed_count;
            for (origin, send) in ready {
                let Ok(permit) = self.slots.clone().acquire_owned().await else {
                    return;
                };
                tokio::spawn(self.clone().serve_endpoint(permit, origin, send));
            }
            if stalled {
                tokio::select! {
                    _ = tokio::time::sleep(self.app.config.worker_poll) => {}
                    _ = self.app.store.wakes().committed(Work::Webhooks) => {}
                    _ = self.slot_freed.notified() => {}
                    _ = stop.changed() => return,
                }
            }
            if *stop.borrow() {
                return;
            }
        }
    }

    /// URL prefixes of the endpoints at their limit, for the claim to pass over.
    fn saturated(&self) -> Vec<String> {
        self.lock_endpoints()
            .iter()
            .filter(|(_, e)| e.in_flight + e.waiting.len() >= PER_ENDPOINT)
            .map(|(origin, _)| format!("{origin}/"))
            .collect()
    }

    /// Holds one of the endpoint's slots: sends `first`, then the messages
    /// waiting for this endpoint, until none is left.
    async fn serve_endpoint(
        self: Arc<Self>,
        _permit: OwnedSemaphorePermit,
        origin: String,
        first: Send,
    ) {
        let mut slot = Slot {
            dispatcher: &self,
            origin: &origin,
            left: false,
        };
        let mut next = Some(first);
        while let Some(send) = next.take() {
            // Sent only under a lease that outlasts the attempt: a message
            // that waited too long goes back for a later claim.
            if send.lease_until - self.app.clock.now_ms() < LEASE_MARGIN_MS {
                release(&self.app, &[send.into()]).await;
            } else {
                deliver(&self.app, &self.recorder, send).await;
            }
            while let Some(waiting) = self.next_or_leave(&origin) {
                if waiting.lease_until - self.app.clock.now_ms() < LEASE_MARGIN_MS {
                    release(&self.app, std::slice::from_ref(&waiting)).await;
                    continue;
                }
                let client_id = waiting.message.client_id.clone();
                let ctx =
                    HashMap::from([(client_id.clone(), load_context(&self.app, &client_id).await)]);
                if let Some(send) = prepare(
                    &self.app,
                    &self.recorder,
                    waiting.message,
                    waiting.lease_until,
                    &ctx,
                )
                .await
                {
                    next = Some(send);
                    break;
                }
            }
        }
        // `next_or_leave` gave the slot up.
        slot.left = true;
        self.slot_freed.notify_one();
    }

    /// The next message waiting for this endpoint; or, when there is none
    /// (or the dispatcher stops), gives the slot up. One lock for both, so
    /// a message queued meanwhile is never left without a slot to send it.
    fn next_or_leave(&self, origin: &str) -> Option<Waiting> {
        let stopping = self.stopping.load(Ordering::SeqCst);
        let mut endpoints = self.lock_endpoints();
        let endpoint = endpoints.get_mut(origin)?;
        if !stopping {
            if let Some(w) = endpoint.waiting.pop_front() {
                return Some(w);
            }
        }
        endpoint.in_flight = endpoint.in_flight.saturating_sub(1);
        if endpoint.in_flight == 0 && endpoint.waiting.is_empty() {
            endpoints.remove(origin);
        }
        None
    }
}

/// An endpoint slot held by `serve_endpoint`. Were the task to unwind, the
/// slot is given up all the same and the endpoint's waiting messages are
/// dropped from memory (still leased, they are claimed again when the lease
/// lapses), so the endpoint is never left saturated on this node.
struct Slot<'a> {
    dispatcher: &'a Dispatcher,
    origin: &'a str,
    left: bool,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if self.left {
            return;
        }
        let mut endpoints = self.dispatcher.lock_endpoints();
        if let Some(e) = endpoints.get_mut(self.origin) {
            e.in_flight = e.in_flight.saturating_sub(1);
            if e.in_flight == 0 {
                endpoints.remove(self.origin);
            }
        }
    }
}

async fn claim(
    app: &App,
    now: i64,
    lease_until: i64,
    skip_prefixes: &[String],
) -> Vec<WebhookMessageRow> {
    let result = async {
        let mut tx = app.store.begin().await?;
        let rows = ponte_store::claim_due_messages(
            &mut tx,
            app.store.backend(),
            now,
            lease_until,
            BATCH,
            skip_prefixes,
        )
        .await?;
        tx.commit().await?;
        Ok::<_, anyhow::Error>(rows)
    }
    .await;
    result.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "claiming webhooks failed");
        Vec::new()
    })
}

/// What an integrator needs to read in an attempt's error: the kind of
/// failure first, then the underlying cause (reqwest's own text names only
/// the URL).
pub(crate) fn send_error(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        format!(
            "timed out after {} s without an answer",
            ATTEMPT_TIMEOUT.as_secs()
        )
    } else if e.is_connect() {
        "could not connect".to_string()
    } else {
        "the connection failed before an answer".to_string()
    };
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    causes.dedup();
    match causes.last() {
        Some(root) if !e.is_timeout() => format!("{kind}: {root}"),
        _ => kind,
    }
}

/// Gives claimed messages back, unattempted, for the next claim.
async fn release(app: &App, waiting: &[Waiting]) {
    if waiting.is_empty() {
        return;
    }
    let result = async {
        let mut tx = app.store.begin().await?;
        for w in waiting {
            ponte_store::release_claim(&mut tx, &w.message.id, w.lease_until).await?;
        }
        tx.commit().await?;
        Ok::<_, anyhow::Error>(())
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, "releasing webhook claims failed; their leases will lapse");
    }
}

async fn load_context(app: &App, client_id: &str) -> Result<Arc<ClientContext>, String> {
    let now = app.clock.now_ms();
    let mut conn = app.store.read().await.map_err(|e| e.to_string())?;
    let row = ponte_store::client_by_id(&mut conn, client_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("client deleted")?;
    let retired = ponte_store::live_retired_webhook_secrets(&mut conn, client_id, now)
        .await
        .map_err(|e| e.to_string())?;
    let disabled = ponte_store::disabled_endpoints(&mut conn, client_id)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter_map(|e| Some((e.url, e.disabled_at?)))
        .collect();
    drop(conn);
    let secrets = std::iter::once(row.webhook_secret_enc.as_str())
        .chain(retired.iter().map(|r| r.secret_enc.as_str()))
        .map(|enc| {
            let plain = (app.crypto)
                .open(
                    crate::services::slots::client_webhook_secret(client_id),
                    enc,
                )
                .map_err(|e| e.to_string())?;
            String::from_utf8(plain).map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Arc::new);
    Ok(Arc::new(ClientContext {
        row,
        secrets,
        disabled,
    }))
}

/// The attempt to make for `m`, or `None` when there is none to make and
/// the message has been dealt with (no URL, endpoint disabled, client unreadable).
async fn prepare(
    app: &App,
    recorder: &Recorder,
    m: WebhookMessageRow,
    lease_until: i64,
    contexts: &HashMap<String, Result<Arc<ClientContext>, String>>,
) -> Option<Send> {
    let ctx = match contexts.get(&m.client_id) {
        Some(Ok(ctx)) => ctx,
        Some(Err(e)) => {
            let error = e.clone();
            record(app, recorder, &m, m.target_url.clone(), Err(error), 0).await;
            return None;
        }
        None => {
            record(app, recorder, &m, None, Err("client not loaded".into()), 0).await;
            return None;
        }
    };
    let Some(url) = target_url(&ctx.row, &m) else {
        record(app, recorder, &m, None, Err(NO_ENDPOINT.into()), 0).await;
        return None;
    };
    if let Some(at) = ctx.disabled.get(&url) {
        skip_disabled(app, &m, &url, *at).await;
        return None;
    }
    match &ctx.secrets {
        Ok(secrets) => Some(Send {
            message: m,
            lease_until,
            url,
            secrets: secrets.clone(),
        }),
        Err(e) => {
            let error = e.clone();
            record(app, recorder, &m, Some(url), Err(error), 0).await;
            None
        }
    }
}

/// A message to an endpoint a 410 Gone disabled ends dead, unattempted.
async fn skip_disabled(app: &App, m: &WebhookMessageRow, url: &str, disabled_at: i64) {
    let error = disabled_error(url, disabled_at);
    let now = app.clock.now_ms();
    let result = async {
        let mut tx = app.store.begin().await?;
        let ok = ponte_store::kill_unattempted(&mut tx, &m.id, m.attempts, &error, now).await?;
        tx.commit().await?;
        Ok::<_, anyhow::Error>(ok)
    }
    .await;
    metrics::counter!("ponte_webhook_messages_skipped_total", "reason" => "endpoint_disabled")
        .increment(1);
    match result {
        Ok(_) => tracing::info!(message_id = %m.id, "webhook not sent: endpoint disabled"),
        Err(e) => {
            tracing::warn!(message_id = %m.id, error = %e, "recording a skipped webhook failed")
        }
    }
}

/// `v1,<base64 HMAC-SHA256("id.timestamp.body")>` keyed by the decoded `whsec_` secret.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// The `webhook-signature` header: one signature per live secret, current
/// first, space-separated as Standard Webhooks allows during a rotation.
pub fn signature_header(
    secrets: &[String],
    id: &str,
    timestamp: i64,
    body: &str,
) -> Option<String> {
    let signatures = secrets
        .iter()
        .map(|s| sign(s, id, timestamp, body))
        .collect::<Option<Vec<_>>>()?;
    (!signatures.is_empty()).then(|| signatures.join(" "))
}

/// `scheme://host:port` of a URL: the unit of per-endpoint concurrency.
fn origin_of(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) if u.origin().is_tuple() => u.origin().ascii_serialization(),
        _ => url.to_string(),
    }
}

/// The start of a response body as text; a character cut by the limit is
/// dropped rather than shown as U+FFFD. NUL becomes U+FFFD: PostgreSQL's
/// TEXT refuses it, and an attempt that cannot be recorded would be sent
/// again.
fn captured_text(bytes: &[u8]) -> String {
    let end = match std::str::from_utf8(bytes) {
        Err(e) if e.error_len().is_none() => e.valid_up_to(),
        _ => bytes.len(),
    };
    String::from_utf8_lossy(&bytes[..end]).replace('\0', "\u{FFFD}")
}

pub(crate) async fn read_capture(mut resp: reqwest::Response) -> String {
    let mut body = Vec::new();
    while body.len() < RESPONSE_CAPTURE {
        match resp.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(RESPONSE_CAPTURE);
    captured_text(&body)
}

/// One attempt: sign, post, and record the answer.
async fn deliver(app: &App, recorder: &Recorder, send: Send) {
    let Send {
        message: m,
        url,
        secrets,
        ..
    } = send;
    let started = Instant::now();
    let result: Result<(u16, String), String> = async {
        let body = crate::services::outbox::body_for_attempt(app, &m);
        let timestamp = app.clock.now_ms() / 1000;
        let signature = signature_header(&secrets, &m.id, timestamp, &body)
            .ok_or("the webhook secret is malformed")?;
        if !app.config.allow_private_webhooks {
            crate::ssrf::check_literal(&url)?;
        }
        let resp = app
            .webhook_http
            .post(&url)
            .timeout(ATTEMPT_TIMEOUT)
            .header("content-type", "application/json")
            .header("webhook-id", &m.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await
            .map_err(|e| send_error(&e))?;
        let status = resp.status().as_u16();
        Ok((status, read_capture(resp).await))
    }
    .await;
    let latency_ms = started.elapsed().as_millis() as i64;
    record(app, recorder, &m, Some(url), result, latency_ms).await;
}

/// Writes attempts' records to the database together, in one task: the
/// records that come in while one transaction is written wait for the next,
/// which writes them all. Under load one commit records many attempts (on
/// SQLite every write goes through one connection, and a transaction per
/// attempt was the drain's limit); an attempt alone is written at once.
/// Each attempt waits for its own record's commit, so nothing is marked
/// delivered before its receiver answered, and an attempt whose record a
/// crash lost is sent again once its lease lapses.
#[derive(Clone)]
struct Recorder(mpsc::UnboundedSender<Pending>);

/// An attempt's record and what follows from it.
struct Record {
    client_id: String,
    attempt: WebhookAttemptRow,
    outcome: Outcome,
    /// The URL to disable with it (it answered 410 Gone).
    disable: Option<String>,
}

/// A record waiting to be written, and who waits for it.
struct Pending {
    record: Record,
    /// Whether the attempt was recorded (false: another dispatcher recorded it).
    done: oneshot::Sender<Result<bool, String>>,
}

/// `AttemptOutcome`, owned, to wait in the recorder's queue.
enum Outcome {
    Delivered,
    Retry { at: i64, error: String },
    Dead { error: String },
}

impl Outcome {
    fn as_store(&self) -> AttemptOutcome<'_> {
        match self {
            Outcome::Delivered => AttemptOutcome::Delivered,
            Outcome::Retry { at, error } => AttemptOutcome::Retry { at: *at, error },
            Outcome::Dead { error } => AttemptOutcome::Dead { error },
        }
    }
}

/// Records one transaction writes at most.
const RECORDS_PER_COMMIT: usize = CONCURRENCY;

impl Recorder {
    /// Its task ends once every `Recorder` is dropped, after writing what
    /// they sent.
    fn start(app: App) -> Recorder {
        let (queue, pending) = mpsc::unbounded_channel();
        tokio::spawn(write_records(app, pending));
        Recorder(queue)
    }

    /// Writes `record` with whatever else is waiting, once it is committed.
    async fn record(&self, record: Record) -> Result<bool, String> {
        let stopped = || "the dispatcher's recorder stopped".to_string();
        let (done, written) = oneshot::channel();
        self.0
            .send(Pending { record, done })
            .map_err(|_| stopped())?;
        written.await.map_err(|_| stopped())?
    }
}

async fn write_records(app: App, mut queue: mpsc::UnboundedReceiver<Pending>) {
    let mut batch: Vec<Pending> = Vec::new();
    while queue.recv_many(&mut batch, RECORDS_PER_COMMIT).await > 0 {
        let records: Vec<&Record> = batch.iter().map(|p| &p.record).collect();
        let results: Vec<Result<bool, String>> = match write_together(&app, &records).await {
            Ok(recorded) => recorded.into_iter().map(Ok).collect(),
            // One record the database refuses must not hold back the others.
            Err(e) if records.len() > 1 => {
                tracing::warn!(error = %e, records = records.len(), "recording webhook attempts together failed; recording them one by one");
                let mut results = Vec::with_capacity(records.len());
                for r in &records {
                    results.push(
                        write_together(&app, std::slice::from_ref(r))
                            .await
                            .map(|recorded| recorded.first().copied().unwrap_or(false))
                            .map_err(|e| e.to_string()),
                    );
                }
                results
            }
            Err(e) => vec![Err(e.to_string())],
        };
        for (pending, result) in batch.drain(..).zip(results) {
            // Its attempt may have stopped waiting (the dispatcher's task ended).
            let _ = pending.done.send(result);
        }
    }
}

/// `records` in one transaction: each attempt, fenced as `record_attempt`
/// does, and the URLs a recorded 410 Gone disables.
async fn write_together(app: &App, records: &[&Record]) -> anyhow::Result<Vec<bool>> {
    let rows: Vec<(&WebhookAttemptRow, AttemptOutcome)> = records
        .iter()
        .map(|r| (&r.attempt, r.outcome.as_store()))
        .collect();
    let mut tx = app.store.begin().await?;
    let recorded = ponte_store::record_attempts(&mut tx, &rows).await?;
    for (r, ok) in records.iter().zip(&recorded) {
        if let (true, Some(url)) = (ok, &r.disable) {
            ponte_store::disable_endpoint(
                &mut tx,
                &r.client_id,
                url,
                r.attempt.at,
                &r.attempt.message_id,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(recorded)
}

/// Records an attempt (or a failure to make one) and what follows from it:
/// delivered, retried on the schedule, or dead; a 410 Gone also disables the URL.
async fn record(
    app: &App,
    recorder: &Recorder,
    m: &WebhookMessageRow,
    url: Option<String>,
    result: Result<(u16, String), String>,
    latency_ms: i64,
) {
    let attempt = m.attempts + 1;
    let now = app.clock.now_ms();
    let schedule = &app.config.webhook_retry_schedule;
    let (status_code, response, error) = match &result {
        Ok((code, body)) => (Some(i64::from(*code)), Some(body.clone()), None),
        Err(e) => (None, None, Some(e.clone())),
    };
    let failure = match &result {
        Ok((code, _)) if (200..300).contains(code) => None,
        Ok((code, _)) => Some(format!("HTTP {code}")),
        Err(e) => Some(e.clone()),
    };
    let gone = matches!(result, Ok((410, _)));
    let outcome = match &failure {
        None => Outcome::Delivered,
        Some(e) if gone => Outcome::Dead { error: e.clone() },
        // Retrying cannot help until a URL is set; the message waits, dead, for a replay.
        Some(e) if e == NO_ENDPOINT => Outcome::Dead { error: e.clone() },
        Some(e) => match schedule.get((attempt - 1) as usize) {
            Some(delay) => Outcome::Retry {
                at: now + delay.as_millis() as i64,
                error: e.clone(),
            },
            None => Outcome::Dead { error: e.clone() },
        },
    };
    let row = WebhookAttemptRow {
        message_id: m.id.clone(),
        attempt,
        at: now,
        target_url: url.clone(),
        status_code,
        latency_ms,
        response,
        error,
    };
    let label = if failure.is_none() {
        "delivered"
    } else {
        "failed"
    };
    metrics::counter!("ponte_webhook_attempts_total", "result" => label).increment(1);
    metrics::histogram!("ponte_webhook_attempt_duration_seconds")
        .record(latency_ms as f64 / 1000.0);
    let recorded = recorder
        .record(Record {
            client_id: m.client_id.clone(),
            attempt: row,
            outcome,
            disable: url.filter(|_| gone),
        })
        .await;
    match recorded {
        Ok(true) => {
            tracing::info!(message_id = %m.id, attempt, result = label, error = failure.as_deref().unwrap_or(""), "webhook attempt");
            if gone {
                tracing::warn!(message_id = %m.id, client_id = %m.client_id, at = %rfc3339(now), "webhook endpoint answered 410 Gone: disabled");
            }
        }
        Ok(false) => {
            tracing::warn!(message_id = %m.id, attempt, "webhook attempt raced with another dispatcher")
        }
        Err(e) => {
            tracing::warn!(message_id = %m.id, error = %e, "recording a webhook attempt failed; it will be retried")
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn captured_answers_are_text_any_database_stores() {
        assert_eq!(super::captured_text(b"ok\0\xff"), "ok\u{FFFD}\u{FFFD}");
        // A character cut by the 1 KiB limit is dropped, not garbled.
        assert_eq!(super::captured_text("né".as_bytes().split_at(2).0), "n");
    }

    #[test]
    fn signature_matches_the_standard_webhooks_example() {
        // The example from the Standard Webhooks specification.
        let sig = super::sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(
            sig.as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn during_a_rotation_every_live_secret_signs_current_first() {
        let secrets = [
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_string(),
            "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_string(),
        ];
        let header = super::signature_header(
            &secrets,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        )
        .unwrap();
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts.len(), 2, "{header}");
        assert_eq!(parts[0], "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert!(parts[1].starts_with("v1,") && parts[1] != parts[0]);
    }

    #[test]
    fn a_captured_response_keeps_whole_characters() {
        let body = format!("x{}", "é".repeat(1000));
        let cut = &body.as_bytes()[..super::RESPONSE_CAPTURE];
        assert_eq!(super::captured_text(cut), format!("x{}", "é".repeat(511)));
        assert_eq!(super::captured_text(b"ok\xffok"), "ok\u{fffd}ok");
    }

    #[test]
    fn endpoints_are_url_origins() {
        assert_eq!(
            super::origin_of("https://hooks.example.com/a/b?x=1"),
            "https://hooks.example.com"
        );
        assert_eq!(
            super::origin_of("http://127.0.0.1:8123/hook"),
            "http://127.0.0.1:8123"
        );
    }
}

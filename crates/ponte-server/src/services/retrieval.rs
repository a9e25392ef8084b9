//! Retrieval: `institution-data` requests become one durable job per consent
//! and product; each job reads the institution, stores the report and writes
//! its `REPORT_READY` webhook in one transaction. A job that runs twice (a
//! crash after the commit) finds its report and delivers nothing new. A job
//! that finds the consent revoked at the institution revokes it here too.

use crate::clock::rfc3339;
use crate::error::{Error, Result};
use crate::services::links::parse_callbacks;
use crate::services::outbox::{self, Target};
use crate::services::{insights, text};
use crate::App;
use ponte_connect::products::{self, Window};

use crate::services::bank_tokens::StoredTokens;
use crate::services::consent_state;
use crate::services::failure::Failure;
use crate::services::job::{self, JobOutcome};
use ponte_connect::{BankTokens, ConnectError, DataSession};
use ponte_core::{
    ClientId, Cnpj, ConsentId, ConsentStatus, Cpf, FieldError, LinkId, Product, ReportId, RequestId,
};
use ponte_store::{Conn, ConsentRow, JobLease, JobRow, ReportRow, RequestRow};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

pub const JOB_KIND: &str = "retrieve";
/// Tries of one job, whatever fails (the institution or Ponte), before its
/// report is recorded as failed.
pub const MAX_JOB_ATTEMPTS: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Personal,
    Business,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstitutionDataRequest {
    pub tax_id: Option<String>,
    pub institution_id: Option<String>,
    pub link_id: Option<String>,
    pub consent_id: Option<Vec<String>>,
    pub products: Option<Vec<String>>,
    pub products_callback_url: Option<Value>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct JobPayload {
    request_id: String,
    consent_id: String,
    product: Product,
}

/// The products a consent's permissions allow.
pub fn allowed_products(permissions: &[String], business: bool) -> Vec<Product> {
    Product::ALL
        .into_iter()
        .filter(|p| {
            p.permissions(business)
                .iter()
                .all(|needed| permissions.iter().any(|have| have == needed))
        })
        .collect()
}

fn consent_permissions(row: &ConsentRow) -> Vec<String> {
    serde_json::from_str(&row.permissions).unwrap_or_default()
}

/// Validates a request and queues its jobs; answers at once with the request id.
pub async fn request(
    app: &App,
    client: &ClientId,
    kind: Kind,
    req: InstitutionDataRequest,
) -> Result<String> {
    match (kind, text(&req.tax_id)) {
        (_, None) => return Err(FieldError::new("taxId", "is required").into()),
        (Kind::Personal, Some(t)) => drop(Cpf::parse("taxId", t)?),
        (Kind::Business, Some(t)) => drop(Cnpj::parse("taxId", t)?),
    }
    let link_id = text(&req.link_id).ok_or_else(|| FieldError::new("linkId", "is required"))?;
    let link_id = LinkId::parse(link_id)
        .ok_or_else(|| FieldError::new("linkId", "is not a link of yours"))?;
    let (link, _) = crate::services::links::load(app, client, link_id.as_str())
        .await
        .map_err(|_| FieldError::new("linkId", "is not a link of yours"))?;
    let consent_ids = req.consent_id.clone().unwrap_or_default();
    if consent_ids.is_empty() {
        return Err(FieldError::new("consentId", "must list at least one consent").into());
    }
    let mut consents = Vec::new();
    let mut conn = app.store.read().await?;
    for (i, raw) in consent_ids.iter().enumerate() {
        let field = format!("consentId[{i}]");
        let row = match ConsentId::parse(raw) {
            Some(id) => ponte_store::consent_by_id(&mut conn, id.as_str()).await?,
            None => None,
        };
        let row = row
            .filter(|r| r.client_id == client.as_str() && r.link_id == link.id)
            .ok_or_else(|| FieldError::new(field.clone(), "is not a consent of this link"))?;
        if consents.iter().any(|c: &ConsentRow| c.id == row.id) {
            return Err(FieldError::new(field, "is listed twice").into());
        }
        if row.status != ConsentStatus::Authorised.as_str() || row.expire_at <= app.clock.now_ms() {
            return Err(Error::ConsentNotAuthorised(format!(
                "consent {} is {}, not AUTHORISED",
                row.id, row.status
            )));
        }
        if let Some(inst) = text(&req.institution_id) {
            if inst != row.institution_code {
                return Err(FieldError::new(
                    "institutionId",
                    format!(
                        "does not match consent {} (institution {})",
                        row.id, row.institution_code
                    ),
                )
                .into());
            }
        }
        if (kind == Kind::Business) != (row.business == 1) {
            let expected = if row.business == 1 {
                "business"
            } else {
                "personal"
            };
            return Err(FieldError::new(
                field,
                format!("is a {expected} consent: use /data/{expected}/institution-data"),
            )
            .into());
        }
        consents.push(row);
    }
    drop(conn);
    let names = req.products.clone().unwrap_or_default();
    if names.is_empty() {
        return Err(FieldError::new("products", "must list at least one product").into());
    }
    let mut wanted = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let field = format!("products[{i}]");
        let p = Product::parse(name).ok_or_else(|| FieldError::new(field.clone(), "is not a product: use registration, accounts, creditCards, loans, investments or insights"))?;
        for c in &consents {
            if !allowed_products(&consent_permissions(c), c.business == 1).contains(&p) {
                return Err(FieldError::new(
                    field.clone(),
                    format!("is not allowed by consent {}", c.id),
                )
                .into());
            }
        }
        if !wanted.contains(&p) {
            wanted.push(p);
        }
    }
    let mut callbacks: Map<String, Value> =
        serde_json::from_str(&link.products_callback_url).unwrap_or_default();
    for (p, url) in parse_callbacks(req.products_callback_url.as_ref())? {
        crate::services::webhook_target(app, &format!("productsCallbackUrl.{p}"), &url)?;
        callbacks.insert(p.as_str().to_string(), Value::from(url.as_str()));
    }
    let mut tx = app.store.begin().await?;
    let id = enqueue(
        app, &mut tx, client, &link.id, kind, &consents, &wanted, callbacks,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(request_id = %id, products = wanted.len(), consents = consents.len(), "retrieval requested");
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn enqueue(
    app: &App,
    conn: &mut Conn,
    client: &ClientId,
    link_id: &str,
    kind: Kind,
    consents: &[ConsentRow],
    products: &[Product],
    callbacks: Map<String, Value>,
) -> Result<String> {
    let now = app.clock.now_ms();
    let id = RequestId::generate().to_string();
    let row = RequestRow {
        id: id.clone(),
        client_id: client.to_string(),
        link_id: link_id.to_string(),
        kind: if kind == Kind::Business {
            "business"
        } else {
            "personal"
        }
        .into(),
        consent_ids: serde_json::to_string(&consents.iter().map(|c| &c.id).collect::<Vec<_>>())
            .unwrap_or_default(),
        products: serde_json::to_string(products).unwrap_or_default(),
        callbacks: Value::Object(callbacks).to_string(),
        created_at: now,
    };
    ponte_store::insert_request(conn, &row).await?;
    for c in consents {
        for p in products {
            let payload = serde_json::to_string(&JobPayload {
                request_id: id.clone(),
                consent_id: c.id.clone(),
                product: *p,
            })
            .unwrap_or_default();
            ponte_store::insert_job(
                conn,
                &uuid::Uuid::now_v7().to_string(),
                JOB_KIND,
                &payload,
                now,
            )
            .await?;
        }
    }
    Ok(id)
}

/// Requests every product for a consent that just became `AUTHORISED`.
pub const AUTO_DELIVERY_JOB_KIND: &str = "auto_deliver";

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AutoDelivery {
    consent_id: String,
}

/// Auto-delivery: when a consent becomes `AUTHORISED` for a client that asked
/// for it, a job to request every allowed product is queued in the same
/// transaction.
pub async fn queue_auto_delivery(conn: &mut Conn, consent: &ConsentRow, now: i64) -> Result<()> {
    let wanted = ponte_store::client_by_id(conn, &consent.client_id)
        .await?
        .is_some_and(|c| c.auto_delivery != 0);
    if wanted {
        let payload = AutoDelivery {
            consent_id: consent.id.clone(),
        };
        job::queue(conn, AUTO_DELIVERY_JOB_KIND, &payload, now).await?;
    }
    Ok(())
}

/// Runs one `AUTO_DELIVERY_JOB_KIND` job: the request and its retrieval jobs
/// are written with the job's end, so a job run twice requests once.
pub async fn run_auto_delivery(app: &App, job: &JobRow) -> Result<JobOutcome> {
    let p: AutoDelivery =
        serde_json::from_str(&job.payload).map_err(|e| anyhow::anyhow!("job payload: {e}"))?;
    let mut tx = app.store.begin().await?;
    let consent = ponte_store::consent_by_id(&mut tx, &p.consent_id)
        .await?
        .ok_or(Error::NotFound("consent"))?;
    let request = if consent.status == ConsentStatus::Authorised.as_str() {
        auto_deliver(app, &mut tx, &consent).await?
    } else {
        None
    };
    let now = app.clock.now_ms();
    if !ponte_store::finish_job(&mut tx, &job.lease(), ponte_store::JOB_DONE, None, now).await? {
        return Ok(JobOutcome::Superseded);
    }
    tx.commit().await?;
    if let Some(id) = request {
        tracing::info!(consent_id = %consent.id, request_id = %id, "auto-delivery requested");
    }
    Ok(JobOutcome::Recorded)
}

async fn auto_deliver(app: &App, conn: &mut Conn, consent: &ConsentRow) -> Result<Option<String>> {
    let Some(client) = ponte_store::client_by_id(conn, &consent.client_id).await? else {
        return Ok(None);
    };
    if client.auto_delivery == 0 {
        return Ok(None);
    }
    let products = allowed_products(&consent_permissions(consent), consent.business == 1);
    let link = ponte_store::link_for_client(conn, &client.id, &consent.link_id)
        .await?
        .ok_or(Error::NotFound("link"))?;
    let callbacks = serde_json::from_str(&link.products_callback_url).unwrap_or_default();
    let kind = if consent.business == 1 {
        Kind::Business
    } else {
        Kind::Personal
    };
    let id = enqueue(
        app,
        conn,
        &ClientId::from_trusted(client.id),
        &consent.link_id,
        kind,
        std::slice::from_ref(consent),
        &products,
        callbacks,
    )
    .await?;
    Ok(Some(id))
}

/// Runs one retrieval job (safe to run twice).
pub async fn run(app: &App, job: &JobRow) -> Result<JobOutcome> {
    let p: JobPayload =
        serde_json::from_str(&job.payload).map_err(|e| anyhow::anyhow!("job payload: {e}"))?;
    let mut conn = app.store.read().await?;
    let request = ponte_store::request_by_id(&mut conn, &p.request_id)
        .await?
        .ok_or(Error::NotFound("request"))?;
    let consent = ponte_store::consent_by_id(&mut conn, &p.consent_id)
        .await?
        .ok_or(Error::NotFound("consent"))?;
    let done = ponte_store::reports_of_request(&mut conn, &request.id)
        .await?
        .into_iter()
        .any(|r| r.consent_id == consent.id && r.product == p.product.as_str());
    drop(conn);
    if done {
        return Ok(JobOutcome::Done);
    }
    let result = match ConsentStatus::parse(&consent.status) {
        Some(ConsentStatus::Authorised) => match retrieve(app, &consent, p.product).await {
            Ok(data) => Ok(data),
            Err(ConnectError::ConsentRevoked(code)) => {
                tracing::info!(consent_id = %consent.id, code, "the institution reports the consent revoked");
                let now = consent_state::ended_at_institution(
                    &app.store,
                    &consent.id,
                    &code,
                    app.clock.now_ms(),
                )
                .await?;
                Err(if now.status == ConsentStatus::Expired.as_str() {
                    Failure::ConsentMaxDateReached
                } else {
                    Failure::of_institution(&ConnectError::ConsentRevoked(code))
                })
            }
            Err(e) => {
                tracing::warn!(consent_id = %consent.id, request_id = %request.id, product = %p.product, attempt = job.attempts, error = %e, "the institution failed the retrieval");
                if transient(&e) && job.attempts < MAX_JOB_ATTEMPTS {
                    return Ok(JobOutcome::Retry(e.to_string()));
                }
                Err(Failure::of_institution(&e))
            }
        },
        Some(other) => Err(Failure::ConsentEnded(other)),
        None => return Err(anyhow::anyhow!("stored consent status {:?}", consent.status).into()),
    };
    store_report(
        app,
        &job.lease(),
        &request,
        &consent,
        p.product,
        result,
        None,
    )
    .await
}

/// The job failed on every try (Ponte's own error, e.g. its database): its
/// report is recorded `FAILED` with its `REPORT_READY`, and the job ended, in
/// one transaction, so the request does not stay `PROCESSING`.
pub async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
    let Ok(p) = serde_json::from_str::<JobPayload>(&job.payload) else {
        // Nothing to report on: the job just ends.
        let mut tx = app.store.begin().await?;
        let now = app.clock.now_ms();
        let lease = job.lease();
        if !ponte_store::finish_job(&mut tx, &lease, ponte_store::JOB_FAILED, Some(why), now)
            .await?
        {
            return Ok(JobOutcome::Superseded);
        }
        tx.commit().await?;
        return Ok(JobOutcome::Recorded);
    };
    let mut conn = app.store.read().await?;
    let request = ponte_store::request_by_id(&mut conn, &p.request_id)
        .await?
        .ok_or(Error::NotFound("request"))?;
    let consent = ponte_store::consent_by_id(&mut conn, &p.consent_id)
        .await?
        .ok_or(Error::NotFound("consent"))?;
    drop(conn);
    store_report(
        app,
        &job.lease(),
        &request,
        &consent,
        p.product,
        Err(Failure::Internal),
        Some(why),
    )
    .await
}

/// Worth another try later: the institution was unreachable, or refused tokens
/// that a sibling job may have replaced by the time this one runs again.
fn transient(e: &ConnectError) -> bool {
    matches!(
        e,
        ConnectError::Unavailable(_) | ConnectError::Transport(_) | ConnectError::TokensRefused(_)
    )
}

async fn retrieve(
    app: &App,
    consent: &ConsentRow,
    product: Product,
) -> Result<Box<RawValue>, ConnectError> {
    let institution = app
        .directory
        .get(&consent.institution_code)
        .ok_or_else(|| ConnectError::Refused("the institution left the directory".into()))?;
    let sealed = consent
        .bank_tokens_enc
        .as_deref()
        .ok_or_else(|| ConnectError::Refused("the consent has no tokens".into()))?;
    let tokens: BankTokens = app
        .crypto
        .decrypt_json(sealed)
        .map_err(|e| ConnectError::Protocol(e.to_string()))?;
    let bank_consent_id = consent
        .bank_consent_id
        .as_deref()
        .ok_or_else(|| ConnectError::Refused("the consent has no institution consent id".into()))?;
    let stored = StoredTokens {
        app,
        consent_id: &consent.id,
    };
    let mut session = DataSession::new(
        &app.open_finance,
        &institution.endpoint,
        bank_consent_id,
        tokens,
    )
    .with_token_store(&stored);
    let window = Window::ending(app.clock.now_ms());
    let data = products::fetch(&mut session, product, consent.business == 1, &window).await?;
    if product != Product::Insights {
        return Ok(data);
    }
    let insights = insights::compute_json(data.get()).map_err(ConnectError::Protocol)?;
    serde_json::value::to_raw_value(&insights).map_err(|e| ConnectError::Protocol(e.to_string()))
}

/// Stores the job's report and its `REPORT_READY`, and ends the job (failed,
/// with `job_error`, when given), in one transaction.
#[allow(clippy::too_many_arguments)]
async fn store_report(
    app: &App,
    lease: &JobLease,
    request: &RequestRow,
    consent: &ConsentRow,
    product: Product,
    result: Result<Box<RawValue>, Failure>,
    job_error: Option<&str>,
) -> Result<JobOutcome> {
    // Sealed before the transaction: five years of transactions take a while.
    let sealed = result.map(|data| {
        (
            products::summary(product, data.get()),
            app.crypto.seal_document(data.get().as_bytes()),
        )
    });
    let mut tx = app.store.begin().await?;
    // Revocation deletes what was retrieved under the consent. The row stays
    // locked to the commit: a revocation either committed before (the data
    // read meanwhile is dropped here) or waits and erases this report too.
    let result = match sealed {
        Ok(_) if !ponte_store::lock_if_authorised(&mut tx, &consent.id).await? => {
            let current = ponte_store::consent_by_id(&mut tx, &consent.id).await?;
            Err(current
                .and_then(|c| ConsentStatus::parse(&c.status))
                .map_or(Failure::ConsentEnded(ConsentStatus::Revoked), |s| {
                    Failure::ConsentEnded(s)
                }))
        }
        other => other,
    };
    let now = app.clock.now_ms();
    let (status, reason, summary, data_enc) = match result {
        Ok((summary, data)) => ("SUCCESS", None, summary, Some(data)),
        Err(why) => ("FAILED", Some(why.to_string()), json!({}), None),
    };
    let row = ReportRow {
        id: ReportId::generate().to_string(),
        request_id: request.id.clone(),
        client_id: request.client_id.clone(),
        link_id: request.link_id.clone(),
        consent_id: consent.id.clone(),
        institution_code: consent.institution_code.clone(),
        product: product.as_str().to_string(),
        status: status.to_string(),
        reason: reason.clone(),
        summary: summary.to_string(),
        data_enc,
        generated_at: now,
        deleted_at: None,
    };
    let callbacks: Map<String, Value> =
        serde_json::from_str(&request.callbacks).unwrap_or_default();
    let target_url = callbacks.get(product.as_str()).and_then(Value::as_str);
    let payload = json!({
        "event": "REPORT_READY",
        "requestId": row.request_id,
        "reportId": row.id,
        "linkId": row.link_id,
        "consentId": row.consent_id,
        "product": row.product,
        "status": status,
        "reason": reason,
        "summary": summary,
    });
    if ponte_store::insert_report(&mut tx, &row).await? {
        outbox::enqueue(
            &mut tx,
            &ClientId::from_trusted(row.client_id.clone()),
            "REPORT_READY",
            Target::Reports,
            target_url,
            &payload,
            now,
        )
        .await?;
    }
    let job_status = match job_error {
        Some(_) => ponte_store::JOB_FAILED,
        None => ponte_store::JOB_DONE,
    };
    if !ponte_store::finish_job(&mut tx, lease, job_status, job_error, now).await? {
        // Our lease lapsed and another worker runs the job: its report wins.
        tx.rollback().await?;
        return Ok(JobOutcome::Superseded);
    }
    tx.commit().await?;
    metrics::counter!("ponte_reports_total", "product" => product.as_str(), "status" => status)
        .increment(1);
    tracing::info!(report_id = %row.id, request_id = %row.request_id, consent_id = %row.consent_id, product = %product, status, reason, "report stored");
    Ok(JobOutcome::Recorded)
}

/// `GET /data/v1/requests/{id}`.
pub async fn view(app: &App, client: &ClientId, request_id: &str) -> Result<Value> {
    let id = RequestId::parse(request_id).ok_or(Error::NotFound("request"))?;
    let mut conn = app.store.read().await?;
    let row = ponte_store::request_by_id(&mut conn, id.as_str())
        .await?
        .filter(|r| r.client_id == client.as_str())
        .ok_or(Error::NotFound("request"))?;
    let reports = ponte_store::reports_of_request(&mut conn, &row.id).await?;
    let consents: Vec<String> = serde_json::from_str(&row.consent_ids).unwrap_or_default();
    let products: Vec<Product> = serde_json::from_str(&row.products).unwrap_or_default();
    let expected = consents.len() * products.len();
    let status = if reports.len() >= expected {
        "COMPLETED"
    } else {
        "PROCESSING"
    };
    Ok(json!({
        "requestId": row.id,
        "linkId": row.link_id,
        "type": row.kind,
        "status": status,
        "consentId": consents,
        "products": products,
        "createdAt": rfc3339(row.created_at),
        "reports": reports.iter().map(|r| json!({
            "reportId": r.id, "consentId": r.consent_id, "product": r.product, "status": r.status, "reason": r.reason,
            "generatedAt": rfc3339(r.generated_at), "deleted": r.deleted_at.is_some(),
        })).collect::<Vec<_>>(),
    }))
}

//! Retrieval: `institution-data` requests (and auto-delivery) become one
//! durable job per consent and product, run by `retrieval_job`.

use crate::error::{Error, Result};
use crate::services::consent_products::{allowed_products, consent_permissions};
use crate::services::job::{self, Job, JobOutcome};
use crate::services::links::parse_callbacks;
use crate::services::retrieval_job::{JobPayload, Retrieve};
use crate::services::text;
use crate::App;
use ponte_core::{
    ClientId, Cnpj, ConsentId, ConsentStatus, Cpf, Field, FieldError, LinkId, Product, RequestId,
};
use ponte_store::{Conn, ConsentRow, JobRow, RequestRow};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Personal,
    Business,
}

/// What an integrator asks for, as its dialect read it, before it is checked.
#[derive(Debug, Default)]
pub struct DataRequestInput {
    pub tax_id: Option<String>,
    pub institution_code: Option<String>,
    pub link_id: Option<String>,
    pub consent_ids: Option<Vec<String>>,
    pub products: Option<Vec<String>>,
    /// Product name to report webhook URL, for this request.
    pub callbacks: Option<Value>,
}

/// Validates a request and queues its jobs; answers at once with the request id.
pub async fn request(
    app: &App,
    client: &ClientId,
    kind: Kind,
    req: DataRequestInput,
) -> Result<String> {
    let tax_id = match (kind, text(&req.tax_id)) {
        (_, None) => return Err(FieldError::new(Field::TaxId, "is required").into()),
        (Kind::Personal, Some(t)) => Cpf::parse(Field::TaxId, t)?.as_str().to_string(),
        (Kind::Business, Some(t)) => Cnpj::parse(Field::TaxId, t)?.as_str().to_string(),
    };
    let link_id =
        text(&req.link_id).ok_or_else(|| FieldError::new(Field::LinkId, "is required"))?;
    let link_id = LinkId::parse(link_id)
        .ok_or_else(|| FieldError::new(Field::LinkId, "is not a link of yours"))?;
    let (link, details) = crate::services::links::load(app, client, link_id.as_str())
        .await
        .map_err(|_| FieldError::new(Field::LinkId, "is not a link of yours"))?;
    // The data is the link's end user's: a tax id naming someone else is a
    // mistake (or worse), never a request for another person's data.
    let linked = match kind {
        Kind::Personal => details.personal_tax_id.as_deref(),
        Kind::Business => details.business_tax_id.as_deref(),
    };
    if linked.is_some_and(|l| l != tax_id) {
        return Err(
            FieldError::new(Field::TaxId, "is not the tax id of this link's end user").into(),
        );
    }
    let consent_ids = req.consent_ids.clone().unwrap_or_default();
    if consent_ids.is_empty() {
        return Err(FieldError::new(Field::ConsentIds, "must list at least one consent").into());
    }
    let mut consents = Vec::new();
    let mut conn = app.store.read().await?;
    for (i, raw) in consent_ids.iter().enumerate() {
        let field = Field::ConsentIds.item(i);
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
        if row.status != ConsentStatus::Authorised || row.expire_at <= app.clock.now_ms() {
            return Err(Error::ConsentNotAuthorised(format!(
                "consent {} is {}, not AUTHORISED",
                row.id, row.status
            )));
        }
        if let Some(inst) = text(&req.institution_code) {
            if inst != row.institution_code {
                return Err(FieldError::new(
                    Field::ExpectedInstitution,
                    format!(
                        "does not match consent {} (institution {})",
                        row.id, row.institution_code
                    ),
                )
                .into());
            }
        }
        if (kind == Kind::Business) != row.business {
            let expected = if row.business { "business" } else { "personal" };
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
        return Err(FieldError::new(Field::Products, "must list at least one product").into());
    }
    let mut wanted = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let field = Field::Products.item(i);
        let p = Product::parse(name).ok_or_else(|| {
            FieldError::new(
                field.clone(),
                format!("is not a product: use {}", Product::names_listed()),
            )
        })?;
        for c in &consents {
            if !allowed_products(&consent_permissions(c), c.business).contains(&p) {
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
    for c in &consents {
        crate::services::quota::check_request(app, c, &wanted).await?;
    }
    let mut callbacks: Map<String, Value> =
        serde_json::from_str(&link.products_callback_url).unwrap_or_default();
    for (p, url) in parse_callbacks(req.callbacks.as_ref())? {
        crate::services::webhook_target(app, &format!("productsCallbackUrl.{p}"), &url).await?;
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

/// Writes a request and its retrieval jobs in the caller's transaction
/// (also a refresh's fresh report, `sync_report`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn enqueue(
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
            let payload = JobPayload {
                request_id: id.clone(),
                consent_id: c.id.clone(),
                product: *p,
            };
            job::queue::<Retrieve>(conn, &payload, now).await?;
        }
    }
    Ok(id)
}

/// Requests every product for a consent that just became `AUTHORISED`.
pub const AUTO_DELIVERY_JOB_KIND: &str = "auto_deliver";

// Stored in the jobs table: its spelling is a storage format (queued jobs must still read).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoDelivery {
    consent_id: String,
}

/// Requests every allowed product of a consent that just became
/// `AUTHORISED`; nobody waits on it, so giving up just ends it.
pub struct AutoDeliver;

impl Job for AutoDeliver {
    const KIND: &'static str = AUTO_DELIVERY_JOB_KIND;
    type Payload = AutoDelivery;

    async fn run(app: &App, job: &JobRow, p: AutoDelivery) -> Result<JobOutcome> {
        run_auto_delivery(app, job, p).await
    }

    async fn give_up(app: &App, job: &JobRow, why: &str) -> Result<JobOutcome> {
        job::end_failed(app, job, why).await
    }
}

/// Auto-delivery: when a consent becomes `AUTHORISED` for a client that asked
/// for it, a job to request every allowed product is queued in the same
/// transaction.
pub async fn queue_auto_delivery(conn: &mut Conn, consent: &ConsentRow, now: i64) -> Result<()> {
    let wanted = ponte_store::client_by_id(conn, &consent.client_id)
        .await?
        .is_some_and(|c| c.auto_delivery);
    if wanted {
        let payload = AutoDelivery {
            consent_id: consent.id.clone(),
        };
        job::queue::<AutoDeliver>(conn, &payload, now).await?;
    }
    Ok(())
}

/// Runs one `AUTO_DELIVERY_JOB_KIND` job: the request and its retrieval jobs
/// are written with the job's end, so a job run twice requests once.
async fn run_auto_delivery(app: &App, job: &JobRow, p: AutoDelivery) -> Result<JobOutcome> {
    let mut tx = app.store.begin().await?;
    let consent = ponte_store::consent_by_id(&mut tx, &p.consent_id)
        .await?
        .ok_or(Error::NotFound("consent"))?;
    let request = if consent.status == ConsentStatus::Authorised {
        auto_deliver(app, &mut tx, &consent).await?
    } else {
        None
    };
    let now = app.clock.now_ms();
    if !ponte_store::finish_job(&mut tx, &job.lease(), ponte_store::JobEnd::Done, None, now).await?
    {
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
    if !client.auto_delivery {
        return Ok(None);
    }
    let products = allowed_products(&consent_permissions(consent), consent.business);
    let link = ponte_store::link_for_client(conn, &client.id, &consent.link_id)
        .await?
        .ok_or(Error::NotFound("link"))?;
    let callbacks = serde_json::from_str(&link.products_callback_url).unwrap_or_default();
    let kind = if consent.business {
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

/// A request with its reports so far.
#[derive(Debug)]
pub struct RequestView {
    pub request: RequestRow,
    pub consent_ids: Vec<String>,
    pub products: Vec<Product>,
    /// Every consent × product has its report.
    pub completed: bool,
    pub reports: Vec<ponte_store::ReportRow>,
}

/// The request, for the client that made it.
pub async fn view(app: &App, client: &ClientId, request_id: &str) -> Result<RequestView> {
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
    Ok(RequestView {
        completed: reports.len() >= expected,
        request: row,
        consent_ids: consents,
        products,
        reports,
    })
}

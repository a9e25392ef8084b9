//! The banks' Open Finance data APIs, behind the access tokens the authorization-code grant
//! issues. One module per product; this one authenticates, applies the consent's
//! permissions, the rate limit and the test users' misbehaviour, and shapes the
//! `data`/`links`/`meta` envelopes.
//!
//! Order of checks for every call: unknown bank or product not offered → 404; bank in
//! outage → 503; missing/unknown/expired/revoked token → 401; more than
//! [`RATE_LIMIT_PER_SECOND`] calls in the same second with one token → 429 with
//! `Retry-After: 1`; consent not `AUTHORISED` (or past its expiration) → 401; consent
//! lacking the endpoint's permission → 403; then the test users' misbehaviour:
//! `user_expiring`'s access token past its [`EXPIRING_TOKEN_CALLS`] calls → 401 (the
//! token is dead from then on, so the client must refresh), `user_throttled`'s first call
//! of each resource (per consent) → 429 with `Retry-After: 1`, `user_flaky`'s first two
//! calls of each resource (per consent) → 500; unknown resource id → 404.

pub mod accounts;
pub mod credit_cards;
pub mod customers;
pub mod generator;
pub mod investments;
pub mod loans;
pub mod quota;
pub mod resources;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::catalogue::{self, BankInfo};
use crate::errors::{OfbError, JSON_UTF8};
use crate::store::counter;
use crate::util::{now_ms, ofb_time, sha256_hex};
use crate::AppState;
use generator::{Day, Profile};

/// Calls one access token may make per wall-clock second before getting 429. Generous:
/// a client paging through five years of transactions with `page-size=1000` needs ~25.
pub const RATE_LIMIT_PER_SECOND: u32 = 100;

/// Calls each of `user_expiring`'s access tokens serves before it expires (its
/// `expires_in` still says 900 s: a bank may end a token early, and clients must cope).
pub const EXPIRING_TOKEN_CALLS: i64 = 3;

/// Every data-API route, relative to the bank (`/{code}`).
pub fn routes() -> Router<AppState> {
    let acc = "/{code}/open-banking/accounts/v2/accounts";
    let cc = "/{code}/open-banking/credit-cards-accounts/v2/accounts";
    let cus = "/{code}/open-banking/customers/v2";
    let loans = "/{code}/open-banking/loans/v2/contracts";
    let inv = "/{code}/open-banking/bank-fixed-incomes/v1/investments";
    Router::new()
        .route(
            "/{code}/open-banking/resources/v3/resources",
            get(resources::list),
        )
        .route(
            &format!("{cus}/personal/identifications"),
            get(customers::personal_identifications),
        )
        .route(
            &format!("{cus}/personal/qualifications"),
            get(customers::personal_qualifications),
        )
        .route(
            &format!("{cus}/personal/financial-relations"),
            get(customers::personal_financial_relations),
        )
        .route(
            &format!("{cus}/business/identifications"),
            get(customers::business_identifications),
        )
        .route(
            &format!("{cus}/business/qualifications"),
            get(customers::business_qualifications),
        )
        .route(
            &format!("{cus}/business/financial-relations"),
            get(customers::business_financial_relations),
        )
        .route(acc, get(accounts::list))
        .route(&format!("{acc}/{{id}}"), get(accounts::identification))
        .route(&format!("{acc}/{{id}}/balances"), get(accounts::balances))
        .route(
            &format!("{acc}/{{id}}/overdraft-limits"),
            get(accounts::overdraft_limits),
        )
        .route(
            &format!("{acc}/{{id}}/transactions"),
            get(accounts::transactions),
        )
        .route(
            &format!("{acc}/{{id}}/transactions-current"),
            get(accounts::transactions_current),
        )
        .route(cc, get(credit_cards::list))
        .route(&format!("{cc}/{{id}}"), get(credit_cards::identification))
        .route(&format!("{cc}/{{id}}/limits"), get(credit_cards::limits))
        .route(&format!("{cc}/{{id}}/bills"), get(credit_cards::bills))
        .route(
            &format!("{cc}/{{id}}/bills/{{bill}}/transactions"),
            get(credit_cards::bill_transactions),
        )
        .route(
            &format!("{cc}/{{id}}/transactions"),
            get(credit_cards::transactions),
        )
        .route(
            &format!("{cc}/{{id}}/transactions-current"),
            get(credit_cards::transactions_current),
        )
        .route(loans, get(loans::list))
        .route(&format!("{loans}/{{id}}"), get(loans::contract))
        .route(
            &format!("{loans}/{{id}}/warranties"),
            get(loans::warranties),
        )
        .route(
            &format!("{loans}/{{id}}/scheduled-instalments"),
            get(loans::instalments),
        )
        .route(&format!("{loans}/{{id}}/payments"), get(loans::payments))
        .route(inv, get(investments::list))
        .route(&format!("{inv}/{{id}}"), get(investments::identification))
        .route(
            &format!("{inv}/{{id}}/balances"),
            get(investments::balances),
        )
        .route(
            &format!("{inv}/{{id}}/transactions"),
            get(investments::transactions),
        )
        .route(
            &format!("{inv}/{{id}}/transactions-current"),
            get(investments::transactions_current),
        )
}

/// An OFB error as the data APIs send it: `meta` carries `totalRecords`/`totalPages` too,
/// because several specs' `ResponseError` reference the full `Meta` (and the others allow
/// extra members); 429 adds `Retry-After`.
#[derive(Debug)]
pub struct ApiError(pub OfbError);

impl From<OfbError> for ApiError {
    fn from(e: OfbError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let body = json!({
            "errors": [{"code": e.code, "title": e.title, "detail": e.detail}],
            "meta": {"totalRecords": 1, "totalPages": 1, "requestDateTime": ofb_time(now_ms())},
        });
        let mut resp = (
            e.status,
            [(header::CONTENT_TYPE, JSON_UTF8)],
            body.to_string(),
        )
            .into_response();
        if e.status == StatusCode::TOO_MANY_REQUESTS {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        resp
    }
}

pub type ApiResult = Result<Response, ApiError>;

fn invalid(detail: &str) -> ApiError {
    ApiError(OfbError::unprocessable(
        "PARAMETRO_INVALIDO",
        "Parâmetro inválido",
        detail,
    ))
}

/// Who is asking: the consent behind the token and whose data it opens.
pub struct Caller {
    pub bank: &'static BankInfo,
    pub base: String,
    /// The CPF the consent names (`loggedUser.document.identification`).
    pub cpf: String,
    /// The CNPJ of the consent's `businessEntity`, if any.
    pub cnpj: Option<String>,
    pub profile: Profile,
    pub today: Day,
    pub permissions: Vec<String>,
}

impl Caller {
    pub fn has(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p == permission)
    }
}

/// Which product a resource belongs to, as named in `BankInfo::available_resources`.
pub fn product_of(resource: &str) -> Option<&'static str> {
    let p = resource.split('/').next().unwrap_or_default();
    match p {
        "accounts" => Some("accounts"),
        "credit-cards-accounts" => Some("creditCards"),
        "loans" => Some("loans"),
        "bank-fixed-incomes" => Some("investments"),
        "customers" => Some("registration"),
        _ => None,
    }
}

/// Authenticates a data-API call and checks the permission it needs. `resource` is the
/// route template below `/open-banking/` (e.g. "accounts/{id}/transactions"); it names the
/// product and keys `user_flaky`'s failure counter.
pub async fn caller(
    st: &AppState,
    code: &str,
    headers: &HeaderMap,
    permission: &str,
    resource: &str,
) -> Result<Caller, ApiError> {
    let bank = catalogue::find(code)?;
    if let Some(product) = product_of(resource) {
        if !bank.available_resources.contains(&product) {
            return Err(
                OfbError::not_found("This institution does not offer this product.").into(),
            );
        }
    }
    if bank.is_outage {
        return Err(OfbError::outage().into());
    }
    let raw = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            OfbError::unauthorized("Authorization: Bearer <token> header is missing.")
        })?;
    let token = st
        .store
        .token(bank.code, "access", raw)
        .await
        .map_err(OfbError::internal)?
        .ok_or_else(|| {
            OfbError::unauthorized("The access token is invalid, expired or revoked.")
        })?;
    crate::fapi::check_binding(&token)?;
    let consent_id = token
        .consent_id
        .ok_or_else(|| OfbError::unauthorized("This token was not issued for a consent."))?;
    if let Err(e) = rate_limit(raw) {
        count(st, &consent_id, counter::THROTTLED).await?;
        return Err(e);
    }
    let consent = st
        .store
        .consent(bank.code, &consent_id)
        .await
        .map_err(OfbError::internal)?
        .filter(|c| c.status == "AUTHORISED" && c.expiration.is_none_or(|e| e > now_ms()))
        .ok_or_else(|| OfbError::unauthorized("The consent is not (or no longer) authorised."))?;
    if !consent.permissions.iter().any(|p| p == permission) {
        return Err(
            OfbError::forbidden(&format!("The consent does not grant {permission}.")).into(),
        );
    }
    let user = st
        .store
        .consent_user(&consent_id)
        .await
        .map_err(OfbError::internal)?
        .ok_or_else(|| OfbError::unauthorized("The consent has no authorising user."))?;
    misbehave(st, bank, &user.username, &consent_id, raw, resource).await?;
    // The consent's test clock (sandbox mode's `clock/advance`) moves its data's today:
    // new days' transactions appear, processing ones settle.
    let offset = st
        .store
        .consent_clock_offset(&consent_id)
        .await
        .map_err(OfbError::internal)?;
    let today = (now_ms() + offset).div_euclid(86_400_000);
    Ok(Caller {
        bank,
        base: format!("{}/open-banking", st.mtls_base(bank)),
        profile: Profile::new(
            bank.code,
            &user.username,
            &user.cpf,
            bank.available_resources,
            today,
        ),
        cpf: user.cpf,
        cnpj: user.cnpj,
        today,
        permissions: consent.permissions,
    })
}

/// Bumps one of the consent's counters; returns its new value.
async fn count(st: &AppState, consent_id: &str, key: &str) -> Result<i64, ApiError> {
    Ok(st
        .store
        .count_call(consent_id, key)
        .await
        .map_err(OfbError::internal)?)
}

/// What the test users do to a call that passed every real check.
async fn misbehave(
    st: &AppState,
    bank: &BankInfo,
    username: &str,
    consent_id: &str,
    token: &str,
    resource: &str,
) -> Result<(), ApiError> {
    match username {
        "user_expiring" => {
            let key = counter::token_calls(&sha256_hex(token));
            if count(st, consent_id, &key).await? > EXPIRING_TOKEN_CALLS {
                st.store
                    .expire_token(bank.code, token)
                    .await
                    .map_err(OfbError::internal)?;
                count(st, consent_id, counter::EXPIRED_TOKENS).await?;
                return Err(OfbError::unauthorized(&format!(
                    "The access token expired: this user's tokens serve {EXPIRING_TOKEN_CALLS} calls each."
                ))
                .into());
            }
        }
        "user_throttled" if count(st, consent_id, resource).await? == 1 => {
            count(st, consent_id, counter::THROTTLED).await?;
            return Err(too_many(
                "Simulated rate limit: this user's first call of each resource gets 429.",
            ));
        }
        "user_flaky" if count(st, consent_id, resource).await? <= 2 => {
            return Err(OfbError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "Erro interno",
                "Simulated transient failure: this user's first two calls of each resource fail.",
            )
            .into());
        }
        _ => {}
    }
    Ok(())
}

fn too_many(detail: &str) -> ApiError {
    ApiError(OfbError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
        "Muitas requisições",
        detail,
    ))
}

/// Fixed one-second windows per token (keyed by its hash).
fn rate_limit(token: &str) -> Result<(), ApiError> {
    static WINDOWS: OnceLock<Mutex<HashMap<String, (i64, u32)>>> = OnceLock::new();
    let now = now_ms().div_euclid(1000);
    let mut map = WINDOWS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if map.len() > 10_000 {
        map.retain(|_, (sec, _)| *sec == now);
    }
    let entry = map.entry(sha256_hex(token)).or_insert((now, 0));
    if entry.0 != now {
        *entry = (now, 0);
    }
    entry.1 += 1;
    if entry.1 > RATE_LIMIT_PER_SECOND {
        return Err(too_many(&format!(
            "More than {RATE_LIMIT_PER_SECOND} requests per second with this token."
        )));
    }
    Ok(())
}

pub fn respond(body: Value) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, JSON_UTF8)],
        body.to_string(),
    )
        .into_response()
}

/// `meta` of a single resource or a one-page list.
pub fn meta(records: u64) -> Value {
    json!({"totalRecords": records, "totalPages": 1, "requestDateTime": ofb_time(now_ms())})
}

/// `meta` with only `requestDateTime`.
pub fn meta_time() -> Value {
    json!({"requestDateTime": ofb_time(now_ms())})
}

/// A single resource: `{data, links: {self}, meta}`.
pub fn single(data: Value, self_url: String, meta: Value) -> Response {
    respond(json!({"data": data, "links": {"self": self_url}, "meta": meta}))
}

/// The query string as pairs.
pub struct Query(pub Vec<(String, String)>);

impl Query {
    pub fn parse(raw: &Option<String>) -> Query {
        Query(
            raw.as_deref()
                .map(|q| {
                    url::form_urlencoded::parse(q.as_bytes())
                        .into_owned()
                        .collect()
                })
                .unwrap_or_default(),
        )
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
    }

    pub fn date(&self, name: &str) -> Result<Option<Day>, ApiError> {
        match self.get(name) {
            None | Some("") => Ok(None),
            Some(v) => generator::parse_date(v)
                .map(Some)
                .ok_or_else(|| invalid(&format!("{name} must be a date YYYY-MM-DD."))),
        }
    }

    /// A `from`/`to` pair of date filters; `from` is required when `to` is given.
    pub fn range(&self, from: &str, to: &str) -> Result<(Option<Day>, Option<Day>), ApiError> {
        let (f, t) = (self.date(from)?, self.date(to)?);
        if t.is_some() && f.is_none() {
            return Err(invalid(&format!("{from} is required when {to} is given.")));
        }
        if let (Some(f), Some(t)) = (f, t) {
            if f > t {
                return Err(invalid(&format!("{from} is after {to}.")));
            }
        }
        Ok((f, t))
    }

    /// `page` (from 1) and `page-size` (1..=1000, default 25).
    pub fn paging(&self) -> Result<Paging, ApiError> {
        let page = match self.get("page") {
            None => 1,
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|p| (1..=2_147_483_647).contains(p))
                .ok_or_else(|| invalid("page must be an integer from 1."))?,
        };
        let size = match self.get("page-size") {
            None => 25,
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|s| (1..=1000).contains(s))
                .ok_or_else(|| invalid("page-size must be an integer from 1 to 1000."))?,
        };
        Ok(Paging { page, size })
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Paging {
    pub page: u64,
    pub size: u64,
}

impl Paging {
    pub fn skip(&self) -> u64 {
        (self.page - 1) * self.size
    }

    pub fn total_pages(&self, total: u64) -> u64 {
        total.div_ceil(self.size).max(1)
    }

    /// `links` for page `self.page` of `total` records: self, first, prev (from page 2),
    /// next (until the last page), last (when `with_last`). `extra` is appended to every
    /// link's query (e.g. the date filters).
    pub fn links(&self, url: &str, extra: &[(&str, String)], total: u64, with_last: bool) -> Value {
        let link = |p: u64| {
            let mut q = url::form_urlencoded::Serializer::new(String::new());
            q.append_pair("page", &p.to_string());
            q.append_pair("page-size", &self.size.to_string());
            for (k, v) in extra {
                q.append_pair(k, v);
            }
            format!("{url}?{}", q.finish())
        };
        let last = self.total_pages(total);
        let mut m = Map::new();
        m.insert("self".into(), json!(link(self.page)));
        m.insert("first".into(), json!(link(1)));
        if self.page > 1 {
            m.insert("prev".into(), json!(link((self.page - 1).min(last))));
        }
        if self.page < last {
            m.insert("next".into(), json!(link(self.page + 1)));
        }
        if with_last {
            m.insert("last".into(), json!(link(last)));
        }
        Value::Object(m)
    }

    /// `meta` of a paginated list.
    pub fn meta(&self, total: u64) -> Value {
        json!({"totalRecords": total, "totalPages": self.total_pages(total),
               "requestDateTime": ofb_time(now_ms())})
    }

    /// A whole `{data, links, meta}` body for an in-memory list.
    pub fn list(&self, items: Vec<Value>, url: &str, extra: &[(&str, String)]) -> Response {
        let total = items.len() as u64;
        let data: Vec<Value> = items
            .into_iter()
            .skip(self.skip() as usize)
            .take(self.size as usize)
            .collect();
        respond(
            json!({"data": data, "links": self.links(url, extra, total, true), "meta": self.meta(total)}),
        )
    }
}

pub fn amount(cents: i64) -> Value {
    json!({"amount": generator::money(cents), "currency": "BRL"})
}

/// Lazily pages through per-day records: `count(day)` says how many records a day holds
/// without building them, `build(day)` builds one day. Returns the page's records and the
/// total number of records in `days`.
pub fn page_days<T>(
    days: impl Iterator<Item = Day>,
    paging: Paging,
    count: impl Fn(Day) -> u64,
    build: impl Fn(Day) -> Vec<T>,
) -> (Vec<T>, u64) {
    let skip = paging.skip();
    let mut seen = 0u64;
    let mut out = Vec::new();
    for day in days {
        let n = count(day);
        if n > 0 && seen + n > skip && (out.len() as u64) < paging.size {
            for (i, t) in build(day).into_iter().enumerate() {
                let idx = seen + i as u64;
                if idx >= skip && (out.len() as u64) < paging.size {
                    out.push(t);
                }
            }
        }
        seen += n;
    }
    (out, seen)
}

pub fn not_found(what: &str, id: &str) -> ApiError {
    OfbError::not_found(&format!("No {what} with id {id} for this consent.")).into()
}

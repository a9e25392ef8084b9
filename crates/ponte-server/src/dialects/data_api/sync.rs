//! `GET /data/v1/consents/{consentId}/transactions/sync` (every transaction added,
//! modified or removed since a cursor) and `POST /data/v1/consents/{consentId}/refresh`.

use super::errors::ApiResult;
use super::wire::ErrorEnvelope;
use super::{Access, AnyToken, Token};
use crate::http::extract::{Path, Query};
use crate::services::sync::{self, SyncItem};
use crate::services::sync_balances::AccountBalances;
use crate::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Deserialize)]
pub(super) struct SyncQuery {
    cursor: Option<String>,
    count: Option<String>,
}

/// Changes since the cursor. Apply `added`, `modified` and `removed` in any order: a page
/// names each transaction at most once.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransactionsSyncPage {
    /// Transactions seen for the first time: the institution's OFB item (accounts
    /// `transactions` or credit-card `transactions`) plus `accountId` (the account or
    /// card it belongs to) and, when it settled a processing one under a new id,
    /// `pendingTransactionId`.
    #[schema(value_type = Vec<Object>)]
    added: Vec<Value>,
    /// New versions of transactions returned before, same shape (a processing
    /// purchase that settled, a corrected name or amount).
    #[schema(value_type = Vec<Object>)]
    modified: Vec<Value>,
    /// Transactions the institution no longer lists (a voided authorisation).
    removed: Vec<RemovedTransaction>,
    /// Pass it back to continue; it never skips or repeats a change, whatever refreshes
    /// land meanwhile.
    next_cursor: String,
    /// More changes wait after this page: call again at once with `nextCursor`.
    has_more: bool,
    /// The day (YYYY-MM-DD, on your clock) the last refresh read through; `null` before
    /// the first one.
    synced_through: Option<String>,
    /// A refresh is queued or running; `TRANSACTIONS_SYNC_UPDATES_AVAILABLE` follows
    /// when it finds changes.
    refreshing: bool,
    /// Each synced account's current balances and each card's limits, as the last
    /// refresh that could read them left them (every page carries them).
    accounts: Vec<SyncAccount>,
}

/// One account's balances or one card's limits, read by a refresh.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncAccount {
    /// The account's `accountId` or the card's `creditCardAccountId`, as in `added`.
    account_id: String,
    /// For an account, the fields of the institution's OFB accounts `/balances` `data`,
    /// unchanged: `availableAmount`, `blockedAmount`, `automaticallyInvestedAmount`,
    /// `updateDateTime`.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    balances: serde_json::Map<String, Value>,
    /// For a card, the items of the institution's OFB credit-cards `/limits`, unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    limits: Option<Vec<Value>>,
    /// When Ponte read them (RFC 3339, on your clock). A refresh whose balances call the
    /// institution refused (a `429`, a spent monthly limit) keeps the last ones, and
    /// their `asOf`.
    as_of: String,
}

impl SyncAccount {
    fn from_domain(b: AccountBalances) -> SyncAccount {
        let (balances, limits) = match (b.card, b.data) {
            (true, Value::Array(items)) => (serde_json::Map::new(), Some(items)),
            (true, other) => (serde_json::Map::new(), Some(vec![other])),
            (false, Value::Object(fields)) => (fields, None),
            (false, _) => (serde_json::Map::new(), None),
        };
        SyncAccount {
            account_id: b.account_id,
            balances,
            limits,
            as_of: crate::clock::rfc3339(b.as_of_ms),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemovedTransaction {
    transaction_id: String,
    account_id: String,
}

/// What `POST …/refresh` answers.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshAccepted {
    consent_id: String,
    /// `QUEUED`, or `ALREADY_QUEUED` when a refresh was queued or running (this
    /// request joined it).
    #[schema(example = "QUEUED")]
    refresh: String,
}

#[utoipa::path(get, path = "/data/v1/consents/{consentId}/transactions/sync", tag = "Data API: Consents",
    summary = "Transactions added, modified or removed since a cursor",
    description = "Start without a cursor; keep the last `nextCursor` and call again when `TRANSACTIONS_SYNC_UPDATES_AVAILABLE` arrives. Each change comes exactly once. A card purchase read before its bill closed comes back `modified` with its `billId` once the bill closes. `accounts` carries each account's current balances and each card's limits, with when they were read. A processing (`TRANSACAO_PROCESSANDO`) transaction that settles under the same `transactionId` is `modified`, never added twice; one the institution settles under a new id is `removed` and the settled one `added` with `pendingTransactionId`.",
    params(("consentId" = String, Path, description = "From POST /data/v1/consents"),
        ("cursor" = Option<String>, Query, description = "The previous page's `nextCursor`; none to start from the beginning"),
        ("count" = Option<i64>, Query, description = "Changes per page, 1 to 500 (default 100)", minimum = 1, maximum = 500)),
    security(("accessToken" = []), ("linkToken" = [])),
    responses((status = 200, description = "A page of changes", body = TransactionsSyncPage), (status = "4XX", description = "Refused; the envelope names the code and the field (`cursor`, `count`)", body = ErrorEnvelope)))]
pub(super) async fn transactions_sync(
    State(app): State<App>,
    Path(consent_id): Path<String>,
    Query(q): Query<SyncQuery>,
    Token(who, _): AnyToken,
) -> ApiResult {
    let count = sync::parse_count(q.count.as_deref())?;
    let page = sync::page(&app, &who, &consent_id, q.cursor.as_deref(), count).await?;
    let (mut added, mut modified, mut removed) = (Vec::new(), Vec::new(), Vec::new());
    for item in page.items {
        match item {
            SyncItem::Added(v) => added.push(v),
            SyncItem::Modified(v) => modified.push(v),
            SyncItem::Removed {
                transaction_id,
                account_id,
            } => removed.push(RemovedTransaction {
                transaction_id,
                account_id,
            }),
        }
    }
    Ok(Json(TransactionsSyncPage {
        added,
        modified,
        removed,
        next_cursor: page.next_cursor,
        has_more: page.has_more,
        synced_through: page.synced_through,
        refreshing: page.refreshing,
        accounts: page
            .balances
            .into_iter()
            .map(SyncAccount::from_domain)
            .collect(),
    })
    .into_response())
}

#[utoipa::path(post, path = "/data/v1/consents/{consentId}/refresh", tag = "Data API: Consents",
    summary = "Refresh the consent's transactions now",
    description = "Reads the recent window at the institution (the whole history on the first refresh), each account's balances and card's limits, and a card's bills that closed since, and records what changed for the sync endpoint. Consents are also refreshed once a day. While a refresh is queued or running another request joins it.",
    params(("consentId" = String, Path, description = "From POST /data/v1/consents")),
    security(("accessToken" = [])),
    responses((status = 202, description = "Queued (or joined)", body = RefreshAccepted), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn refresh_consent(
    State(app): State<App>,
    Path(consent_id): Path<String>,
    Token(who, _): Access,
) -> ApiResult {
    let r = sync::request_refresh(&app, &who, &consent_id).await?;
    let body = RefreshAccepted {
        consent_id: r.consent_id,
        refresh: if r.queued { "QUEUED" } else { "ALREADY_QUEUED" }.into(),
    };
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

//! `/open-banking/resources/v3/resources` (resources-3.1.0): what the consent opens, one
//! entry per account, card, loan contract and investment the permissions cover.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{json, Value};

use super::generator::month_of;
use super::{caller, ApiResult, Query};
use crate::AppState;

pub async fn list(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let c = caller(&st, &code, &headers, "RESOURCES_READ", "resources").await?;
    let paging = Query::parse(&q).paging()?;
    let offers = |p: &str| c.bank.available_resources.contains(&p);
    let item =
        |id: String, kind: &str| json!({"resourceId": id, "type": kind, "status": "AVAILABLE"});
    let mut items: Vec<Value> = Vec::new();
    if offers("accounts") && c.has("ACCOUNTS_READ") {
        for k in c.profile.accounts() {
            items.push(item(c.profile.account_id(k), "ACCOUNT"));
        }
    }
    if offers("creditCards") && c.has("CREDIT_CARDS_ACCOUNTS_READ") {
        items.push(item(c.profile.card_id(), "CREDIT_CARD_ACCOUNT"));
    }
    if offers("loans") && c.has("LOANS_READ") {
        for l in c.profile.loans_at(month_of(c.today)) {
            items.push(item(l.id, "LOAN"));
        }
    }
    if offers("investments") && c.has("BANK_FIXED_INCOMES_READ") {
        for i in c.profile.investments_at(c.today) {
            items.push(item(i.id, "BANK_FIXED_INCOME"));
        }
    }
    Ok(paging.list(items, &format!("{}/resources/v3/resources", c.base), &[]))
}

//! `/open-banking/bank-fixed-incomes/v1` (bank-fixed-incomes-1.1.0): one to three
//! post-fixed CDB/LCI/LCA positions per user at a percentage of the CDI, each bought at
//! R$ 1.000,00 a unit and rolled over into a new one when it matures; balances accrue each
//! business day at that month's CDI (252-day basis, [`rates::cdi_growth`]); CDB gains pay
//! Brazil's regressive income tax, LCI/LCA are exempt.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{json, Value};

use super::accounts::bank_cnpj;
use super::generator::{date_string, date_time, income_tax_rate, money, rates, Day, Investment};
use super::{
    amount, caller, meta, meta_time, not_found, page_days, respond, single, ApiError, ApiResult,
    Caller, Query,
};
use crate::errors::OfbError;
use crate::AppState;

/// Unit price at issue, in cents.
const UNIT_CENTS: i64 = 100_000;

fn url(c: &Caller) -> String {
    format!("{}/bank-fixed-incomes/v1/investments", c.base)
}

fn the_investment(c: &Caller, id: &str) -> Result<Investment, ApiError> {
    c.profile
        .investments_at(c.today)
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(|| not_found("investment", id))
}

fn unit_price(i: &Investment, day: Day) -> f64 {
    UNIT_CENTS as f64 / 100.0 * rates::cdi_growth(i.cdi_pct, i.purchase_day, day)
}

fn price8(x: f64) -> Value {
    json!({"amount": format!("{x:.8}"), "currency": "BRL"})
}

/// Quantity (in hundredths of a unit) bought for `cents`.
fn hundredths(cents: i64) -> i64 {
    cents * 100 / UNIT_CENTS
}

fn tax_cents(i: &Investment, gain_cents: i64, day: Day) -> i64 {
    if i.kind == "CDB" && gain_cents > 0 {
        (gain_cents as f64 * income_tax_rate(day - i.purchase_day)).round() as i64
    } else {
        0
    }
}

pub async fn list(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "BANK_FIXED_INCOMES_READ",
        "bank-fixed-incomes",
    )
    .await?;
    let paging = Query::parse(&q).paging()?;
    let items: Vec<Value> = c
        .profile
        .investments_at(c.today)
        .iter()
        .map(|i| {
            json!({
                "brandName": c.bank.name,
                "companyCnpj": bank_cnpj(c.bank.code),
                "investmentType": i.kind,
                "investmentId": i.id,
            })
        })
        .collect();
    Ok(paging.list(items, &url(&c), &[]))
}

pub async fn identification(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "BANK_FIXED_INCOMES_READ",
        "bank-fixed-incomes/{id}",
    )
    .await?;
    let i = the_investment(&c, &id)?;
    let data = json!({
        "issuerInstitutionCnpjNumber": bank_cnpj(c.bank.code),
        "investmentType": i.kind,
        "remuneration": {
            "postFixedIndexerPercentage": format!("{:.6}", i.cdi_pct),
            "rateType": "EXPONENCIAL",
            "ratePeriodicity": "ANUAL",
            "calculation": "DIAS_UTEIS",
            "indexer": "CDI",
        },
        "issueUnitPrice": price8(UNIT_CENTS as f64 / 100.0),
        "dueDate": date_string(i.due_day),
        "issueDate": date_string(i.purchase_day),
        "purchaseDate": date_string(i.purchase_day),
        "gracePeriodDate": date_string(i.purchase_day + if i.kind == "CDB" { 30 } else { 90 }),
    });
    Ok(single(data, format!("{}/{id}", url(&c)), meta(1)))
}

pub async fn balances(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "BANK_FIXED_INCOMES_READ",
        "bank-fixed-incomes/{id}/balances",
    )
    .await?;
    let i = the_investment(&c, &id)?;
    let redeemed = i
        .redemption
        .filter(|(d, _)| *d <= c.today)
        .map_or(0, |(_, cents)| cents);
    let held = hundredths(i.principal_cents - redeemed);
    let price = unit_price(&i, c.today);
    let gross = (held as f64 * price).round() as i64; // hundredths of a unit × R$ = cents
    let tax = tax_cents(&i, gross - (i.principal_cents - redeemed), c.today);
    let data = json!({
        "referenceDateTime": date_time(c.today, 0),
        "quantity": money(held),
        "updatedUnitPrice": price8(price),
        "grossAmount": amount(gross),
        "netAmount": amount(gross - tax),
        "incomeTax": amount(tax),
        "financialTransactionTax": amount(0),
        "blockedBalance": amount(0),
        "purchaseUnitPrice": price8(UNIT_CENTS as f64 / 100.0),
    });
    Ok(single(data, format!("{}/{id}/balances", url(&c)), meta(1)))
}

/// The investment's movements on `day`.
fn movements(i: &Investment, day: Day, today: Day) -> Vec<Value> {
    let mut out = Vec::new();
    if day == i.purchase_day {
        out.push(json!({
            "type": "ENTRADA",
            "transactionType": "APLICACAO",
            "transactionDate": date_string(day),
            "transactionUnitPrice": price8(UNIT_CENTS as f64 / 100.0),
            "transactionQuantity": money(hundredths(i.principal_cents)),
            "transactionGrossValue": amount(i.principal_cents),
            "transactionNetValue": amount(i.principal_cents),
            "transactionId": format!("mov-{}-a", i.id),
        }));
    }
    if let Some((d, cents)) = i.redemption.filter(|(d, _)| *d == day && *d <= today) {
        let price = unit_price(i, d);
        let qty = hundredths(cents);
        let gross = (qty as f64 * price).round() as i64;
        let tax = tax_cents(i, gross - cents, d);
        out.push(json!({
            "type": "SAIDA",
            "transactionType": "RESGATE",
            "transactionDate": date_string(d),
            "transactionUnitPrice": price8(price),
            "transactionQuantity": money(qty),
            "transactionGrossValue": amount(gross),
            "incomeTax": amount(tax),
            "financialTransactionTax": amount(0),
            "transactionNetValue": amount(gross - tax),
            "transactionId": format!("mov-{}-r", i.id),
        }));
    }
    out
}

async fn transactions_of(
    st: AppState,
    code: String,
    id: String,
    headers: HeaderMap,
    q: Option<String>,
    current: bool,
) -> ApiResult {
    let resource = if current {
        "bank-fixed-incomes/{id}/transactions-current"
    } else {
        "bank-fixed-incomes/{id}/transactions"
    };
    let c = caller(&st, &code, &headers, "BANK_FIXED_INCOMES_READ", resource).await?;
    let i = the_investment(&c, &id)?;
    let q = Query::parse(&q);
    let paging = q.paging()?;
    let (from, to) = q.range("fromTransactionDate", "toTransactionDate")?;
    let default_from = if current { c.today - 6 } else { i.purchase_day };
    let (from, to) = (from.unwrap_or(default_from), to.unwrap_or(c.today));
    if current && from < c.today - 6 {
        return Err(ApiError(OfbError::unprocessable(
            "PARAMETRO_INVALIDO",
            "Parâmetro inválido",
            "transactions-current covers at most the last 7 days.",
        )));
    }
    let (lo, hi) = (from.max(i.purchase_day), to.min(c.today));
    let (items, total) = page_days(
        lo..=hi,
        paging,
        |d| movements(&i, d, c.today).len() as u64,
        |d| movements(&i, d, c.today),
    );
    let extra = [
        ("fromTransactionDate", date_string(from)),
        ("toTransactionDate", date_string(to)),
    ];
    let path = if current {
        "transactions-current"
    } else {
        "transactions"
    };
    // This spec's transaction `meta` admits nothing but requestDateTime.
    Ok(respond(json!({
        "data": items,
        "links": paging.links(&format!("{}/{id}/{path}", url(&c)), &extra, total, false),
        "meta": meta_time(),
    })))
}

pub async fn transactions(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    transactions_of(st, code, id, headers, q, false).await
}

pub async fn transactions_current(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    transactions_of(st, code, id, headers, q, true).await
}

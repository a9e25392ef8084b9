//! `/open-banking/credit-cards-accounts/v2` (credit-cards-2.3.1): one card per user, its
//! limits, monthly bills (closing on the 3rd, due on the 10th, paid in full from the
//! checking account) and transactions.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{json, Value};

use super::accounts::bank_cnpj;
use super::generator::{
    date_string, date_time_ms, day_of_month, digits, month_of, pick, CardTx, Day, CARD_CLOSING_DOM,
    CARD_DUE_DOM,
};
use super::{
    amount, caller, meta, not_found, page_days, respond, single, ApiError, ApiResult, Caller, Query,
};
use crate::errors::OfbError;
use crate::AppState;

fn url(c: &Caller) -> String {
    format!("{}/credit-cards-accounts/v2/accounts", c.base)
}

fn last4(c: &Caller) -> String {
    digits(c.profile.seed, 700, 4)
}

fn product(c: &Caller) -> &'static str {
    match c.profile.salary_cents {
        ..=600_000 => "GOLD",
        600_001..=1_500_000 => "PLATINUM",
        _ => "BLACK",
    }
}

fn network(c: &Caller) -> &'static str {
    pick(c.profile.seed, 701, 0, &["VISA", "MASTERCARD", "ELO"])
}

fn card_name(c: &Caller) -> String {
    let name = format!("{} {} {}", c.bank.name, network(c), product(c));
    name.chars().take(50).collect()
}

fn the_card(c: &Caller, id: &str) -> Result<(), ApiError> {
    if id == c.profile.card_id() {
        Ok(())
    } else {
        Err(not_found("credit card account", id))
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
        "CREDIT_CARDS_ACCOUNTS_READ",
        "credit-cards-accounts",
    )
    .await?;
    let paging = Query::parse(&q).paging()?;
    let item = json!({
        "creditCardAccountId": c.profile.card_id(),
        "brandName": c.bank.name,
        "companyCnpj": bank_cnpj(c.bank.code),
        "name": card_name(&c),
        "productType": product(&c),
        "creditCardNetwork": network(&c),
    });
    Ok(paging.list(vec![item], &url(&c), &[]))
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
        "CREDIT_CARDS_ACCOUNTS_READ",
        "credit-cards-accounts/{id}",
    )
    .await?;
    the_card(&c, &id)?;
    let data = json!({
        "name": card_name(&c),
        "productType": product(&c),
        "creditCardNetwork": network(&c),
        "paymentMethod": [{"identificationNumber": last4(&c), "isMultipleCreditCard": false}],
    });
    Ok(single(data, format!("{}/{id}", url(&c)), meta(1)))
}

/// What the card owes now: purchases since the last closing, plus the closed bill until
/// its due day.
fn used_cents(c: &Caller) -> i64 {
    let p = &c.profile;
    let m = month_of(c.today);
    let last_close = if c.today >= day_of_month(m, CARD_CLOSING_DOM) {
        day_of_month(m, CARD_CLOSING_DOM)
    } else {
        day_of_month(m - 1, CARD_CLOSING_DOM)
    };
    let open: i64 = (last_close + 1..=c.today)
        .flat_map(|d| p.card_purchases(d))
        .map(|t| t.cents)
        .sum();
    let unpaid = if c.today < day_of_month(p.bill_month_of(last_close), CARD_DUE_DOM) {
        p.bill_total(p.bill_month_of(last_close))
    } else {
        0
    };
    open + unpaid
}

pub async fn limits(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "CREDIT_CARDS_ACCOUNTS_LIMITS_READ",
        "credit-cards-accounts/{id}/limits",
    )
    .await?;
    the_card(&c, &id)?;
    let limit = c.profile.card_limit_cents();
    let used = used_cents(&c);
    let data = json!([{
        "creditLineLimitType": "LIMITE_CREDITO_TOTAL",
        "consolidationType": "CONSOLIDADO",
        "identificationNumber": last4(&c),
        "isLimitFlexible": false,
        "limitAmount": amount(limit),
        "usedAmount": amount(used),
        "availableAmount": amount(limit - used),
    }]);
    Ok(respond(
        json!({"data": data, "links": {"self": format!("{}/{id}/limits", url(&c))}, "meta": meta(1)}),
    ))
}

fn bill_json(c: &Caller, m: i64) -> Value {
    let total = c.profile.bill_total(m);
    let due = day_of_month(m, CARD_DUE_DOM);
    let payments = if due <= c.today {
        json!([{
            "valueType": "VALOR_PAGAMENTO_FATURA_REALIZADO",
            "paymentDate": date_string(due),
            "paymentMode": "DEBITO_CONTA_CORRENTE",
            "amount": super::generator::money(total),
            "currency": "BRL",
        }])
    } else {
        json!([])
    };
    json!({
        "billId": c.profile.bill_id(m),
        "dueDate": date_string(due),
        "billTotalAmount": amount(total),
        "billMinimumAmount": amount(total * 15 / 100),
        "isInstalment": false,
        "payments": payments,
    })
}

pub async fn bills(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "CREDIT_CARDS_ACCOUNTS_BILLS_READ",
        "credit-cards-accounts/{id}/bills",
    )
    .await?;
    the_card(&c, &id)?;
    let q = Query::parse(&q);
    let paging = q.paging()?;
    let (from, to) = q.range("fromDueDate", "toDueDate")?;
    let items: Vec<Value> = c
        .profile
        .bill_months(c.today)
        .into_iter()
        .filter(|m| {
            let due = day_of_month(*m, CARD_DUE_DOM);
            from.is_none_or(|f| due >= f) && to.is_none_or(|t| due <= t)
        })
        .map(|m| bill_json(&c, m))
        .collect();
    let mut extra = Vec::new();
    if let (Some(f), Some(t)) = (from, to) {
        extra = vec![
            ("fromDueDate", date_string(f)),
            ("toDueDate", date_string(t)),
        ];
    }
    Ok(paging.list(items, &format!("{}/{id}/bills", url(&c)), &extra))
}

fn tx_json(c: &Caller, t: &CardTx) -> Value {
    let m = c.profile.bill_month_of(t.day);
    let mut v = json!({
        "transactionId": t.id,
        "identificationNumber": last4(c),
        "transactionName": t.name,
        "creditDebitType": if t.payment { "CREDITO" } else { "DEBITO" },
        "transactionType": if t.payment { "PAGAMENTO" } else { "OUTROS" },
        "brazilianAmount": amount(t.cents),
        "amount": amount(t.cents),
        "transactionDateTime": date_time_ms(t.day, t.seconds),
        "billPostDate": date_string(t.day),
    });
    if !t.payment {
        v["paymentType"] = json!("A_VISTA");
        v["payeeMCC"] = json!(t.mcc);
        v["transactionalAdditionalInfo"] = json!("Compra nacional");
    }
    if day_of_month(m, CARD_CLOSING_DOM) <= c.today {
        v["billId"] = json!(c.profile.bill_id(m));
    }
    v
}

/// Filters of the transactions endpoints.
struct TxFilter {
    kind: Option<String>,
    mcc: Option<u32>,
}

impl TxFilter {
    fn parse(q: &Query) -> Result<TxFilter, ApiError> {
        let mcc = match q.get("payeeMCC") {
            None => None,
            Some(v) => Some(v.parse::<u32>().map_err(|_| {
                ApiError(OfbError::unprocessable(
                    "PARAMETRO_INVALIDO",
                    "Parâmetro inválido",
                    "payeeMCC must be an integer.",
                ))
            })?),
        };
        Ok(TxFilter {
            kind: q.get("transactionType").map(str::to_string),
            mcc,
        })
    }

    fn active(&self) -> bool {
        self.kind.is_some() || self.mcc.is_some()
    }

    fn keep(&self, t: &CardTx) -> bool {
        let kind = if t.payment { "PAGAMENTO" } else { "OUTROS" };
        self.kind.as_deref().is_none_or(|k| k == kind) && self.mcc.is_none_or(|m| m == t.mcc)
    }

    fn extra(&self, out: &mut Vec<(&'static str, String)>) {
        if let Some(k) = &self.kind {
            out.push(("transactionType", k.clone()));
        }
        if let Some(m) = self.mcc {
            out.push(("payeeMCC", m.to_string()));
        }
    }
}

/// One page of card transactions over `lo..=hi` (purchases only when `purchases_only`).
fn tx_page(
    c: &Caller,
    q: &Query,
    lo: Day,
    hi: Day,
    purchases_only: bool,
    url: String,
    mut extra: Vec<(&'static str, String)>,
) -> ApiResult {
    let paging = q.paging()?;
    let filter = TxFilter::parse(q)?;
    filter.extra(&mut extra);
    let p = &c.profile;
    let day = |d: Day| -> Vec<CardTx> {
        let all = if purchases_only {
            p.card_purchases(d)
        } else {
            p.card_day(d)
        };
        if filter.active() {
            all.into_iter().filter(|t| filter.keep(t)).collect()
        } else {
            all
        }
    };
    let (items, total) = page_days(lo..=hi, paging, |d| day(d).len() as u64, day);
    let data: Vec<Value> = items.iter().map(|t| tx_json(c, t)).collect();
    Ok(respond(json!({
        "data": data,
        "links": paging.links(&url, &extra, total, true),
        "meta": paging.meta(total),
    })))
}

pub async fn bill_transactions(
    State(st): State<AppState>,
    Path((code, id, bill)): Path<(String, String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "CREDIT_CARDS_ACCOUNTS_BILLS_TRANSACTIONS_READ",
        "credit-cards-accounts/{id}/bills/{billId}/transactions",
    )
    .await?;
    the_card(&c, &id)?;
    let m = c
        .profile
        .bill_months(c.today)
        .into_iter()
        .find(|m| c.profile.bill_id(*m) == bill)
        .ok_or_else(|| not_found("bill", &bill))?;
    let q = Query::parse(&q);
    let (from, to) = q.range("fromTransactionDate", "toTransactionDate")?;
    let (a, b) = c.profile.bill_period(m);
    let mut extra = Vec::new();
    if let (Some(f), Some(t)) = (from, to) {
        extra = vec![
            ("fromTransactionDate", date_string(f)),
            ("toTransactionDate", date_string(t)),
        ];
    }
    let lo = from.map_or(a, |f| f.max(a));
    let hi = to.map_or(b, |t| t.min(b));
    tx_page(
        &c,
        &q,
        lo,
        hi,
        true,
        format!("{}/{id}/bills/{bill}/transactions", url(&c)),
        extra,
    )
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
        "credit-cards-accounts/{id}/transactions-current"
    } else {
        "credit-cards-accounts/{id}/transactions"
    };
    let c = caller(
        &st,
        &code,
        &headers,
        "CREDIT_CARDS_ACCOUNTS_TRANSACTIONS_READ",
        resource,
    )
    .await?;
    the_card(&c, &id)?;
    let q = Query::parse(&q);
    let (from, to) = q.range("fromTransactionDate", "toTransactionDate")?;
    // Without dates: the whole history (transactions) or the last 7 days (-current).
    let default_from = if current {
        c.today - 6
    } else {
        c.profile.first_day(c.today)
    };
    let (from, to) = (from.unwrap_or(default_from), to.unwrap_or(c.today));
    if current && from < c.today - 6 {
        return Err(ApiError(OfbError::unprocessable(
            "PARAMETRO_INVALIDO",
            "Parâmetro inválido",
            "transactions-current covers at most the last 7 days.",
        )));
    }
    let extra = vec![
        ("fromTransactionDate", date_string(from)),
        ("toTransactionDate", date_string(to)),
    ];
    let lo = from.max(c.profile.first_day(c.today));
    let hi = to.min(c.today);
    let path = if current {
        "transactions-current"
    } else {
        "transactions"
    };
    tx_page(
        &c,
        &q,
        lo,
        hi,
        false,
        format!("{}/{id}/{path}", url(&c)),
        extra,
    )
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

//! `/open-banking/accounts/v2` (accounts-2.4.2): a checking and a savings account per user,
//! their balances, overdraft limits and transactions (paginated, filtered by booking date,
//! generated lazily day by day).

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Value};

use super::generator::{date_string, date_time_ms, mix, AccountKind, Profile, Transaction};
use super::{
    amount, caller, meta, not_found, page_days, respond, single, ApiError, ApiResult, Caller, Query,
};
use crate::util::{now_ms, ofb_time};
use crate::AppState;

/// COMPE codes of the banks the sandbox imitates.
pub fn compe(bank: &str) -> &'static str {
    const COMPE: [(&str, &str); 13] = [
        ("itau", "341"),
        ("nubank", "260"),
        ("bradesco", "237"),
        ("bb", "001"),
        ("caixa", "104"),
        ("santander", "033"),
        ("inter", "077"),
        ("c6", "336"),
        ("btg", "208"),
        ("sicoob", "756"),
        ("sicredi", "748"),
        ("original", "212"),
        ("pagbank", "290"),
    ];
    COMPE
        .iter()
        .find(|(b, _)| *b == bank)
        .map(|(_, c)| *c)
        .unwrap_or("999")
}

/// The institution's CNPJ: the one the sandbox directory lists for it, so a
/// report's `companyCnpj` names the same participant as the directory does.
pub fn bank_cnpj(bank: &str) -> String {
    crate::directory::bank_cnpj(bank)
}

fn url(c: &Caller) -> String {
    format!("{}/accounts/v2/accounts", c.base)
}

pub fn branch(c: &Caller) -> String {
    format!("{:04}", mix(c.profile.seed, 92, 0) % 10_000)
}

pub fn number(c: &Caller, kind: AccountKind) -> String {
    let n = mix(c.profile.seed, 90, kind as i64) % 100_000_000;
    format!("{:08}", n.max(10_000_000))
}

pub fn check_digit(c: &Caller, kind: AccountKind) -> String {
    (mix(c.profile.seed, 93, kind as i64) % 10).to_string()
}

pub fn type_of(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Checking => "CONTA_DEPOSITO_A_VISTA",
        AccountKind::Savings => "CONTA_POUPANCA",
    }
}

fn account(c: &Caller, kind: AccountKind) -> Value {
    json!({
        "brandName": c.bank.name,
        "companyCnpj": bank_cnpj(c.bank.code),
        "type": type_of(kind),
        "compeCode": compe(c.bank.code),
        "branchCode": branch(c),
        "number": number(c, kind),
        "checkDigit": check_digit(c, kind),
        "accountId": c.profile.account_id(kind),
    })
}

fn the_account(c: &Caller, id: &str) -> Result<AccountKind, ApiError> {
    c.profile
        .account_by_id(id)
        .ok_or_else(|| not_found("account", id))
}

pub async fn list(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let c = caller(&st, &code, &headers, "ACCOUNTS_READ", "accounts").await?;
    let q = Query::parse(&q);
    let paging = q.paging()?;
    let filter = q.get("accountType");
    let items: Vec<Value> = c
        .profile
        .accounts()
        .into_iter()
        .filter(|k| filter.is_none_or(|t| t == type_of(*k)))
        .map(|k| account(&c, k))
        .collect();
    let extra: Vec<(&str, String)> = filter
        .map(|t| ("accountType", t.to_string()))
        .into_iter()
        .collect();
    Ok(paging.list(items, &url(&c), &extra))
}

pub async fn identification(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let c = caller(&st, &code, &headers, "ACCOUNTS_READ", "accounts/{id}").await?;
    let kind = the_account(&c, &id)?;
    let data = json!({
        "compeCode": compe(c.bank.code),
        "branchCode": branch(&c),
        "number": number(&c, kind),
        "checkDigit": check_digit(&c, kind),
        "type": type_of(kind),
        "subtype": "INDIVIDUAL",
        "currency": "BRL",
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
        "ACCOUNTS_BALANCES_READ",
        "accounts/{id}/balances",
    )
    .await?;
    let kind = the_account(&c, &id)?;
    // The ledger balance less what listed pre-authorisations hold is available: the
    // listed transactions chain to it exactly (what the customer keeps invested sits in
    // the poupança, not in an automatic investment). A hold is not `blockedAmount`, which
    // OFB keeps for judicial and administrative blocks.
    let mut balance = c.profile.balance_cents(kind, c.today);
    if kind == AccountKind::Checking {
        balance -= c.profile.held_cents(c.today);
    }
    let data = json!({
        "availableAmount": amount(balance),
        "blockedAmount": amount(0),
        "automaticallyInvestedAmount": amount(0),
        "updateDateTime": ofb_time(now_ms()),
    });
    Ok(single(data, format!("{}/{id}/balances", url(&c)), meta(1)))
}

pub async fn overdraft_limits(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "ACCOUNTS_OVERDRAFT_LIMITS_READ",
        "accounts/{id}/overdraft-limits",
    )
    .await?;
    let kind = the_account(&c, &id)?;
    let data = if kind == AccountKind::Checking {
        let limit = (c.profile.salary_cents / 100_000).max(1) * 50_000;
        json!({
            "overdraftContractedLimit": amount(limit),
            "overdraftUsedLimit": amount(0),
            "unarrangedOverdraftAmount": amount(0),
        })
    } else {
        json!({})
    };
    Ok(single(
        data,
        format!("{}/{id}/overdraft-limits", url(&c)),
        meta(1),
    ))
}

/// One transaction as listed on the caller's `today`: a purchase still processing is
/// `TRANSACAO_PROCESSANDO` under the card network's descriptor.
fn transaction_json(c: &Caller, t: &Transaction) -> Value {
    let pending = c.profile.pending_on(t, c.today);
    let mut v = json!({
        "transactionId": t.id,
        "completedAuthorisedPaymentType": if pending {
            "TRANSACAO_PROCESSANDO"
        } else {
            "TRANSACAO_EFETIVADA"
        },
        "creditDebitType": if t.credit { "CREDITO" } else { "DEBITO" },
        "transactionName": if pending { Profile::pending_name(t) } else { t.name.clone() },
        "type": t.kind,
        "transactionAmount": amount(t.cents),
        "transactionDateTime": date_time_ms(t.day, t.seconds),
    });
    if let Some((_, doc)) = t.party.as_deref().and_then(|p| p.split_once('|')) {
        v["partieCnpjCpf"] = json!(doc);
        v["partiePersonType"] = json!(if doc.len() == 11 {
            "PESSOA_NATURAL"
        } else {
            "PESSOA_JURIDICA"
        });
    }
    v
}

async fn transactions_of(
    st: AppState,
    code: String,
    id: String,
    headers: HeaderMap,
    raw: Option<String>,
    current: bool,
) -> ApiResult {
    let resource = if current {
        "accounts/{id}/transactions-current"
    } else {
        "accounts/{id}/transactions"
    };
    let c = caller(&st, &code, &headers, "ACCOUNTS_TRANSACTIONS_READ", resource).await?;
    let kind = the_account(&c, &id)?;
    let q = Query::parse(&raw);
    let paging = q.paging()?;
    // Without dates the spec says "today"; transactions-current covers the last 7 days.
    let (from, to) = q.range("fromBookingDate", "toBookingDate")?;
    let from = from.unwrap_or(c.today);
    let to = to.unwrap_or(c.today);
    if current && (from < c.today - 6 || to > c.today) {
        return Err(ApiError(crate::errors::OfbError::unprocessable(
            "PARAMETRO_INVALIDO",
            "Parâmetro inválido",
            "transactions-current covers at most the last 7 days.",
        )));
    }
    let credit_debit = q.get("creditDebitIndicator").map(str::to_string);
    let (lo, hi) = (from.max(c.profile.first_day(c.today)), to.min(c.today));
    let p = &c.profile;
    let today = c.today;
    let (items, total) = match credit_debit.as_deref() {
        None => page_days(
            lo..=hi,
            paging,
            |d| p.listed_count(kind, d, today),
            |d| p.listed(kind, d, today),
        ),
        Some(cd) => {
            let credit = cd == "CREDITO";
            let pick = |d| -> Vec<Transaction> {
                p.listed(kind, d, today)
                    .into_iter()
                    .filter(|t| t.credit == credit)
                    .collect()
            };
            page_days(lo..=hi, paging, |d| pick(d).len() as u64, pick)
        }
    };
    let path = if current {
        "transactions-current"
    } else {
        "transactions"
    };
    let mut extra = vec![
        ("fromBookingDate", date_string(from)),
        ("toBookingDate", date_string(to)),
    ];
    if let Some(cd) = credit_debit {
        extra.push(("creditDebitIndicator", cd));
    }
    let data: Vec<Value> = items.iter().map(|t| transaction_json(&c, t)).collect();
    // `meta` is MetaOnlyRequestDateTime in the spec; the totals are extra members it allows.
    Ok(respond(json!({
        "data": data,
        "links": paging.links(&format!("{}/{id}/{path}", url(&c)), &extra, total, true),
        "meta": paging.meta(total),
    })))
}

pub async fn transactions(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    transactions_of(st, code, id, headers, q, false).await
}

pub async fn transactions_current(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    transactions_of(st, code, id, headers, q, true).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::banks;
    use crate::directory::participants::participants;

    /// The directory and the banks' own APIs name one CNPJ per bank: a report's
    /// `companyCnpj` and the directory's `RegistrationNumber` are the same participant.
    #[test]
    fn each_bank_has_one_cnpj_in_the_directory_and_in_its_data() {
        let listed = participants("https://banks.example", "https://api.example");
        for (org, bank) in listed.as_array().unwrap().iter().zip(banks()) {
            let cnpj = org["RegistrationNumber"].as_str().unwrap();
            assert_eq!(cnpj, bank_cnpj(bank.code), "{}", bank.code);
            assert_eq!(cnpj.len(), 14, "{}: {cnpj}", bank.code);
            assert_eq!(&cnpj[8..12], "0001", "{}: the head office", bank.code);
        }
    }
}

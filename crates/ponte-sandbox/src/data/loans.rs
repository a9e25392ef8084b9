//! `/open-banking/loans/v2` (loans-2.5.0): a personal loan on a PRICE schedule (and, for
//! some users, a payroll loan on SAC), paid monthly on the 15th from the checking account
//! with the very amounts of [`Profile::schedule`]; a new contract follows two months after
//! one ends.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{json, Value};

use super::accounts::bank_cnpj;
use super::generator::{
    date_string, day_of_month, digits, money, month_of, Amortisation, Loan, Profile, LOAN_DOM,
};
use super::{caller, meta_time, not_found, single, ApiError, ApiResult, Caller, Query};
use crate::util::{now_ms, ofb_time};
use crate::AppState;

fn url(c: &Caller) -> String {
    format!("{}/loans/v2/contracts", c.base)
}

/// Contracts signed by today and not yet superseded.
fn contracts(c: &Caller) -> Vec<Loan> {
    c.profile
        .loans_at(month_of(c.today))
        .into_iter()
        .filter(|l| l.start_day <= c.today)
        .collect()
}

fn the_contract(c: &Caller, id: &str) -> Result<Loan, ApiError> {
    contracts(c)
        .into_iter()
        .find(|l| l.id == id)
        .ok_or_else(|| not_found("contract", id))
}

fn ipoc(c: &Caller, l: &Loan) -> String {
    format!(
        "{}{}{}",
        &bank_cnpj(c.bank.code)[..8],
        if l.slot == 0 { "0203" } else { "0202" },
        contract_number(c, l)
    )
}

fn contract_number(c: &Caller, l: &Loan) -> String {
    digits(c.profile.seed ^ l.cycle as u64, 800 + l.slot, 18)
}

fn category(l: &Loan) -> &'static str {
    if l.slot == 0 {
        "CREDITO_PESSOAL_CLEAN"
    } else {
        "OUTRO"
    }
}

/// Day the n-th instalment (1-based) falls due.
fn instalment_day(l: &Loan, n: i64) -> i64 {
    day_of_month(l.start_month + n, LOAN_DOM)
}

fn paid(c: &Caller, l: &Loan) -> i64 {
    (1..=l.instalments)
        .take_while(|n| instalment_day(l, *n) <= c.today)
        .count() as i64
}

fn rate6(x: f64) -> String {
    format!("{x:.6}")
}

pub async fn list(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let c = caller(&st, &code, &headers, "LOANS_READ", "loans").await?;
    let paging = Query::parse(&q).paging()?;
    let items: Vec<Value> = contracts(&c)
        .iter()
        .map(|l| {
            json!({
                "contractId": l.id,
                "brandName": c.bank.name,
                "companyCnpj": bank_cnpj(c.bank.code),
                "productType": "EMPRESTIMOS",
                "productSubType": l.sub_type,
                "productSubTypeCategory": category(l),
                "ipocCode": ipoc(&c, l),
            })
        })
        .collect();
    Ok(paging.list(items, &url(&c), &[]))
}

pub async fn contract(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let c = caller(&st, &code, &headers, "LOANS_READ", "loans/{id}").await?;
    let l = the_contract(&c, &id)?;
    let yearly = (1.0 + l.rate).powi(12) - 1.0;
    let cet = yearly + 0.035;
    let paid = paid(&c, &l);
    let mut data = json!({
        "contractNumber": contract_number(&c, &l),
        "ipocCode": ipoc(&c, &l),
        "productName": l.name,
        "productType": "EMPRESTIMOS",
        "productSubType": l.sub_type,
        "productSubTypeCategory": category(&l),
        "contractDate": date_string(l.start_day),
        "disbursementDates": [date_string(l.start_day)],
        "settlementDate": date_string(l.start_day),
        "contractAmount": money(l.principal_cents),
        "currency": "BRL",
        "dueDate": date_string(instalment_day(&l, l.instalments)),
        "instalmentPeriodicity": "MENSAL",
        "firstInstalmentDueDate": date_string(instalment_day(&l, 1)),
        "CET": rate6(cet),
        "hasInsuranceContracted": false,
        "amortizationScheduled": match l.system {
            Amortisation::Price => "PRICE",
            Amortisation::Sac => "SAC",
        },
        "interestRates": [{
            "taxType": "EFETIVA",
            "interestRateType": "COMPOSTO",
            "taxPeriodicity": "AA",
            "calculation": "30/360",
            "referentialRateIndexerType": "PRE_FIXADO",
            "referentialRateIndexerSubType": "PRE_FIXADO",
            "preFixedRate": rate6(yearly),
            "postFixedRate": rate6(0.0),
        }],
        "contractedFees": [{
            "feeName": "Tarifa de cadastro",
            "feeCode": "CADASTRO",
            "feeChargeType": "UNICA",
            "feeCharge": "FIXO",
            "feeAmount": money(5_000),
        }],
        "contractedFinanceCharges": [
            {"chargeType": "MULTA_ATRASO_PAGAMENTO", "chargeRate": rate6(0.02)},
            {"chargeType": "JUROS_MORA_ATRASO", "chargeRate": rate6(0.01)},
        ],
    });
    if l.slot == 1 {
        data["cnpjConsignee"] = json!(c.profile.employer_cnpj());
    }
    if let Some(next) = Profile::schedule(&l).get(paid as usize) {
        data["nextInstalmentAmount"] = json!(money(next.total()));
    }
    Ok(single(data, format!("{}/{id}", url(&c)), meta_time()))
}

pub async fn warranties(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "LOANS_WARRANTIES_READ",
        "loans/{id}/warranties",
    )
    .await?;
    let l = the_contract(&c, &id)?;
    let paging = Query::parse(&q).paging()?;
    let items = if l.slot == 1 {
        vec![json!({
            "currency": "BRL",
            "warrantyType": "OUTRAS_GARANTIAS_NAO_FIDEJUSSORIAS",
            "warrantySubType": "OUTROS",
            "warrantyAmount": money(l.principal_cents),
        })]
    } else {
        Vec::new()
    };
    Ok(paging.list(items, &format!("{}/{id}/warranties", url(&c)), &[]))
}

pub async fn instalments(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "LOANS_SCHEDULED_INSTALMENTS_READ",
        "loans/{id}/scheduled-instalments",
    )
    .await?;
    let l = the_contract(&c, &id)?;
    let paid = paid(&c, &l);
    let data = json!({
        "typeNumberOfInstalments": "MES",
        "totalNumberOfInstalments": l.instalments,
        "typeContractRemaining": "MES",
        "contractRemainingNumber": l.instalments - paid,
        "paidInstalments": paid,
        "dueInstalments": l.instalments - paid,
        "pastDueInstalments": 0,
    });
    Ok(single(
        data,
        format!("{}/{id}/scheduled-instalments", url(&c)),
        meta_time(),
    ))
}

pub async fn payments(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let c = caller(
        &st,
        &code,
        &headers,
        "LOANS_PAYMENTS_READ",
        "loans/{id}/payments",
    )
    .await?;
    let l = the_contract(&c, &id)?;
    let paid = paid(&c, &l);
    let schedule = Profile::schedule(&l);
    let releases: Vec<Value> = schedule
        .iter()
        .zip(1..=paid)
        .map(|(i, n)| {
            json!({
                "paymentId": format!("pay-{}-{n}", l.id),
                "isOverParcelPayment": false,
                "instalmentId": format!("ins-{}-{n}", l.id),
                "paidDate": date_string(instalment_day(&l, n)),
                "currency": "BRL",
                "paidAmount": money(i.total()),
            })
        })
        .collect();
    let data = json!({
        "paidInstalments": paid,
        "contractOutstandingBalance": money(Profile::loan_outstanding(&l, paid)),
        // minLength 24: milliseconds required here.
        "lastUpdatedContractOutstandingBalance": ofb_time(now_ms()).replace('Z', ".000Z"),
        "totalRemainingAmount": money(
            schedule.iter().skip(paid as usize).map(|i| i.total()).sum::<i64>()
        ),
        "releases": releases,
    });
    Ok(single(
        data,
        format!("{}/{id}/payments", url(&c)),
        meta_time(),
    ))
}

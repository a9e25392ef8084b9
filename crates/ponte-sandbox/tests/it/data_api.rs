//! The banks' data APIs: every body checked against its official OFB schema, plus paging,
//! filters, determinism, permissions and the test users' special behaviours.

use crate::support;

use reqwest::StatusCode;
use serde_json::{json, Value};
use support::ofb_schema::{spec, OfbSpec};
use support::*;

const PUBLIC: &str = "https://ponte.example.com";
const CPF: &str = "76109277673";

const ALL_PERSONAL: &[&str] = &[
    "RESOURCES_READ",
    "CUSTOMERS_PERSONAL_IDENTIFICATIONS_READ",
    "CUSTOMERS_PERSONAL_ADITTIONALINFO_READ",
    "ACCOUNTS_READ",
    "ACCOUNTS_BALANCES_READ",
    "ACCOUNTS_TRANSACTIONS_READ",
    "ACCOUNTS_OVERDRAFT_LIMITS_READ",
    "CREDIT_CARDS_ACCOUNTS_READ",
    "CREDIT_CARDS_ACCOUNTS_BILLS_READ",
    "CREDIT_CARDS_ACCOUNTS_BILLS_TRANSACTIONS_READ",
    "CREDIT_CARDS_ACCOUNTS_LIMITS_READ",
    "CREDIT_CARDS_ACCOUNTS_TRANSACTIONS_READ",
    "LOANS_READ",
    "LOANS_WARRANTIES_READ",
    "LOANS_SCHEDULED_INSTALMENTS_READ",
    "LOANS_PAYMENTS_READ",
    "BANK_FIXED_INCOMES_READ",
];

fn accounts() -> &'static OfbSpec {
    spec("accounts-2.4.2.yml")
}
fn cards() -> &'static OfbSpec {
    spec("credit-cards-2.3.1.yml")
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

fn date(d: time::Date) -> String {
    d.format(time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap()
}

/// Creates a consent with `permissions` (and optionally a business entity), has `user`
/// approve it and returns (consent id, access token).
async fn consent_token(
    sb: &Sandbox,
    bank: &str,
    user: &str,
    permissions: &[&str],
    cnpj: Option<&str>,
) -> (String, String) {
    let cc = sb.cc_token(bank).await;
    let mut body = json!({"data": {
        "loggedUser": {"document": {"identification": CPF, "rel": "CPF"}},
        "permissions": permissions,
        "expirationDateTime": expiry_in_days(90),
    }});
    if let Some(cnpj) = cnpj {
        body["data"]["businessEntity"] =
            json!({"document": {"identification": cnpj, "rel": "CNPJ"}});
    }
    let r = sb.post_consent(bank, &cc, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let consent = v["data"]["consentId"].as_str().unwrap().to_string();
    let code = sb.approved_code(bank, &consent, user).await;
    let r = sb.exchange(bank, &code, VERIFIER, REDIRECT).await;
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    (consent, t["access_token"].as_str().unwrap().to_string())
}

/// GET `path` of `bank` with the token: (status, body, x-fapi-interaction-id).
async fn get(sb: &Sandbox, bank: &str, token: &str, path: &str) -> (StatusCode, Value) {
    let r = sb
        .http
        .get(sb.url(bank, path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status();
    assert!(
        r.headers().contains_key("x-fapi-interaction-id"),
        "no x-fapi-interaction-id on {path}"
    );
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("application/json"), "{path}: {ct}");
    (status, r.json().await.unwrap())
}

/// GET that must answer 200 and match `schema` of `s`.
async fn ok(sb: &Sandbox, bank: &str, token: &str, path: &str, s: &OfbSpec, schema: &str) -> Value {
    let (status, v) = get(sb, bank, token, path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {v}");
    s.assert_valid(schema, &v);
    v
}

/// Path part (from `/open-banking`) of a link the bank sent.
fn rel(link: &Value) -> String {
    let s = link.as_str().expect("link");
    let at = s.find("/open-banking/").expect("open-banking link");
    s[at..].to_string()
}

fn id(v: &Value, field: &str) -> String {
    v["data"][0][field].as_str().unwrap().to_string()
}

#[tokio::test]
async fn every_endpoint_matches_its_official_schema() {
    let sb = Sandbox::start_public(PUBLIC).await;
    let (_, t) = consent_token(&sb, BANK, "user_good", ALL_PERSONAL, None).await;
    let b = BANK;

    let res = ok(
        &sb,
        b,
        &t,
        "/open-banking/resources/v3/resources",
        spec("resources-3.1.0.yml"),
        "ResponseResourceList",
    )
    .await;
    let types: Vec<&str> = res["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    for kind in [
        "ACCOUNT",
        "CREDIT_CARD_ACCOUNT",
        "LOAN",
        "BANK_FIXED_INCOME",
    ] {
        assert!(types.contains(&kind), "{kind} missing in {types:?}");
    }
    assert_eq!(
        res["meta"]["totalRecords"],
        res["data"].as_array().unwrap().len()
    );

    let cus = spec("customers-2.3.0.yml");
    let ident = ok(
        &sb,
        b,
        &t,
        "/open-banking/customers/v2/personal/identifications",
        cus,
        "ResponsePersonalCustomersIdentification",
    )
    .await;
    assert_eq!(ident["data"][0]["documents"]["cpfNumber"], CPF);
    ok(
        &sb,
        b,
        &t,
        "/open-banking/customers/v2/personal/qualifications",
        cus,
        "ResponsePersonalCustomersQualification",
    )
    .await;
    ok(
        &sb,
        b,
        &t,
        "/open-banking/customers/v2/personal/financial-relations",
        cus,
        "ResponsePersonalCustomersFinancialRelation",
    )
    .await;

    // Accounts.
    let list = ok(
        &sb,
        b,
        &t,
        "/open-banking/accounts/v2/accounts",
        accounts(),
        "ResponseAccountList",
    )
    .await;
    assert_eq!(list["meta"]["totalRecords"], 2);
    let acc = id(&list, "accountId");
    let base = format!("/open-banking/accounts/v2/accounts/{acc}");
    ok(
        &sb,
        b,
        &t,
        &base,
        accounts(),
        "ResponseAccountIdentification",
    )
    .await;
    let bal = ok(
        &sb,
        b,
        &t,
        &format!("{base}/balances"),
        accounts(),
        "ResponseAccountBalances",
    )
    .await;
    assert_eq!(bal["data"]["availableAmount"]["currency"], "BRL");
    ok(
        &sb,
        b,
        &t,
        &format!("{base}/overdraft-limits"),
        accounts(),
        "ResponseAccountOverdraftLimits",
    )
    .await;
    let from = date(today() - time::Duration::days(90));
    let q = format!(
        "{base}/transactions?fromBookingDate={from}&toBookingDate={}&page-size=10",
        date(today())
    );
    let p1 = ok(&sb, b, &t, &q, accounts(), "ResponseAccountTransactions").await;
    assert_eq!(p1["data"].as_array().unwrap().len(), 10);
    let p2 = ok(
        &sb,
        b,
        &t,
        &rel(&p1["links"]["next"]),
        accounts(),
        "ResponseAccountTransactions",
    )
    .await;
    assert_ne!(p1["data"], p2["data"]);
    assert!(p2["links"]["prev"].is_string());
    ok(
        &sb,
        b,
        &t,
        &format!("{base}/transactions-current"),
        accounts(),
        "ResponseAccountTransactions",
    )
    .await;

    // Errors in the spec's shapes.
    let (s, e) = get(&sb, b, &t, "/open-banking/accounts/v2/accounts/nope-123").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    accounts().assert_valid("ResponseError", &e);
    let (s, e) = get(
        &sb,
        b,
        &t,
        "/open-banking/accounts/v2/accounts/nope-123/transactions",
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    accounts().assert_valid("ResponseErrorMetaSingle", &e);
    let (s, e) = get(&sb, b, &t, &format!("{base}/transactions?page-size=1001")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    accounts().assert_valid("ResponseErrorMetaSingle", &e);

    // Credit cards.
    let list = ok(
        &sb,
        b,
        &t,
        "/open-banking/credit-cards-accounts/v2/accounts",
        cards(),
        "ResponseCreditCardAccountsList",
    )
    .await;
    let card = id(&list, "creditCardAccountId");
    let base = format!("/open-banking/credit-cards-accounts/v2/accounts/{card}");
    ok(
        &sb,
        b,
        &t,
        &base,
        cards(),
        "ResponseCreditCardAccountsIdentification",
    )
    .await;
    ok(
        &sb,
        b,
        &t,
        &format!("{base}/limits"),
        cards(),
        "ResponseCreditCardAccountsLimits",
    )
    .await;
    let bills = ok(
        &sb,
        b,
        &t,
        &format!("{base}/bills?page-size=100"),
        cards(),
        "ResponseCreditCardAccountsBills",
    )
    .await;
    assert!(bills["data"].as_array().unwrap().len() >= 11, "{bills}");
    let bill = id(&bills, "billId");
    let total = bills["data"][0]["billTotalAmount"]["amount"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, bt) = get(
        &sb,
        b,
        &t,
        &format!("{base}/bills/{bill}/transactions?page-size=1000"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    cards().assert_valid_at("#/components/responses/OKResponseCreditCardAccountsBillsTransactions/content/application~1json/schema", &bt);
    let sum: i64 = bt["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            t["brazilianAmount"]["amount"]
                .as_str()
                .unwrap()
                .replace('.', "")
                .parse::<i64>()
                .unwrap()
        })
        .sum();
    assert_eq!(
        format!("{}.{:02}", sum / 100, sum % 100),
        total,
        "bill total = its transactions"
    );
    let tx = ok(
        &sb,
        b,
        &t,
        &format!("{base}/transactions?page-size=5"),
        cards(),
        "ResponseCreditCardAccountsTransactions",
    )
    .await;
    ok(
        &sb,
        b,
        &t,
        &rel(&tx["links"]["next"]),
        cards(),
        "ResponseCreditCardAccountsTransactions",
    )
    .await;
    ok(
        &sb,
        b,
        &t,
        &format!("{base}/transactions-current"),
        cards(),
        "ResponseCreditCardAccountsTransactions",
    )
    .await;
    let (s, e) = get(&sb, b, &t, &format!("{base}/bills/bill-0-0/transactions")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    cards().assert_valid("ResponseError", &e);

    // Loans.
    let loans = spec("loans-2.5.0.yml");
    let list = ok(
        &sb,
        b,
        &t,
        "/open-banking/loans/v2/contracts",
        loans,
        "ResponseLoansContractList",
    )
    .await;
    for c in list["data"].as_array().unwrap() {
        let base = format!(
            "/open-banking/loans/v2/contracts/{}",
            c["contractId"].as_str().unwrap()
        );
        ok(&sb, b, &t, &base, loans, "ResponseLoansContract").await;
        ok(
            &sb,
            b,
            &t,
            &format!("{base}/warranties"),
            loans,
            "ResponseLoansWarranties",
        )
        .await;
        let inst = ok(
            &sb,
            b,
            &t,
            &format!("{base}/scheduled-instalments"),
            loans,
            "ResponseLoansInstalments",
        )
        .await;
        let pay = ok(
            &sb,
            b,
            &t,
            &format!("{base}/payments"),
            loans,
            "ResponseLoansPayments",
        )
        .await;
        assert_eq!(
            inst["data"]["paidInstalments"],
            pay["data"]["releases"].as_array().unwrap().len()
        );
    }
    let (s, e) = get(&sb, b, &t, "/open-banking/loans/v2/contracts/nope").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    loans.assert_valid("ResponseErrorWithAbleAdditionalProperties", &e);

    // Bank fixed incomes.
    let inv = spec("bank-fixed-incomes-1.1.0.yml");
    let list = ok(
        &sb,
        b,
        &t,
        "/open-banking/bank-fixed-incomes/v1/investments",
        inv,
        "ResponseBankFixedIncomesProductList",
    )
    .await;
    for i in list["data"].as_array().unwrap() {
        let base = format!(
            "/open-banking/bank-fixed-incomes/v1/investments/{}",
            i["investmentId"].as_str().unwrap()
        );
        ok(
            &sb,
            b,
            &t,
            &base,
            inv,
            "ResponseBankFixedIncomesProductIdentification",
        )
        .await;
        ok(
            &sb,
            b,
            &t,
            &format!("{base}/balances"),
            inv,
            "ResponseBankFixedIncomesBalances",
        )
        .await;
        let tx = ok(
            &sb,
            b,
            &t,
            &format!("{base}/transactions"),
            inv,
            "ResponseBankFixedIncomesTransactions",
        )
        .await;
        assert_eq!(tx["data"][0]["transactionType"], "APLICACAO");
        ok(
            &sb,
            b,
            &t,
            &format!("{base}/transactions-current"),
            inv,
            "ResponseBankFixedIncomesTransactions",
        )
        .await;
    }
    let (s, e) = get(
        &sb,
        b,
        &t,
        "/open-banking/bank-fixed-incomes/v1/investments/nope",
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    inv.assert_valid("ResponseErrorMetaSingle", &e);
    let (s, e) = get(
        &sb,
        b,
        &t,
        "/open-banking/customers/v2/business/identifications",
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    cus.assert_valid("ResponseError", &e);
}

#[tokio::test]
async fn business_customers_match_schema() {
    let sb = Sandbox::start_public(PUBLIC).await;
    let perms = [
        "RESOURCES_READ",
        "CUSTOMERS_BUSINESS_IDENTIFICATIONS_READ",
        "CUSTOMERS_BUSINESS_ADITTIONALINFO_READ",
    ];
    let (_, t) = consent_token(&sb, BANK, "user_good", &perms, Some("11222333000181")).await;
    let cus = spec("customers-2.3.0.yml");
    let v = ok(
        &sb,
        BANK,
        &t,
        "/open-banking/customers/v2/business/identifications",
        cus,
        "ResponseBusinessCustomersIdentification",
    )
    .await;
    assert_eq!(v["data"][0]["cnpjNumber"], "11222333000181");
    ok(
        &sb,
        BANK,
        &t,
        "/open-banking/customers/v2/business/qualifications",
        cus,
        "ResponseBusinessCustomersQualification",
    )
    .await;
    ok(
        &sb,
        BANK,
        &t,
        "/open-banking/customers/v2/business/financial-relations",
        cus,
        "ResponseBusinessCustomersFinancialRelation",
    )
    .await;
    let (s, _) = get(
        &sb,
        BANK,
        &t,
        "/open-banking/customers/v2/personal/identifications",
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// Every page of an account's transactions between `from` and `to` with `size`, following
/// `links.next`; checks the paging invariants on the way.
async fn all_pages(
    sb: &Sandbox,
    token: &str,
    acc: &str,
    from: &str,
    to: &str,
    size: usize,
) -> (Vec<Value>, u64) {
    let mut path = format!("/open-banking/accounts/v2/accounts/{acc}/transactions?fromBookingDate={from}&toBookingDate={to}&page-size={size}");
    let mut out = Vec::new();
    let mut total = None;
    for page in 1.. {
        let v = ok(
            sb,
            BANK,
            token,
            &path,
            accounts(),
            "ResponseAccountTransactions",
        )
        .await;
        let n = v["meta"]["totalRecords"].as_u64().unwrap();
        assert_eq!(
            *total.get_or_insert(n),
            n,
            "totalRecords changes between pages"
        );
        assert_eq!(
            v["meta"]["totalPages"].as_u64().unwrap(),
            n.div_ceil(size as u64).max(1)
        );
        let data = v["data"].as_array().unwrap();
        assert!(data.len() <= size);
        out.extend(data.iter().cloned());
        match v["links"].get("next") {
            Some(next) => {
                assert_eq!(data.len(), size, "a page before the last must be full");
                path = rel(next);
            }
            None => {
                assert_eq!(
                    page,
                    v["meta"]["totalPages"].as_u64().unwrap(),
                    "next missing before the last page"
                );
                break;
            }
        }
    }
    (out, total.unwrap())
}

#[tokio::test]
async fn transactions_paginate_filter_and_are_deterministic() {
    let sb = Sandbox::start_public(PUBLIC).await;
    let (_, t) = consent_token(&sb, BANK, "user_good", ALL_PERSONAL, None).await;
    let list = ok(
        &sb,
        BANK,
        &t,
        "/open-banking/accounts/v2/accounts",
        accounts(),
        "ResponseAccountList",
    )
    .await;
    let acc = id(&list, "accountId");
    let (to, year_ago) = (date(today()), date(today() - time::Duration::days(364)));

    let (all, total) = all_pages(&sb, &t, &acc, &year_ago, &to, 37).await;
    assert_eq!(all.len() as u64, total);
    assert!(
        total > 200,
        "a year of a normal user has hundreds of transactions: {total}"
    );
    let mut ids: Vec<&str> = all
        .iter()
        .map(|t| t["transactionId"].as_str().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "transaction ids are unique");
    let names: Vec<&str> = all
        .iter()
        .map(|t| t["transactionName"].as_str().unwrap())
        .collect();
    for expected in [
        "SALARIO",
        "ALUGUEL",
        "ENERGIA",
        "AGUA",
        "INTERNET",
        "PIX RECEBIDO",
        "TED",
        "FATURA",
        "COMPRA DEBITO",
    ] {
        assert!(
            names.iter().any(|n| n.contains(expected)),
            "no {expected} transaction in a year"
        );
    }
    let payroll: Vec<&Value> = all
        .iter()
        .filter(|t| t["type"] == "FOLHA_PAGAMENTO")
        .collect();
    let (thirteenth, salaries): (Vec<&Value>, Vec<&Value>) = payroll.into_iter().partition(|t| {
        t["transactionName"]
            .as_str()
            .unwrap()
            .starts_with("13 SALARIO")
    });
    assert!(
        (11..=13).contains(&salaries.len()),
        "monthly salary: {}",
        salaries.len()
    );
    // A year holds 30 November and 20 December: the 13th salary's two halves, which
    // together are one monthly salary.
    let cents = |t: &Value| {
        let a = t["transactionAmount"]["amount"].as_str().unwrap();
        let (r, c) = a.split_once('.').unwrap();
        r.parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap()
    };
    assert_eq!(thirteenth.len(), 2, "13th salary in two halves");
    assert_eq!(
        thirteenth.iter().map(|t| cents(t)).sum::<i64>(),
        cents(salaries[0])
    );
    assert!(
        salaries
            .iter()
            .all(|s| s["transactionName"] == salaries[0]["transactionName"]),
        "same employer"
    );

    // A one-month window only holds that month's bookings, and fewer of them.
    let (m_from, m_to) = (
        date(today() - time::Duration::days(60)),
        date(today() - time::Duration::days(30)),
    );
    let (month, month_total) = all_pages(&sb, &t, &acc, &m_from, &m_to, 1000).await;
    assert!(month_total > 0 && month_total < total);
    for tx in &month {
        let day = &tx["transactionDateTime"].as_str().unwrap()[..10];
        assert!(
            day >= m_from.as_str() && day <= m_to.as_str(),
            "{day} outside {m_from}..{m_to}"
        );
    }
    // Without dates: today only.
    let v = ok(
        &sb,
        BANK,
        &t,
        &format!("/open-banking/accounts/v2/accounts/{acc}/transactions"),
        accounts(),
        "ResponseAccountTransactions",
    )
    .await;
    for tx in v["data"].as_array().unwrap() {
        assert!(tx["transactionDateTime"].as_str().unwrap().starts_with(&to));
    }

    // Determinism: same request, same body (but for the request time).
    let path = format!("/open-banking/accounts/v2/accounts/{acc}/transactions?fromBookingDate={year_ago}&toBookingDate={to}&page=3&page-size=50");
    let strip = |mut v: Value| {
        v["meta"]["requestDateTime"] = Value::Null;
        v
    };
    let a = strip(get(&sb, BANK, &t, &path).await.1);
    let b = strip(get(&sb, BANK, &t, &path).await.1);
    assert_eq!(a, b);
    // ...and across a new consent of the same user at the same bank (and another node).
    let sb2 = Sandbox::start_public(PUBLIC).await;
    let (_, t2) = consent_token(&sb2, BANK, "user_good", ALL_PERSONAL, None).await;
    assert_eq!(a, strip(get(&sb2, BANK, &t2, &path).await.1));
    // A different user sees different data (and not this user's account).
    let (_, t3) = consent_token(&sb2, BANK, "user_mfa", ALL_PERSONAL, None).await;
    let other = ok(
        &sb2,
        BANK,
        &t3,
        "/open-banking/accounts/v2/accounts",
        accounts(),
        "ResponseAccountList",
    )
    .await;
    assert_ne!(other["data"], list["data"]);
    let (s, _) = get(
        &sb2,
        BANK,
        &t3,
        &format!("/open-banking/accounts/v2/accounts/{acc}/balances"),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "another user's account is not found"
    );

    // Products agree: each paid card bill is debited from the checking account on its due day.
    // A new consent reads on: this one has read the account's history the four
    // times a month the operational limits allow.
    let (_, t) = consent_token(&sb, BANK, "user_good", ALL_PERSONAL, None).await;
    let cards_list = ok(
        &sb,
        BANK,
        &t,
        "/open-banking/credit-cards-accounts/v2/accounts",
        cards(),
        "ResponseCreditCardAccountsList",
    )
    .await;
    let card = id(&cards_list, "creditCardAccountId");
    let bills = ok(
        &sb,
        BANK,
        &t,
        &format!("/open-banking/credit-cards-accounts/v2/accounts/{card}/bills"),
        cards(),
        "ResponseCreditCardAccountsBills",
    )
    .await;
    let paid = bills["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| !b["payments"].as_array().unwrap().is_empty())
        .expect("a paid bill");
    let due = paid["dueDate"].as_str().unwrap();
    let (that_day, _) = all_pages(&sb, &t, &acc, due, due, 100).await;
    assert!(
        that_day
            .iter()
            .any(|tx| tx["transactionName"] == "PAGAMENTO FATURA CARTAO"
                && tx["transactionAmount"]["amount"] == paid["billTotalAmount"]["amount"]),
        "no bill payment of {} on {due}",
        paid["billTotalAmount"]["amount"]
    );

    // ...and each loan instalment paid is debited from checking, with the amount the
    // payments list gives, on the day it gives; what is left owing is the schedule's rest.
    let loans = spec("loans-2.5.0.yml");
    let contracts = ok(
        &sb,
        BANK,
        &t,
        "/open-banking/loans/v2/contracts",
        loans,
        "ResponseLoansContractList",
    )
    .await;
    let cents = |v: &Value| {
        let (r, c) = v.as_str().unwrap().split_once('.').unwrap();
        r.parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap()
    };
    for c in contracts["data"].as_array().unwrap() {
        let base = format!(
            "/open-banking/loans/v2/contracts/{}",
            c["contractId"].as_str().unwrap()
        );
        let contract = ok(&sb, BANK, &t, &base, loans, "ResponseLoansContract").await;
        let pay = ok(
            &sb,
            BANK,
            &t,
            &format!("{base}/payments"),
            loans,
            "ResponseLoansPayments",
        )
        .await;
        let releases = pay["data"]["releases"].as_array().unwrap();
        let owed = cents(&pay["data"]["contractOutstandingBalance"]);
        let amount = cents(&contract["data"]["contractAmount"]);
        assert!(owed <= amount && (releases.is_empty() || owed < amount));
        assert!(cents(&pay["data"]["totalRemainingAmount"]) >= owed);
        if let Some(last) = releases.last() {
            let day = last["paidDate"].as_str().unwrap();
            let (that_day, _) = all_pages(&sb, &t, &acc, day, day, 100).await;
            assert!(
                that_day.iter().any(|tx| tx["type"] == "OPERACAO_CREDITO"
                    && tx["creditDebitType"] == "DEBITO"
                    && tx["transactionAmount"]["amount"] == last["paidAmount"]),
                "no instalment of {} on {day}",
                last["paidAmount"]
            );
        }
    }

    // The savings account (deposits, sweeps, redemptions, yields) never goes negative.
    let sav = list["data"][1]["accountId"].as_str().unwrap();
    let bal = ok(
        &sb,
        BANK,
        &t,
        &format!("/open-banking/accounts/v2/accounts/{sav}/balances"),
        accounts(),
        "ResponseAccountBalances",
    )
    .await;
    assert!(!bal["data"]["availableAmount"]["amount"]
        .as_str()
        .unwrap()
        .starts_with('-'));
}

#[tokio::test]
async fn user_big_has_five_years_and_twenty_thousand_transactions() {
    let sb = Sandbox::start_public(PUBLIC).await;
    let (_, t) = consent_token(&sb, BANK, "user_big", ALL_PERSONAL, None).await;
    let list = ok(
        &sb,
        BANK,
        &t,
        "/open-banking/accounts/v2/accounts",
        accounts(),
        "ResponseAccountList",
    )
    .await;
    let (from, to) = (date(today() - time::Duration::days(5 * 365)), date(today()));
    let mut total = 0;
    let mut oldest = String::new();
    for acc in list["data"].as_array().unwrap() {
        let acc = acc["accountId"].as_str().unwrap();
        let base = format!("/open-banking/accounts/v2/accounts/{acc}/transactions?fromBookingDate={from}&toBookingDate={to}");
        let first = ok(
            &sb,
            BANK,
            &t,
            &format!("{base}&page-size=1000"),
            accounts(),
            "ResponseAccountTransactions",
        )
        .await;
        let n = first["meta"]["totalRecords"].as_u64().unwrap();
        total += n;
        if oldest.is_empty() {
            oldest = first["data"][0]["transactionDateTime"].as_str().unwrap()[..10].to_string();
            // A page deep into the history is computed on its own.
            let deep = ok(
                &sb,
                BANK,
                &t,
                &format!("{base}&page=150&page-size=100"),
                accounts(),
                "ResponseAccountTransactions",
            )
            .await;
            assert_eq!(deep["data"].as_array().unwrap().len(), 100);
            assert!(deep["links"]["next"].is_string() && deep["links"]["prev"].is_string());
            let last_page = n.div_ceil(1000);
            let last = ok(
                &sb,
                BANK,
                &t,
                &format!("{base}&page={last_page}&page-size=1000"),
                accounts(),
                "ResponseAccountTransactions",
            )
            .await;
            assert_eq!(
                last["data"].as_array().unwrap().len() as u64,
                n - (last_page - 1) * 1000
            );
            assert!(last["links"].get("next").is_none());
        }
    }
    assert!(total >= 20_000, "user_big has only {total} transactions");
    let four_years_ago = date(today() - time::Duration::days(4 * 365));
    assert!(oldest < four_years_ago, "history starts at {oldest}");
}

#[tokio::test]
async fn user_flaky_fails_the_first_two_calls_of_each_resource() {
    let sb = Sandbox::start_public(PUBLIC).await;
    let (_, t) = consent_token(&sb, BANK, "user_flaky", ALL_PERSONAL, None).await;
    let path = "/open-banking/accounts/v2/accounts";
    for _ in 0..2 {
        let (s, e) = get(&sb, BANK, &t, path).await;
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
        accounts().assert_valid("ResponseError", &e);
    }
    let list = ok(&sb, BANK, &t, path, accounts(), "ResponseAccountList").await;
    ok(&sb, BANK, &t, path, accounts(), "ResponseAccountList").await;
    // Counted per resource: the balances endpoint fails twice on its own.
    let bal = format!("{path}/{}/balances", id(&list, "accountId"));
    assert_eq!(
        get(&sb, BANK, &t, &bal).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        get(&sb, BANK, &t, &bal).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(get(&sb, BANK, &t, &bal).await.0, StatusCode::OK);
}

#[tokio::test]
async fn permissions_tokens_and_products_are_enforced() {
    let sb = Sandbox::start_public(PUBLIC).await;
    let perms = ["RESOURCES_READ", "ACCOUNTS_READ", "ACCOUNTS_BALANCES_READ"];
    let (consent, t) = consent_token(&sb, BANK, "user_good", &perms, None).await;
    let list = ok(
        &sb,
        BANK,
        &t,
        "/open-banking/accounts/v2/accounts",
        accounts(),
        "ResponseAccountList",
    )
    .await;
    let acc = id(&list, "accountId");
    let tx = format!("/open-banking/accounts/v2/accounts/{acc}/transactions");

    let (s, e) = get(&sb, BANK, &t, &tx).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    accounts().assert_valid("ResponseErrorMetaSingle", &e);
    let (s, e) = get(
        &sb,
        BANK,
        &t,
        "/open-banking/credit-cards-accounts/v2/accounts",
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    cards().assert_valid("ResponseError", &e);
    // Resources lists only what the permissions cover.
    let res = ok(
        &sb,
        BANK,
        &t,
        "/open-banking/resources/v3/resources",
        spec("resources-3.1.0.yml"),
        "ResponseResourceList",
    )
    .await;
    assert!(res["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["type"] == "ACCOUNT"));

    // Missing, unknown tokens → 401; so is a client-credentials token.
    let r = sb.http.get(sb.url(BANK, &tx)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    accounts().assert_valid("ResponseErrorMetaSingle", &r.json().await.unwrap());
    assert_eq!(
        get(&sb, BANK, "not-a-token", &tx).await.0,
        StatusCode::UNAUTHORIZED
    );
    let cc = sb.cc_token(BANK).await;
    assert_eq!(
        get(&sb, BANK, &cc, "/open-banking/accounts/v2/accounts")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // A token of one bank is nothing at another.
    assert_eq!(
        get(&sb, "bradesco", &t, "/open-banking/accounts/v2/accounts")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    // Revoking the consent kills its tokens.
    let r = sb
        .http
        .delete(sb.url(
            BANK,
            &format!("/open-banking/consents/v3/consents/{consent}"),
        ))
        .bearer_auth(&cc)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (s, e) = get(&sb, BANK, &t, "/open-banking/accounts/v2/accounts").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    accounts().assert_valid("ResponseError", &e);

    // A product the bank does not offer is not there (nubank has no loans, sicoob no cards).
    let (_, nt) = consent_token(&sb, "nubank", "user_good", ALL_PERSONAL, None).await;
    let (s, e) = get(&sb, "nubank", &nt, "/open-banking/loans/v2/contracts").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    spec("loans-2.5.0.yml").assert_valid("ResponseErrorWithAbleAdditionalProperties", &e);
    ok(
        &sb,
        "nubank",
        &nt,
        "/open-banking/bank-fixed-incomes/v1/investments",
        spec("bank-fixed-incomes-1.1.0.yml"),
        "ResponseBankFixedIncomesProductList",
    )
    .await;
    let (s, _) = get(
        &sb,
        "sicoob",
        &nt,
        "/open-banking/credit-cards-accounts/v2/accounts",
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The outage bank answers 503.
    let (s, _) = get(&sb, OUTAGE_BANK, &nt, "/open-banking/accounts/v2/accounts").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn a_token_flooding_the_api_gets_429() {
    let sb = std::sync::Arc::new(Sandbox::start_public(PUBLIC).await);
    let perms = ["RESOURCES_READ", "ACCOUNTS_READ"];
    let (_, t) = consent_token(&sb, BANK, "user_good", &perms, None).await;
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..250 {
        let (sb, t) = (sb.clone(), t.clone());
        set.spawn(async move {
            let r = sb
                .http
                .get(sb.url(BANK, "/open-banking/resources/v3/resources"))
                .bearer_auth(&t)
                .send()
                .await
                .unwrap();
            let retry = r
                .headers()
                .get("retry-after")
                .map(|h| h.to_str().unwrap().to_string());
            (r.status(), retry, r.json::<Value>().await.unwrap())
        });
    }
    let mut limited = 0;
    while let Some(res) = set.join_next().await {
        let (status, retry, body) = res.unwrap();
        if status == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
            assert_eq!(retry.as_deref(), Some("1"));
            spec("resources-3.1.0.yml")
                .assert_valid("ResponseErrorWithAbleAdditionalProperties", &body);
        } else {
            assert_eq!(status, StatusCode::OK);
        }
    }
    assert!(limited > 0, "250 requests at once were all served");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    ok(
        &sb,
        BANK,
        &t,
        "/open-banking/resources/v3/resources",
        spec("resources-3.1.0.yml"),
        "ResponseResourceList",
    )
    .await;
}

#[tokio::test]
async fn an_expired_access_token_gets_401() {
    let sb = Sandbox::start_public(PUBLIC).await;
    let perms = ["RESOURCES_READ", "ACCOUNTS_READ"];
    let (consent, t) = consent_token(&sb, BANK, "user_good", &perms, None).await;
    let path = "/open-banking/accounts/v2/accounts";
    ok(&sb, BANK, &t, path, accounts(), "ResponseAccountList").await;
    // Age the consent's tokens in the database, as 15 minutes would.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&sb.database_url).await.unwrap();
    sqlx::query(
        "UPDATE sandbox_tokens SET expires_at = 0 WHERE consent_id = $1 AND kind = 'access'",
    )
    .bind(&consent)
    .execute(&pool)
    .await
    .unwrap();
    let (s, e) = get(&sb, BANK, &t, path).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    accounts().assert_valid("ResponseError", &e);
}

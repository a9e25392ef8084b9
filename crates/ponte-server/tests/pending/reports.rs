// PENDING: not compiled yet. The success path of registration, credit cards,
// loans and investments needs those sandbox data APIs (accounts is served and
// tested in tests/reports.rs). Merge these checks into tests/reports.rs as
// each API lands; today those products come back FAILED with a 404 reason.

//! From an authorised consent to reports in the integrator's hands: jobs,
//! REPORT_READY webhooks, signed download URLs and PDFs, revocation.

mod support;

#[path = "../../ponte-sandbox/tests/support/ofb_schema.rs"]
#[allow(dead_code)]
mod ofb_schema;

use ofb_schema::OfbSpec;
use serde_json::{json, Value};
use std::time::Duration;
use support::{Db, Receiver, TestServer};

const ALL: [&str; 6] = [
    "registration",
    "accounts",
    "creditCards",
    "loans",
    "investments",
    "insights",
];

async fn authorised(ts: &TestServer, user: &str) -> (String, String, String) {
    let access = ts.access_token().await;
    let (link_id, link_token) = ts.link(&access, json!({})).await;
    let (consent_id, _) = ts.consent(&link_token, json!({})).await;
    let (status, body) = ts
        .authorise(
            &link_token,
            &consent_id,
            json!({"username": user, "password": "pass_good"}),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("AUTHORISED")),
        "{body}"
    );
    (access, link_id, consent_id)
}

/// The text of a PDF, by poppler's `pdftotext` (installed by `.ci/run`).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn request_body(link_id: &str, consent_id: &str, products: &[&str]) -> Value {
    json!({"taxId": "529.982.247-25", "linkId": link_id, "consentId": [consent_id], "products": products})
}

both!(
    every_product_arrives_as_a_signed_webhook_with_a_working_download,
    |db: Db| async move {
        let events = Receiver::start().await;
        let accounts_hook = Receiver::start().await;
        let ts = support::spawn_with(
            db,
            support::Options {
                webhook_url: Some(events.url.clone()),
                ..Default::default()
            },
        )
        .await;
        let (access, link_id, consent_id) = authorised(&ts, "user_good").await;
        let mut body = request_body(&link_id, &consent_id, &ALL);
        body["productsCallbackUrl"] = json!({"accounts": accounts_hook.url});
        let (status, resp) = ts
            .post("/data/personal/institution-data", Some(&access), body)
            .await;
        assert_eq!(
            (status, resp["message"].as_str()),
            (200, Some("ok")),
            "{resp}"
        );
        let request_id = resp["requestId"].as_str().unwrap().to_string();

        let reports = events
            .wait_for("five REPORT_READY events", |b| {
                b.iter().filter(|e| e["event"] == "REPORT_READY").count() >= 5
            })
            .await
            .into_iter()
            .filter(|e| e["event"] == "REPORT_READY")
            .collect::<Vec<_>>();
        let accounts = accounts_hook
            .wait_for("the accounts report at its own URL", |b| !b.is_empty())
            .await[0]
            .clone();
        assert_eq!(accounts["product"], "accounts");
        assert!(
            reports.iter().all(|r| r["product"] != "accounts"),
            "accounts went to its callback only"
        );
        let mut all = reports.clone();
        all.push(accounts.clone());
        for r in &all {
            assert_eq!(r["status"], "SUCCESS", "{r}");
            assert_eq!(
                (
                    r["requestId"].as_str(),
                    r["linkId"].as_str(),
                    r["consentId"].as_str()
                ),
                (
                    Some(request_id.as_str()),
                    Some(link_id.as_str()),
                    Some(consent_id.as_str())
                )
            );
            assert!(
                r["downloadUrl"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{}/data/v1/reports/", ts.base)),
                "{r}"
            );
            assert!(r["expireAt"].is_string() && r["summary"].is_object());
        }
        assert!(
            accounts["summary"]["transactions"].as_u64().unwrap() > 50,
            "{}",
            accounts["summary"]
        );

        // The download URL serves the report; a changed signature or an old URL does not.
        let url = accounts["downloadUrl"].as_str().unwrap();
        let doc: Value = ts.http.get(url).send().await.unwrap().json().await.unwrap();
        assert_eq!(doc["product"], "accounts");
        assert_eq!(doc["reportId"], accounts["reportId"]);
        let tampered = format!("{}x", url);
        assert_eq!(ts.http.get(&tampered).send().await.unwrap().status(), 403);
        let other_report = url.replace(
            accounts["reportId"].as_str().unwrap(),
            reports[0]["reportId"].as_str().unwrap(),
        );
        assert_eq!(
            ts.http.get(&other_report).send().await.unwrap().status(),
            403,
            "a signature is for one report"
        );

        // Open Finance data is carried unchanged: it validates against the official schemas.
        let acc = OfbSpec::load("accounts-2.4.2.yml");
        let first = &doc["data"]["accounts"][0];
        acc.assert_valid("AccountData", &first["account"]);
        acc.assert_valid("AccountIdentificationData", &first["identification"]);
        acc.assert_valid("AccountBalancesData", &first["balances"]);
        acc.assert_valid("AccountOverdraftLimitsData", &first["overdraftLimits"]);
        for t in first["transactions"].as_array().unwrap().iter().take(200) {
            acc.assert_valid("AccountTransactionsData", t);
        }
        let (status, by_id) = ts
            .get(
                &format!(
                    "/data/v1/reports/{}",
                    accounts["reportId"].as_str().unwrap()
                ),
                Some(&access),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            by_id["data"], doc["data"],
            "the API and the download carry the same report"
        );

        for r in &reports {
            let (status, rep) = ts
                .get(
                    &format!("/data/v1/reports/{}", r["reportId"].as_str().unwrap()),
                    Some(&access),
                )
                .await;
            assert_eq!(status, 200, "{rep}");
            let data = &rep["data"];
            match r["product"].as_str().unwrap() {
                "registration" => {
                    let c = OfbSpec::load("customers-2.3.0.yml");
                    c.assert_valid("PersonalIdentificationData", &data["identifications"][0]);
                    c.assert_valid("PersonalQualificationData", &data["qualifications"]);
                    c.assert_valid("PersonalFinancialRelationData", &data["financialRelations"]);
                }
                "creditCards" => {
                    let c = OfbSpec::load("credit-cards-2.3.1.yml");
                    let a = &data["accounts"][0];
                    c.assert_valid("CreditCardAccountsData", &a["account"]);
                    c.assert_valid(
                        "CreditCardsAccountsIdentificationData",
                        &a["identification"],
                    );
                    c.assert_valid("CreditCardAccountsLimitsData", &a["limits"][0]);
                    c.assert_valid("CreditCardAccountsBillsData", &a["bills"][0]);
                    c.assert_valid("CreditCardAccountsTransaction", &a["transactions"][0]);
                }
                "loans" => {
                    let l = OfbSpec::load("loans-2.5.0.yml");
                    let c = &data["contracts"][0];
                    l.assert_valid("LoansListContract", &c["contract"]);
                    l.assert_valid("LoansContract", &c["details"]);
                    l.assert_valid("LoansInstalments", &c["scheduledInstalments"]);
                    l.assert_valid("LoansPayments", &c["payments"]);
                }
                "investments" => {
                    let b = OfbSpec::load("bank-fixed-incomes-1.1.0.yml");
                    let i = &data["bankFixedIncomes"][0];
                    b.assert_valid("IdentifyProduct", &i["identification"]);
                    if let Some(t) = i["transactions"].get(0) {
                        b.assert_valid("BankFixedIncomesProductMovement", t);
                    }
                }
                "insights" => {
                    assert!(
                        data["monthlyCashFlow"].as_array().unwrap().len() >= 6,
                        "{data}"
                    );
                    assert_ne!(
                        data["income"]["monthlyAverage"], "0.00",
                        "salary is recognised: {}",
                        data["income"]
                    );
                    assert!(!data["spendingByCategory"].as_array().unwrap().is_empty());
                }
                other => panic!("unexpected product {other}"),
            }
        }

        // Every report also reads as a PDF a person can hand to an analyst.
        for r in &all {
            let pdf_url = r["pdfUrl"].as_str().unwrap();
            let resp = ts.http.get(pdf_url).send().await.unwrap();
            assert_eq!(resp.status(), 200, "{pdf_url}");
            assert_eq!(resp.headers()["content-type"], "application/pdf");
            let text = pdf_text(&resp.bytes().await.unwrap());
            assert!(
                text.contains("report") && text.contains(r["reportId"].as_str().unwrap()),
                "{text}"
            );
            match r["product"].as_str().unwrap() {
                "insights" => assert!(
                    text.contains("Average monthly income")
                        && text.contains("Cash flow by month")
                        && text.contains("R$"),
                    "{text}"
                ),
                "accounts" => assert!(
                    text.contains("Accounts and transactions report")
                        && text.contains("Available")
                        && text.contains("Amount"),
                    "{text}"
                ),
                _ => {}
            }
            assert_eq!(
                ts.http
                    .get(format!("{pdf_url}0"))
                    .send()
                    .await
                    .unwrap()
                    .status(),
                403,
                "a PDF URL is signed too"
            );
        }

        let (status, req) = ts
            .get(&format!("/data/v1/requests/{request_id}"), Some(&access))
            .await;
        assert_eq!(status, 200);
        assert_eq!(req["status"], "COMPLETED");
        assert_eq!(req["reports"].as_array().unwrap().len(), 6);

        // Fifteen minutes later the URL is dead; the API hands out a fresh one.
        ts.clock.advance(Duration::from_secs(15 * 60 + 1));
        assert_eq!(ts.http.get(url).send().await.unwrap().status(), 403);
        let access = ts.access_token().await;
        let (_, fresh) = ts
            .get(
                &format!(
                    "/data/v1/reports/{}",
                    accounts["reportId"].as_str().unwrap()
                ),
                Some(&access),
            )
            .await;
        assert_eq!(
            ts.http
                .get(fresh["downloadUrl"].as_str().unwrap())
                .send()
                .await
                .unwrap()
                .status(),
            200
        );

        // Revocation deletes the data: the URLs answer 410 Gone.
        let (status, _) = ts
            .call(
                reqwest::Method::DELETE,
                &format!("/data/v1/consents/{consent_id}"),
                Some(&access),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            ts.http
                .get(fresh["downloadUrl"].as_str().unwrap())
                .send()
                .await
                .unwrap()
                .status(),
            410
        );
        let (status, _) = ts
            .get(
                &format!(
                    "/data/v1/reports/{}",
                    accounts["reportId"].as_str().unwrap()
                ),
                Some(&access),
            )
            .await;
        assert_eq!(status, 410);
    }
);

both!(
    a_flaky_institution_is_retried_and_succeeds,
    |db: Db| async move {
        let events = Receiver::start().await;
        let ts = support::spawn_with(
            db,
            support::Options {
                webhook_url: Some(events.url.clone()),
                ..Default::default()
            },
        )
        .await;
        let (access, link_id, consent_id) = authorised(&ts, "user_flaky").await;
        let (status, _) = ts
            .post(
                "/data/personal/institution-data",
                Some(&access),
                request_body(&link_id, &consent_id, &["accounts", "registration"]),
            )
            .await;
        assert_eq!(status, 200);
        let got = events
            .wait_for("two reports", |b| {
                b.iter().filter(|e| e["event"] == "REPORT_READY").count() >= 2
            })
            .await;
        for r in got.iter().filter(|e| e["event"] == "REPORT_READY") {
            assert_eq!(r["status"], "SUCCESS", "{r}");
        }
    }
);

both!(
    auto_delivery_sends_every_allowed_product_after_authorisation,
    |db: Db| async move {
        let events = Receiver::start().await;
        let ts = support::spawn_with(
            db,
            support::Options {
                webhook_url: Some(events.url.clone()),
                ..Default::default()
            },
        )
        .await;
        let auto = ponte_server::services::clients::create(
            ts.app(),
            ponte_server::services::clients::parse_new_client(
                "Auto",
                Some(&events.url),
                None,
                true,
            )
            .unwrap(),
        )
        .await
        .unwrap();
        let access = ts.access_token_for(&auto).await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let (consent_id, _) = ts.consent(&link_token, json!({})).await;
        ts.authorise(
            &link_token,
            &consent_id,
            json!({"username": "user_good", "password": "pass_good"}),
        )
        .await;
        let got = events
            .wait_for("reports without a request", |b| {
                b.iter()
                    .filter(|e| {
                        e["event"] == "REPORT_READY" && e["consentId"] == consent_id.as_str()
                    })
                    .count()
                    >= 5
            })
            .await;
        let products: std::collections::BTreeSet<&str> = got
            .iter()
            .filter(|e| e["event"] == "REPORT_READY" && e["consentId"] == consent_id.as_str())
            .filter_map(|e| e["product"].as_str())
            .collect();
        assert!(
            products.contains("accounts")
                && products.contains("insights")
                && products.contains("registration"),
            "{products:?}"
        );
    }
);

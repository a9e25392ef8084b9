//! From an authorised consent to reports in the integrator's hands: jobs,
//! REPORT_READY webhooks, signed download URLs and PDFs, revocation.

use crate::support;

#[path = "../../../ponte-sandbox/tests/it/support/ofb_schema.rs"]
#[allow(dead_code)]
pub(crate) mod ofb_schema;

use ofb_schema::OfbSpec;
use serde_json::{json, Value};
use std::time::Duration;
use support::{Db, Receiver};

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

async fn reports_for(receiver: &Receiver, consent_id: &str, n: usize) -> Vec<Value> {
    receiver
        .wait_for("the reports", |b| {
            b.iter()
                .filter(|e| e["event"] == "REPORT_READY" && e["consentId"] == consent_id)
                .count()
                >= n
        })
        .await
        .into_iter()
        .filter(|e| e["event"] == "REPORT_READY" && e["consentId"] == consent_id)
        .collect()
}

both!(
    accounts_and_insights_arrive_signed_with_working_downloads,
    |db: Db| async move {
        let (ts, events) = support::spawn_receiving(db).await;
        let access = ts.access_token().await;
        let (link_id, consent_id) = ts.authorised(&access, "user_good").await;
        let body = json!({"taxId": "529.982.247-25", "linkId": link_id, "consentId": [consent_id], "products": ["accounts", "insights"]});
        let (status, resp) = ts
            .post("/data/personal/institution-data", Some(&access), body)
            .await;
        assert_eq!(
            (status, resp["message"].as_str()),
            (200, Some("ok")),
            "{resp}"
        );
        let request_id = resp["requestId"].as_str().unwrap().to_string();

        let reports = reports_for(&events, &consent_id, 2).await;
        let accounts = reports
            .iter()
            .find(|r| r["product"] == "accounts")
            .unwrap()
            .clone();
        let insights = reports
            .iter()
            .find(|r| r["product"] == "insights")
            .unwrap()
            .clone();
        for r in &reports {
            assert_eq!(r["status"], "SUCCESS", "{r}");
            assert_eq!(
                (r["requestId"].as_str(), r["linkId"].as_str()),
                (Some(request_id.as_str()), Some(link_id.as_str()))
            );
            assert!(
                r["downloadUrl"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{}/data/v1/reports/", ts.base)),
                "{r}"
            );
        }
        // A year of a normal user's life: hundreds of transactions.
        assert!(
            accounts["summary"]["transactions"].as_u64().unwrap() > 300,
            "{}",
            accounts["summary"]
        );

        let url = accounts["downloadUrl"].as_str().unwrap().to_string();
        let doc: Value = ts
            .http
            .get(&url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            (doc["product"].as_str(), doc["reportId"].as_str()),
            (Some("accounts"), accounts["reportId"].as_str())
        );
        assert_eq!(
            ts.http
                .get(format!("{url}x"))
                .send()
                .await
                .unwrap()
                .status(),
            403,
            "a changed signature"
        );
        let other = url.replace(
            accounts["reportId"].as_str().unwrap(),
            insights["reportId"].as_str().unwrap(),
        );
        assert_eq!(
            ts.http.get(&other).send().await.unwrap().status(),
            403,
            "a signature is for one report"
        );

        // The institution's records, unchanged: they validate against the official schemas.
        let spec = OfbSpec::load("accounts-2.4.2.yml");
        let first = &doc["data"]["accounts"][0];
        spec.assert_valid("AccountData", &first["account"]);
        spec.assert_valid("AccountIdentificationData", &first["identification"]);
        spec.assert_valid("AccountBalancesData", &first["balances"]);
        spec.assert_valid("AccountOverdraftLimitsData", &first["overdraftLimits"]);
        for t in first["transactions"].as_array().unwrap() {
            spec.assert_valid("AccountTransactionsData", t);
        }
        let ids: std::collections::BTreeSet<&str> = first["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t["transactionId"].as_str())
            .collect();
        assert_eq!(
            ids.len(),
            first["transactions"].as_array().unwrap().len(),
            "every page joined once"
        );

        let (_, by_api) = ts
            .get(
                &format!(
                    "/data/v1/reports/{}",
                    accounts["reportId"].as_str().unwrap()
                ),
                Some(&access),
            )
            .await;
        assert_eq!(
            by_api["data"], doc["data"],
            "the API and the download carry the same report"
        );
        let (_, ins) = ts
            .get(
                &format!(
                    "/data/v1/reports/{}",
                    insights["reportId"].as_str().unwrap()
                ),
                Some(&access),
            )
            .await;
        let data = &ins["data"];
        assert!(
            data["monthlyCashFlow"].as_array().unwrap().len() >= 12,
            "{data}"
        );
        assert_eq!(
            data["income"]["stability"], "HIGH",
            "a steady salary: {}",
            data["income"]
        );
        assert!(
            data["income"]["sources"][0]["name"]
                .as_str()
                .unwrap()
                .starts_with("SALARIO"),
            "{}",
            data["income"]
        );
        assert!(
            data["recurringPayments"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["name"].as_str().unwrap_or("").contains("ALUGUEL")
                    && r["category"] == "housing"),
            "{}",
            data["recurringPayments"]
        );
        assert!(!data["spendingByCategory"].as_array().unwrap().is_empty());

        // Both read as PDFs a person can hand to an analyst, in Portuguese
        // unless asked otherwise.
        for (r, expect) in [
            (&accounts, "Extrato de contas e transações"),
            (&insights, "Renda média mensal"),
        ] {
            let resp = ts
                .http
                .get(r["pdfUrl"].as_str().unwrap())
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200);
            assert_eq!(resp.headers()["content-type"], "application/pdf");
            let text = pdf_text(&resp.bytes().await.unwrap());
            assert!(
                text.contains(expect)
                    && text.contains("R$")
                    && text.contains(r["reportId"].as_str().unwrap()),
                "{text}"
            );
        }

        let (_, req) = ts
            .get(&format!("/data/v1/requests/{request_id}"), Some(&access))
            .await;
        assert_eq!(
            (
                req["status"].as_str(),
                req["reports"].as_array().map(Vec::len)
            ),
            (Some("COMPLETED"), Some(2)),
            "{req}"
        );

        // Fifteen minutes later the URL is dead; the API hands out a fresh one.
        ts.clock.advance(Duration::from_secs(15 * 60 + 1));
        assert_eq!(ts.http.get(&url).send().await.unwrap().status(), 403);
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
        let fresh_url = fresh["downloadUrl"].as_str().unwrap().to_string();
        assert_eq!(ts.http.get(&fresh_url).send().await.unwrap().status(), 200);

        // Revocation deletes the data: its URLs answer 410 Gone.
        let (status, _) = ts
            .call(
                reqwest::Method::DELETE,
                &format!("/data/v1/consents/{consent_id}"),
                Some(&access),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(ts.http.get(&fresh_url).send().await.unwrap().status(), 410);
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
    a_flaky_institution_is_retried_and_a_big_history_is_retrieved_whole,
    |db: Db| async move {
        let (ts, events) = support::spawn_receiving(db).await;
        let access = ts.access_token().await;
        let (link_id, flaky) = ts.authorised(&access, "user_flaky").await;
        let (status, _) = ts.post("/data/personal/institution-data", Some(&access), json!({"taxId": "52998224725", "linkId": link_id, "consentId": [flaky], "products": ["accounts"]})).await;
        assert_eq!(status, 200);
        let got = reports_for(&events, &flaky, 1).await;
        assert_eq!(
            got[0]["status"], "SUCCESS",
            "retried past the two failures: {}",
            got[0]
        );

        let (link_id, big) = ts.authorised(&access, "user_big").await;
        let (status, _) = ts.post("/data/personal/institution-data", Some(&access), json!({"taxId": "52998224725", "linkId": link_id, "consentId": [big], "products": ["accounts"]})).await;
        assert_eq!(status, 200);
        let got = reports_for(&events, &big, 1).await;
        assert_eq!(got[0]["status"], "SUCCESS", "{}", got[0]);
        assert!(
            got[0]["summary"]["transactions"].as_u64().unwrap() >= 20_000,
            "five years: {}",
            got[0]["summary"]
        );
        // The download streams the stored text as it is inflated: every record
        // the retrieval counted arrives, byte for byte what the API returns.
        let streamed = ts
            .http
            .get(got[0]["downloadUrl"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(streamed.status(), 200);
        assert_eq!(
            streamed.headers()["content-type"],
            "application/json",
            "a JSON download"
        );
        let streamed: Value = streamed.json().await.unwrap();
        let listed: usize = streamed["data"]["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["transactions"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(
            listed as u64,
            got[0]["summary"]["transactions"].as_u64().unwrap(),
            "every transaction retrieved is in the download"
        );
        let report_id = got[0]["reportId"].as_str().unwrap();
        let (status, api) = ts
            .get(&format!("/data/v1/reports/{report_id}"), Some(&access))
            .await;
        assert_eq!(status, 200);
        assert_eq!(streamed["data"], api["data"]);
        assert_eq!(streamed["version"], api["version"]);
    }
);

both!(
    auto_delivery_sends_reports_without_a_request,
    |db: Db| async move {
        let events = Receiver::start().await;
        let ts = support::spawn(db).await;
        use ponte_server::services::clients;
        let auto = clients::create(
            ts.app(),
            clients::parse_new_client("Auto", Some(&events.url), None, true).unwrap(),
        )
        .await
        .unwrap();
        let access = ts.access_token_for(&auto).await;
        let (_, consent_id) = ts.authorised(&access, "user_good").await;
        // Every product the consent allows; the ones the sandbox serves succeed.
        let got = reports_for(&events, &consent_id, 6).await;
        let products: std::collections::BTreeSet<&str> =
            got.iter().filter_map(|e| e["product"].as_str()).collect();
        assert_eq!(products.len(), 6, "{products:?}");
        for p in ["accounts", "insights"] {
            assert_eq!(
                got.iter().find(|e| e["product"] == p).unwrap()["status"],
                "SUCCESS"
            );
        }
    }
);

both!(
    every_product_carries_the_institutions_records_unchanged,
    |db: Db| async move {
        let (ts, events) = support::spawn_receiving(db).await;
        let access = ts.access_token().await;
        let (link_id, consent_id) = ts.authorised(&access, "user_good").await;
        let products = [
            "registration",
            "accounts",
            "creditCards",
            "loans",
            "investments",
            "insights",
        ];
        let body = json!({"taxId": "52998224725", "linkId": link_id, "consentId": [consent_id], "products": products});
        let (status, _) = ts
            .post("/data/personal/institution-data", Some(&access), body)
            .await;
        assert_eq!(status, 200);
        let reports = reports_for(&events, &consent_id, 6).await;
        for r in &reports {
            assert_eq!(r["status"], "SUCCESS", "{r}");
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
                    for t in i["transactions"].as_array().unwrap() {
                        b.assert_valid("BankFixedIncomesProductMovement", t);
                    }
                }
                "accounts" | "insights" => {}
                other => panic!("unexpected product {other}"),
            }
            let pdf = ts
                .http
                .get(r["pdfUrl"].as_str().unwrap())
                .send()
                .await
                .unwrap();
            assert_eq!(pdf.status(), 200, "{}", r["product"]);
            assert!(pdf_text(&pdf.bytes().await.unwrap()).contains("Relatório"));
        }
    }
);

both!(
    each_retrieval_stores_a_new_version_and_keeps_the_earlier_one,
    |db: Db| async move {
        let (ts, events) = support::spawn_receiving(db).await;
        let access = ts.access_token().await;
        let (link_id, consent_id) = ts.authorised(&access, "user_good").await;
        let ask = json!({"taxId": "52998224725", "linkId": link_id, "consentId": [consent_id], "products": ["registration"]});
        let mut ids = Vec::new();
        for n in 1..=2 {
            let (status, _) = ts
                .post(
                    "/data/personal/institution-data",
                    Some(&access),
                    ask.clone(),
                )
                .await;
            assert_eq!(status, 200);
            let got = reports_for(&events, &consent_id, n).await;
            ids.push(got[n - 1]["reportId"].as_str().unwrap().to_string());
        }
        let (status, first) = ts
            .get(&format!("/data/v1/reports/{}", ids[0]), Some(&access))
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            (
                &first["version"],
                &first["previousReportId"],
                &first["latestReportId"]
            ),
            (&json!(1), &Value::Null, &json!(ids[1])),
            "{first}"
        );
        let (_, second) = ts
            .get(&format!("/data/v1/reports/{}", ids[1]), Some(&access))
            .await;
        assert_eq!(
            (
                &second["version"],
                &second["previousReportId"],
                &second["latestReportId"]
            ),
            (&json!(2), &json!(ids[0]), &json!(ids[1])),
            "{second}"
        );
        // The earlier version still downloads, whole.
        let old = ts
            .http
            .get(first["downloadUrl"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(old.status(), 200);
        let old: Value = old.json().await.unwrap();
        assert_eq!(old["version"], 1);
        assert!(
            old["data"]["identifications"]
                .as_array()
                .is_some_and(|a| !a.is_empty()),
            "{old}"
        );
    }
);

/// Replaces the stored data of report `id` by `chunks` (sealed), saying there
/// are `count`; or, with no chunks, by `data_enc`: how reports were stored
/// before chunks, one sealed value in the row.
async fn restore(
    ts: &support::TestServer,
    id: &str,
    chunks: &[Vec<u8>],
    count: Option<i64>,
    data_enc: Option<String>,
) {
    let mut tx = ts.app().store.begin().await.unwrap();
    sqlx::query("DELETE FROM report_chunks WHERE report_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    for (seq, chunk) in chunks.iter().enumerate() {
        ponte_store::insert_report_chunk(&mut tx, id, seq as i64, chunk)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE reports SET data_chunks = $1, data_enc = $2 WHERE id = $3")
        .bind(count)
        .bind(data_enc)
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The body at `url`, or `None` when it could not be read whole: an error
/// status, or a response cut off (a download that fails midway; one that
/// fails at its first chunk may close the connection before its head is
/// sent). Each on a connection of its own: the server closes the connection
/// of a download it cuts off, and a pooled client could send the next
/// request on it.
async fn downloaded(url: &str) -> Option<Vec<u8>> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let resp = http.get(url).send().await.ok()?;
    if resp.status() != 200 {
        return None;
    }
    resp.bytes().await.ok().map(|b| b.to_vec())
}

both!(
    a_report_in_chunks_or_stored_before_them_downloads_the_same_and_a_cut_or_shuffled_one_does_not,
    |db: Db| async move {
        use ponte_server::crypto::DocumentChunks;
        use std::io::Write;
        let (ts, events) = support::spawn_receiving(db).await;
        let access = ts.access_token().await;
        let (link_id, consent_id) = ts.authorised(&access, "user_good").await;
        let ask = json!({"taxId": "52998224725", "linkId": link_id, "consentId": [consent_id], "products": ["accounts"]});
        let (status, _) = ts
            .post("/data/personal/institution-data", Some(&access), ask)
            .await;
        assert_eq!(status, 200);
        let report = reports_for(&events, &consent_id, 1).await.remove(0);
        let id = report["reportId"].as_str().unwrap().to_string();
        let (json_url, pdf_url) = (
            report["downloadUrl"].as_str().unwrap().to_string(),
            report["pdfUrl"].as_str().unwrap().to_string(),
        );
        let json_bytes = downloaded(&json_url).await.expect("the JSON");
        let pdf_bytes = downloaded(&pdf_url).await.expect("the PDF");
        let (_, by_api) = ts
            .get(&format!("/data/v1/reports/{id}"), Some(&access))
            .await;
        {
            let mut conn = ts.app().store.read().await.unwrap();
            let row = ponte_store::report_by_id(&mut conn, &id).await.unwrap();
            let chunks = ponte_store::report_data_chunks(&mut conn, &id).await;
            assert_eq!(
                (row.unwrap().data_enc, chunks.unwrap()),
                (None, Some(1)),
                "stored in one chunk, not in the row"
            );
        }

        // The same text in chunks of 64 KiB (stored deflate blocks: about
        // its own length), so the sequence has several.
        let client = ponte_core::ClientId::from_trusted(ts.client.client_id.clone());
        let doc = ponte_server::services::reports::view(ts.app(), &client, &id)
            .await
            .unwrap();
        let text = doc.data.get().as_bytes().to_vec();
        let mut z =
            flate2::write::GzEncoder::new(DocumentChunks::new(), flate2::Compression::none());
        z.write_all(&text).unwrap();
        let slot = ponte_server::services::slots::report_data(&id);
        let chunks = ts.app().crypto.seal_chunks(slot, z.finish().unwrap()).0;
        let n = chunks.len();
        assert!(n >= 3, "{} bytes of text make {n} chunks", text.len());
        restore(&ts, &id, &chunks, Some(n as i64), None).await;
        assert_eq!(downloaded(&json_url).await.as_ref(), Some(&json_bytes));
        assert_eq!(downloaded(&pdf_url).await.as_ref(), Some(&pdf_bytes));
        assert_eq!(
            ts.get(&format!("/data/v1/reports/{id}"), Some(&access))
                .await
                .1["data"],
            by_api["data"]
        );

        // Cut off after a chunk that was not the last, the count told to
        // match; a chunk gone from the middle; two chunks swapped.
        let mut swapped = chunks.clone();
        swapped.swap(n - 2, n - 1);
        let mut dropped = chunks.clone();
        dropped.remove(1);
        for (what, stored, count) in [
            ("cut off", &chunks[..n - 1], n - 1),
            ("missing its last chunk", &chunks[..n - 1], n),
            ("a chunk dropped", &dropped[..], n - 1),
            ("two chunks swapped", &swapped[..], n),
        ] {
            restore(&ts, &id, stored, Some(count as i64), None).await;
            assert_eq!(downloaded(&json_url).await, None, "JSON, {what}");
            assert_eq!(downloaded(&pdf_url).await, None, "PDF, {what}");
            let (status, _) = ts
                .get(&format!("/data/v1/reports/{id}"), Some(&access))
                .await;
            assert_ne!(status, 200, "API, {what}");
        }

        // Stored the way reports were before chunks: it still opens, the same.
        let whole = ts.app().crypto.seal_document(slot, &text);
        restore(&ts, &id, &[], None, Some(whole)).await;
        assert_eq!(downloaded(&json_url).await.as_ref(), Some(&json_bytes));
        assert_eq!(downloaded(&pdf_url).await.as_ref(), Some(&pdf_bytes));
        assert_eq!(
            ts.get(&format!("/data/v1/reports/{id}"), Some(&access))
                .await
                .1["data"],
            by_api["data"]
        );
    }
);

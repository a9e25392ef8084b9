//! Report PDFs a Brazilian lender can file, read back as text with
//! `pdftotext`: every product for `user_good` and `user_big`, in Portuguese
//! and English. The words are in the asked language, every Open Finance code
//! is printed as whole words (never raw, never cut), the holder and the
//! institution are named, and every transaction of the JSON report is a row.

use crate::support;

use regex::Regex;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};
use support::Node;

const CPF: &str = "52998224725";
const PRODUCTS: [&str; 6] = [
    "registration",
    "accounts",
    "creditCards",
    "loans",
    "investments",
    "insights",
];

#[derive(Clone, Copy, PartialEq, Debug)]
enum Lang {
    Pt,
    En,
}

/// The words a lender reads for each code the sandbox sends, as this test
/// expects them; a code the data gains must be added here, with its words.
fn expected_label(lang: Lang, code: &str) -> Option<&'static str> {
    let (pt, en) = match code {
        "CONTA_DEPOSITO_A_VISTA" => ("Conta corrente", "Checking account"),
        "CONTA_POUPANCA" => ("Conta poupança", "Savings account"),
        "TRANSFERENCIA_MESMA_INSTITUICAO" => (
            "Transferência na mesma instituição",
            "Transfer within the institution",
        ),
        "FOLHA_PAGAMENTO" => ("Folha de pagamento (salário)", "Payroll (salary)"),
        "PIX" => ("Pix", "Pix"),
        "TED" => ("TED", "TED transfer"),
        "BOLETO" => ("Boleto", "Boleto payment"),
        "CARTAO" => ("Cartão", "Card"),
        "SAQUE" => ("Saque", "Cash withdrawal"),
        "CONVENIO_ARRECADACAO" => ("Conta de consumo / convênio", "Utility bill (agreement)"),
        "PACOTE_TARIFA_SERVICOS" => ("Pacote de tarifas", "Service package fee"),
        "TARIFA_SERVICOS_AVULSOS" => ("Tarifa avulsa", "One-off service fee"),
        "RENDIMENTO_APLIC_FINANCEIRA" => ("Rendimento de aplicação", "Investment income"),
        "RESGATE_APLIC_FINANCEIRA" => ("Resgate de aplicação", "Investment redemption"),
        "OPERACAO_CREDITO" => ("Operação de crédito", "Credit operation"),
        "DEPOSITO" => ("Depósito", "Deposit"),
        "OUTROS" => ("Outros", "Other"),
        "CREDITO" => ("Crédito", "Credit"),
        "DEBITO" => ("Débito", "Debit"),
        "PAGAMENTO" => ("Pagamento de fatura", "Bill payment"),
        "A_VISTA" => ("À vista", "Single payment"),
        "A_PRAZO" => ("Parcelado", "In instalments"),
        "ESTORNO" => ("Estorno", "Refund"),
        "TARIFA" => ("Tarifa", "Fee"),
        "CREDITO_PESSOAL_SEM_CONSIGNACAO" => (
            "Crédito pessoal sem consignação",
            "Personal loan (not payroll-deducted)",
        ),
        "CREDITO_PESSOAL_COM_CONSIGNACAO" => (
            "Crédito pessoal consignado",
            "Payroll-deducted personal loan",
        ),
        "HOME_EQUITY" => ("Crédito com garantia de imóvel", "Home equity"),
        "PRICE" => ("Tabela Price", "Price (equal instalments)"),
        "SAC" => ("SAC (amortização constante)", "SAC (constant amortisation)"),
        "MENSAL" => ("Mensal", "Monthly"),
        "CDB" => ("CDB", "CDB (bank deposit certificate)"),
        "LCI" => ("LCI", "LCI (real-estate credit note)"),
        "LCA" => ("LCA", "LCA (agribusiness credit note)"),
        "RDB" => ("RDB", "RDB (bank deposit receipt)"),
        "ELO" => ("Elo", "Elo"),
        "VISA" => ("Visa", "Visa"),
        "MASTERCARD" => ("Mastercard", "Mastercard"),
        "GOLD" => ("Gold", "Gold"),
        "PLATINUM" => ("Platinum", "Platinum"),
        "BLACK" => ("Black", "Black"),
        "INFINITE" => ("Infinite", "Infinite"),
        _ => return None,
    };
    Some(if lang == Lang::Pt { pt } else { en })
}

/// The codes of the fields the PDFs print as words.
fn printed_codes(report: &Value) -> BTreeSet<String> {
    const KEYS: [&str; 9] = [
        "type",
        "creditDebitType",
        "transactionType",
        "paymentType",
        "productSubType",
        "investmentType",
        "amortizationScheduled",
        "instalmentPeriodicity",
        "creditCardNetwork",
    ];
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    match v.as_str() {
                        Some(code) if KEYS.contains(&k.as_str()) => {
                            out.insert(code.to_string());
                        }
                        _ => walk(v, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    match report["product"].as_str() {
        // Investment movements (ENTRADA/SAIDA) are not printed; the products are.
        Some("investments") => {
            for i in report["data"]["bankFixedIncomes"]
                .as_array()
                .into_iter()
                .flatten()
            {
                walk(&i["identification"]["investmentType"], &mut out);
                if let Some(code) = i["identification"]["investmentType"].as_str() {
                    out.insert(code.to_string());
                }
            }
        }
        Some("registration") | Some("insights") => {}
        // A card's product type is printed as the card's name as well.
        Some("creditCards") => {
            for a in report["data"]["accounts"].as_array().into_iter().flatten() {
                for key in ["creditCardNetwork", "productType"] {
                    if let Some(code) = a["account"][key].as_str() {
                        out.insert(code.to_string());
                    }
                }
                walk(&a["transactions"], &mut out);
            }
        }
        _ => walk(&report["data"], &mut out),
    }
    out
}

fn pdftotext(dir: &Path, name: &str, pdf: &[u8]) -> String {
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).expect("write the PDF");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "pdftotext failed on {name}");
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

struct Api {
    http: reqwest::Client,
    url: String,
}

impl Api {
    async fn call(&self, path: &str, token: Option<&str>, body: Option<Value>) -> Value {
        let mut req = match &body {
            Some(b) => self.http.post(format!("{}{path}", self.url)).json(b),
            None => self.http.get(format!("{}{path}", self.url)),
        };
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("the API answers");
        resp.json::<Value>().await.expect("JSON")
    }

    /// Every product of one sandbox user at Itaú, as the API's reports.
    async fn reports(&self, access: &str, user: &str, external_info: Value) -> Vec<Value> {
        let link = self
            .call(
                "/data/v1/links",
                Some(access),
                Some(json!({"personalTaxId": CPF, "externalInfo": external_info})),
            )
            .await;
        let link_token = link["linkToken"].as_str().expect("a link").to_string();
        let consent = self
            .call(
                "/data/v1/consents",
                Some(&link_token),
                Some(json!({"institutionCode": "itau"})),
            )
            .await;
        let consent_id = consent["consentId"].as_str().expect("a consent");
        let done = self
            .call(
                &format!("/sandbox/v1/consents/{consent_id}/authorise"),
                Some(&link_token),
                Some(json!({"username": user, "password": "pass_good"})),
            )
            .await;
        assert_eq!(done["status"], "AUTHORISED", "{done}");
        let req = self
            .call(
                "/data/personal/institution-data",
                Some(access),
                Some(json!({"taxId": CPF, "linkId": link["linkId"], "consentId": [consent_id], "products": PRODUCTS})),
            )
            .await;
        let request_id = req["requestId"].as_str().expect("a request").to_string();
        let deadline = Instant::now() + Duration::from_secs(180);
        let view = loop {
            let view = self
                .call(
                    &format!("/data/v1/requests/{request_id}"),
                    Some(access),
                    None,
                )
                .await;
            if view["status"] == "COMPLETED" {
                break view;
            }
            assert!(Instant::now() < deadline, "never completed: {view}");
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        let mut reports = Vec::new();
        for r in view["reports"].as_array().expect("reports") {
            assert_eq!(r["status"], "SUCCESS", "{r}");
            let id = r["reportId"].as_str().expect("an id");
            reports.push(
                self.call(&format!("/data/v1/reports/{id}"), Some(access), None)
                    .await,
            );
        }
        assert_eq!(reports.len(), PRODUCTS.len(), "{view}");
        reports
    }
}

/// Transaction rows: a date first, then the direction's word and a signed
/// amount (only the transaction tables have both).
fn transaction_rows(text: &str, lang: Lang) -> usize {
    let row = match lang {
        Lang::Pt => {
            Regex::new(r"(?m)^\s*\d{2}/\d{2}/\d{4}\s.*\s(Crédito|Débito)\s+-?R\$ [\d.]+,\d{2}\s*$")
        }
        Lang::En => Regex::new(
            r"(?m)^\s*[A-Z][a-z]{2} \d{1,2}, \d{4}\s.*\s(Credit|Debit)\s+-?R\$ [\d,]+\.\d{2}\s*$",
        ),
    }
    .expect("regex");
    row.find_iter(text).count()
}

fn json_transactions(report: &Value) -> usize {
    report["data"]["accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| a["transactions"].as_array().map(Vec::len).unwrap_or(0))
        .sum()
}

fn check_pdf(text: &str, lang: Lang, report: &Value, holder: &str, what: &str) {
    let product = report["product"].as_str().unwrap_or("");
    let (own, other) = match lang {
        Lang::Pt => (
            ["Origem dos dados", "Página 1 de", "Instituição"],
            ["What this report is built from", "Page 1 of", "Institution"],
        ),
        Lang::En => (
            ["What this report is built from", "Page 1 of", "Institution"],
            ["Origem dos dados", "Página 1 de", "Instituição"],
        ),
    };
    for word in own {
        assert!(
            text.contains(word),
            "{what}: no {word:?}\n{}",
            &text[..text.len().min(3000)]
        );
    }
    for word in other {
        assert!(
            !text.contains(word),
            "{what}: {word:?} from the other language"
        );
    }
    // The bank by name, CNPJ and COMPE; the holder by name and masked CPF.
    assert!(
        text.contains("Itaú Unibanco"),
        "{what}: no institution name"
    );
    assert!(
        !text.contains(" itau "),
        "{what}: the slug instead of the name"
    );
    let cnpj = Regex::new(r"\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}").expect("regex");
    assert!(cnpj.is_match(text), "{what}: no institution CNPJ");
    assert!(text.contains("341"), "{what}: no COMPE code");
    assert!(text.contains(holder), "{what}: no holder {holder:?}");
    assert!(text.contains("***.982.247-**"), "{what}: no masked CPF");
    assert!(!text.contains(CPF), "{what}: the whole CPF is printed");
    // Page n of N on every page, N the last page.
    let pages = match lang {
        Lang::Pt => Regex::new(r"Página (\d+) de (\d+)"),
        Lang::En => Regex::new(r"Page (\d+) of (\d+)"),
    }
    .expect("regex");
    let numbers: Vec<(usize, usize)> = pages
        .captures_iter(text)
        .map(|c| (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0)))
        .collect();
    let total = numbers.first().map(|n| n.1).unwrap_or(0);
    assert!(total >= 1, "{what}: no page numbers");
    assert_eq!(
        numbers,
        (1..=total).map(|n| (n, total)).collect::<Vec<_>>(),
        "{what}: page numbers"
    );
    // Codes as whole words, never raw, never cut.
    assert!(!text.contains('…'), "{what}: something is cut off");
    for code in printed_codes(report) {
        let label = expected_label(lang, &code)
            .unwrap_or_else(|| panic!("{what}: the test has no words for {code}: add them"));
        assert!(
            text.contains(label),
            "{what}: {code} is not printed as {label:?}"
        );
        if code.contains('_') {
            assert!(!text.contains(&code), "{what}: {code} printed raw");
        }
    }
    // Every transaction is a row.
    if product == "accounts" {
        let expected = json_transactions(report);
        assert!(expected > 0, "{what}: no transactions in the JSON");
        assert_eq!(
            transaction_rows(text, lang),
            expected,
            "{what}: transaction rows"
        );
    }
    if product == "creditCards" {
        let expected = json_transactions(report);
        assert_eq!(
            transaction_rows(text, lang),
            expected,
            "{what}: card transaction rows"
        );
    }
    let money = match lang {
        Lang::Pt => "R$ ",
        Lang::En => "R$ ",
    };
    if product != "registration" {
        assert!(text.contains(money), "{what}: no amounts");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_report_pdf_reads_right_in_portuguese_and_english() {
    let dir = tempfile::tempdir().expect("temp dir");
    let node = Node::start(dir.path(), &[], "ponte");
    let sandbox: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("sandbox-client.json")).expect("sandbox client"),
    )
    .expect("JSON");
    let api = Api {
        http: reqwest::Client::new(),
        url: node.url.clone(),
    };
    let auth = api
        .call(
            "/data/v1/auth",
            None,
            Some(json!({"accessKey": sandbox["apiKey"], "secretKey": sandbox["apiSecret"]})),
        )
        .await;
    let access = auth["accessToken"].as_str().expect("a token").to_string();
    // user_big's link asks for English; user_good's says nothing (Portuguese).
    for (user, link_lang, external_info) in [
        ("user_good", Lang::Pt, json!({})),
        ("user_big", Lang::En, json!({"locale": "en"})),
    ] {
        let reports = api.reports(&access, user, external_info).await;
        let registration = reports
            .iter()
            .find(|r| r["product"] == "registration")
            .expect("a registration report");
        let holder = registration["data"]["identifications"][0]["civilName"]
            .as_str()
            .expect("the holder's name")
            .to_string();
        for report in &reports {
            let product = report["product"].as_str().expect("a product");
            let pdf_url = report["pdfUrl"].as_str().expect("pdfUrl");
            for (param, lang) in [
                ("&locale=pt-BR", Lang::Pt),
                ("&locale=en", Lang::En),
                ("", link_lang),
            ] {
                let what = format!("{user} {product} {lang:?}{param}");
                let resp = api
                    .http
                    .get(format!("{pdf_url}{param}"))
                    .send()
                    .await
                    .expect("the PDF");
                assert_eq!(resp.status(), 200, "{what}");
                let pdf = resp.bytes().await.expect("PDF bytes");
                assert!(pdf.starts_with(b"%PDF-"), "{what}");
                let text = pdftotext(dir.path(), &format!("{user}-{product}-{lang:?}"), &pdf);
                check_pdf(&text, lang, report, &holder, &what);
            }
        }
        // An unknown language is refused, naming the parameter.
        let pdf_url = reports[0]["pdfUrl"].as_str().expect("pdfUrl");
        let resp = api
            .http
            .get(format!("{pdf_url}&locale=fr"))
            .send()
            .await
            .expect("an answer");
        assert_eq!(resp.status(), 400);
        let body: Value = resp.json().await.expect("JSON");
        assert_eq!(body["error"]["code"], "INVALID_FIELD", "{body}");
        assert_eq!(body["error"]["field"], "locale", "{body}");
    }
}

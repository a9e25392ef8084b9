//! A report as a document a person would hand to a credit analyst: the
//! figures that matter first, then the detail, per product.

use super::{Align, Column, Document, Series};
use serde_json::Value;

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// `1234.5` → `R$ 1.234,50` (Brazilian format).
pub fn brl(amount: &str) -> String {
    let (neg, digits) = amount
        .strip_prefix('-')
        .map(|d| (true, d))
        .unwrap_or((false, amount));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let frac: String = frac.chars().chain("00".chars()).take(2).collect();
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{}R$ {grouped},{frac}", if neg { "-" } else { "" })
}

fn amount(v: &Value) -> String {
    v["amount"].as_str().map(brl).unwrap_or_else(|| "—".into())
}

fn date(v: &Value) -> String {
    v.as_str()
        .map(|d| d.chars().take(10).collect())
        .unwrap_or_else(|| "—".into())
}

const PRODUCT_NAMES: [(&str, &str); 6] = [
    ("registration", "Registration"),
    ("accounts", "Accounts and transactions"),
    ("creditCards", "Credit cards"),
    ("loans", "Loans"),
    ("investments", "Investments"),
    ("insights", "Financial insights"),
];

/// Renders a report document (as `GET /data/v1/reports/{id}` returns it).
pub fn render(doc: &Value) -> Vec<u8> {
    let product = doc["product"].as_str().unwrap_or("");
    let name = PRODUCT_NAMES
        .iter()
        .find(|(p, _)| *p == product)
        .map(|(_, n)| *n)
        .unwrap_or(product);
    let footer = format!(
        "Report {} · consent {} · generated {}",
        s(&doc["reportId"]),
        s(&doc["consentId"]),
        s(&doc["generatedAt"])
    );
    let mut d = Document::new(name, &footer);
    d.heading(&format!("{name} report"));
    d.facts(&[
        ("Institution", s(&doc["institutionCode"])),
        ("Status", s(&doc["status"])),
        ("Generated at", s(&doc["generatedAt"])),
        ("Request", s(&doc["requestId"])),
    ]);
    let data = &doc["data"];
    match product {
        "registration" => registration(&mut d, data),
        "accounts" => accounts(&mut d, data),
        "creditCards" => credit_cards(&mut d, data),
        "loans" => loans(&mut d, data),
        "investments" => investments(&mut d, data),
        "insights" => insights(&mut d, data),
        _ => d.paragraph("This product has no printable layout."),
    }
    if doc["status"] == "FAILED" {
        d.paragraph(&format!("The retrieval failed: {}", s(&doc["reason"])));
    }
    d.finish()
}

fn registration(d: &mut Document, data: &Value) {
    for id in data["identifications"].as_array().into_iter().flatten() {
        d.subheading("Identification");
        let doc_number = id["documents"]["cpfNumber"]
            .as_str()
            .or(id["companyCnpj"].get(0).and_then(Value::as_str))
            .unwrap_or("—")
            .to_string();
        let email = id["contacts"]["emails"][0]["email"]
            .as_str()
            .unwrap_or("—")
            .to_string();
        let phone = &id["contacts"]["phones"][0];
        d.facts(&[
            (
                "Name",
                s(id.get("civilName")
                    .or(id.get("companyName"))
                    .unwrap_or(&Value::Null)),
            ),
            ("Document", doc_number),
            ("Birth date", date(&id["birthDate"])),
            ("E-mail", email),
            (
                "Phone",
                format!(
                    "+{} {} {}",
                    s(&phone["countryCallingCode"]),
                    s(&phone["areaCode"]),
                    s(&phone["number"])
                ),
            ),
            ("City", s(&id["contacts"]["postalAddresses"][0]["townName"])),
        ]);
    }
    let q = &data["qualifications"];
    if q.is_object() {
        d.subheading("Qualification");
        d.facts(&[
            (
                "Occupation",
                s(q["occupationDescription"]
                    .as_str()
                    .map(Value::from)
                    .as_ref()
                    .unwrap_or(&q["occupationCode"])),
            ),
            (
                "Declared monthly income",
                amount(&q["informedIncome"]["amount"]),
            ),
        ]);
    }
    let f = &data["financialRelations"];
    if f.is_object() {
        d.subheading("Relationship with the institution");
        d.facts(&[
            ("Customer since", date(&f["startDate"])),
            (
                "Products",
                f["productsServicesType"]
                    .as_array()
                    .map(|a| a.iter().map(s).collect::<Vec<_>>().join(", "))
                    .unwrap_or_default(),
            ),
        ]);
    }
}

fn accounts(d: &mut Document, data: &Value) {
    let list = data["accounts"].as_array().cloned().unwrap_or_default();
    d.paragraph(&format!("{} account(s).", list.len()));
    for a in &list {
        let acc = &a["account"];
        d.subheading(&format!(
            "{} — branch {} account {}-{}",
            s(&acc["type"]),
            s(&acc["branchCode"]),
            s(&acc["number"]),
            s(&acc["checkDigit"])
        ));
        let b = &a["balances"];
        d.facts(&[
            ("Available", amount(&b["availableAmount"])),
            ("Blocked", amount(&b["blockedAmount"])),
            (
                "Overdraft contracted",
                amount(&a["overdraftLimits"]["overdraftContractedLimit"]),
            ),
            (
                "Overdraft used",
                amount(&a["overdraftLimits"]["overdraftUsedLimit"]),
            ),
        ]);
        let txs = a["transactions"].as_array().cloned().unwrap_or_default();
        let shown = 40.min(txs.len());
        d.paragraph(&format!(
            "{} transaction(s); the latest {shown} below, all of them in the JSON report.",
            txs.len()
        ));
        let mut latest: Vec<&Value> = txs.iter().collect();
        latest.sort_by(|x, y| {
            y["transactionDateTime"]
                .as_str()
                .cmp(&x["transactionDateTime"].as_str())
        });
        let rows: Vec<Vec<String>> = latest
            .iter()
            .take(shown)
            .map(|t| {
                let sign = if t["creditDebitType"] == "DEBITO" {
                    "-"
                } else {
                    ""
                };
                vec![
                    date(&t["transactionDateTime"]),
                    s(&t["transactionName"]),
                    s(&t["type"]),
                    format!("{sign}{}", amount(&t["transactionAmount"])),
                ]
            })
            .collect();
        d.table(
            &[
                Column {
                    title: "Date",
                    width: 70.0,
                    align: Align::Left,
                },
                Column {
                    title: "Description",
                    width: 260.0,
                    align: Align::Left,
                },
                Column {
                    title: "Type",
                    width: 80.0,
                    align: Align::Left,
                },
                Column {
                    title: "Amount",
                    width: 89.0,
                    align: Align::Right,
                },
            ],
            &rows,
        );
    }
}

fn credit_cards(d: &mut Document, data: &Value) {
    for a in data["accounts"].as_array().into_iter().flatten() {
        let acc = &a["account"];
        d.subheading(&format!(
            "{} {} ({})",
            s(&acc["brandName"]),
            s(&acc["name"]),
            s(&acc["productType"])
        ));
        let limit = &a["limits"][0];
        d.facts(&[
            ("Limit", amount(&limit["limitAmount"])),
            ("Used", amount(&limit["usedAmount"])),
            ("Available", amount(&limit["availableAmount"])),
            (
                "Bills",
                a["bills"].as_array().map(Vec::len).unwrap_or(0).to_string(),
            ),
        ]);
        let rows: Vec<Vec<String>> = a["bills"]
            .as_array()
            .into_iter()
            .flatten()
            .take(12)
            .map(|b| {
                vec![
                    date(&b["dueDate"]),
                    amount(&b["billTotalAmount"]),
                    amount(&b["billMinimumAmount"]),
                    if b["isInstalment"] == true {
                        "yes"
                    } else {
                        "no"
                    }
                    .to_string(),
                ]
            })
            .collect();
        d.table(
            &[
                Column {
                    title: "Due date",
                    width: 100.0,
                    align: Align::Left,
                },
                Column {
                    title: "Total",
                    width: 130.0,
                    align: Align::Right,
                },
                Column {
                    title: "Minimum",
                    width: 130.0,
                    align: Align::Right,
                },
                Column {
                    title: "Instalment",
                    width: 139.0,
                    align: Align::Right,
                },
            ],
            &rows,
        );
    }
}

fn loans(d: &mut Document, data: &Value) {
    let rows: Vec<Vec<String>> = data["contracts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let det = &c["details"];
            vec![
                s(&c["contract"]["productSubType"]).replace('_', " "),
                date(&det["contractDate"]),
                brl(det["contractAmount"].as_str().unwrap_or("0")),
                s(&c["scheduledInstalments"]["totalNumberOfInstalments"]),
                s(&c["scheduledInstalments"]["paidInstalments"]),
            ]
        })
        .collect();
    d.subheading("Contracts");
    d.table(
        &[
            Column {
                title: "Product",
                width: 200.0,
                align: Align::Left,
            },
            Column {
                title: "Signed",
                width: 70.0,
                align: Align::Left,
            },
            Column {
                title: "Amount",
                width: 90.0,
                align: Align::Right,
            },
            Column {
                title: "Instalments",
                width: 70.0,
                align: Align::Right,
            },
            Column {
                title: "Paid",
                width: 69.0,
                align: Align::Right,
            },
        ],
        &rows,
    );
}

fn investments(d: &mut Document, data: &Value) {
    let rows: Vec<Vec<String>> = data["bankFixedIncomes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            let id = &i["identification"];
            vec![
                s(&id["investmentType"]),
                s(&id["issuerInstitutionCnpjNumber"]),
                date(&id["dueDate"]),
                amount(&i["balances"]["grossAmount"]),
            ]
        })
        .collect();
    d.subheading("Bank fixed incomes");
    d.table(
        &[
            Column {
                title: "Type",
                width: 120.0,
                align: Align::Left,
            },
            Column {
                title: "Issuer (CNPJ)",
                width: 140.0,
                align: Align::Left,
            },
            Column {
                title: "Maturity",
                width: 100.0,
                align: Align::Left,
            },
            Column {
                title: "Gross balance",
                width: 139.0,
                align: Align::Right,
            },
        ],
        &rows,
    );
}

fn insights(d: &mut Document, data: &Value) {
    let income = &data["income"];
    d.facts(&[
        (
            "Average monthly income",
            brl(income["monthlyAverage"].as_str().unwrap_or("0")),
        ),
        ("Income stability", s(&income["stability"])),
        (
            "Income sources",
            income["sources"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| s(&x["name"]))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
        ),
        (
            "Months analysed",
            data["monthlyCashFlow"]
                .as_array()
                .map(Vec::len)
                .unwrap_or(0)
                .to_string(),
        ),
    ]);
    let flow = data["monthlyCashFlow"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let num = |v: &Value| {
        v.as_str()
            .and_then(|x| x.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let labels: Vec<String> = flow.iter().map(|m| s(&m["month"])).collect();
    d.bar_chart(
        "Cash flow by month",
        &labels,
        &[
            Series {
                name: "Inflow",
                rgb: (0.06, 0.46, 0.43),
                values: flow.iter().map(|m| num(&m["inflow"])).collect(),
            },
            Series {
                name: "Outflow",
                rgb: (0.85, 0.35, 0.25),
                values: flow.iter().map(|m| num(&m["outflow"])).collect(),
            },
        ],
    );
    d.subheading("Monthly cash flow");
    let rows: Vec<Vec<String>> = flow
        .iter()
        .map(|m| {
            vec![
                s(&m["month"]),
                brl(&s(&m["inflow"])),
                brl(&s(&m["outflow"])),
                brl(&s(&m["net"])),
            ]
        })
        .collect();
    d.table(
        &[
            Column {
                title: "Month",
                width: 100.0,
                align: Align::Left,
            },
            Column {
                title: "Inflow",
                width: 133.0,
                align: Align::Right,
            },
            Column {
                title: "Outflow",
                width: 133.0,
                align: Align::Right,
            },
            Column {
                title: "Net",
                width: 133.0,
                align: Align::Right,
            },
        ],
        &rows,
    );
    d.subheading("Spending by category");
    let rows: Vec<Vec<String>> = data["spendingByCategory"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            vec![
                s(&c["category"]),
                brl(&s(&c["amount"])),
                format!("{} %", s(&c["share"])),
            ]
        })
        .collect();
    d.table(
        &[
            Column {
                title: "Category",
                width: 200.0,
                align: Align::Left,
            },
            Column {
                title: "Amount",
                width: 150.0,
                align: Align::Right,
            },
            Column {
                title: "Share",
                width: 149.0,
                align: Align::Right,
            },
        ],
        &rows,
    );
    d.subheading("Recurring payments");
    let rows: Vec<Vec<String>> = data["recurringPayments"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            vec![
                s(&r["name"]),
                s(&r["category"]),
                brl(&s(&r["averageAmount"])),
                s(&r["months"]),
            ]
        })
        .collect();
    d.table(
        &[
            Column {
                title: "Payee",
                width: 200.0,
                align: Align::Left,
            },
            Column {
                title: "Category",
                width: 100.0,
                align: Align::Left,
            },
            Column {
                title: "Average",
                width: 120.0,
                align: Align::Right,
            },
            Column {
                title: "Months",
                width: 79.0,
                align: Align::Right,
            },
        ],
        &rows,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn brazilian_money() {
        assert_eq!(brl("1234.5"), "R$ 1.234,50");
        assert_eq!(brl("-1234567.891"), "-R$ 1.234.567,89");
        assert_eq!(brl("12"), "R$ 12,00");
    }

    #[test]
    fn an_insights_report_renders_to_a_pdf() {
        let doc = json!({"reportId": "r1", "consentId": "c1", "requestId": "q1", "generatedAt": "2026-11-25T10:00:00.000Z", "institutionCode": "itau",
            "product": "insights", "status": "SUCCESS",
            "data": {"monthlyCashFlow": [{"month": "2026-01", "inflow": "5000.00", "outflow": "1700.00", "net": "3300.00"}],
                     "income": {"monthlyAverage": "5166.67", "stability": "HIGH", "sources": [{"name": "SALÁRIO ACME"}]},
                     "spendingByCategory": [{"category": "housing", "amount": "4500.00", "share": "88.2"}], "recurringPayments": [], "balanceTrend": []}});
        let pdf = render(&doc);
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() > 1500);
    }
}

//! The detail of each product retrieved from an institution.

use super::{amount, brl, date, s};
use crate::pdf::{Align, Column, Document};
use serde_json::Value;

pub(super) fn registration(d: &mut Document, data: &Value) {
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

pub(super) fn accounts(d: &mut Document, data: &Value) {
    let list = data["accounts"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    d.paragraph(&format!("{} account(s).", list.len()));
    for a in list {
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
        let txs = a["transactions"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
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

pub(super) fn credit_cards(d: &mut Document, data: &Value) {
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

pub(super) fn loans(d: &mut Document, data: &Value) {
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

pub(super) fn investments(d: &mut Document, data: &Value) {
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

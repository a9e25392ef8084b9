//! Registration, loans and investments: small records, read as values.

use super::i18n::{format_cnpj, mask_tax_id, Words};
use super::{date, label, money, s, Context};
use crate::pdf::{Column, Document, TEXT_WIDTH};
use serde_json::Value;
use std::io::Write;

fn items(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or_default()
}

pub(super) fn registration<W: Write>(d: &mut Document<W>, ctx: &Context, data: &Value) {
    let locale = ctx.locale;
    let t = locale.text();
    for id in items(&data["identifications"]) {
        d.subheading(t.identification);
        let document = id["documents"]["cpfNumber"]
            .as_str()
            .or(id["companyCnpj"].get(0).and_then(Value::as_str))
            .map(mask_tax_id)
            .unwrap_or_else(|| "—".into());
        let phone = &id["contacts"]["phones"][0];
        let address = &id["contacts"]["postalAddresses"][0];
        d.facts(&[
            (
                t.name,
                s(id.get("civilName")
                    .or(id.get("companyName"))
                    .unwrap_or(&Value::Null)),
            ),
            (t.document, document),
            (t.birth_date, date(locale, &id["birthDate"])),
            (t.email, s(&id["contacts"]["emails"][0]["email"])),
            (
                t.phone,
                format!(
                    "+{} {} {}",
                    s(&phone["countryCallingCode"]),
                    s(&phone["areaCode"]),
                    s(&phone["number"])
                ),
            ),
            (
                t.city,
                format!(
                    "{} – {}",
                    s(&address["townName"]),
                    s(&address["countrySubDivision"])
                ),
            ),
        ]);
    }
    let q = &data["qualifications"];
    if q.is_object() {
        d.subheading(t.qualification);
        let occupation = match q["occupationDescription"].as_str() {
            Some(text) => text.to_string(),
            None => label(locale, &q["occupationCode"]),
        };
        d.facts(&[
            (t.occupation, occupation),
            (t.employer, s(&q["employerName"])),
            (
                t.declared_income,
                money(locale, &q["informedIncome"]["amount"]),
            ),
            (
                t.periodicity,
                label(locale, &q["informedIncome"]["frequency"]),
            ),
        ]);
    }
    let f = &data["financialRelations"];
    if f.is_object() {
        d.subheading(t.relationship);
        let products: Vec<String> = items(&f["productsServicesType"])
            .iter()
            .map(|p| label(locale, p))
            .collect();
        d.facts(&[
            (t.customer_since, date(locale, &f["startDate"])),
            (t.products, products.join(", ")),
        ]);
    }
}

pub(super) fn loans<W: Write>(d: &mut Document<W>, ctx: &Context, data: &Value) {
    let locale = ctx.locale;
    let t = locale.text();
    let contracts = items(&data["contracts"]);
    d.subheading(&format!("{} — {}", t.contracts, contracts.len()));
    for c in contracts {
        let det = &c["details"];
        let sched = &c["scheduledInstalments"];
        d.heading(&format!(
            "{} · {}",
            label(locale, &c["contract"]["productSubType"]),
            s(&det["contractNumber"])
        ));
        d.facts(&[
            (t.product, label(locale, &c["contract"]["productType"])),
            (t.signed, date(locale, &det["contractDate"])),
            (
                t.contract_amount,
                locale.money_text(det["contractAmount"].as_str().unwrap_or("")),
            ),
            (
                t.outstanding,
                locale.money_text(
                    c["payments"]["contractOutstandingBalance"]
                        .as_str()
                        .unwrap_or(""),
                ),
            ),
            (t.instalments, s(&sched["totalNumberOfInstalments"])),
            (t.paid_instalments, s(&sched["paidInstalments"])),
            (
                t.next_instalment,
                locale.money_text(det["nextInstalmentAmount"].as_str().unwrap_or("")),
            ),
            (t.final_due, date(locale, &det["dueDate"])),
            (t.amortization, label(locale, &det["amortizationScheduled"])),
            (t.periodicity, label(locale, &det["instalmentPeriodicity"])),
            (t.cet, locale.percent(det["CET"].as_str().unwrap_or(""))),
        ]);
        let releases = items(&c["payments"]["releases"]);
        if !releases.is_empty() {
            let w = TEXT_WIDTH / 2.0;
            d.begin_table(&[Column::left(t.date, w), Column::right(t.paid, w)]);
            for r in releases {
                d.row(&[
                    date(locale, &r["paidDate"]),
                    locale.money_text(r["paidAmount"].as_str().unwrap_or("")),
                ]);
            }
            d.end_table();
        }
    }
}

pub(super) fn investments<W: Write>(d: &mut Document<W>, ctx: &Context, data: &Value) {
    let locale = ctx.locale;
    let t = locale.text();
    d.subheading(t.fixed_incomes);
    d.begin_table(&[
        Column::left(t.kind, 140.0),
        Column::left(t.issuer, 92.0),
        Column::left(t.indexer, 60.0),
        Column::right(t.rate, 45.0),
        Column::left(t.maturity, 58.0),
        Column::right(t.gross_balance, TEXT_WIDTH - 395.0),
    ]);
    for i in items(&data["bankFixedIncomes"]) {
        let id = &i["identification"];
        let rem = &id["remuneration"];
        let rate = rem["preFixedRate"]
            .as_str()
            .or(rem["postFixedIndexerPercentage"].as_str())
            .map(|r| locale.percent(r))
            .unwrap_or_else(|| "—".into());
        d.row(&[
            label(locale, &id["investmentType"]),
            id["issuerInstitutionCnpjNumber"]
                .as_str()
                .map(format_cnpj)
                .unwrap_or_else(|| "—".into()),
            label(locale, &rem["indexer"]),
            rate,
            date(locale, &id["dueDate"]),
            money(locale, &i["balances"]["grossAmount"]),
        ]);
    }
    d.end_table();
}

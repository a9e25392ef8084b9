//! Insights: income, cash flow, spending, recurring payments, balance trend.

use super::{brl, s};
use crate::pdf::{Align, Column, Document, Series};
use serde_json::Value;

pub(super) fn insights(d: &mut Document, data: &Value) {
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

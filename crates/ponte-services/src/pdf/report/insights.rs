//! Insights: income, cash flow, spending, recurring payments, balance trend.

use super::i18n::Words;
use super::{label, s, Context};
use crate::pdf::{Column, Document, Series, TEXT_WIDTH};
use serde_json::Value;
use std::io::Write;

pub(super) fn insights<W: Write>(d: &mut Document<W>, ctx: &Context, data: &Value) {
    let locale = ctx.locale;
    let t = locale.text();
    let money = |v: &Value| locale.money_text(v.as_str().unwrap_or(""));
    let income = &data["income"];
    let flow = data["monthlyCashFlow"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    d.facts(&[
        (t.average_income, money(&income["monthlyAverage"])),
        (t.income_stability, label(locale, &income["stability"])),
        (
            t.income_sources,
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
        (t.months_analysed, flow.len().to_string()),
    ]);
    let num = |v: &Value| {
        v.as_str()
            .and_then(|x| x.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let labels: Vec<String> = flow
        .iter()
        .map(|m| locale.month(m["month"].as_str().unwrap_or("")))
        .collect();
    d.bar_chart(
        t.cash_flow_chart,
        &labels,
        &[
            Series {
                name: t.inflow,
                rgb: (0.06, 0.46, 0.43),
                values: flow.iter().map(|m| num(&m["inflow"])).collect(),
            },
            Series {
                name: t.outflow,
                rgb: (0.85, 0.35, 0.25),
                values: flow.iter().map(|m| num(&m["outflow"])).collect(),
            },
        ],
    );
    d.subheading(t.cash_flow_table);
    let w = TEXT_WIDTH / 4.0;
    d.begin_table(&[
        Column::left(t.month, w),
        Column::right(t.inflow, w),
        Column::right(t.outflow, w),
        Column::right(t.net, w),
    ]);
    for (m, month) in flow.iter().zip(&labels) {
        d.row(&[
            month.clone(),
            money(&m["inflow"]),
            money(&m["outflow"]),
            money(&m["net"]),
        ]);
    }
    d.end_table();
    d.subheading(t.spending_by_category);
    d.begin_table(&[
        Column::left(t.category, 200.0),
        Column::right(t.amount, 150.0),
        Column::right(t.share, TEXT_WIDTH - 350.0),
    ]);
    for c in data["spendingByCategory"].as_array().into_iter().flatten() {
        d.row(&[
            s(&c["category"]),
            money(&c["amount"]),
            format!("{} %", s(&c["share"])),
        ]);
    }
    d.end_table();
    d.subheading(t.recurring);
    d.begin_table(&[
        Column::left(t.payee, 200.0),
        Column::left(t.category, 110.0),
        Column::right(t.average, 110.0),
        Column::right(t.months_count, TEXT_WIDTH - 420.0),
    ]);
    for r in data["recurringPayments"].as_array().into_iter().flatten() {
        d.row(&[
            s(&r["name"]),
            s(&r["category"]),
            money(&r["averageAmount"]),
            s(&r["months"]),
        ]);
    }
    d.end_table();
    let trend = data["balanceTrend"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if !trend.is_empty() {
        d.subheading(t.balance_trend);
        let w = TEXT_WIDTH / 2.0;
        d.begin_table(&[
            Column::left(t.month, w),
            Column::right(t.closing_balance, w),
        ]);
        for m in trend {
            d.row(&[
                locale.month(m["month"].as_str().unwrap_or("")),
                money(&m["closingBalance"]),
            ]);
        }
        d.end_table();
    }
}

//! The accounts statement laid out from a stream of the stored report: the
//! same PDF whatever order the bank sent the transactions in.

use super::{render, Context, DataText, InstitutionInfo};
use crate::services::reports::ReportDoc;
use ponte_core::event::ReportOutcome;
use serde_json::value::RawValue;
use serde_json::{json, Value};

/// A transaction at `day` (1-based, in 2024) and `second` of the day.
fn tx(day: u32, second: u32, credit: bool, cents: u64) -> Value {
    let (month, dom) = ((day - 1) / 28 + 1, (day - 1) % 28 + 1);
    json!({
        "transactionId": format!("t{day}-{second}"),
        "transactionDateTime": format!(
            "2024-{month:02}-{dom:02}T{:02}:{:02}:{:02}.000Z",
            second / 3600, second / 60 % 60, second % 60
        ),
        "transactionName": format!("Movement {day}/{second}"),
        "type": if credit { "PIX" } else { "TED" },
        "creditDebitType": if credit { "CREDITO" } else { "DEBITO" },
        "transactionAmount": {"amount": format!("{}.{:02}", cents / 100, cents % 100), "currency": "BRL"},
    })
}

fn account(number: &str, transactions: Option<Vec<Value>>) -> Value {
    let mut a = json!({
        "account": {"type": "CONTA_DEPOSITO_A_VISTA", "branchCode": "0001", "number": number, "checkDigit": "7"},
        "identification": {"subtype": "INDIVIDUAL"},
        "balances": {"availableAmount": {"amount": "1500.00", "currency": "BRL"}, "blockedAmount": {"amount": "0.00", "currency": "BRL"}},
        "overdraftLimits": {"overdraftContractedLimit": {"amount": "500.00", "currency": "BRL"}},
    });
    if let Some(t) = transactions {
        a["transactions"] = Value::Array(t);
    }
    a
}

/// A year of movements, oldest first, every time distinct.
fn history(n: u32) -> Vec<Value> {
    (0..n)
        .map(|i| {
            tx(
                i / 9 + 1,
                3600 * 7 + (i % 9) * 1000,
                i % 3 == 0,
                1000 + u64::from(i) * 37,
            )
        })
        .collect()
}

fn doc() -> ReportDoc {
    ReportDoc {
        report_id: "rep_1".into(),
        request_id: "req_1".into(),
        link_id: "lnk_1".into(),
        consent_id: "cns_1".into(),
        institution_code: "itau".into(),
        product: "accounts".into(),
        status: ReportOutcome::Success,
        reason: None,
        generated_at_ms: 1_733_500_000_000,
        version: 1,
        previous_report_id: None,
        latest_report_id: None,
        summary: Value::Null,
        data: RawValue::from_string("null".into()).unwrap(),
    }
}

fn ctx() -> Context {
    Context {
        institution: InstitutionInfo {
            code: "itau".into(),
            name: "Itaú".into(),
            ..InstitutionInfo::default()
        },
        ..Context::default()
    }
}

pub(super) fn fixture(order: impl Fn(&mut Vec<Value>)) -> String {
    let mut shuffled = history(2000);
    order(&mut shuffled);
    json!({"accounts": [
        account("12345", Some(history(1500))),
        account("67890", Some(shuffled)),
        account("55555", None),
    ]})
    .to_string()
}

fn pdf(text: String) -> Vec<u8> {
    render(Vec::new(), &doc(), &ctx(), &mut { text }).unwrap()
}

/// The same text, twice over: the statement reads its report in two passes.
struct Counted {
    text: String,
    reads: usize,
}

impl DataText for Counted {
    fn read(&mut self) -> std::io::Result<Box<dyn std::io::Read + '_>> {
        self.reads += 1;
        Ok(Box::new(self.text.as_bytes()))
    }
}

#[test]
fn transactions_print_oldest_first_whatever_order_they_came_in() {
    let in_order = pdf(fixture(|_| {}));
    let reversed = pdf(fixture(|v| v.reverse()));
    // Interleaved: every other one from the end.
    let shuffled = pdf(fixture(|v| {
        let back = v.split_off(v.len() / 2);
        *v = v
            .iter()
            .cloned()
            .zip(back.into_iter().rev())
            .flat_map(|(a, b)| [b, a])
            .collect();
    }));
    assert!(in_order.starts_with(b"%PDF-"));
    assert_eq!(in_order, reversed);
    assert_eq!(in_order, shuffled);
}

#[test]
fn the_report_is_read_twice_and_never_whole() {
    let mut text = Counted {
        text: fixture(|_| {}),
        reads: 0,
    };
    let bytes = render(Vec::new(), &doc(), &ctx(), &mut text).unwrap();
    assert_eq!(text.reads, 2);
    assert_eq!(bytes, pdf(fixture(|_| {})));
}

#[test]
fn a_report_of_another_shape_has_no_accounts() {
    for text in [
        "null",
        "[]",
        r#"{"accounts": 3}"#,
        r#"{"accounts": [{"transactions": [1]}]}"#,
    ] {
        let mut counted = Counted {
            text: text.into(),
            reads: 0,
        };
        let bytes = render(Vec::new(), &doc(), &ctx(), &mut counted).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{text}");
        // Read once: nothing to print a second time.
        assert_eq!(counted.reads, 1, "{text}");
    }
}

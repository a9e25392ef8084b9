//! The streamed computation against the figures the whole-text one gave:
//! a generated two-year history over three accounts (salaries and 13th,
//! rent, purchases, savings, pairs between the accounts, a PIX to the
//! holder, yields, odd records), and its insights as the whole-text code
//! wrote them before insights were streamed (`golden/*.json`), byte for byte.

use super::*;
use std::fmt::Write as _;

/// A deterministic pseudo-random sequence (an LCG): the history is the same
/// on every run and machine.
struct Seq(u64);

impl Seq {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

const HOLDER: &str = "529.982.247-25";

fn record(
    out: &mut String,
    day: &str,
    credit: bool,
    cents: u64,
    name: &str,
    kind: &str,
    party: Option<&str>,
) {
    if !out.ends_with('[') {
        out.push(',');
    }
    let _ = write!(
        out,
        r#"{{"transactionId":"t{}","transactionDateTime":"{day}T10:00:00.000Z","creditDebitType":"{}","transactionAmount":{{"amount":"{}.{:02}","currency":"BRL"}},"transactionName":{},"type":"{kind}","partieCnpjCpf":{}}}"#,
        out.len(),
        if credit { "CREDITO" } else { "DEBITO" },
        cents / 100,
        cents % 100,
        serde_json::to_string(name).unwrap_or_default(),
        party.map_or("null".to_string(), |p| format!("\"{p}\"")),
    );
}

/// Two years (2024-01 to 2025-12) of a checking, a savings and a second bank's account.
pub(super) fn history() -> String {
    let mut s = Seq(29);
    let mut acc: [String; 3] = Default::default();
    for a in &mut acc {
        a.push('[');
    }
    let shops = [
        ("SUPERMERCADO DIA", "CARTAO"),
        ("POSTO SHELL", "CARTAO"),
        ("FARMACIA DROGASIL", "CARTAO"),
        ("RESTAURANTE SABOR", "PIX"),
        ("UBER *TRIP", "CARTAO"),
        ("Padaria São João", "PIX"),
        ("IFOOD", "CARTAO"),
        ("LOJA ÇÃO", "BOLETO"),
    ];
    for year in [2024, 2025] {
        for month in 1..=12u32 {
            let d = |day: u32| format!("{year}-{month:02}-{day:02}");
            // Salary on the 5th (a raise in 2025), its 13th in two halves.
            let salary = if year == 2024 { 520_000 } else { 560_000 } + s.next(3) * 100;
            record(
                &mut acc[0],
                &d(5),
                true,
                salary,
                "SALARIO ACME LTDA",
                "TED",
                Some("12.345.678/0001-90"),
            );
            if month == 11 || month == 12 {
                record(
                    &mut acc[0],
                    &d(20),
                    true,
                    salary / 2,
                    "13 SALARIO ACME",
                    "TED",
                    None,
                );
            }
            record(
                &mut acc[0],
                &d(10),
                false,
                150_000,
                "ALUGUEL APTO",
                "PIX",
                None,
            );
            record(
                &mut acc[0],
                &d(12),
                false,
                9_990 + s.next(500),
                "ENERGIA ENEL",
                "BOLETO",
                None,
            );
            record(&mut acc[0], &d(15), false, 4_990, "NETFLIX", "CARTAO", None);
            // Into savings, named as banks do; back out by a plain pair.
            record(
                &mut acc[0],
                &d(6),
                false,
                50_000,
                "APLICACAO POUPANCA",
                "TRANSFERENCIA_MESMA_INSTITUICAO",
                None,
            );
            record(
                &mut acc[1],
                &d(6),
                true,
                50_000,
                "APLICACAO POUPANCA",
                "TRANSFERENCIA_MESMA_INSTITUICAO",
                None,
            );
            if month % 3 == 0 {
                let back = 10_000 * (1 + s.next(5));
                record(
                    &mut acc[1],
                    &d(18),
                    false,
                    back,
                    "TRANSFERENCIA",
                    "PIX",
                    None,
                );
                record(
                    &mut acc[0],
                    &d(18),
                    true,
                    back,
                    "TRANSFERENCIA RECEBIDA",
                    "PIX",
                    None,
                );
                record(
                    &mut acc[1],
                    &d(28),
                    true,
                    back,
                    "RENDIMENTO",
                    "OUTROS",
                    None,
                );
            }
            // To the holder's account elsewhere (the third has it as a credit
            // from a name it does not know).
            if month % 4 == 1 {
                record(
                    &mut acc[0],
                    &d(8),
                    false,
                    20_000,
                    "PIX ENVIADO",
                    "PIX",
                    Some(HOLDER),
                );
                record(
                    &mut acc[2],
                    &d(9),
                    true,
                    20_000,
                    "PIX RECEBIDO",
                    "PIX",
                    None,
                );
            }
            for day in 1..=28 {
                for _ in 0..s.next(4) {
                    let (name, kind) = shops[s.next(shops.len() as u64) as usize];
                    let a = if s.next(5) == 0 { 2 } else { 0 };
                    record(
                        &mut acc[a],
                        &d(day),
                        false,
                        500 + s.next(30_000),
                        name,
                        kind,
                        None,
                    );
                }
                if s.next(40) == 0 {
                    record(
                        &mut acc[0],
                        &d(day),
                        true,
                        1_000 + s.next(90_000),
                        "PIX RECEBIDO FULANO",
                        "PIX",
                        Some("111.222.333-44"),
                    );
                }
            }
        }
    }
    // Records insights cannot read are skipped, not fatal.
    acc[2].push_str(r#",{"transactionDateTime":7,"transactionAmount":"1.50","creditDebitType":["x"],"transactionName":{"a":1}}"#);
    acc[2].push_str(r#",{"transactionDateTime":"2025-12-01T10:00:00Z","transactionAmount":{"amount":"abc"},"creditDebitType":"DEBITO","transactionName":"X"}"#);
    for a in &mut acc {
        a.push(']');
    }
    format!(
        r#"{{"note":{{"skipped":[1,2]}},"accounts":[{{"accountId":"a0","type":"CONTA_DEPOSITO_A_VISTA","balances":{{"availableAmount":{{"amount":"8123.45","currency":"BRL"}}}},"transactions":{}}},{{"transactions":{},"accountId":"a1","balances":{{"availableAmount":{{"amount":"15000.00","currency":"BRL"}}}}}},{{"accountId":"a2","balances":{{"availableAmount":{{"amount":"oops"}}}},"transactions":{}}}],"more":null}}"#,
        acc[0], acc[1], acc[2]
    )
}

fn contexts() -> [(&'static str, Context); 2] {
    [
        ("plain", Context::default()),
        (
            "holder_en",
            Context {
                holder_tax_ids: vec![HOLDER.to_string()],
                locale: Locale::En,
                ..Context::default()
            },
        ),
    ]
}

#[test]
#[ignore = "writes the golden files"]
fn write_golden() {
    let text = history();
    for (name, ctx) in contexts() {
        let out = compute_json_with(&text, &ctx).expect("reads");
        let path = format!(
            "{}/src/services/insights/golden/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::write(path, serde_json::to_string_pretty(&out).expect("json")).expect("write");
    }
}

fn golden(name: &str) -> String {
    let path = format!(
        "{}/src/services/insights/golden/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).expect("the golden file is there")
}

#[test]
fn the_streamed_figures_are_the_whole_text_ones_byte_for_byte() {
    let text = history();
    for (name, ctx) in contexts() {
        let streamed = compute_reader_with(text.as_bytes(), &ctx).expect("reads");
        assert_eq!(
            serde_json::to_string_pretty(&streamed).expect("json"),
            golden(name),
            "{name}"
        );
    }
}

#[test]
fn the_stored_deflated_text_reads_the_same() {
    use std::io::Write;
    let text = history();
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(text.as_bytes()).expect("deflates");
    let packed = z.finish().expect("deflates");
    let (name, ctx) = &contexts()[1];
    let streamed =
        compute_reader_with(flate2::read::GzDecoder::new(&packed[..]), ctx).expect("reads");
    assert_eq!(
        serde_json::to_string_pretty(&streamed).expect("json"),
        golden(name)
    );
    // A value reads as its text does.
    let value: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(compute_with(&value, ctx), streamed);
}

#[test]
fn a_text_that_is_not_an_accounts_report_is_an_error_naming_it() {
    for bad in [
        "null",
        r#"{"accounts":{}}"#,
        r#"{"accounts":[{"transactions":3}]}"#,
        r#"{"accounts":[],"accounts":[]}"#,
        "{\"accounts\":[",
    ] {
        let e = compute_json(bad).expect_err(bad);
        assert!(
            e.starts_with("the accounts data cannot be read for insights"),
            "{bad}: {e}"
        );
    }
    // Not a report at all reads as no accounts when given as a value.
    let none = compute(&json!("text"));
    assert_eq!(none["monthlyCashFlow"], json!([]));
    assert_eq!(none["income"]["stability"], "NONE");
}

#[test]
fn each_transaction_is_kept_as_a_few_numbers() {
    // Interned strings and the figures: what a long history costs.
    assert!(
        std::mem::size_of::<stream::Tx>() <= 40,
        "{}",
        std::mem::size_of::<stream::Tx>()
    );
    let h = stream::read(history().as_bytes(), &[], 0).expect("reads");
    assert!(h.txs.len() > 1000, "{}", h.txs.len());
    // Told how many there are, room is made for exactly those, and the
    // figures are the same.
    let told = stream::read(history().as_bytes(), &[], h.txs.len()).expect("reads");
    assert_eq!(
        (told.txs.len(), told.txs.capacity()),
        (h.txs.len(), h.txs.len())
    );
    let figures = |ctx: &Context| compute_reader_with(history().as_bytes(), ctx).expect("reads");
    assert_eq!(
        figures(&Context::default()),
        figures(&Context {
            transactions: h.txs.len(),
            ..Context::default()
        })
    );
}

#[test]
fn a_transfer_pairs_each_debit_once_and_only_across_accounts() {
    // Account 0: two debits of 10.00 on 03-01 (each pairs with one credit),
    // one of 7.00 on 03-02 (its credit is in the same account: no pair), one
    // PIX of 5.00 on 03-03 (two credits want it; only one gets it).
    // Account 1: credits of 10.0 (equal to 10.00 as a number) and 10.00 on
    // 03-01, two of 5.00 on 03-03.
    let tx = |day: &str, credit: bool, amount: &str, kind: &str| {
        format!(
            r#"{{"transactionDateTime":"2026-03-{day}T10:00:00Z","creditDebitType":"{}","transactionAmount":{{"amount":"{amount}"}},"transactionName":"X","type":"{kind}"}}"#,
            if credit { "CREDITO" } else { "DEBITO" }
        )
    };
    let a0 = [
        tx("01", false, "10.00", "TED"),
        tx("01", false, "10.00", "TED"),
        tx("02", false, "7.00", "PIX"),
        tx("02", true, "7.00", "PIX"),
        tx("03", false, "5.00", "PIX"),
        // Same day and amount, but a purchase is never half of a transfer.
        tx("03", false, "5.00", "CARTAO"),
    ];
    let a1 = [
        tx("01", true, "10.0", "TED"),
        tx("03", true, "5.00", "PIX"),
        tx("03", true, "5.00", "PIX"),
        tx("01", true, "10.00", "TED"),
    ];
    let text = format!(
        r#"{{"accounts":[{{"accountId":"a0","transactions":[{}]}},{{"accountId":"a1","transactions":[{}]}}]}}"#,
        a0.join(","),
        a1.join(",")
    );
    let h = stream::read(text.as_bytes(), &[], 0).expect("reads");
    let own: Vec<bool> = h.txs.iter().map(|t| t.own).collect();
    assert_eq!(
        own,
        [
            true, true, false, false, true, false, // account 0
            true, true, false, true, // account 1
        ]
    );
}

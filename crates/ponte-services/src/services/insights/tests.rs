use super::*;

fn tx(date: &str, credit: bool, amount: &str, name: &str, kind: &str) -> Value {
    json!({"transactionDateTime": format!("{date}T10:00:00.000Z"), "creditDebitType": if credit {"CREDITO"} else {"DEBITO"},
           "transactionAmount": {"amount": amount, "currency": "BRL"}, "transactionName": name, "type": kind})
}

/// Three months, hand-computed:
/// Jan: +5000.00 salary, -1500.00 rent, -200.00 supermarket → net 3300.00
/// Feb: +5000.00 salary, -1500.00 rent, -300.00 supermarket → net 3200.00
/// Mar: +5500.00 salary, -1500.00 rent, -100.50 energy      → net 3899.50
fn fixture() -> Value {
    json!({"accounts": [{"balances": {"availableAmount": {"amount": "10000.00", "currency": "BRL"}}, "transactions": [
        tx("2026-01-05", true, "5000.00", "SALARIO ACME LTDA", "TED"),
        tx("2026-01-10", false, "1500.00", "ALUGUEL APTO", "PIX"),
        tx("2026-01-12", false, "200.00", "SUPERMERCADO DIA", "CARTAO"),
        tx("2026-02-05", true, "5000.00", "SALARIO ACME LTDA", "TED"),
        tx("2026-02-10", false, "1500.00", "ALUGUEL APTO", "PIX"),
        tx("2026-02-15", false, "300.00", "SUPERMERCADO DIA", "CARTAO"),
        tx("2026-03-05", true, "5500.00", "SALARIO ACME LTDA", "TED"),
        tx("2026-03-10", false, "1500.00", "ALUGUEL APTO", "PIX"),
        tx("2026-03-20", false, "100.50", "ENERGIA ENEL", "BOLETO"),
    ]}]})
}

#[test]
fn figures_match_the_hand_computed_ones() {
    let i = compute(&fixture());
    assert_eq!(
        i["monthlyCashFlow"][0],
        json!({"month": "2026-01", "inflow": "5000.00", "outflow": "1700.00", "net": "3300.00", "ownTransfers": "0"})
    );
    assert_eq!(i["monthlyCashFlow"][2]["net"], "3899.50");
    // The webhook's summary counts the three months.
    assert_eq!(summary(&i), json!({"months": 3}));
    // (5000 + 5000 + 5500) / 3 = 5166.666… → 5166.67; sd ≈ 235.7, cv ≈ 4.6 % → HIGH.
    assert_eq!(i["income"]["monthlyAverage"], "5166.67");
    assert_eq!(i["income"]["stability"], "HIGH");
    assert_eq!(i["income"]["sources"][0]["name"], "SALARIO ACME LTDA");
    // Rent is the only debit in all three months with steady amounts.
    assert_eq!(i["recurringPayments"].as_array().unwrap().len(), 1);
    assert_eq!(i["recurringPayments"][0]["name"], "ALUGUEL APTO");
    assert_eq!(i["recurringPayments"][0]["averageAmount"], "1500.00");
    // Spending: housing 4500.00 of 5100.50 (88.2 %), groceries 500.00, utilities 100.50.
    assert_eq!(
        i["spendingByCategory"][0],
        json!({"category": "housing", "label": "Moradia", "amount": "4500.00", "share": "88.2"})
    );
    assert_eq!(i["spendingByCategory"][1]["category"], "groceries");
    assert_eq!(
        i["spendingByCategory"][2],
        json!({"category": "utilities", "label": "Contas de consumo", "amount": "100.50", "share": "2.0"})
    );
    // Balance walks back from 10000.00: Mar 10000.00, Feb 6100.50, Jan 2900.50.
    assert_eq!(
        i["balanceTrend"],
        json!([
            {"month": "2026-01", "closingBalance": "2900.50"},
            {"month": "2026-02", "closingBalance": "6100.50"},
            {"month": "2026-03", "closingBalance": "10000.00"},
        ])
    );
}

#[test]
fn a_history_starting_before_the_first_salary_is_not_a_month_without_income() {
    let mut f = fixture();
    let txs = f["accounts"][0]["transactions"].as_array_mut().unwrap();
    txs.insert(
        0,
        tx("2025-12-28", false, "35.00", "PADARIA CENTRAL", "CARTAO"),
    );
    let i = compute(&f);
    assert_eq!(
        i["monthlyCashFlow"].as_array().unwrap().len(),
        4,
        "December still counts for cash flow"
    );
    assert_eq!(i["income"]["monthlyAverage"], "5166.67");
    assert_eq!(i["income"]["stability"], "HIGH");
}

#[test]
fn unsteady_income_is_low_stability_and_no_income_is_none() {
    let mut f = fixture();
    f["accounts"][0]["transactions"][6]["transactionAmount"]["amount"] = json!("15000.00");
    assert_eq!(compute(&f)["income"]["stability"], "LOW");
    assert_eq!(
        compute(&json!({"accounts": []}))["income"]["stability"],
        "NONE"
    );
}

fn account(balance: &str, txs: Vec<Value>) -> Value {
    json!({"balances": {"availableAmount": {"amount": balance, "currency": "BRL"}}, "transactions": txs})
}

fn to(mut t: Value, tax_id: &str) -> Value {
    t["partieCnpjCpf"] = json!(tax_id);
    t
}

/// The fixture's checking account plus a savings account, with money moved
/// between them and to the holder's own account elsewhere:
/// - 500.00 into savings on each payday (named as banks do), 3 × 500.00;
/// - 300.00 out of savings back to checking on 2026-02-20 (plain names: a pair);
/// - 200.00 by PIX to the holder's own CPF on 2026-03-08.
fn with_own_transfers() -> Value {
    let mut f = fixture();
    let checking = f["accounts"][0]["transactions"].as_array_mut().unwrap();
    for m in ["01", "02", "03"] {
        checking.push(tx(
            &format!("2026-{m}-06"),
            false,
            "500.00",
            "APLICACAO POUPANCA",
            "TRANSFERENCIA_MESMA_INSTITUICAO",
        ));
    }
    checking.push(tx(
        "2026-02-20",
        true,
        "300.00",
        "TRANSFERENCIA RECEBIDA",
        "TRANSFERENCIA_MESMA_INSTITUICAO",
    ));
    checking.push(to(
        tx(
            "2026-03-08",
            false,
            "200.00",
            "PIX ENVIADO ANA SILVA",
            "PIX",
        ),
        "76109277673",
    ));
    let savings = account(
        "1200.00",
        vec![
            tx(
                "2026-01-06",
                true,
                "500.00",
                "DEPOSITO",
                "TRANSFERENCIA_MESMA_INSTITUICAO",
            ),
            tx(
                "2026-02-06",
                true,
                "500.00",
                "DEPOSITO",
                "TRANSFERENCIA_MESMA_INSTITUICAO",
            ),
            tx(
                "2026-02-20",
                false,
                "300.00",
                "TRANSFERENCIA ENVIADA",
                "TRANSFERENCIA_MESMA_INSTITUICAO",
            ),
            tx(
                "2026-03-06",
                true,
                "500.00",
                "DEPOSITO",
                "TRANSFERENCIA_MESMA_INSTITUICAO",
            ),
        ],
    );
    f["accounts"].as_array_mut().unwrap().push(savings);
    // Checking now ends 10000.00 - 1500.00 + 300.00 - 200.00 = 8600.00.
    f["accounts"][0]["balances"]["availableAmount"]["amount"] = json!("8600.00");
    f
}

#[test]
fn transfers_between_own_accounts_are_neither_income_nor_spending() {
    let holder = Context {
        holder_tax_ids: vec!["761.092.776-73".into()],
        locale: Locale::PtBr,
        ..Context::default()
    };
    let plain = compute(&fixture());
    let i = compute_with(&with_own_transfers(), &holder);
    // Cash flow, income, spending and recurring payments are those of the
    // fixture without the moves.
    for figure in ["income", "recurringPayments", "spendingByCategory"] {
        assert_eq!(i[figure], plain[figure], "{figure}");
    }
    for (a, b) in i["monthlyCashFlow"]
        .as_array()
        .unwrap()
        .iter()
        .zip(plain["monthlyCashFlow"].as_array().unwrap())
    {
        for k in ["inflow", "outflow", "net"] {
            assert_eq!(a[k], b[k], "{k} of {}", a["month"]);
        }
    }
    // What moved: Jan 500.00; Feb 500.00 + 300.00 (savings' side of the pair); Mar 500.00 + 200.00.
    let own: Vec<&Value> = i["monthlyCashFlow"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["ownTransfers"])
        .collect();
    assert_eq!(own, [&json!("500.00"), &json!("800.00"), &json!("700.00")]);
    assert_eq!(i["ownTransfers"], json!({"total": "2000.00", "count": 5}));
    // The balance still walks back through every movement: the accounts end at
    // 8600.00 + 1200.00 = 9800.00; March moved +5500 -1500 -100.50 -200 = 3699.50
    // (the 500.00 stayed in the holder's two accounts), February +5000 -1500 -300 = 3200.
    assert_eq!(
        i["balanceTrend"],
        json!([
            {"month": "2026-01", "closingBalance": "2900.50"},
            {"month": "2026-02", "closingBalance": "6100.50"},
            {"month": "2026-03", "closingBalance": "9800.00"},
        ])
    );
}

#[test]
fn a_pix_to_oneself_needs_the_holders_tax_id_to_be_seen() {
    let f = with_own_transfers();
    let blind = compute(&f);
    // Without the tax id, March's 200.00 PIX looks like a transfer to someone else.
    assert_eq!(blind["monthlyCashFlow"][2]["outflow"], "1800.50");
    let seen = compute_with(
        &f,
        &Context {
            holder_tax_ids: vec!["76109277673".into()],
            locale: Locale::PtBr,
            ..Context::default()
        },
    );
    assert_eq!(seen["monthlyCashFlow"][2]["outflow"], "1600.50");
}

#[test]
fn labels_and_methods_follow_the_locale() {
    let pt = compute(&fixture());
    assert_eq!(pt["locale"], "pt-BR");
    assert_eq!(pt["spendingByCategory"][1]["label"], "Mercado");
    assert_eq!(pt["recurringPayments"][0]["label"], "Moradia");
    let en = compute_with(
        &fixture(),
        &Context {
            holder_tax_ids: vec![],
            locale: Locale::parse("en-US").unwrap(),
            ..Context::default()
        },
    );
    assert_eq!(en["locale"], "en");
    assert_eq!(en["spendingByCategory"][1]["label"], "Groceries");
    // The codes do not change with the language.
    assert_eq!(en["spendingByCategory"], {
        let mut v = pt["spendingByCategory"].clone();
        for (c, e) in v
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .zip(en["spendingByCategory"].as_array().unwrap())
        {
            c["label"] = e["label"].clone();
        }
        v
    });
    // Every figure explains itself in one line, in each language.
    for i in [&pt, &en] {
        for figure in [
            "monthlyCashFlow",
            "income",
            "recurringPayments",
            "spendingByCategory",
            "balanceTrend",
            "ownTransfers",
        ] {
            let line = i["methods"][figure].as_str().unwrap_or_default();
            assert!(line.len() > 40 && !line.contains('\n'), "{figure}: {line}");
        }
    }
    assert!(pt["methods"]["income"]
        .as_str()
        .unwrap()
        .contains("salário"));
    assert!(en["methods"]["income"].as_str().unwrap().contains("salary"));
}

#[test]
fn sandbox_names_fall_in_the_categories_a_person_would_expect() {
    for (name, kind, code) in [
        ("PAGAMENTO FATURA CARTAO", "BOLETO", "credit_card"),
        ("PARCELA 3/24 EMPRESTIMO", "OPERACAO_CREDITO", "loans"),
        ("TARIFA PACOTE SERVICOS", "PACOTE_TARIFA_SERVICOS", "fees"),
        ("SAQUE BANCO24HORAS", "SAQUE", "cash"),
        ("COMPRA DEBITO DROGASIL", "CARTAO", "health"),
        ("COMPRA DEBITO LOJAS AMERICANAS", "CARTAO", "shopping"),
        ("TED ENVIADA CONDOMINIO RESIDENCIAL", "TED", "housing"),
        ("PIX ENVIADO MARIA SILVA", "PIX", "transfers"),
    ] {
        assert_eq!(category(name, kind), code, "{name}");
    }
}

#[test]
fn the_13th_salary_is_income_but_not_unsteadiness() {
    let mut f = fixture();
    let txs = f["accounts"][0]["transactions"].as_array_mut().unwrap();
    txs.push(tx(
        "2026-02-20",
        true,
        "2500.00",
        "13 SALARIO 2A PARCELA ACME LTDA",
        "FOLHA_PAGAMENTO",
    ));
    let i = compute(&f);
    // (5000 + 7500 + 5500) / 3 = 6000.00, still HIGH: the regular salary is as steady as before.
    assert_eq!(i["income"]["monthlyAverage"], "6000.00");
    assert_eq!(i["income"]["stability"], "HIGH");
    // The same 2500.00 as an ordinary salary credit makes it MEDIUM (cv ≈ 18 %).
    f["accounts"][0]["transactions"][9]["transactionName"] = json!("SALARIO EXTRA ACME LTDA");
    assert_eq!(compute(&f)["income"]["stability"], "MEDIUM");
}

#[test]
fn a_yield_is_not_the_other_side_of_a_transfer() {
    let mut f = fixture();
    f["accounts"][0]["transactions"]
        .as_array_mut()
        .unwrap()
        .push(tx("2026-03-10", false, "12.34", "PIX ENVIADO JOAO", "PIX"));
    f["accounts"].as_array_mut().unwrap().push(account(
        "100.00",
        vec![tx(
            "2026-03-10",
            true,
            "12.34",
            "RENDIMENTO POUPANCA",
            "RENDIMENTO_APLIC_FINANCEIRA",
        )],
    ));
    let i = compute(&f);
    assert_eq!(i["ownTransfers"]["count"], 0);
    assert_eq!(i["monthlyCashFlow"][2]["inflow"], "5512.34");
}

#[test]
fn a_month_still_short_of_its_pay_day_does_not_make_income_unsteady() {
    let mut data = fixture();
    let txs = data["accounts"][0]["transactions"].as_array_mut().unwrap();
    // April so far: rent paid, the salary not yet.
    txs.push(tx("2026-04-02", false, "1500.00", "ALUGUEL APTO", "PIX"));
    let i = compute(&data);
    assert_eq!(i["income"]["stability"], "HIGH", "{}", i["income"]);
    // A window opening on the 13th salary's second half, before any regular pay.
    let txs = data["accounts"][0]["transactions"].as_array_mut().unwrap();
    txs.push(tx(
        "2025-12-20",
        true,
        "2500.00",
        "13 SALARIO 2A PARCELA ACME",
        "TED",
    ));
    let i = compute(&data);
    assert_eq!(i["income"]["stability"], "HIGH", "{}", i["income"]);
    // A month that had its pay day and no salary still counts against it.
    let txs = data["accounts"][0]["transactions"].as_array_mut().unwrap();
    txs.push(tx(
        "2026-05-05",
        true,
        "5000.00",
        "SALARIO ACME LTDA",
        "TED",
    ));
    let i = compute(&data);
    assert_ne!(i["income"]["stability"], "HIGH", "{}", i["income"]);
}

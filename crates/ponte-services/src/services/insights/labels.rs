//! What the insights are called and how each figure is worked out, in the link's
//! language: Portuguese by default, English on request.

/// The language of the insights' labels and method lines.
pub use ponte_core::Locale;

/// The spending category of a debit, from its name and type: a stable code (the JSON's
/// `category`, unchanged since the first version); [`category_label`] names it.
pub fn category(name: &str, kind: &str) -> &'static str {
    let n = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["aluguel", "rent", "condominio", "condomínio"]) {
        "housing"
    } else if has(&[
        "energia", "luz", "água", "agua", "internet", "telefone", "gás", "gas ", "sabesp", "enel",
        "vivo", "claro",
    ]) {
        "utilities"
    } else if has(&["supermercado", "mercado", "padaria", "hortifruti", "atacad"]) {
        "groceries"
    } else if has(&["restaurante", "ifood", "lanchonete", "bar ", "café", "cafe"]) {
        "restaurants"
    } else if has(&[
        "posto",
        "combustível",
        "combustivel",
        "uber",
        "99",
        "metrô",
        "metro",
        "estacionamento",
    ]) {
        "transport"
    } else if has(&[
        "farmácia",
        "farmacia",
        "drogaria",
        "drogasil",
        "hospital",
        "clínica",
        "clinica",
        "saúde",
        "saude",
    ]) {
        "health"
    } else if has(&[
        "netflix",
        "spotify",
        "streaming",
        "disney",
        "prime",
        "cinema",
    ]) {
        "entertainment"
    } else if has(&["fatura", "cartao de credito", "cartão de crédito"]) {
        "credit_card"
    } else if kind == "OPERACAO_CREDITO" || has(&["parcela", "emprestimo", "empréstimo"]) {
        "loans"
    } else if kind == "PACOTE_TARIFA_SERVICOS"
        || kind == "TARIFA_SERVICOS_AVULSOS"
        || has(&["tarifa"])
    {
        "fees"
    } else if kind == "SAQUE" || has(&["saque"]) {
        "cash"
    } else if has(&[
        "loja",
        "americanas",
        "magazine",
        "moveis",
        "móveis",
        "amazon",
    ]) {
        "shopping"
    } else if kind == "BOLETO" {
        "bills"
    } else if kind == "PIX" || kind == "TED" || kind == "DOC" || kind == "TEF" {
        "transfers"
    } else {
        "other"
    }
}

/// A category code's name for people.
pub fn category_label(code: &str, locale: Locale) -> &'static str {
    let (pt, en) = match code {
        "housing" => ("Moradia", "Housing"),
        "utilities" => ("Contas de consumo", "Utilities"),
        "groceries" => ("Mercado", "Groceries"),
        "restaurants" => ("Restaurantes e delivery", "Restaurants and delivery"),
        "transport" => ("Transporte", "Transport"),
        "health" => ("Saúde", "Health"),
        "entertainment" => ("Lazer e assinaturas", "Entertainment and subscriptions"),
        "credit_card" => ("Fatura do cartão", "Credit card bill"),
        "loans" => ("Empréstimos", "Loans"),
        "fees" => ("Tarifas bancárias", "Bank fees"),
        "cash" => ("Saques", "Cash withdrawals"),
        "shopping" => ("Compras", "Shopping"),
        "bills" => ("Boletos", "Bills"),
        "transfers" => ("Transferências a terceiros", "Transfers to others"),
        _ => ("Outros", "Other"),
    };
    match locale {
        Locale::PtBr => pt,
        Locale::En => en,
    }
}

/// One line per figure saying how it is worked out, keyed as the figures are.
pub fn methods(locale: Locale) -> [(&'static str, &'static str); 6] {
    match locale {
        Locale::PtBr => [
            ("monthlyCashFlow", "Soma, por mês, dos créditos (entradas) e débitos (saídas) de todas as contas, sem as transferências entre contas do próprio titular."),
            ("income", "Média mensal dos créditos de salário (salário, folha, pró-labore, 13º) desde o primeiro mês em que aparecem; estabilidade pelo coeficiente de variação mensal sem o 13º (ALTA < 10 %, MÉDIA < 30 %)."),
            ("recurringPayments", "Débitos com o mesmo nome em três meses ou mais, com valores dentro de 10 % da média, sem transferências entre contas próprias."),
            ("spendingByCategory", "Débitos agrupados por categoria, pelo nome e tipo da transação, sem transferências entre contas próprias; participação sobre o total gasto."),
            ("balanceTrend", "Saldo de fim de mês, recalculado de trás para frente a partir do saldo disponível atual de todas as contas com todas as transações."),
            ("ownTransfers", "Transferências entre contas do próprio titular (aplicações e resgates de poupança e investimentos, pares débito/crédito de mesmo valor e data entre as contas consentidas, PIX ao mesmo CPF/CNPJ): nem renda nem gasto."),
        ],
        Locale::En => [
            ("monthlyCashFlow", "Monthly sums of credits (inflow) and debits (outflow) over all accounts, leaving out transfers between the holder's own accounts."),
            ("income", "Monthly average of salary credits (salary, payroll, pro-labore, 13th salary) from the first month they appear; stability from the monthly coefficient of variation without the 13th (HIGH < 10 %, MEDIUM < 30 %)."),
            ("recurringPayments", "Debits with the same name in three or more months, amounts within 10 % of their average, transfers between own accounts left out."),
            ("spendingByCategory", "Debits grouped by category from the transaction's name and type, transfers between own accounts left out; share of everything spent."),
            ("balanceTrend", "Month-end balance, worked back from the current available balance of all accounts through every transaction."),
            ("ownTransfers", "Transfers between the holder's own accounts (savings and investment deposits and redemptions, same-amount same-day debit/credit pairs across the consented accounts, PIX to the holder's own tax id): neither income nor spending."),
        ],
    }
}

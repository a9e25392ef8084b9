//! The reports' one catalogue: every word a report PDF prints, in Brazilian
//! Portuguese (the default) and English, and how each language writes
//! dates and money. Each language is one value of `Text`, so a phrase added
//! to one and forgotten in the other does not compile.

use rust_decimal::Decimal;

/// The language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    PtBr,
    En,
}

impl Locale {
    /// `pt-BR` (or `pt`) and `en` (or `en-US`, `en-GB`), in any case.
    pub fn parse(raw: &str) -> Option<Locale> {
        match raw.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "pt-br" | "pt" => Some(Locale::PtBr),
            "en" | "en-us" | "en-gb" => Some(Locale::En),
            _ => None,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Locale::PtBr => "pt-BR",
            Locale::En => "en",
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Locale::PtBr => &PT_BR,
            Locale::En => &EN,
        }
    }

    /// `2026-01-05…` → `05/01/2026` or `Jan 5, 2026`; anything else as given.
    pub fn date(self, iso: &str) -> String {
        let (Some(y), Some(m), Some(d)) = (iso.get(0..4), iso.get(5..7), iso.get(8..10)) else {
            return iso.to_string();
        };
        let month: usize = m.parse().unwrap_or(0);
        match self {
            Locale::PtBr => format!("{d}/{m}/{y}"),
            Locale::En => match EN.months.get(month.wrapping_sub(1)) {
                Some(name) => format!("{name} {}, {y}", d.trim_start_matches('0')),
                None => iso.to_string(),
            },
        }
    }

    /// `2026-01` → `jan/2026` or `Jan 2026`.
    pub fn month(self, iso: &str) -> String {
        let (Some(y), Some(m)) = (iso.get(0..4), iso.get(5..7)) else {
            return iso.to_string();
        };
        let index = m.parse::<usize>().unwrap_or(0).wrapping_sub(1);
        match (self, self.text().months.get(index)) {
            (Locale::PtBr, Some(name)) => format!("{name}/{y}"),
            (Locale::En, Some(name)) => format!("{name} {y}"),
            (_, None) => iso.to_string(),
        }
    }

    /// Unix milliseconds as a date and a UTC time.
    pub fn date_time(self, ms: i64) -> String {
        let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let iso = format!(
            "{:04}-{:02}-{:02}",
            at.year(),
            u8::from(at.month()),
            at.day()
        );
        format!(
            "{} {:02}:{:02} UTC",
            self.date(&iso),
            at.hour(),
            at.minute()
        )
    }

    /// A decimal amount of reais: `R$ 1.234,56` or `R$ 1,234.56`.
    pub fn money(self, amount: Decimal) -> String {
        let rounded = amount.round_dp(2);
        let text = format!("{:.2}", rounded.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
        let (group, point) = match self {
            Locale::PtBr => ('.', ','),
            Locale::En => (',', '.'),
        };
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(c);
        }
        let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
            "-"
        } else {
            ""
        };
        format!("{sign}R$ {grouped}{point}{frac}")
    }

    /// A decimal string as money; `—` when it is not a number.
    pub fn money_text(self, amount: &str) -> String {
        amount
            .trim()
            .parse::<Decimal>()
            .map(|d| self.money(d))
            .unwrap_or_else(|_| "—".into())
    }

    /// A rate given as a fraction (`0.119400`) as a percentage.
    pub fn percent(self, fraction: &str) -> String {
        match fraction.trim().parse::<Decimal>() {
            Ok(f) => {
                let text = format!("{:.2} %", (f * Decimal::from(100)).round_dp(2));
                match self {
                    Locale::PtBr => text.replace('.', ","),
                    Locale::En => text,
                }
            }
            Err(_) => "—".into(),
        }
    }

    pub fn yes_no(self, yes: bool) -> &'static str {
        match (self, yes) {
            (Locale::PtBr, true) => "Sim",
            (Locale::PtBr, false) => "Não",
            (Locale::En, true) => "Yes",
            (Locale::En, false) => "No",
        }
    }
}

/// Every phrase of the report PDFs.
pub struct Text {
    pub months: [&'static str; 12],
    pub page: &'static str,
    pub of: &'static str,
    pub report: &'static str,
    pub consent: &'static str,
    pub generated: &'static str,
    // Titles, by product.
    pub registration: &'static str,
    pub accounts: &'static str,
    pub credit_cards: &'static str,
    pub loans: &'static str,
    pub investments: &'static str,
    pub insights: &'static str,
    pub unknown_product: &'static str,
    // What a report is built from.
    pub built_from: &'static str,
    pub built_from_note: &'static str,
    pub institution: &'static str,
    pub institution_cnpj: &'static str,
    pub compe: &'static str,
    pub holder: &'static str,
    pub holder_document: &'static str,
    pub consent_id: &'static str,
    pub request_id: &'static str,
    pub report_id: &'static str,
    pub version: &'static str,
    pub generated_at: &'static str,
    pub status: &'static str,
    pub status_success: &'static str,
    pub status_failed: &'static str,
    pub permissions: &'static str,
    pub failed: &'static str,
    pub no_layout: &'static str,
    pub unknown: &'static str,
    // Accounts.
    pub account: &'static str,
    pub branch: &'static str,
    pub account_number: &'static str,
    pub account_subtype: &'static str,
    pub period: &'static str,
    pub period_to: &'static str,
    pub available: &'static str,
    pub blocked: &'static str,
    pub auto_invested: &'static str,
    pub overdraft_contracted: &'static str,
    pub overdraft_used: &'static str,
    pub opening_balance: &'static str,
    pub closing_balance: &'static str,
    pub total_in: &'static str,
    pub total_out: &'static str,
    pub opening_note: &'static str,
    pub by_month: &'static str,
    pub month: &'static str,
    pub inflow: &'static str,
    pub outflow: &'static str,
    pub net: &'static str,
    pub transactions: &'static str,
    pub transactions_note: &'static str,
    pub date: &'static str,
    pub description: &'static str,
    pub kind: &'static str,
    pub direction: &'static str,
    pub amount: &'static str,
    pub accounts_count: &'static str,
    pub continued: &'static str,
    pub no_transactions: &'static str,
    // Credit cards.
    pub card_network: &'static str,
    pub card_product: &'static str,
    pub card_final: &'static str,
    pub limit: &'static str,
    pub used: &'static str,
    pub bills: &'static str,
    pub due_date: &'static str,
    pub total: &'static str,
    pub minimum: &'static str,
    pub instalment: &'static str,
    pub paid: &'static str,
    pub payment_kind: &'static str,
    // Loans.
    pub contracts: &'static str,
    pub product: &'static str,
    pub signed: &'static str,
    pub contract_amount: &'static str,
    pub instalments: &'static str,
    pub paid_instalments: &'static str,
    pub outstanding: &'static str,
    pub next_instalment: &'static str,
    pub amortization: &'static str,
    pub periodicity: &'static str,
    pub cet: &'static str,
    pub final_due: &'static str,
    // Investments.
    pub fixed_incomes: &'static str,
    pub issuer: &'static str,
    pub maturity: &'static str,
    pub gross_balance: &'static str,
    pub net_balance: &'static str,
    pub indexer: &'static str,
    pub rate: &'static str,
    // Registration.
    pub identification: &'static str,
    pub name: &'static str,
    pub document: &'static str,
    pub birth_date: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
    pub city: &'static str,
    pub qualification: &'static str,
    pub occupation: &'static str,
    pub employer: &'static str,
    pub declared_income: &'static str,
    pub relationship: &'static str,
    pub customer_since: &'static str,
    pub products: &'static str,
    // Insights.
    pub average_income: &'static str,
    pub income_stability: &'static str,
    pub income_sources: &'static str,
    pub months_analysed: &'static str,
    pub cash_flow_chart: &'static str,
    pub cash_flow_table: &'static str,
    pub spending_by_category: &'static str,
    pub category: &'static str,
    pub share: &'static str,
    pub recurring: &'static str,
    pub payee: &'static str,
    pub average: &'static str,
    pub months_count: &'static str,
    pub balance_trend: &'static str,
}

pub static PT_BR: Text = Text {
    months: [
        "jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez",
    ],
    page: "Página",
    of: "de",
    report: "Relatório",
    consent: "consentimento",
    generated: "gerado em",
    registration: "Relatório cadastral",
    accounts: "Extrato de contas e transações",
    credit_cards: "Relatório de cartões de crédito",
    loans: "Relatório de empréstimos",
    investments: "Relatório de investimentos",
    insights: "Análise financeira",
    unknown_product: "Relatório",
    built_from: "Origem dos dados",
    built_from_note: "Dados compartilhados pelo titular via Open Finance Brasil, recebidos da instituição sem alteração.",
    institution: "Instituição",
    institution_cnpj: "CNPJ da instituição",
    compe: "Código COMPE",
    holder: "Titular",
    holder_document: "CPF/CNPJ do titular",
    consent_id: "Consentimento",
    request_id: "Solicitação",
    report_id: "Relatório",
    version: "Versão",
    generated_at: "Gerado em",
    status: "Situação",
    status_success: "Concluído",
    status_failed: "Falhou",
    permissions: "Permissões concedidas",
    failed: "A coleta falhou",
    no_layout: "Este produto não tem versão impressa; os dados estão no relatório JSON.",
    unknown: "Não informado",
    account: "Conta",
    branch: "Agência",
    account_number: "Número da conta",
    account_subtype: "Titularidade",
    period: "Período",
    period_to: "a",
    available: "Saldo disponível",
    blocked: "Saldo bloqueado",
    auto_invested: "Aplicado automaticamente",
    overdraft_contracted: "Cheque especial contratado",
    overdraft_used: "Cheque especial utilizado",
    opening_balance: "Saldo inicial (calculado)",
    closing_balance: "Saldo final",
    total_in: "Total de entradas",
    total_out: "Total de saídas",
    opening_note: "Saldo inicial calculado: saldo final menos as entradas e mais as saídas do período.",
    by_month: "Entradas e saídas por mês",
    month: "Mês",
    inflow: "Entradas",
    outflow: "Saídas",
    net: "Saldo do mês",
    transactions: "Transações",
    transactions_note: "transações, da mais antiga à mais recente",
    date: "Data",
    description: "Descrição",
    kind: "Tipo",
    direction: "Natureza",
    amount: "Valor",
    accounts_count: "Contas",
    continued: "continuação",
    no_transactions: "Nenhuma transação no período.",
    card_network: "Bandeira",
    card_product: "Produto",
    card_final: "Cartão final",
    limit: "Limite",
    used: "Utilizado",
    bills: "Faturas",
    due_date: "Vencimento",
    total: "Total",
    minimum: "Mínimo",
    instalment: "Parcelada",
    paid: "Pago",
    payment_kind: "Pagamento",
    contracts: "Contratos",
    product: "Produto",
    signed: "Contratado em",
    contract_amount: "Valor contratado",
    instalments: "Parcelas",
    paid_instalments: "Parcelas pagas",
    outstanding: "Saldo devedor",
    next_instalment: "Próxima parcela",
    amortization: "Amortização",
    periodicity: "Periodicidade",
    cet: "CET (ao ano)",
    final_due: "Vencimento final",
    fixed_incomes: "Renda fixa bancária",
    issuer: "Emissor (CNPJ)",
    maturity: "Vencimento",
    gross_balance: "Saldo bruto",
    net_balance: "Saldo líquido",
    indexer: "Indexador",
    rate: "Taxa",
    identification: "Identificação",
    name: "Nome",
    document: "Documento",
    birth_date: "Data de nascimento",
    email: "E-mail",
    phone: "Telefone",
    city: "Cidade",
    qualification: "Qualificação",
    occupation: "Ocupação",
    employer: "Empregador",
    declared_income: "Renda mensal declarada",
    relationship: "Relacionamento com a instituição",
    customer_since: "Cliente desde",
    products: "Produtos e serviços",
    average_income: "Renda média mensal",
    income_stability: "Estabilidade da renda",
    income_sources: "Fontes de renda",
    months_analysed: "Meses analisados",
    cash_flow_chart: "Fluxo de caixa por mês",
    cash_flow_table: "Fluxo de caixa mensal",
    spending_by_category: "Gastos por categoria",
    category: "Categoria",
    share: "Participação",
    recurring: "Pagamentos recorrentes",
    payee: "Favorecido",
    average: "Média",
    months_count: "Meses",
    balance_trend: "Saldo ao fim de cada mês",
};

pub static EN: Text = Text {
    months: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    page: "Page",
    of: "of",
    report: "Report",
    consent: "consent",
    generated: "generated",
    registration: "Registration report",
    accounts: "Accounts and transactions statement",
    credit_cards: "Credit cards report",
    loans: "Loans report",
    investments: "Investments report",
    insights: "Financial insights",
    unknown_product: "Report",
    built_from: "What this report is built from",
    built_from_note: "Data the holder shared through Open Finance Brasil, as the institution sent it.",
    institution: "Institution",
    institution_cnpj: "Institution CNPJ",
    compe: "COMPE code",
    holder: "Holder",
    holder_document: "Holder's CPF/CNPJ",
    consent_id: "Consent",
    request_id: "Request",
    report_id: "Report",
    version: "Version",
    generated_at: "Generated at",
    status: "Status",
    status_success: "Complete",
    status_failed: "Failed",
    permissions: "Permissions granted",
    failed: "The retrieval failed",
    no_layout: "This product has no printed layout; its data is in the JSON report.",
    unknown: "Not provided",
    account: "Account",
    branch: "Branch",
    account_number: "Account number",
    account_subtype: "Ownership",
    period: "Period",
    period_to: "to",
    available: "Available balance",
    blocked: "Blocked balance",
    auto_invested: "Automatically invested",
    overdraft_contracted: "Overdraft limit",
    overdraft_used: "Overdraft used",
    opening_balance: "Opening balance (derived)",
    closing_balance: "Closing balance",
    total_in: "Total money in",
    total_out: "Total money out",
    opening_note: "Opening balance derived: the closing balance minus the money in and plus the money out of the period.",
    by_month: "Money in and out by month",
    month: "Month",
    inflow: "Money in",
    outflow: "Money out",
    net: "Net",
    transactions: "Transactions",
    transactions_note: "transactions, oldest first",
    date: "Date",
    description: "Description",
    kind: "Type",
    direction: "Direction",
    amount: "Amount",
    accounts_count: "Accounts",
    continued: "continued",
    no_transactions: "No transactions in the period.",
    card_network: "Network",
    card_product: "Product",
    card_final: "Card ending",
    limit: "Limit",
    used: "Used",
    bills: "Bills",
    due_date: "Due date",
    total: "Total",
    minimum: "Minimum",
    instalment: "In instalments",
    paid: "Paid",
    payment_kind: "Payment",
    contracts: "Contracts",
    product: "Product",
    signed: "Signed",
    contract_amount: "Amount borrowed",
    instalments: "Instalments",
    paid_instalments: "Instalments paid",
    outstanding: "Outstanding balance",
    next_instalment: "Next instalment",
    amortization: "Amortisation",
    periodicity: "Periodicity",
    cet: "Total effective cost (a year)",
    final_due: "Final due date",
    fixed_incomes: "Bank fixed income",
    issuer: "Issuer (CNPJ)",
    maturity: "Maturity",
    gross_balance: "Gross balance",
    net_balance: "Net balance",
    indexer: "Indexer",
    rate: "Rate",
    identification: "Identification",
    name: "Name",
    document: "Document",
    birth_date: "Date of birth",
    email: "E-mail",
    phone: "Phone",
    city: "City",
    qualification: "Qualification",
    occupation: "Occupation",
    employer: "Employer",
    declared_income: "Declared monthly income",
    relationship: "Relationship with the institution",
    customer_since: "Customer since",
    products: "Products and services",
    average_income: "Average monthly income",
    income_stability: "Income stability",
    income_sources: "Income sources",
    months_analysed: "Months analysed",
    cash_flow_chart: "Cash flow by month",
    cash_flow_table: "Monthly cash flow",
    spending_by_category: "Spending by category",
    category: "Category",
    share: "Share",
    recurring: "Recurring payments",
    payee: "Payee",
    average: "Average",
    months_count: "Months",
    balance_trend: "Balance at each month's end",
};

/// `52998224725` → `***.982.247-**`; a CNPJ → `**.345.678/0001-**`.
pub fn mask_tax_id(raw: &str) -> String {
    let d: String = raw.chars().filter(char::is_ascii_digit).collect();
    match d.len() {
        11 => format!("***.{}.{}-**", &d[3..6], &d[6..9]),
        14 => format!("**.{}.{}/{}-**", &d[2..5], &d[5..8], &d[8..12]),
        _ => "—".into(),
    }
}

/// `49004730000150` → `49.004.730/0001-50` (an institution's, shown whole).
pub fn format_cnpj(raw: &str) -> String {
    let d: String = raw.chars().filter(char::is_ascii_digit).collect();
    if d.len() != 14 {
        return raw.to_string();
    }
    format!(
        "{}.{}.{}/{}-{}",
        &d[0..2],
        &d[2..5],
        &d[5..8],
        &d[8..12],
        &d[12..14]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_dates_and_masks_per_language() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(Locale::PtBr.money(d("1234.5")), "R$ 1.234,50");
        assert_eq!(Locale::PtBr.money(d("-1234567.891")), "-R$ 1.234.567,89");
        assert_eq!(Locale::En.money(d("1234567.891")), "R$ 1,234,567.89");
        assert_eq!(Locale::PtBr.money(d("12")), "R$ 12,00");
        assert_eq!(Locale::PtBr.date("2026-01-05T10:00:00Z"), "05/01/2026");
        assert_eq!(Locale::En.date("2026-01-05"), "Jan 5, 2026");
        assert_eq!(Locale::PtBr.month("2025-12"), "dez/2025");
        assert_eq!(mask_tax_id("12345678901"), "***.456.789-**");
        assert_eq!(mask_tax_id("12345678000190"), "**.345.678/0001-**");
        assert_eq!(format_cnpj("49004730000150"), "49.004.730/0001-50");
        assert_eq!(Locale::parse("PT-br"), Some(Locale::PtBr));
        assert_eq!(Locale::parse("fr"), None);
    }
}

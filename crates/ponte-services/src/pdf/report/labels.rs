//! Human words for the Open Finance Brasil codes a report prints (account
//! and transaction types, card, loan and investment enums), in both
//! languages. A code not listed is spelled out from its own words, never
//! printed raw or cut.

use super::i18n::Locale;
use std::borrow::Cow;

/// (code, Portuguese, English).
const LABELS: &[(&str, &str, &str)] = &[
    // Accounts (accounts 2.4): types, ownership, transactions.
    (
        "CONTA_DEPOSITO_A_VISTA",
        "Conta corrente",
        "Checking account",
    ),
    ("CONTA_POUPANCA", "Conta poupança", "Savings account"),
    (
        "CONTA_PAGAMENTO_PRE_PAGA",
        "Conta de pagamento pré-paga",
        "Prepaid payment account",
    ),
    ("INDIVIDUAL", "Individual", "Individual"),
    (
        "CONJUNTA_SIMPLES",
        "Conjunta simples",
        "Joint (either holder)",
    ),
    (
        "CONJUNTA_SOLIDARIA",
        "Conjunta solidária",
        "Joint (all holders)",
    ),
    ("TED", "TED", "TED transfer"),
    ("DOC", "DOC", "DOC transfer"),
    ("PIX", "Pix", "Pix"),
    (
        "TRANSFERENCIA_MESMA_INSTITUICAO",
        "Transferência na mesma instituição",
        "Transfer within the institution",
    ),
    ("BOLETO", "Boleto", "Boleto payment"),
    (
        "CONVENIO_ARRECADACAO",
        "Conta de consumo / convênio",
        "Utility bill (agreement)",
    ),
    (
        "PACOTE_TARIFA_SERVICOS",
        "Pacote de tarifas",
        "Service package fee",
    ),
    (
        "TARIFA_SERVICOS_AVULSOS",
        "Tarifa avulsa",
        "One-off service fee",
    ),
    (
        "FOLHA_PAGAMENTO",
        "Folha de pagamento (salário)",
        "Payroll (salary)",
    ),
    ("DEPOSITO", "Depósito", "Deposit"),
    ("SAQUE", "Saque", "Cash withdrawal"),
    ("CARTAO", "Cartão", "Card"),
    (
        "ENCARGOS_JUROS_CHEQUE_ESPECIAL",
        "Juros e encargos do cheque especial",
        "Overdraft interest and charges",
    ),
    (
        "RENDIMENTO_APLIC_FINANCEIRA",
        "Rendimento de aplicação",
        "Investment income",
    ),
    (
        "PORTABILIDADE_SALARIO",
        "Portabilidade de salário",
        "Salary portability",
    ),
    (
        "RESGATE_APLIC_FINANCEIRA",
        "Resgate de aplicação",
        "Investment redemption",
    ),
    (
        "OPERACAO_CREDITO",
        "Operação de crédito",
        "Credit operation",
    ),
    ("OUTROS", "Outros", "Other"),
    ("CREDITO", "Crédito", "Credit"),
    ("DEBITO", "Débito", "Debit"),
    ("TRANSACAO_EFETIVADA", "Efetivada", "Completed"),
    ("LANCAMENTO_FUTURO", "Lançamento futuro", "Scheduled"),
    ("TRANSACAO_PROCESSANDO", "Em processamento", "Processing"),
    ("PESSOA_NATURAL", "Pessoa física", "Individual"),
    ("PESSOA_JURIDICA", "Pessoa jurídica", "Company"),
    // Credit cards (credit-cards 2.3).
    (
        "CLASSIC_NACIONAL",
        "Clássico nacional",
        "Classic (domestic)",
    ),
    (
        "CLASSIC_INTERNACIONAL",
        "Clássico internacional",
        "Classic (international)",
    ),
    ("GOLD", "Gold", "Gold"),
    ("PLATINUM", "Platinum", "Platinum"),
    ("INFINITE", "Infinite", "Infinite"),
    ("ELECTRON", "Electron", "Electron"),
    (
        "STANDARD_NACIONAL",
        "Standard nacional",
        "Standard (domestic)",
    ),
    (
        "STANDARD_INTERNACIONAL",
        "Standard internacional",
        "Standard (international)",
    ),
    ("ELETRONIC", "Eletrônico", "Electronic"),
    ("BLACK", "Black", "Black"),
    ("REDESHOP", "Redeshop", "Redeshop"),
    ("MAESTRO_MASTERCARD_MAESTRO", "Maestro", "Maestro"),
    ("GREEN", "Green", "Green"),
    ("BLUE", "Blue", "Blue"),
    ("BLUEBOX", "Bluebox", "Bluebox"),
    (
        "PROFISSIONAL_LIBERAL",
        "Profissional liberal",
        "Self-employed professional",
    ),
    (
        "CHEQUE_ELETRONICO",
        "Cheque eletrônico",
        "Electronic cheque",
    ),
    ("CORPORATIVO", "Corporativo", "Corporate"),
    ("EMPRESARIAL", "Empresarial", "Business"),
    ("COMPRAS", "Compras", "Purchasing"),
    ("BASICO_NACIONAL", "Básico nacional", "Basic (domestic)"),
    (
        "BASICO_INTERNACIONAL",
        "Básico internacional",
        "Basic (international)",
    ),
    ("NANQUIM", "Nanquim", "Nanquim"),
    ("GRAFITE", "Grafite", "Grafite"),
    ("MAIS", "Mais", "Mais"),
    ("VISA", "Visa", "Visa"),
    ("MASTERCARD", "Mastercard", "Mastercard"),
    ("AMERICAN_EXPRESS", "American Express", "American Express"),
    ("DINERS_CLUB", "Diners Club", "Diners Club"),
    ("HIPERCARD", "Hipercard", "Hipercard"),
    ("BANDEIRA_PROPRIA", "Bandeira própria", "Own network"),
    ("ELO", "Elo", "Elo"),
    ("OUTRAS", "Outras", "Other"),
    ("PAGAMENTO", "Pagamento de fatura", "Bill payment"),
    ("TARIFA", "Tarifa", "Fee"),
    (
        "OPERACOES_CREDITO_CONTRATADAS_CARTAO",
        "Crédito contratado no cartão",
        "Credit taken on the card",
    ),
    ("ESTORNO", "Estorno", "Refund"),
    ("CASHBACK", "Cashback", "Cashback"),
    ("A_VISTA", "À vista", "Single payment"),
    ("A_PRAZO", "Parcelado", "In instalments"),
    ("DEBITO_CONTA_CORRENTE", "Débito em conta", "Account debit"),
    ("BOLETO_BANCARIO", "Boleto", "Boleto"),
    ("AVERBACAO_FOLHA", "Desconto em folha", "Payroll deduction"),
    // Loans (loans 2.5).
    ("EMPRESTIMOS", "Empréstimos", "Loans"),
    (
        "HOME_EQUITY",
        "Crédito com garantia de imóvel",
        "Home equity",
    ),
    ("CHEQUE_ESPECIAL", "Cheque especial", "Overdraft"),
    ("CONTA_GARANTIDA", "Conta garantida", "Secured credit line"),
    (
        "CAPITAL_GIRO_TETO_ROTATIVO",
        "Capital de giro rotativo",
        "Revolving working capital",
    ),
    (
        "CREDITO_PESSOAL_SEM_CONSIGNACAO",
        "Crédito pessoal sem consignação",
        "Personal loan (not payroll-deducted)",
    ),
    (
        "CREDITO_PESSOAL_COM_CONSIGNACAO",
        "Crédito pessoal consignado",
        "Payroll-deducted personal loan",
    ),
    (
        "MICROCREDITO_PRODUTIVO_ORIENTADO",
        "Microcrédito produtivo orientado",
        "Guided productive microcredit",
    ),
    (
        "CAPITAL_GIRO_PRAZO_VENCIMENTO_ATE_365_DIAS",
        "Capital de giro (até 365 dias)",
        "Working capital (up to 365 days)",
    ),
    (
        "CAPITAL_GIRO_PRAZO_VENCIMENTO_SUPERIOR_365_DIAS",
        "Capital de giro (mais de 365 dias)",
        "Working capital (over 365 days)",
    ),
    (
        "SAC",
        "SAC (amortização constante)",
        "SAC (constant amortisation)",
    ),
    ("PRICE", "Tabela Price", "Price (equal instalments)"),
    ("SAM", "SAM (amortização mista)", "SAM (mixed amortisation)"),
    (
        "SEM_SISTEMA_AMORTIZACAO",
        "Sem sistema de amortização",
        "No amortisation system",
    ),
    (
        "SEM_PERIODICIDADE_REGULAR",
        "Sem periodicidade regular",
        "Irregular",
    ),
    ("SEMANAL", "Semanal", "Weekly"),
    ("QUINZENAL", "Quinzenal", "Fortnightly"),
    ("MENSAL", "Mensal", "Monthly"),
    ("BIMESTRAL", "Bimestral", "Every two months"),
    ("TRIMESTRAL", "Trimestral", "Quarterly"),
    ("SEMESTRAL", "Semestral", "Every six months"),
    ("ANUAL", "Anual", "Yearly"),
    // Investments (bank-fixed-incomes 1.1).
    ("CDB", "CDB", "CDB (bank deposit certificate)"),
    ("RDB", "RDB", "RDB (bank deposit receipt)"),
    ("LCI", "LCI", "LCI (real-estate credit note)"),
    ("LCA", "LCA", "LCA (agribusiness credit note)"),
    ("PRE_FIXADO", "Prefixado", "Fixed rate"),
    ("POS_FIXADO", "Pós-fixado", "Floating rate"),
    ("CDI", "CDI", "CDI"),
    ("DI", "DI", "DI"),
    ("IPCA", "IPCA", "IPCA (inflation)"),
    ("SELIC", "Selic", "Selic"),
    ("APLICACAO", "Aplicação", "Purchase"),
    ("RESGATE", "Resgate", "Redemption"),
    // Customers (customers 2.3): products held.
    ("CARTAO_CREDITO", "Cartão de crédito", "Credit card"),
    ("INVESTIMENTO", "Investimentos", "Investments"),
    ("SEGURO", "Seguros", "Insurance"),
    ("PREVIDENCIA", "Previdência", "Pension plan"),
    ("CONSORCIO", "Consórcio", "Consortium"),
    ("CAMBIO", "Câmbio", "Foreign exchange"),
    ("EMPRESTIMO", "Empréstimo", "Loan"),
    ("FINANCIAMENTO", "Financiamento", "Financing"),
    ("CONTA_SALARIO", "Conta salário", "Salary account"),
    // Ponte's insights.
    ("HIGH", "Alta", "High"),
    ("MEDIUM", "Média", "Medium"),
    ("LOW", "Baixa", "Low"),
];

/// The words for `code` in `locale`.
pub fn label(locale: Locale, code: &str) -> Cow<'static, str> {
    match LABELS.iter().find(|(c, _, _)| *c == code) {
        Some((_, pt, en)) => Cow::Borrowed(match locale {
            Locale::PtBr => pt,
            Locale::En => en,
        }),
        None => Cow::Owned(spelled_out(code)),
    }
}

/// `ALGUM_CODIGO_NOVO` → `Algum codigo novo`.
fn spelled_out(code: &str) -> String {
    let words = code.replace('_', " ").to_lowercase();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_words_and_unknown_ones_are_spelled_out() {
        assert_eq!(
            label(Locale::PtBr, "FOLHA_PAGAMENTO"),
            "Folha de pagamento (salário)"
        );
        assert_eq!(label(Locale::En, "CONTA_POUPANCA"), "Savings account");
        assert_eq!(label(Locale::En, "SOME_NEW_CODE"), "Some new code");
        let mut codes: Vec<&str> = LABELS.iter().map(|(c, _, _)| *c).collect();
        codes.sort_unstable();
        let before = codes.len();
        codes.dedup();
        assert_eq!(before, codes.len(), "a code is listed twice");
    }
}

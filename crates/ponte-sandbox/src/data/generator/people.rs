//! Names the synthetic ledgers draw from: employers, people, shops, loan purposes.

pub(super) const EMPLOYERS: [&str; 6] = [
    "ACME TECNOLOGIA LTDA",
    "PADARIA BOM PAO LTDA",
    "HOSPITAL SANTA CLARA",
    "LOGISTICA RAPIDA SA",
    "ESCOLA NOVO SABER",
    "CONSTRUTORA HORIZONTE",
];

/// Employers of the high earner (`user_big`).
pub(super) const BIG_EMPLOYERS: [&str; 3] = [
    "BANCO HORIZONTE INVESTIMENTOS SA",
    "ACME TECNOLOGIA LTDA",
    "HOSPITAL SANTA CLARA",
];

pub const PEOPLE: [&str; 10] = [
    "MARIA SILVA",
    "JOAO SOUZA",
    "ANA OLIVEIRA",
    "PEDRO SANTOS",
    "JULIANA COSTA",
    "LUCAS PEREIRA",
    "FERNANDA LIMA",
    "RAFAEL ALVES",
    "BEATRIZ ROCHA",
    "GUSTAVO RIBEIRO",
];

/// (name, MCC, min cents, max cents) before the person's spending scale.
pub(super) const SHOPS: [(&str, u32, i64, i64); 12] = [
    ("SUPERMERCADO PAO DE ACUCAR", 5411, 4_000, 38_000),
    ("ASSAI ATACADISTA", 5411, 8_000, 45_000),
    ("DROGASIL", 5912, 1_500, 12_000),
    ("RESTAURANTE SABOR CASEIRO", 5812, 2_500, 14_000),
    ("POSTO SHELL", 5541, 8_000, 25_000),
    ("IFOOD", 5814, 2_500, 9_000),
    ("UBER DO BRASIL", 4121, 1_200, 6_500),
    ("PADARIA CENTRAL", 5462, 800, 4_500),
    ("LOJAS AMERICANAS", 5310, 3_000, 40_000),
    ("DROGARIA SAO PAULO", 5912, 1_500, 9_000),
    ("HORTIFRUTI NATURAL", 5411, 2_000, 15_000),
    ("CAFE DO PONTO", 5814, 700, 3_500),
];

/// What a personal loan paid for (a boleto the day the money arrives).
pub(super) const LOAN_PURPOSES: [&str; 5] = [
    "PAGAMENTO BOLETO MOVEIS PLANEJADOS",
    "PAGAMENTO BOLETO OFICINA MECANICA",
    "PAGAMENTO BOLETO REFORMA CONSTRUCAO",
    "PAGAMENTO BOLETO CLINICA ODONTOLOGICA",
    "PAGAMENTO BOLETO CURSO POS GRADUACAO",
];

pub const FIRST_NAMES: [&str; 12] = [
    "Ana", "Bruno", "Camila", "Diego", "Eduarda", "Felipe", "Gabriela", "Henrique", "Isabela",
    "João", "Larissa", "Marcos",
];
pub const LAST_NAMES: [&str; 12] = [
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Costa",
    "Ribeiro",
];

/// Expected value of a draw `lo + x % (hi - lo)`.
pub(super) fn mean(lo: i64, hi: i64) -> f64 {
    lo as f64 + (hi - lo - 1) as f64 / 2.0
}

/// Expected amount of one shop purchase before scaling.
pub(super) fn mean_shop() -> f64 {
    SHOPS.iter().map(|s| mean(s.2, s.3)).sum::<f64>() / SHOPS.len() as f64
}

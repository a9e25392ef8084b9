//! OFB consent permissions: the spec's enum, the grouping rules the transmitter must enforce,
//! and the list the approval page's words (`locales/*.ftl`) are checked against.

/// (permission, product family in `BankInfo::available_resources` or "" for RESOURCES_READ);
/// the approval page's words for each are in the sandbox's catalogue (`permission-{name}`).
const PERMISSIONS: &[(&str, &str)] = &[
    ("ACCOUNTS_READ", "accounts"),
    ("ACCOUNTS_BALANCES_READ", "accounts"),
    ("ACCOUNTS_TRANSACTIONS_READ", "accounts"),
    ("ACCOUNTS_OVERDRAFT_LIMITS_READ", "accounts"),
    ("CREDIT_CARDS_ACCOUNTS_READ", "creditCards"),
    ("CREDIT_CARDS_ACCOUNTS_BILLS_READ", "creditCards"),
    (
        "CREDIT_CARDS_ACCOUNTS_BILLS_TRANSACTIONS_READ",
        "creditCards",
    ),
    ("CREDIT_CARDS_ACCOUNTS_LIMITS_READ", "creditCards"),
    ("CREDIT_CARDS_ACCOUNTS_TRANSACTIONS_READ", "creditCards"),
    ("CUSTOMERS_PERSONAL_IDENTIFICATIONS_READ", "registration"),
    ("CUSTOMERS_PERSONAL_ADITTIONALINFO_READ", "registration"),
    ("CUSTOMERS_BUSINESS_IDENTIFICATIONS_READ", "registration"),
    ("CUSTOMERS_BUSINESS_ADITTIONALINFO_READ", "registration"),
    ("FINANCINGS_READ", "loans"),
    ("FINANCINGS_SCHEDULED_INSTALMENTS_READ", "loans"),
    ("FINANCINGS_PAYMENTS_READ", "loans"),
    ("FINANCINGS_WARRANTIES_READ", "loans"),
    ("INVOICE_FINANCINGS_READ", "loans"),
    ("INVOICE_FINANCINGS_SCHEDULED_INSTALMENTS_READ", "loans"),
    ("INVOICE_FINANCINGS_PAYMENTS_READ", "loans"),
    ("INVOICE_FINANCINGS_WARRANTIES_READ", "loans"),
    ("LOANS_READ", "loans"),
    ("LOANS_SCHEDULED_INSTALMENTS_READ", "loans"),
    ("LOANS_PAYMENTS_READ", "loans"),
    ("LOANS_WARRANTIES_READ", "loans"),
    ("UNARRANGED_ACCOUNTS_OVERDRAFT_READ", "loans"),
    (
        "UNARRANGED_ACCOUNTS_OVERDRAFT_SCHEDULED_INSTALMENTS_READ",
        "loans",
    ),
    ("UNARRANGED_ACCOUNTS_OVERDRAFT_PAYMENTS_READ", "loans"),
    ("UNARRANGED_ACCOUNTS_OVERDRAFT_WARRANTIES_READ", "loans"),
    ("RESOURCES_READ", ""),
    ("BANK_FIXED_INCOMES_READ", "investments"),
    ("CREDIT_FIXED_INCOMES_READ", "investments"),
    ("FUNDS_READ", "investments"),
    ("VARIABLE_INCOMES_READ", "investments"),
    ("TREASURE_TITLES_READ", "investments"),
    ("EXCHANGES_READ", "exchanges"),
];

/// A sub-permission and the base permission its grouping requires alongside it.
const REQUIRES: &[(&str, &str)] = &[
    ("ACCOUNTS_BALANCES_READ", "ACCOUNTS_READ"),
    ("ACCOUNTS_TRANSACTIONS_READ", "ACCOUNTS_READ"),
    ("ACCOUNTS_OVERDRAFT_LIMITS_READ", "ACCOUNTS_READ"),
    (
        "CREDIT_CARDS_ACCOUNTS_BILLS_READ",
        "CREDIT_CARDS_ACCOUNTS_READ",
    ),
    (
        "CREDIT_CARDS_ACCOUNTS_BILLS_TRANSACTIONS_READ",
        "CREDIT_CARDS_ACCOUNTS_BILLS_READ",
    ),
    (
        "CREDIT_CARDS_ACCOUNTS_LIMITS_READ",
        "CREDIT_CARDS_ACCOUNTS_READ",
    ),
    (
        "CREDIT_CARDS_ACCOUNTS_TRANSACTIONS_READ",
        "CREDIT_CARDS_ACCOUNTS_READ",
    ),
    ("FINANCINGS_SCHEDULED_INSTALMENTS_READ", "FINANCINGS_READ"),
    ("FINANCINGS_PAYMENTS_READ", "FINANCINGS_READ"),
    ("FINANCINGS_WARRANTIES_READ", "FINANCINGS_READ"),
    (
        "INVOICE_FINANCINGS_SCHEDULED_INSTALMENTS_READ",
        "INVOICE_FINANCINGS_READ",
    ),
    (
        "INVOICE_FINANCINGS_PAYMENTS_READ",
        "INVOICE_FINANCINGS_READ",
    ),
    (
        "INVOICE_FINANCINGS_WARRANTIES_READ",
        "INVOICE_FINANCINGS_READ",
    ),
    ("LOANS_SCHEDULED_INSTALMENTS_READ", "LOANS_READ"),
    ("LOANS_PAYMENTS_READ", "LOANS_READ"),
    ("LOANS_WARRANTIES_READ", "LOANS_READ"),
    (
        "UNARRANGED_ACCOUNTS_OVERDRAFT_SCHEDULED_INSTALMENTS_READ",
        "UNARRANGED_ACCOUNTS_OVERDRAFT_READ",
    ),
    (
        "UNARRANGED_ACCOUNTS_OVERDRAFT_PAYMENTS_READ",
        "UNARRANGED_ACCOUNTS_OVERDRAFT_READ",
    ),
    (
        "UNARRANGED_ACCOUNTS_OVERDRAFT_WARRANTIES_READ",
        "UNARRANGED_ACCOUNTS_OVERDRAFT_READ",
    ),
];

/// Why a permission list cannot be accepted: (HTTP 400 if `malformed`, else 422) code + detail.
#[derive(Debug, PartialEq)]
pub struct Rejection {
    pub malformed: bool,
    pub code: &'static str,
    pub detail: String,
}

fn reject(malformed: bool, code: &'static str, detail: String) -> Rejection {
    Rejection {
        malformed,
        code,
        detail,
    }
}

/// Validates a requested permission list and narrows it to what the bank offers,
/// following the consents-3.3.1 rules. Returns the granted list in request order.
pub fn validate(
    requested: &[String],
    has_business_entity: bool,
    available: &[&str],
) -> Result<Vec<String>, Rejection> {
    if requested.is_empty() {
        return Err(reject(
            true,
            "PARAMETRO_NAO_INFORMADO",
            "data.permissions must not be empty".into(),
        ));
    }
    for (i, p) in requested.iter().enumerate() {
        if !PERMISSIONS.iter().any(|(name, ..)| name == p) {
            return Err(reject(
                true,
                "PARAMETRO_INVALIDO",
                format!("data.permissions: unknown permission {p:?}"),
            ));
        }
        if requested[..i].contains(p) {
            return Err(reject(
                true,
                "PARAMETRO_INVALIDO",
                format!("data.permissions: {p} is repeated"),
            ));
        }
    }
    let has = |p: &str| requested.iter().any(|r| r == p);
    let personal = requested
        .iter()
        .any(|p| p.starts_with("CUSTOMERS_PERSONAL_"));
    let business = requested
        .iter()
        .any(|p| p.starts_with("CUSTOMERS_BUSINESS_"));
    if personal && business {
        return Err(reject(
            false,
            "PERMISSAO_PF_PJ_EM_CONJUNTO",
            "data.permissions mixes CUSTOMERS_PERSONAL_* and CUSTOMERS_BUSINESS_* permissions"
                .into(),
        ));
    }
    if business && !has_business_entity {
        return Err(reject(
            false,
            "INFORMACOES_PJ_NAO_INFORMADAS",
            "CUSTOMERS_BUSINESS_* permissions require data.businessEntity".into(),
        ));
    }
    if !has("RESOURCES_READ") {
        return Err(reject(
            false,
            "COMBINACAO_PERMISSOES_INCORRETA",
            "every permission group requires RESOURCES_READ".into(),
        ));
    }
    if requested.len() == 1 {
        return Err(reject(
            false,
            "COMBINACAO_PERMISSOES_INCORRETA",
            "RESOURCES_READ alone is not a permission group".into(),
        ));
    }
    for (sub, base) in REQUIRES {
        if has(sub) && !has(base) {
            return Err(reject(
                false,
                "COMBINACAO_PERMISSOES_INCORRETA",
                format!("{sub} requires {base} in the same consent"),
            ));
        }
    }
    // The transmitter drops what it does not offer and refuses when nothing useful is left.
    let granted: Vec<String> = requested
        .iter()
        .filter(|p| family(p).is_some_and(|f| f.is_empty() || available.contains(&f)))
        .cloned()
        .collect();
    if granted.iter().all(|p| p == "RESOURCES_READ") {
        return Err(reject(
            false,
            "SEM_PERMISSOES_FUNCIONAIS_RESTANTES",
            "this institution offers none of the requested products".into(),
        ));
    }
    Ok(granted)
}

/// The product (as `BankInfo::available_resources` names it) a permission of
/// the specification belongs to; `""` for `RESOURCES_READ`, `None` for a name
/// the specification does not define.
pub fn family(p: &str) -> Option<&'static str> {
    PERMISSIONS
        .iter()
        .find(|(n, ..)| *n == p)
        .map(|(_, f, ..)| *f)
}

/// Every permission the spec defines (each must have its words).
#[cfg(test)]
pub(crate) fn all() -> impl Iterator<Item = &'static str> {
    PERMISSIONS.iter().map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }
    const ALL: &[&str] = &[
        "registration",
        "accounts",
        "creditCards",
        "loans",
        "investments",
    ];

    #[test]
    fn accepts_a_complete_group() {
        let p = v(&["ACCOUNTS_READ", "ACCOUNTS_BALANCES_READ", "RESOURCES_READ"]);
        assert_eq!(validate(&p, false, ALL).unwrap(), p);
    }

    #[test]
    fn enforces_grouping_rules() {
        let code = |p: &[&str], be: bool| validate(&v(p), be, ALL).unwrap_err().code;
        assert_eq!(
            code(&["ACCOUNTS_BALANCES_READ", "RESOURCES_READ"], false),
            "COMBINACAO_PERMISSOES_INCORRETA"
        );
        assert_eq!(
            code(&["ACCOUNTS_READ"], false),
            "COMBINACAO_PERMISSOES_INCORRETA"
        );
        assert_eq!(
            code(&["RESOURCES_READ"], false),
            "COMBINACAO_PERMISSOES_INCORRETA"
        );
        assert_eq!(
            code(
                &["CUSTOMERS_BUSINESS_IDENTIFICATIONS_READ", "RESOURCES_READ"],
                false
            ),
            "INFORMACOES_PJ_NAO_INFORMADAS"
        );
        assert_eq!(
            code(
                &[
                    "CUSTOMERS_BUSINESS_IDENTIFICATIONS_READ",
                    "CUSTOMERS_PERSONAL_IDENTIFICATIONS_READ",
                    "RESOURCES_READ"
                ],
                true
            ),
            "PERMISSAO_PF_PJ_EM_CONJUNTO"
        );
        let bad = validate(&v(&["ACCOUNTS_READ", "NOPE"]), false, ALL).unwrap_err();
        assert!(bad.malformed && bad.detail.contains("NOPE"));
    }

    #[test]
    fn narrows_to_offered_products() {
        let p = v(&["ACCOUNTS_READ", "LOANS_READ", "RESOURCES_READ"]);
        assert_eq!(
            validate(&p, false, &["accounts"]).unwrap(),
            v(&["ACCOUNTS_READ", "RESOURCES_READ"])
        );
        assert_eq!(
            validate(&p, false, &["investments"]).unwrap_err().code,
            "SEM_PERMISSOES_FUNCIONAIS_RESTANTES"
        );
    }
}

//! The data products a consent can grant and a request can ask for.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Product {
    Registration,
    Accounts,
    CreditCards,
    Loans,
    Investments,
    /// Derived by Ponte from the transactions; needs `accounts`.
    Insights,
}

impl Product {
    pub const ALL: [Product; 6] = [
        Product::Registration,
        Product::Accounts,
        Product::CreditCards,
        Product::Loans,
        Product::Investments,
        Product::Insights,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Product::Registration => "registration",
            Product::Accounts => "accounts",
            Product::CreditCards => "creditCards",
            Product::Loans => "loans",
            Product::Investments => "investments",
            Product::Insights => "insights",
        }
    }

    pub fn parse(raw: &str) -> Option<Product> {
        Product::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    /// The product Ponte derives this one from, for a product no
    /// institution shares itself (no consent names it: it comes with the
    /// product it is derived from).
    pub fn derived_from(self) -> Option<Product> {
        match self {
            Product::Registration
            | Product::Accounts
            | Product::CreditCards
            | Product::Loans
            | Product::Investments => None,
            Product::Insights => Some(Product::Accounts),
        }
    }

    /// The products an institution shares under a consent, in `ALL` order:
    /// what the end user is told they share, and what an institution's
    /// `products` may list.
    pub fn shared() -> impl Iterator<Item = Product> {
        Product::ALL
            .into_iter()
            .filter(|p| p.derived_from().is_none())
    }

    /// `products` and every product derived from one of them (insights with
    /// accounts), each once: what an institution offering `products` gives.
    pub fn with_derived(mut products: Vec<Product>) -> Vec<Product> {
        for p in Product::ALL {
            let source_offered = p.derived_from().is_some_and(|s| products.contains(&s));
            if source_offered && !products.contains(&p) {
                products.push(p);
            }
        }
        products
    }

    /// Every name, for a message refusing an unknown one:
    /// `registration, accounts, …, investments or insights`.
    pub fn names_listed() -> String {
        let names: Vec<&str> = Product::ALL.iter().map(|p| p.as_str()).collect();
        match names.split_last() {
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    /// The Open Finance Brasil permissions a consent needs for this product,
    /// for a person (`business == false`) or a company.
    pub fn permissions(self, business: bool) -> &'static [&'static str] {
        match (self, business) {
            (Product::Registration, false) => &[
                "CUSTOMERS_PERSONAL_IDENTIFICATIONS_READ",
                "CUSTOMERS_PERSONAL_ADITTIONALINFO_READ",
            ],
            (Product::Registration, true) => &[
                "CUSTOMERS_BUSINESS_IDENTIFICATIONS_READ",
                "CUSTOMERS_BUSINESS_ADITTIONALINFO_READ",
            ],
            (Product::Accounts | Product::Insights, _) => &[
                "ACCOUNTS_READ",
                "ACCOUNTS_BALANCES_READ",
                "ACCOUNTS_TRANSACTIONS_READ",
                "ACCOUNTS_OVERDRAFT_LIMITS_READ",
            ],
            (Product::CreditCards, _) => &[
                "CREDIT_CARDS_ACCOUNTS_READ",
                "CREDIT_CARDS_ACCOUNTS_LIMITS_READ",
                "CREDIT_CARDS_ACCOUNTS_TRANSACTIONS_READ",
                "CREDIT_CARDS_ACCOUNTS_BILLS_READ",
                "CREDIT_CARDS_ACCOUNTS_BILLS_TRANSACTIONS_READ",
            ],
            (Product::Loans, _) => &[
                "LOANS_READ",
                "LOANS_WARRANTIES_READ",
                "LOANS_SCHEDULED_INSTALMENTS_READ",
                "LOANS_PAYMENTS_READ",
            ],
            (Product::Investments, _) => &["BANK_FIXED_INCOMES_READ"],
        }
    }

    /// The permission list for a consent covering `products`: each product's
    /// permissions plus `RESOURCES_READ`, which Open Finance requires with any data permission.
    pub fn consent_permissions(products: &[Product], business: bool) -> Vec<String> {
        let mut out = vec!["RESOURCES_READ".to_string()];
        for product in products {
            for permission in product.permissions(business) {
                if !out.iter().any(|p| p == permission) {
                    out.push((*permission).to_string());
                }
            }
        }
        out
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_as_the_contract_spells_them() {
        for p in Product::ALL {
            assert_eq!(Product::parse(p.as_str()), Some(p));
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.as_str())
            );
        }
        assert_eq!(Product::parse("credit_cards"), None);
    }

    #[test]
    fn the_refusal_lists_every_name_as_the_api_messages_always_did() {
        assert_eq!(
            Product::names_listed(),
            "registration, accounts, creditCards, loans, investments or insights"
        );
    }

    #[test]
    fn an_institution_with_accounts_gives_insights_too() {
        use Product::*;
        assert_eq!(
            Product::with_derived(vec![Loans, Accounts]),
            [Loans, Accounts, Insights]
        );
        assert_eq!(
            Product::with_derived(vec![Accounts, Insights]),
            [Accounts, Insights]
        );
        assert_eq!(Product::with_derived(vec![Loans]), [Loans]);
    }

    #[test]
    fn derived_products_come_from_a_shared_one_and_are_not_shared_themselves() {
        let shared: Vec<Product> = Product::shared().collect();
        assert!(!shared.contains(&Product::Insights));
        assert_eq!(shared.len(), Product::ALL.len() - 1);
        for p in Product::ALL {
            if let Some(source) = p.derived_from() {
                assert!(shared.contains(&source), "{p} derives from {source}");
                // What it is derived from is what the consent must allow.
                assert_eq!(p.permissions(false), source.permissions(false));
            }
        }
    }

    #[test]
    fn consent_permissions_are_deduplicated_and_include_resources() {
        let perms = Product::consent_permissions(&[Product::Accounts, Product::Insights], false);
        assert_eq!(perms[0], "RESOURCES_READ");
        assert_eq!(perms.len(), 5);
        let business = Product::consent_permissions(&[Product::Registration], true);
        assert!(business.contains(&"CUSTOMERS_BUSINESS_IDENTIFICATIONS_READ".to_string()));
    }
}

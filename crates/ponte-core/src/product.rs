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
    fn consent_permissions_are_deduplicated_and_include_resources() {
        let perms = Product::consent_permissions(&[Product::Accounts, Product::Insights], false);
        assert_eq!(perms[0], "RESOURCES_READ");
        assert_eq!(perms.len(), 5);
        let business = Product::consent_permissions(&[Product::Registration], true);
        assert!(business.contains(&"CUSTOMERS_BUSINESS_IDENTIFICATIONS_READ".to_string()));
    }
}

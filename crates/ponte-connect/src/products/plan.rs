//! What each product reads from an institution, written once: the
//! retrieval ([`super::fetch_into`]) follows it, the endpoint templates the
//! quota counts ([`endpoints`]) and the resource ids the call log names
//! (`observe::endpoint_of`) come from it, and the transaction sync finds
//! in it each product's transaction listing (`recent`), what it reads again
//! beside it (`current`) and the permission each needs.

use ponte_core::Product;

/// The query parameters a dated listing takes for its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    pub from: &'static str,
    pub to: &'static str,
}

const BOOKED: Dates = Dates {
    from: "fromBookingDate",
    to: "toBookingDate",
};
const DUE: Dates = Dates {
    from: "fromDueDate",
    to: "toDueDate",
};
const MADE: Dates = Dates {
    from: "fromTransactionDate",
    to: "toTransactionDate",
};

/// Which of the report's counts (its webhook `summary`) a listing adds to,
/// named there by the part's key; a [`Part::Transactions`] adds to the
/// transactions, a [`Part::Bills`] to the bills, and each record of a
/// [`Plan::Each`] to its `counted_as`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    Nothing,
    Records,
}

/// One member of a record: the `data` of a call to the record's path
/// followed by `suffix`, under `key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// One answer's `data`.
    One {
        key: &'static str,
        suffix: &'static str,
    },
    /// Every item of a paginated listing, within the window when `dates`.
    Every {
        key: &'static str,
        suffix: &'static str,
        dates: Option<Dates>,
        tally: Tally,
    },
    /// What the record holds now (an account's balances, a card's limits)
    /// under `key`: one answer's `data`, or every item of a listing when
    /// `every`. The transaction sync reads it again for a consent that grants
    /// `permission`, and keeps the latest beside the transactions.
    Current {
        key: &'static str,
        suffix: &'static str,
        every: bool,
        permission: &'static str,
    },
    /// The record's closed bills due within the window, `bills` under
    /// `/bills`, counted as the report's bills. The transaction sync lists
    /// them too, for a consent that grants `permission` and
    /// `transactions_permission`: a bill's transactions carry the `billId` a
    /// purchase gets only when its bill closes.
    Bills {
        dates: Dates,
        permission: &'static str,
        transactions_permission: &'static str,
    },
    /// The product's transactions per record, `transactions` under
    /// `/transactions`, within the window, counted as the report's
    /// transactions: the listing the transaction sync follows for a consent
    /// that grants `permission`.
    Transactions {
        dates: Dates,
        permission: &'static str,
    },
}

impl Part {
    pub fn suffix(&self) -> &'static str {
        match self {
            Part::One { suffix, .. }
            | Part::Every { suffix, .. }
            | Part::Current { suffix, .. } => suffix,
            Part::Bills { .. } => BILLS.1,
            Part::Transactions { .. } => TRANSACTIONS.1,
        }
    }
}

/// The key and the suffix of a [`Part::Transactions`] (and of a bill's
/// transactions under its bill).
pub const TRANSACTIONS: (&str, &str) = ("transactions", "/transactions");

/// The key and the suffix of a [`Part::Bills`].
pub const BILLS: (&str, &str) = ("bills", "/bills");

/// How a product's `data` is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// One object of parts under one root, a person's or a company's.
    Root {
        personal: &'static str,
        business: &'static str,
        parts: &'static [Part],
    },
    /// `{key: [one record per item of list]}`: each record holds the item
    /// under `item` and then its parts, read under `{list}/{id}`.
    Each {
        key: &'static str,
        /// What the webhook's `summary` counts the records as.
        counted_as: &'static str,
        list: &'static str,
        /// The item's id field, and its name in the specifications' templates.
        id_field: &'static str,
        id_name: &'static str,
        item: &'static str,
        parts: &'static [Part],
    },
}

const REGISTRATION: Plan = Plan::Root {
    personal: "/open-banking/customers/v2/personal",
    business: "/open-banking/customers/v2/business",
    parts: &[
        Part::Every {
            key: "identifications",
            suffix: "/identifications",
            dates: None,
            tally: Tally::Records,
        },
        Part::One {
            key: "qualifications",
            suffix: "/qualifications",
        },
        Part::One {
            key: "financialRelations",
            suffix: "/financial-relations",
        },
    ],
};

const ACCOUNTS: Plan = Plan::Each {
    key: "accounts",
    counted_as: "accounts",
    list: "/open-banking/accounts/v2/accounts",
    id_field: "accountId",
    id_name: "{accountId}",
    item: "account",
    parts: &[
        Part::One {
            key: "identification",
            suffix: "",
        },
        Part::Current {
            key: "balances",
            suffix: "/balances",
            every: false,
            permission: "ACCOUNTS_BALANCES_READ",
        },
        Part::One {
            key: "overdraftLimits",
            suffix: "/overdraft-limits",
        },
        Part::Transactions {
            dates: BOOKED,
            permission: "ACCOUNTS_TRANSACTIONS_READ",
        },
    ],
};

const CREDIT_CARDS: Plan = Plan::Each {
    key: "accounts",
    counted_as: "accounts",
    list: "/open-banking/credit-cards-accounts/v2/accounts",
    id_field: "creditCardAccountId",
    id_name: "{creditCardAccountId}",
    item: "account",
    parts: &[
        Part::One {
            key: "identification",
            suffix: "",
        },
        Part::Current {
            key: "limits",
            suffix: "/limits",
            every: true,
            permission: "CREDIT_CARDS_ACCOUNTS_LIMITS_READ",
        },
        Part::Bills {
            dates: DUE,
            permission: "CREDIT_CARDS_ACCOUNTS_BILLS_READ",
            transactions_permission: "CREDIT_CARDS_ACCOUNTS_BILLS_TRANSACTIONS_READ",
        },
        Part::Transactions {
            dates: MADE,
            permission: "CREDIT_CARDS_ACCOUNTS_TRANSACTIONS_READ",
        },
    ],
};

const LOANS: Plan = Plan::Each {
    key: "contracts",
    counted_as: "contracts",
    list: "/open-banking/loans/v2/contracts",
    id_field: "contractId",
    id_name: "{contractId}",
    item: "contract",
    parts: &[
        Part::One {
            key: "details",
            suffix: "",
        },
        Part::Every {
            key: "warranties",
            suffix: "/warranties",
            dates: None,
            tally: Tally::Nothing,
        },
        Part::One {
            key: "scheduledInstalments",
            suffix: "/scheduled-instalments",
        },
        Part::One {
            key: "payments",
            suffix: "/payments",
        },
    ],
};

const INVESTMENTS: Plan = Plan::Each {
    key: "bankFixedIncomes",
    counted_as: "investments",
    list: "/open-banking/bank-fixed-incomes/v1/investments",
    id_field: "investmentId",
    id_name: "{investmentId}",
    item: "investment",
    parts: &[
        Part::One {
            key: "identification",
            suffix: "",
        },
        Part::One {
            key: "balances",
            suffix: "/balances",
        },
        // Read into the report; the summary counts investments only.
        Part::Every {
            key: "transactions",
            suffix: "/transactions",
            dates: Some(MADE),
            tally: Tally::Nothing,
        },
    ],
};

/// What `product` reads. A derived product reads what it is derived from.
pub fn plan(product: Product) -> &'static Plan {
    match product {
        Product::Registration => &REGISTRATION,
        Product::Accounts | Product::Insights => &ACCOUNTS,
        Product::CreditCards => &CREDIT_CARDS,
        Product::Loans => &LOANS,
        Product::Investments => &INVESTMENTS,
    }
}

/// Every endpoint template a retrieval of `product` calls, in the order it
/// calls them (`/open-banking/accounts/v2/accounts/{accountId}/balances`).
pub fn endpoints(product: Product, business: bool) -> Vec<String> {
    match plan(product) {
        Plan::Root {
            personal,
            business: company,
            parts,
        } => {
            let root = if business { company } else { personal };
            parts
                .iter()
                .map(|p| format!("{root}{}", p.suffix()))
                .collect()
        }
        Plan::Each {
            list,
            id_name,
            parts,
            ..
        } => std::iter::once(list.to_string())
            .chain(
                parts
                    .iter()
                    .map(|p| format!("{list}/{id_name}{}", p.suffix())),
            )
            .collect(),
    }
}

/// Where a product's transactions are listed per account, for the sync,
/// and what the sync reads beside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransactionListing {
    /// The accounts' listing; each account's transactions are under
    /// `{list}/{id}/transactions` (or `transactions-current`).
    pub list: &'static str,
    pub id_field: &'static str,
    /// The id's name in the specifications' templates (`{accountId}`).
    pub id_name: &'static str,
    pub dates: Dates,
    /// The consent's permission the listing needs.
    pub permission: &'static str,
    /// What the account holds now, read again by each refresh
    /// ([`Part::Current`]).
    pub current: Option<Current>,
    /// The closed bills a refresh follows ([`Part::Bills`]).
    pub bills: Option<BillListing>,
}

/// A [`Part::Current`], as the sync reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Current {
    pub suffix: &'static str,
    pub every: bool,
    pub permission: &'static str,
}

/// A [`Part::Bills`], as the sync reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BillListing {
    pub dates: Dates,
    pub permission: &'static str,
    pub transactions_permission: &'static str,
}

impl TransactionListing {
    /// The endpoint template of an account's `suffix`, as the quota counts
    /// it: `{list}/{id_name}{suffix}`.
    pub fn endpoint(&self, suffix: &str) -> String {
        format!("{}/{}{suffix}", self.list, self.id_name)
    }

    /// The template of what [`Current`] reads.
    pub fn current_endpoint(&self) -> Option<String> {
        self.current.map(|c| self.endpoint(c.suffix))
    }

    /// The templates of the bills' listing and of one bill's transactions.
    pub fn bill_endpoints(&self) -> Option<(String, String)> {
        self.bills.map(|_| {
            let bills = self.endpoint(BILLS.1);
            let transactions = format!("{bills}/{{billId}}{}", TRANSACTIONS.1);
            (bills, transactions)
        })
    }
}

/// The transaction listing of a product an institution shares, its
/// [`Part::Transactions`] (accounts, credit cards); `None` for the others
/// and for derived products, which sync through their source.
pub fn transaction_listing(product: Product) -> Option<TransactionListing> {
    if product.derived_from().is_some() {
        return None;
    }
    let Plan::Each {
        list,
        id_field,
        id_name,
        parts,
        ..
    } = plan(product)
    else {
        return None;
    };
    let (dates, permission) = parts.iter().find_map(|p| match p {
        Part::Transactions { dates, permission } => Some((*dates, *permission)),
        _ => None,
    })?;
    Some(TransactionListing {
        list,
        id_field,
        id_name,
        dates,
        permission,
        current: parts.iter().find_map(|p| match *p {
            Part::Current {
                suffix,
                every,
                permission,
                ..
            } => Some(Current {
                suffix,
                every,
                permission,
            }),
            _ => None,
        }),
        bills: parts.iter().find_map(|p| match *p {
            Part::Bills {
                dates,
                permission,
                transactions_permission,
            } => Some(BillListing {
                dates,
                permission,
                transactions_permission,
            }),
            _ => None,
        }),
    })
}

/// The products whose transactions sync, each with its listing, in
/// `Product::ALL` order.
pub fn synced() -> impl Iterator<Item = (Product, TransactionListing)> {
    Product::ALL
        .into_iter()
        .filter_map(|p| Some((p, transaction_listing(p)?)))
}

/// Every listing whose next path segment is a product record's id, with
/// the name the specifications give that id.
pub fn record_ids() -> impl Iterator<Item = (&'static str, &'static str)> {
    Product::ALL.into_iter().filter_map(|p| match plan(p) {
        Plan::Each { list, id_name, .. } => Some((*list, *id_name)),
        Plan::Root { .. } => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_the_templates_in_call_order() {
        assert_eq!(
            endpoints(Product::CreditCards, false),
            [
                "/open-banking/credit-cards-accounts/v2/accounts",
                "/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}",
                "/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}/limits",
                "/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}/bills",
                "/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}/transactions",
            ]
        );
        assert_eq!(
            endpoints(Product::Registration, true),
            [
                "/open-banking/customers/v2/business/identifications",
                "/open-banking/customers/v2/business/qualifications",
                "/open-banking/customers/v2/business/financial-relations",
            ]
        );
        assert_eq!(
            endpoints(Product::Insights, false),
            endpoints(Product::Accounts, false)
        );
    }

    #[test]
    fn only_accounts_and_cards_sync_transactions() {
        let synced: Vec<Product> = Product::ALL
            .into_iter()
            .filter(|p| transaction_listing(*p).is_some())
            .collect();
        assert_eq!(synced, [Product::Accounts, Product::CreditCards]);
        let cards = transaction_listing(Product::CreditCards).unwrap();
        assert_eq!(cards.id_field, "creditCardAccountId");
        assert_eq!(cards.dates, MADE);
        assert_eq!(super::synced().map(|(p, _)| p).collect::<Vec<_>>(), synced);
    }

    #[test]
    fn a_synced_listing_needs_a_permission_its_product_asks_consents_for() {
        let permissions: Vec<(Product, &str)> =
            super::synced().map(|(p, l)| (p, l.permission)).collect();
        assert_eq!(
            permissions,
            [
                (Product::Accounts, "ACCOUNTS_TRANSACTIONS_READ"),
                (
                    Product::CreditCards,
                    "CREDIT_CARDS_ACCOUNTS_TRANSACTIONS_READ"
                ),
            ]
        );
        for (product, listing) in super::synced() {
            for business in [false, true] {
                assert!(
                    product.permissions(business).contains(&listing.permission),
                    "{product} asks for no {}",
                    listing.permission
                );
            }
        }
    }

    #[test]
    fn what_a_refresh_reads_beside_the_transactions_comes_from_the_plan() {
        let accounts = transaction_listing(Product::Accounts).unwrap();
        assert_eq!(
            accounts.current_endpoint().as_deref(),
            Some("/open-banking/accounts/v2/accounts/{accountId}/balances")
        );
        assert_eq!(
            accounts.current.map(|c| (c.every, c.permission)),
            Some((false, "ACCOUNTS_BALANCES_READ"))
        );
        assert_eq!(accounts.bills, None);
        let cards = transaction_listing(Product::CreditCards).unwrap();
        let card = "/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}";
        assert_eq!(cards.current_endpoint(), Some(format!("{card}/limits")));
        assert_eq!(
            cards.current.map(|c| (c.every, c.permission)),
            Some((true, "CREDIT_CARDS_ACCOUNTS_LIMITS_READ"))
        );
        assert_eq!(
            cards.bill_endpoints(),
            Some((
                format!("{card}/bills"),
                format!("{card}/bills/{{billId}}/transactions")
            ))
        );
        // Each is also read by the product's retrieval, under a permission
        // the product asks consents for.
        for (product, listing) in super::synced() {
            let called = endpoints(product, false);
            let mut needs = Vec::new();
            if let Some(c) = listing.current {
                assert!(called.contains(&listing.endpoint(c.suffix)), "{product}");
                needs.push(c.permission);
            }
            if let Some(b) = listing.bills {
                assert!(called.contains(&listing.endpoint(BILLS.1)), "{product}");
                needs.extend([b.permission, b.transactions_permission]);
            }
            for business in [false, true] {
                for p in &needs {
                    assert!(product.permissions(business).contains(p), "{product}: {p}");
                }
            }
        }
    }

    #[test]
    fn every_product_reads_something_from_an_api_of_the_specifications() {
        for p in Product::ALL {
            let e = endpoints(p, false);
            assert!(!e.is_empty(), "{p} reads nothing");
            assert!(
                e.iter().all(|e| e.starts_with("/open-banking/")),
                "{p}: {e:?}"
            );
        }
    }
}

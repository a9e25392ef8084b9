//! The Open Finance Brasil operational limits: how many calls a month one
//! consent may make to each endpoint, for each resource (account, card,
//! bill) it names. Institutions answer `429` past them, so Ponte counts its
//! own calls and stops before.
//!
//! Source of the built-in figures: the OFB "Limites Operacionais" table, as
//! reproduced in Celcoin's developer documentation ("Limites de Consumo
//! Operacionais dos dados do Open Finance Brasil",
//! https://developers.celcoin.com.br/docs/limites-de-consumo-operacionais-dos-dados-do-open-finance-brasil),
//! which counts per month, endpoint, most specific object named in the call
//! and customer; the examples (balances 420, transactions 4,
//! transactions-current 240, card bills 30) agree with it. Not confirmed, so
//! not built in: credit-card `/transactions-current`, loans, bank fixed
//! incomes and resources (their calls are still recorded); an operator adds
//! them with `PONTE_QUOTA_LIMITS` once confirmed.

use std::collections::BTreeMap;

use ponte_core::Product;

const CUSTOMERS: &str = "/open-banking/customers/v2";
const ACCOUNTS: &str = "/open-banking/accounts/v2/accounts";
const CARDS: &str = "/open-banking/credit-cards-accounts/v2/accounts";

/// `(endpoint template, calls a month)`, as `ponte_connect::observe::endpoint_of` names them.
fn defaults() -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for kind in ["personal", "business"] {
        for part in ["identifications", "qualifications", "financial-relations"] {
            out.push((format!("{CUSTOMERS}/{kind}/{part}"), 4));
        }
    }
    let account = format!("{ACCOUNTS}/{{accountId}}");
    out.extend([
        (ACCOUNTS.to_string(), 4),
        (account.clone(), 4),
        (format!("{account}/balances"), 420),
        (format!("{account}/transactions"), 4),
        (format!("{account}/transactions-current"), 240),
        (format!("{account}/overdraft-limits"), 420),
    ]);
    let card = format!("{CARDS}/{{creditCardAccountId}}");
    out.extend([
        (CARDS.to_string(), 4),
        (card.clone(), 4),
        (format!("{card}/bills"), 30),
        (format!("{card}/bills/{{billId}}/transactions"), 30),
        (format!("{card}/limits"), 240),
        (format!("{card}/transactions"), 4),
    ]);
    out
}

/// The limits in force: the built-in table with the operator's changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaLimits {
    by_endpoint: BTreeMap<String, u32>,
}

impl Default for QuotaLimits {
    fn default() -> Self {
        Self {
            by_endpoint: defaults().into_iter().collect(),
        }
    }
}

impl QuotaLimits {
    /// The built-in table changed by `raw` (`PONTE_QUOTA_LIMITS`):
    /// comma-separated `endpoint=calls`, `endpoint=off` to stop limiting one.
    /// The error names the entry that failed.
    pub fn with_overrides(raw: Option<&str>) -> Result<Self, String> {
        let mut limits = Self::default();
        for entry in raw.unwrap_or_default().split(',').map(str::trim) {
            if entry.is_empty() {
                continue;
            }
            let (endpoint, value) = entry
                .split_once('=')
                .map(|(e, v)| (e.trim(), v.trim()))
                .ok_or_else(|| format!("{entry:?} is not endpoint=calls"))?;
            if !endpoint.starts_with("/open-banking/") {
                return Err(format!(
                    "{endpoint:?} is not an Open Finance path template such as {ACCOUNTS}/{{accountId}}/transactions"
                ));
            }
            if value == "off" {
                limits.by_endpoint.remove(endpoint);
                continue;
            }
            let calls = value
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| {
                    format!("{endpoint}: {value:?} is not a number of calls of at least 1, or off")
                })?;
            limits.by_endpoint.insert(endpoint.to_string(), calls);
        }
        Ok(limits)
    }

    /// How this table differs from the built-in one, in `PONTE_QUOTA_LIMITS`
    /// syntax (`ponte config check` prints it).
    pub fn changes(&self) -> String {
        let built_in = Self::default();
        let mut out: Vec<String> = self
            .by_endpoint
            .iter()
            .filter(|(e, n)| built_in.limit_of(e) != Some(**n))
            .map(|(e, n)| format!("{e}={n}"))
            .collect();
        out.extend(
            built_in
                .by_endpoint
                .keys()
                .filter(|e| self.limit_of(e).is_none())
                .map(|e| format!("{e}=off")),
        );
        if out.is_empty() {
            "(the OFB operational limits)".into()
        } else {
            out.join(",")
        }
    }

    /// Calls a month one consent may make to `endpoint` per resource; `None`: unlimited.
    pub fn limit_of(&self, endpoint: &str) -> Option<u32> {
        self.by_endpoint.get(endpoint).copied()
    }

    /// Every limited endpoint a retrieval of `product` calls, in the order it calls them.
    pub fn endpoints_of(&self, product: Product, business: bool) -> Vec<(String, u32)> {
        ponte_connect::products::endpoints(product, business)
            .into_iter()
            .filter_map(|e| self.limit_of(&e).map(|n| (e, n)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_table_has_the_ofb_figures() {
        let l = QuotaLimits::default();
        let tx = format!("{ACCOUNTS}/{{accountId}}/transactions");
        assert_eq!(l.limit_of(&tx), Some(4));
        assert_eq!(
            l.limit_of(&format!("{ACCOUNTS}/{{accountId}}/balances")),
            Some(420)
        );
        assert_eq!(
            l.limit_of(&format!("{ACCOUNTS}/{{accountId}}/transactions-current")),
            Some(240)
        );
        assert_eq!(
            l.limit_of(&format!("{CARDS}/{{creditCardAccountId}}/bills")),
            Some(30)
        );
        assert_eq!(l.limit_of("/open-banking/loans/v2/contracts"), None);
        // What a refresh reads besides transactions, as the products' plans name
        // it, is limited too.
        let mut refreshed = Vec::new();
        for (_, listing) in ponte_connect::products::synced() {
            refreshed.extend(listing.current_endpoint());
            refreshed.extend(
                listing
                    .bill_endpoints()
                    .into_iter()
                    .flat_map(|(b, t)| [b, t]),
            );
        }
        let limits: Vec<Option<u32>> = refreshed.iter().map(|e| l.limit_of(e)).collect();
        assert_eq!(
            limits,
            [Some(420), Some(240), Some(30), Some(30)],
            "{refreshed:?}"
        );
    }

    #[test]
    fn overrides_change_add_and_remove_and_name_what_is_wrong() {
        let tx = format!("{ACCOUNTS}/{{accountId}}/transactions");
        let raw = format!(" {tx}=10 , /open-banking/loans/v2/contracts=4,{ACCOUNTS}=off");
        let l = QuotaLimits::with_overrides(Some(&raw)).unwrap();
        assert_eq!(l.limit_of(&tx), Some(10));
        assert_eq!(l.limit_of("/open-banking/loans/v2/contracts"), Some(4));
        assert_eq!(l.limit_of(ACCOUNTS), None);
        // What `ponte config check` shows reads back as the same table.
        assert_eq!(QuotaLimits::with_overrides(Some(&l.changes())), Ok(l));
        assert_eq!(
            QuotaLimits::default().changes(),
            "(the OFB operational limits)"
        );
        let e = QuotaLimits::with_overrides(Some("/open-banking/x=0")).unwrap_err();
        assert!(
            e.contains("/open-banking/x") && e.contains("at least 1"),
            "{e}"
        );
        let e = QuotaLimits::with_overrides(Some("accounts=4")).unwrap_err();
        assert!(e.contains("\"accounts\""), "{e}");
        let e = QuotaLimits::with_overrides(Some("nothing")).unwrap_err();
        assert!(e.contains("endpoint=calls"), "{e}");
    }

    #[test]
    fn a_product_lists_the_limited_endpoints_it_calls() {
        let l = QuotaLimits::default();
        let accounts: Vec<String> = l
            .endpoints_of(Product::Accounts, false)
            .into_iter()
            .map(|(e, _)| e)
            .collect();
        assert!(accounts.contains(&format!("{ACCOUNTS}/{{accountId}}/transactions")));
        assert!(l.endpoints_of(Product::Loans, false).is_empty());
        assert_eq!(l.endpoints_of(Product::Registration, true).len(), 3);
    }
}

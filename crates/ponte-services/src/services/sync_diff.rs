//! What changed between the transactions stored for a window and what the institution
//! lists for it now, keyed by account and `transactionId`.
//!
//! Semantics (what the sync cursor promises):
//! - a transaction listed for the first time is `added`;
//! - one listed again with any field changed is `modified` (a processing purchase that
//!   settles under the same id is this: never a second transaction);
//! - one stored in the window but no longer listed is `removed` (a voided authorisation);
//! - OFB lets a processing transaction's id change when it settles. When a processing one
//!   goes and a settled one of the same account, direction, amount and day arrives in the
//!   same refresh, the pending one is `removed` and the settled one `added` carrying
//!   `pendingTransactionId`, so a client replaces rather than double-counts it.

use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// One transaction as listed (or as stored), with what the diff compares on.
#[derive(Debug, Clone, PartialEq)]
pub struct Tx {
    pub account_id: String,
    pub transaction_id: String,
    /// YYYY-MM-DD.
    pub booked_on: String,
    pub pending: bool,
    /// The institution's item, unchanged (plus `pendingTransactionId` when linked).
    pub data: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Added(Tx),
    Modified(Tx),
    Removed {
        account_id: String,
        transaction_id: String,
    },
}

/// Reads the fields the diff keys on from an OFB transaction (accounts or credit cards);
/// `None` for an item without a `transactionId`.
pub fn read(account_id: &str, item: Value, today: &str) -> Option<Tx> {
    let transaction_id = item["transactionId"].as_str()?.to_string();
    let booked_on = ["transactionDateTime", "transactionDate", "billPostDate"]
        .iter()
        .find_map(|f| item[*f].as_str().filter(|s| s.len() >= 10))
        .map_or_else(|| today.to_string(), |s| s[..10].to_string());
    let pending = matches!(
        item["completedAuthorisedPaymentType"].as_str(),
        Some("TRANSACAO_PROCESSANDO" | "LANCAMENTO_FUTURO")
    );
    Some(Tx {
        account_id: account_id.to_string(),
        transaction_id,
        booked_on,
        pending,
        data: item,
    })
}

fn key(t: &Tx) -> (&str, &str) {
    (&t.account_id, &t.transaction_id)
}

/// What settles a pending transaction under a new id must agree on.
fn settles(pending: &Tx, posted: &Tx) -> bool {
    let amount = |t: &Tx| {
        t.data
            .get("transactionAmount")
            .or_else(|| t.data.get("brazilianAmount"))
            .or_else(|| t.data.get("amount"))
            .cloned()
    };
    pending.account_id == posted.account_id
        && !posted.pending
        && pending.booked_on == posted.booked_on
        && pending.data["creditDebitType"] == posted.data["creditDebitType"]
        && amount(pending).is_some()
        && amount(pending) == amount(posted)
}

/// The changes from `stored` (what the window held) to `listed` (what the institution
/// lists for it now): additions and modifications in the institution's order, then
/// removals in stored order.
pub fn diff(stored: &[Tx], listed: Vec<Tx>) -> Vec<Change> {
    let before: HashMap<(&str, &str), &Tx> = stored.iter().map(|t| (key(t), t)).collect();
    // A listing that repeats an id keeps its last version.
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut now: Vec<Tx> = Vec::with_capacity(listed.len());
    for t in listed.into_iter().rev() {
        if seen.insert((t.account_id.clone(), t.transaction_id.clone())) {
            now.push(t);
        }
    }
    now.reverse();
    let gone: Vec<&Tx> = stored
        .iter()
        .filter(|t| !seen.contains(&(t.account_id.clone(), t.transaction_id.clone())))
        .collect();
    let mut linked: HashSet<(&str, &str)> = HashSet::new();
    let mut out = Vec::new();
    for mut t in now {
        let old = before.get(&key(&t)).copied();
        match old {
            Some(old) if old.data == t.data => {}
            Some(old) => {
                // A link made when it was added stays on later versions.
                if let Some(p) = old.data.get("pendingTransactionId") {
                    t.data["pendingTransactionId"] = p.clone();
                }
                if old.data != t.data {
                    out.push(Change::Modified(t));
                }
            }
            None => {
                let pending = gone
                    .iter()
                    .find(|p| p.pending && !linked.contains(&key(p)) && settles(p, &t));
                if let Some(p) = pending {
                    linked.insert(key(p));
                    t.data["pendingTransactionId"] = Value::String(p.transaction_id.clone());
                }
                out.push(Change::Added(t));
            }
        }
    }
    out.extend(gone.into_iter().map(|t| Change::Removed {
        account_id: t.account_id.clone(),
        transaction_id: t.transaction_id.clone(),
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tx(id: &str, status: &str, name: &str, amount: &str) -> Tx {
        read(
            "acc-1",
            json!({
                "transactionId": id,
                "completedAuthorisedPaymentType": status,
                "creditDebitType": "DEBITO",
                "transactionName": name,
                "transactionAmount": {"amount": amount, "currency": "BRL"},
                "transactionDateTime": "2026-12-05T10:00:00.000Z",
            }),
            "2026-12-07",
        )
        .unwrap()
    }

    #[test]
    fn new_changed_and_gone_transactions() {
        let a = tx("a", "TRANSACAO_EFETIVADA", "PIX", "10.00");
        let b = tx("b", "TRANSACAO_PROCESSANDO", "PAG*SHOP", "20.00");
        let c = tx("c", "TRANSACAO_PROCESSANDO", "PAG*HOLD", "50.00");
        let b_posted = tx("b", "TRANSACAO_EFETIVADA", "COMPRA DEBITO SHOP", "20.00");
        let d = tx("d", "TRANSACAO_EFETIVADA", "TED", "5.00");
        assert!(b.pending && !b_posted.pending);
        assert_eq!(b.booked_on, "2026-12-05");
        let changes = diff(
            &[a.clone(), b, c],
            vec![a, b_posted.clone(), d.clone(), d.clone()],
        );
        assert_eq!(
            changes,
            vec![
                Change::Modified(b_posted),
                Change::Added(d),
                Change::Removed {
                    account_id: "acc-1".into(),
                    transaction_id: "c".into()
                },
            ]
        );
    }

    #[test]
    fn a_pending_transaction_settling_under_a_new_id_is_linked() {
        let pending = tx("p1", "TRANSACAO_PROCESSANDO", "PAG*SHOP", "20.00");
        let other = tx("p2", "TRANSACAO_PROCESSANDO", "PAG*ELSE", "99.00");
        let posted = tx("x9", "TRANSACAO_EFETIVADA", "COMPRA DEBITO SHOP", "20.00");
        let changes = diff(&[pending, other], vec![posted.clone()]);
        let Change::Added(added) = &changes[0] else {
            panic!("{changes:?}")
        };
        assert_eq!(added.data["pendingTransactionId"], "p1");
        assert_eq!(changes.len(), 3, "both pending ones removed: {changes:?}");
        // Later versions keep the link; an unchanged listing changes nothing.
        let mut renamed = posted.clone();
        renamed.data["transactionName"] = json!("COMPRA DEBITO SHOP LTDA");
        let changes = diff(std::slice::from_ref(added), vec![renamed]);
        let Change::Modified(m) = &changes[0] else {
            panic!("{changes:?}")
        };
        assert_eq!(m.data["pendingTransactionId"], "p1");
        assert!(diff(std::slice::from_ref(m), vec![m.clone()]).is_empty());
    }
}

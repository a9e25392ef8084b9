//! Money that only moves between the holder's own accounts: a deposit into the savings
//! account, a redemption from an investment, a PIX to oneself. Counting it would make
//! saving look like spending (and a redemption like income).

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::Tx;

/// Names a bank gives to applications and redemptions of the holder's own savings and
/// investments (Open Finance has no type of its own for them).
fn savings_move(name: &str, kind: &str) -> bool {
    let n = name.to_lowercase();
    kind == "RESGATE_APLIC_FINANCEIRA"
        || [
            "aplicacao",
            "aplicação",
            "resgate",
            "transf entre contas",
            "mesma titularidade",
        ]
        .iter()
        .any(|w| n.contains(w))
}

/// Marks `own` on every transaction that moves money between the holder's accounts:
/// the names above, a counterparty with one of `holder_tax_ids`, and a debit in one of
/// the report's accounts with a credit of the same amount on the same day in another.
pub(super) fn mark(txs: &mut [Tx], holder_tax_ids: &[String]) {
    for t in txs.iter_mut() {
        let own_party = t
            .party
            .as_deref()
            .map(digits)
            .is_some_and(|p| !p.is_empty() && holder_tax_ids.iter().any(|h| digits(h) == p));
        if own_party || savings_move(&t.name, &t.kind) {
            t.own = true;
        }
    }
    // Pairs across accounts: debits waiting for a matching credit, by (day, amount).
    // A debit already known as own (a named deposit) still claims its other side.
    // Only movements a transfer can be (not a yield, a purchase, a salary).
    let transfer = |t: &Tx| {
        [
            "TRANSFERENCIA_MESMA_INSTITUICAO",
            "PIX",
            "TED",
            "DOC",
            "TEF",
        ]
        .contains(&t.kind.as_str())
    };
    let mut debits: HashMap<(&str, Decimal), Vec<usize>> = HashMap::new();
    for (i, t) in txs.iter().enumerate() {
        if !t.credit && transfer(t) {
            debits
                .entry((t.day.as_str(), t.amount))
                .or_default()
                .push(i);
        }
    }
    let mut pairs = Vec::new();
    for (j, t) in txs.iter().enumerate() {
        if !t.credit || t.own || !transfer(t) {
            continue;
        }
        if let Some(list) = debits.get_mut(&(t.day.as_str(), t.amount)) {
            if let Some(pos) = list.iter().position(|i| txs[*i].account != t.account) {
                pairs.push((list.remove(pos), j));
            }
        }
    }
    for (i, j) in pairs {
        txs[i].own = true;
        txs[j].own = true;
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

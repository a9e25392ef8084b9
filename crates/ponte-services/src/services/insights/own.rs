//! Money that only moves between the holder's own accounts: a deposit into the savings
//! account, a redemption from an investment, a PIX to oneself. Counting it would make
//! saving look like spending (and a redemption like income).

use super::stream::{Strings, Tx};

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

/// Whether one transaction is known as own by itself: the names above, or a
/// counterparty with one of `holder` (the holder's CPF/CNPJ, digits only).
pub(super) fn at_sight(name: &str, kind: &str, party: Option<&str>, holder: &[String]) -> bool {
    let own_party = party
        .map(digits)
        .is_some_and(|p| !p.is_empty() && holder.contains(&p));
    own_party || savings_move(name, kind)
}

/// Marks `own` on both sides of a debit in one of the report's accounts with a
/// credit of the same amount on the same day in another.
pub(super) fn pair(txs: &mut [Tx], strings: &Strings) {
    // Only movements a transfer can be (not a yield, a purchase, a salary).
    let transfer = |t: &Tx| {
        [
            "TRANSFERENCIA_MESMA_INSTITUICAO",
            "PIX",
            "TED",
            "DOC",
            "TEF",
        ]
        .contains(&strings.get(t.kind))
    };
    // Debits waiting for a matching credit, in order of (day, amount), then
    // as they came: 5 bytes each (index and whether a credit took it), where
    // a map of lists by (day, amount) held 1.5 MB at the peak of
    // `user_huge`'s insights. A debit already known as own (a named deposit)
    // still claims its other side.
    let key = |i: u32| {
        let t = &txs[i as usize];
        (t.day, t.amount)
    };
    let mut debits: Vec<u32> = (0..txs.len())
        .filter(|&i| !txs[i].credit && transfer(&txs[i]))
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    debits.sort_unstable_by(|a, b| key(*a).cmp(&key(*b)).then(a.cmp(b)));
    let mut taken = vec![false; debits.len()];
    let mut pairs = Vec::new();
    for (j, t) in txs.iter().enumerate() {
        if !t.credit || t.own || !transfer(t) {
            continue;
        }
        let wanted = (t.day, t.amount);
        let from = debits.partition_point(|d| key(*d) < wanted);
        let found = debits[from..]
            .iter()
            .take_while(|d| key(**d) == wanted)
            .enumerate()
            .find(|(k, d)| !taken[from + k] && txs[**d as usize].account != t.account);
        if let Some((k, d)) = found {
            taken[from + k] = true;
            pairs.push((*d as usize, j));
        }
    }
    for (i, j) in pairs {
        txs[i].own = true;
        txs[j].own = true;
    }
}

pub(super) fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}
